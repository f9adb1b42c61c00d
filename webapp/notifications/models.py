"""In-app notifications for staff and family members, and email to staff waiting to be sent."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from webapp.db import Base, UTCDateTime, utcnow
from webapp.entries.models import Entry
from webapp.reviews.models import Review


class NotificationKind(enum.StrEnum):
    URGENT = "urgent"  # to the lead worker: a family member sent something urgent
    ESCALATION = "escalation"  # to the team's managers: nobody acknowledged an urgent entry in time
    PLAN_PUBLISHED = "plan_published"  # to the family: their plan changed
    SAFETY_PLAN_PUBLISHED = "safety_plan_published"  # to one young person: their safety plan changed
    # To parents and the network members it names: the family and network safety plan changed.
    FAMILY_SAFETY_PLAN_PUBLISHED = "family_safety_plan_published"
    COMPLAINT = "complaint"  # to the lead worker and the team's managers: a complaint or a request for an advocate
    REVIEW_SUBMITTED = "review_submitted"  # to the team's managers: a review waits for their sign-off
    REVIEW_SIGNED_OFF = "review_signed_off"  # to the worker who submitted it: the manager made it final
    REVIEW_RETURNED = "review_returned"  # to the worker who submitted it: the manager sent it back
    REVIEW_SHARED = "review_shared"  # to each young person and parent who may read the plan: their review in plain language
    VISIT_WRITE_UP = "visit_write_up"  # to the worker: a home visit they recorded is not written up after 3 working days
    GOODBYE_VIEWS = "goodbye_views"  # to each young person and parent: the worker asked to close, say goodbye
    GOODBYE = "goodbye"  # to each young person and parent: the family is closed, and what to do if things get hard


class _Kind(TypeDecorator[NotificationKind]):
    """A NotificationKind stored as its plain string value."""

    impl = String(30)
    cache_ok = True

    def process_bind_param(self, value: NotificationKind | str | None, dialect: Dialect) -> str | None:
        return None if value is None else NotificationKind(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> NotificationKind | None:
        return None if value is None else NotificationKind(value)


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_Kind)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    # A notice about a review's sign-off names the review (and goes with it).
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    # The home visit a write-up reminder is about.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entry: Mapped[Entry | None] = relationship()
    review: Mapped[Review | None] = relationship()


class OutgoingEmail(Base):
    """An email to staff, written in the same transaction as the change it tells of and sent after commit."""

    __tablename__ = "outgoing_emails"
    __table_args__ = (Index("ix_outgoing_emails_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # An email about an entry goes with it (erasure, retention): there would be nothing left to open.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    # Never a family's words: only that there is something, and a link to it.
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(255))
