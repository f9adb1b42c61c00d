"""Writing to the audit log."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from webapp.audit.models import AuditEvent
from webapp.db import db_session


def record(
    action: str, *, family_id: int | None = None, target: str = "", details: str = "", team_id: int | None = None
) -> None:
    """Add an audit event to the current session; the caller's commit saves it."""
    actor_id = None
    address = ""
    if has_request_context():
        address = request.remote_addr or ""
        if current_user.is_authenticated:
            actor_id = current_user.id
    db_session().add(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            family_id=family_id,
            target=target[:120],
            address=address,
            details=details,
            team_id=team_id,
        )
    )
