"""Closing a family: the worker's closure request, the manager's decision, and each young person's and parent's
"Saying goodbye" views asked for before it closes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow
from webapp.families.models import FamilyMember


class ClosureStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the team manager
    APPROVED = "approved"  # the family is closed
    DECLINED = "declined"  # the family stays open


class ViewsAnswer(enum.StrEnum):
    WAITING = "waiting"  # asked, no answer yet
    ANSWERED = "answered"
    DECLINED = "declined"  # "I don't want to answer"


class ClosureRequest(Base):
    __tablename__ = "closure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The summary of the work done, in the worker's words.
    summary: Mapped[str] = mapped_column(Text)
    # One of records.REASONS.
    reason: Mapped[str] = mapped_column(String(30))
    # records.ClosureScores: each worry's latest score by each person about each child, when asked and again when decided.
    scores: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=ClosureStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str] = mapped_column(Text, default="")

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    views: Mapped[list[GoodbyeViews]] = relationship(
        back_populates="closure", cascade="all, delete-orphan", order_by="GoodbyeViews.id"
    )


class GoodbyeViews(Base):
    """One young person's or parent's "Saying goodbye" views on a closure request: asked for when it is made."""

    __tablename__ = "goodbye_views"
    __table_args__ = (UniqueConstraint("closure_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    closure_id: Mapped[int] = mapped_column(ForeignKey("closure_requests.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(10), default=ViewsAnswer.WAITING)
    what_was_good: Mapped[str] = mapped_column(Text, default="")
    could_be_better: Mapped[str] = mapped_column(Text, default="")
    what_will_help: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    closure: Mapped[ClosureRequest] = relationship(back_populates="views")
    member: Mapped[FamilyMember] = relationship()
