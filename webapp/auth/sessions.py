"""Server-side sessions: a browser is signed in only while its session row is open."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from webapp.auth.models import User, UserSession
from webapp.db import db_session, utcnow

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


def load(token: str) -> User | None:
    """The user of an open, not idle session with this token, or None."""
    db = db_session()
    row = db.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is None or row.ended_at is not None:
        return None
    user = row.user
    now = utcnow()
    if not user.is_active or now - row.last_seen_at > idle_limit(user):
        row.ended_at = now
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
    user.session_token = token
    return user


def end_current(user: User) -> None:
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
