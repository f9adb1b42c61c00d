"""Server-side sessions: a browser is signed in only while its session row is open."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp.auth.models import User, UserSession
from webapp.auth.together import TogetherUser
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember

# Writing last_seen on every request would cost a write per page; a minute is precise enough.
_TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit(user: User) -> timedelta:
    minutes = current_app.config["STAFF_IDLE_MINUTES" if user.is_staff else "FAMILY_IDLE_MINUTES"]
    return timedelta(minutes=minutes)


def start(user: User) -> None:
    """Sign the user in with a brand-new session (never reusing the one before sign-in)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db_session().add(UserSession(token_hash=_hash(token), user_id=user.id))
    user.session_token = token
    login_user(user)
    session.permanent = True


def load(token: str) -> User | TogetherUser | None:
    """The user of an open, not idle session with this token, or None.

    A worker's session doing it together with a family member loads as that member (see together.py).
    """
    db = db_session()
    # One statement for the session, its user and, for a family member, their member record and
    # family with its lead worker (named on their pages), which nearly every page reads next.
    row = db.scalar(
        select(UserSession)
        .where(UserSession.token_hash == _hash(token))
        .options(joinedload(UserSession.user).joinedload(User.member).joinedload(FamilyMember.family).joinedload(Family.lead_worker))
    )
    if row is None or row.ended_at is not None:
        return None
    user = row.user
    now = utcnow()
    together_member = db.get(FamilyMember, row.together_member_id) if row.together_member_id is not None else None
    # A visit runs at a child's pace: the family's idle time, not the staff's.
    limit = timedelta(minutes=current_app.config["FAMILY_IDLE_MINUTES"]) if together_member is not None else idle_limit(user)
    if not user.is_active or now - row.last_seen_at > limit:
        row.ended_at = now
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
    user.session_token = token
    if together_member is not None:
        return TogetherUser(user, together_member, token)
    return user


def current_row(user: User | TogetherUser) -> UserSession | None:
    """The open session row of the signed-in browser."""
    if not user.session_token:
        return None
    return db_session().scalar(
        select(UserSession).where(UserSession.token_hash == _hash(user.session_token), UserSession.ended_at.is_(None))
    )


def end_current(user: User | TogetherUser) -> None:
    if user.session_token:
        db_session().execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(user.session_token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    logout_user()
    session.clear()


def end_all(user: User, *, except_current: bool = False) -> None:
    """End every open session of a user (after a password change, or when disabling them)."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if except_current and user.session_token:
        query = query.where(UserSession.token_hash != _hash(user.session_token))
    db_session().execute(query.values(ended_at=utcnow()))
