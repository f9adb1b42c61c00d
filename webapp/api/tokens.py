"""Making, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from webapp.api.models import ApiToken
from webapp.db import db_session, utcnow

PREFIX = "fv_"
_TOUCH_EVERY = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(team_id: int, name: str, created_by_id: int) -> tuple[ApiToken, str]:
    """A new token for the team. The secret is returned once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(team_id=team_id, name=name, token_hash=_hash(secret), prefix=secret[:10], created_by_id=created_by_id)
    db_session().add(token)
    return token, secret


def authenticate(header: str | None) -> ApiToken | None:
    """The active token named by an "Authorization: Bearer ..." header, or None."""
    scheme, _, secret = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":  # auth schemes are case-insensitive (RFC 9110)
        return None
    secret = secret.strip()
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db_session().scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if token is None or not token.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
    return token
