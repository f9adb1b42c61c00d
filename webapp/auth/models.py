"""Accounts and their server-side sessions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from webapp.families.models import FamilyMember
    from webapp.staff.models import Team


class Role(enum.StrEnum):
    MANAGER = "manager"
    WORKER = "worker"
    YOUNG_PERSON = "young_person"
    PARENT = "parent"
    # A family's network member (grandparent, neighbour, family friend): what they see is policy.py's.
    NETWORK = "network"


STAFF_ROLES = frozenset({Role.MANAGER, Role.WORKER})


class User(Base):
    """Anyone who signs in: staff by email, family members by the username they chose."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(10))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship()
    member: Mapped[FamilyMember | None] = relationship(back_populates="user", uselist=False)

    # Flask-Login keeps the server-side session's token, not the user id, so that
    # ending the session row really signs the browser out.
    __allow_unmapped__ = True  # for session_token, which is not a column
    session_token: str | None = None  # set per request by the session loader

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_family(self) -> bool:
        return self.role in (Role.YOUNG_PERSON, Role.PARENT, Role.NETWORK)

    @property
    def has_totp(self) -> bool:
        return self.totp_confirmed_at is not None


class UserSession(Base):
    """One signed-in browser. Ended at sign-out, password change or when the account is disabled."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Done together (webapp/auth/together.py): while set, this staff session stands for one family member.
    together_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship()
