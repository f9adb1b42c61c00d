"""Contacts with a family that the worker records, and the manager's decisions about disengagement."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.contacts.records import VisitNotes
from webapp.db import Base, UTCDateTime, utcnow


class ContactKind(enum.StrEnum):
    HOME_VISIT = "home_visit"
    PHONE_CALL = "phone_call"
    TEXT = "text"
    LETTER = "letter"
    MEETING = "meeting"
    # Tried to reach the family and did not (with why, and what will be done next).
    ATTEMPT = "attempt"


class Contact(Base):
    """One contact with a family (or one attempt), recorded by a worker, with when it happened."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_family_happened", "family_id", "happened_at"),
        Index("uq_contacts_recorded_by_client", "recorded_by_id", "client_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What happened (a call, a text, a letter, a meeting), or why there was no contact (an attempt).
    summary: Mapped[str] = mapped_column(Text, default="")
    # For an attempt: what will be done next.
    next_step: Mapped[str] = mapped_column(Text, default="")
    # A home visit's write-up (see `notes`); kept as typed so far even before it is written up.
    visit_json: Mapped[dict[str, Any] | None] = mapped_column("visit", JSON)
    written_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the worker was reminded that a home visit is still not written up.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_id: Mapped[str | None] = mapped_column(String(64))

    recorded_by: Mapped[User | None] = relationship()

    @property
    def notes(self) -> VisitNotes:
        return VisitNotes.from_json(self.visit_json)

    @notes.setter
    def notes(self, notes: VisitNotes) -> None:
        self.visit_json = notes.to_json()

    @property
    def awaits_write_up(self) -> bool:
        return self.kind == ContactKind.HOME_VISIT and self.written_up_at is None


class DisengagementDecision(Base):
    """A team manager's decision about a family flagged for disengagement, with the day and who made it."""

    __tablename__ = "disengagement_decisions"
    __table_args__ = (Index("uq_disengagement_decisions_decided_by_client", "decided_by_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_id: Mapped[str | None] = mapped_column(String(64))

    decided_by: Mapped[User | None] = relationship()
