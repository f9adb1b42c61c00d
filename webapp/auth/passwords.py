"""Password hashing (Argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MIN_LENGTH = 8
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 low-memory parameters


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verifying against this when the account does not exist keeps unknown usernames and wrong
    passwords equally slow, so timing does not tell which usernames exist. Made on the first
    sign-in, not when the app starts."""
    return _hasher.hash("not a real password, only for timing")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # a large list, read when a password is first chosen

    return frozenset(FREQUENCY_LISTS["passwords"])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always does the same amount of work."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, *, username: str | None = None) -> str | None:
    """A plain-language reason the password cannot be used, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return ngettext("Your password needs at least %(num)d character.", "Your password needs at least %(num)d characters.", MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return ngettext("Your password can have at most %(num)d character.", "Your password can have at most %(num)d characters.", MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or (username and lowered == username.lower()):
        return str(_l("That password is too easy to guess. Try a few words you will remember."))
    return None
