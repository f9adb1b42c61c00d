"""Families, their members, activation codes and consent."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow
from webapp.staff.models import Team


class MemberRole(enum.StrEnum):
    YOUNG_PERSON = "young_person"
    PARENT = "parent"
    # Someone in the family's safety network (a grandparent, a neighbour, a family friend): they read
    # only the parts of the family and network safety plan, and the actions, that name them.
    NETWORK = "network"


AGE_BANDS = ("5-7", "8-10", "11-13", "14-15", "16-17", "18-25", "adult")


class Family(Base):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str | None] = mapped_column(String(60))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    lead_worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship()
    lead_worker: Mapped[User] = relationship(foreign_keys=[lead_worker_id])
    co_workers: Mapped[list[FamilyWorker]] = relationship(
        back_populates="family", cascade="all, delete-orphan"
    )
    members: Mapped[list[FamilyMember]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="FamilyMember.id"
    )
    # Read-only here: written by families.services.refresh_staff alone.
    staff: Mapped[list[FamilyStaff]] = relationship(viewonly=True, order_by="FamilyStaff.id")


class FamilyWorker(Base):
    """A co-worker on a family, besides the lead worker."""

    __tablename__ = "family_workers"
    __table_args__ = (UniqueConstraint("family_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    family: Mapped[Family] = relationship(back_populates="co_workers")
    user: Mapped[User] = relationship()


class StaffRole(enum.StrEnum):
    LEAD = "lead"
    CO_WORKER = "co"


class FamilyStaff(Base):
    """Who works on a family: its lead worker and its co-workers, one row each.

    The one relation a worker's visibility is read from (policy.py), by join, indexed from the worker's
    side. It says again what `Family.lead_worker_id` and `FamilyWorker` say, and only
    `families.services.refresh_staff` writes it, whenever either changes.
    """

    __tablename__ = "family_staff"
    __table_args__ = (UniqueConstraint("family_id", "user_id"), Index("ix_family_staff_user_family", "user_id", "family_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(10))


class FamilyMember(Base):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(10))
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The safety plan stays readable offline only when both the worker and the member chose it,
    # because phones are shared in families.
    safety_plan_offline_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    safety_plan_offline_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    # --- The picture-led way (see webapp/picture/).
    # The worker's choice: True or False, or None for "by age" (under-8s use pictures).
    picture_led: Mapped[bool | None] = mapped_column(Boolean)
    # The member's own switch ("picture" or "usual"), which wins over the worker's; None until they use it.
    way_chosen: Mapped[str | None] = mapped_column(String(10))
    # How pages look for this member, remembered on every phone they sign in on.
    bigger_text: Mapped[bool] = mapped_column(Boolean, default=False)
    calmer_colours: Mapped[bool] = mapped_column(Boolean, default=False)

    family: Mapped[Family] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship(back_populates="member")

    @property
    def is_young_person(self) -> bool:
        return self.role == MemberRole.YOUNG_PERSON


class ActivationCode(Base):
    """A one-use code that lets a member set up (or reset) their sign-in. Only its hash is kept."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("family_members.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[FamilyMember] = relationship()


class ConsentRecord(Base):
    """A member's answer to the privacy notice, kept whether they agreed or not."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("family_members.id", ondelete="CASCADE"), index=True
    )
    agreed: Mapped[bool] = mapped_column(Boolean)
    notice_version: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
