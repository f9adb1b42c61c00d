"""Reviews: what a family told us over a period, imported into the worker's review record."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.reviews import quotes

DRAFT = "draft"
# Sent to the team manager for sign-off: no longer editable, not final until the manager signs it off.
SUBMITTED = "submitted"
FINAL = "final"

# The case-record headings, including the home-visit headings of Appendix A of the standards.
ANALYSIS_HEADINGS = ("who_did_you_see", "purpose", "observed", "worker_analysis", "actions_next_steps")


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_family_end", "family_id", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    # The worker's own writing under each heading in ANALYSIS_HEADINGS.
    analysis: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    family: Mapped[Family] = relationship()
    items: Mapped[list[ReviewItem]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewItem.id"
    )
    # Submitted, returned, signed off: every step of the manager's sign-off, oldest first.
    sign_offs: Mapped[list[ReviewSignOff]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="(ReviewSignOff.at, ReviewSignOff.id)"
    )

    @property
    def is_final(self) -> bool:
        return self.status == FINAL

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED

    @property
    def is_editable(self) -> bool:
        return self.status == DRAFT


class ReviewItem(Base):
    """Something a family member sent, imported into a review. `quote` keeps it as it was then.

    `quote` is stored JSON: read it as `quoted` (the typed records are in webapp/reviews/quotes.py).
    """

    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_source", "source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    # "entry", "worry" (a worry's first and latest score for one person), "comment", "photo".
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(Integer)
    quote: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    review: Mapped[Review] = relationship(back_populates="items")
    member: Mapped[FamilyMember] = relationship()

    @property
    def quoted(self) -> quotes.Quote | None:
        """The quote as its typed record, whatever shape it was stored in (None for a source no review writes)."""
        return quotes.from_json(self.source, self.quote)


class MeetingMessage(Base):
    """The worker's plain-language "What happened at my meeting", shown on a young person's home page."""

    __tablename__ = "meeting_messages"
    __table_args__ = (Index("uq_meeting_messages_created_by_client", "created_by_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # From the message form (see webapp.once): the same form sent twice sends one message.
    client_id: Mapped[str | None] = mapped_column(String(64))


class SignOffStep(enum.StrEnum):
    SUBMITTED = "submitted"  # the worker sent the review to the team manager
    RETURNED = "returned"  # the manager sent it back to the worker to change
    SIGNED_OFF = "signed_off"  # the manager made it final


class ReviewSignOff(Base):
    """One step of a review's management sign-off: who, when, and the comment they had to write."""

    __tablename__ = "review_sign_offs"
    __table_args__ = (Index("ix_review_sign_offs_review", "review_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(20))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(Text)

    by: Mapped[User] = relationship()

    @property
    def kind(self) -> SignOffStep:
        return SignOffStep(self.step)


# The two parts of the plain-language version a family receives once a review is final, each in the
# young people's and the parents' versions: block `review-share:<review id>:<field>:<version>`.
SHARE_FIELDS = ("happened", "plan_changes")
SHARE_VERSIONS = ("young_person", "parent")


class ReviewShare(Base):
    """The review in plain language for the family, written by the worker once it is final; shared once."""

    __tablename__ = "review_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), unique=True)
    # "What happened at my review", and what changed in the plan, in each version.
    happened_young_person: Mapped[str] = mapped_column(Text, default="")
    happened_parent: Mapped[str] = mapped_column(Text, default="")
    plan_changes_young_person: Mapped[str] = mapped_column(Text, default="")
    plan_changes_parent: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    review: Mapped[Review] = relationship()

    def text(self, field: str, version: str) -> str:
        value: str = getattr(self, f"{field}_{version}")
        return value


class ReviewComment(Base):
    """A young person's or parent's comment on their shared review: kept with its date and language."""

    __tablename__ = "review_comments"
    __table_args__ = (Index("uq_review_comments_member_client", "member_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_id: Mapped[str | None] = mapped_column(String(64))

    member: Mapped[FamilyMember] = relationship()
