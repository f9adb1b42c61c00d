"""Starting and finishing doing it together, on the worker's own session row."""

from __future__ import annotations

import hashlib

from limits import parse

from webapp import audit
from webapp.auth import sessions
from webapp.auth.models import User, UserSession
from webapp.auth.together import TogetherUser
from webapp.extensions import limiter
from webapp.families.models import FamilyMember

# Wrong passwords allowed before the device is signed out altogether.
MAX_TRIES = 5


def start(worker: User, member: FamilyMember) -> None:
    """The worker's device shows only this member's own pages from the next request on."""
    row = sessions.current_row(worker)
    assert row is not None  # a signed-in staff member has an open session
    row.together_member_id = member.id
    audit.record("together_started", family_id=member.family_id, target=f"member:{member.id}")


def finish(user: TogetherUser) -> None:
    row = _row(user)
    row.together_member_id = None
    audit.record("together_finished", family_id=user.member.family_id, target=f"member:{user.member.id}")


def wrong_password(user: TogetherUser) -> bool:
    """Count a wrong password (in the rate-limit store: the page's 400 keeps no change). True when that was
    one too many: the caller signs the device out, and the worker signs in again with their second step."""
    prefix = [limiter._key_prefix] if limiter._key_prefix else []
    session_key = hashlib.sha256((user.session_token or "").encode()).hexdigest()[:24]
    keys = [*prefix, f"session:{session_key}", "together-leave"]
    return not limiter.limiter.hit(parse(f"{MAX_TRIES - 1} per hour"), *keys)


def _row(user: TogetherUser) -> UserSession:
    row = sessions.current_row(user)
    assert row is not None  # the session loaded this user a moment ago
    return row
