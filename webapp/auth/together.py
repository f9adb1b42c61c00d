"""Done together: a worker's signed-in device standing for one family member during a visit.

The worker's own session row names the member (`UserSession.together_member_id`). While it does, the
session loads as a `TogetherUser`: a family member to every page and to policy.py (their own pages,
nothing of anyone else's), never staff, and what is sent is marked as done together with the worker.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from webapp.auth.models import User
from webapp.families.models import FamilyMember


class TogetherUser:
    """The signed-in user while a worker does it together with a member: the member, on the worker's session."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_manager = False
    is_family = True
    has_totp = False
    must_change_password = False
    is_demo = False

    def __init__(self, worker: User, member: FamilyMember, token: str) -> None:
        self.worker = worker
        self.member = member
        self.session_token: str | None = token
        # Logs and the audit trail name the worker: it is their session and their device.
        self.id = worker.id
        self.role = member.role
        self.display_name = member.display_name
        self._locale: str | None = None

    @property
    def is_active(self) -> bool:
        return self.worker.is_active

    @property
    def outbox_owner(self) -> str:
        """Drafts kept on the worker's device belong to this member and this worker, not to the worker alone."""
        return f"together:{self.worker.id}:{self.member.id}"

    @property
    def locale(self) -> str | None:
        """The member's language: their account's choice, else the one their worker noted."""
        if self._locale:
            return self._locale
        return self.member.user.locale if self.member.user is not None and self.member.user.locale else self.member.preferred_language

    @locale.setter
    def locale(self, value: str | None) -> None:
        # A language picked during a visit lasts for the visit; the member's account is not changed.
        self._locale = value

    def get_id(self) -> str | None:
        return self.session_token


def is_together(user: Any) -> bool:
    return isinstance(user, TogetherUser)


def worker_beside() -> User | None:
    """The worker doing it together with the signed-in member on this request, if any."""
    if not has_request_context():
        return None
    user = current_user._get_current_object() if current_user else None
    return user.worker if isinstance(user, TogetherUser) else None
