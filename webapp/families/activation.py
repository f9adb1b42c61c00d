"""Activation codes: short, human-friendly, one use, 14 days."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.families.models import ActivationCode, FamilyMember

# No 0/O, 1/I/L: codes are read aloud and copied by hand from a phone or a letter.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def normalise(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def limit_key(code: str) -> str:
    """What the rate limiter counts a code's tries under: never the code itself."""
    return "activation-code:" + _hash(code)[:32]


def issue(member: FamilyMember, issued_by: User) -> str:
    """A new code for the member; any earlier unused code stops working. Returns the code once."""
    now = utcnow()
    db = db_session()
    db.execute(
        update(ActivationCode)
        .where(ActivationCode.member_id == member.id, ActivationCode.used_at.is_(None), ActivationCode.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    days = current_app.config["ACTIVATION_DAYS"]
    db.add(
        ActivationCode(
            member_id=member.id,
            code_hash=_hash(code),
            created_by_id=issued_by.id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    return code


def usable(code: str) -> ActivationCode | None:
    """The code's record if it can still be used: not used, not replaced, not expired."""
    if len(normalise(code)) != LENGTH:
        return None
    row = db_session().scalar(select(ActivationCode).where(ActivationCode.code_hash == _hash(code)))
    if row is None or row.used_at or row.revoked_at or row.expires_at <= utcnow():
        return None
    return row
