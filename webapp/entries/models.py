"""What young people and parents send: entries, and the worker's replies to them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow
from webapp.entries.records import EntryAnswers
from webapp.families.models import FamilyMember
from webapp.safeguarding.models import SafeguardingDecision


def _no_answers() -> dict[str, Any]:
    return EntryAnswers().to_json()


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("member_id", "client_id"),
        Index("ix_entries_family_created", "family_id", "created_at"),
        # A member's entries newest first, stopping early (the review page lists each member's latest), and their
        # count in a period from the index alone.
        Index("ix_entries_member_created", "member_id", "created_at", "id"),
        Index("ix_entries_inbox", "family_id", "urgent", "read_at"),
        Index("ix_entries_escalation", "urgent", "acknowledged_at", "escalated_at"),
        # The inbox's counts: only the unread entries, and only the urgent ones nobody acknowledged, per family.
        Index("ix_entries_unread", "family_id", postgresql_where=text("read_at IS NULL"), sqlite_where=text("read_at IS NULL")),
        Index(
            "ix_entries_urgent_open",
            "family_id",
            postgresql_where=text("urgent AND acknowledged_at IS NULL"),
            sqlite_where=text("urgent AND acknowledged_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"))
    # Kept on the entry too so that a worker's inbox is one indexed query across families.
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    # The answers as stored (see `answers`, and webapp/entries/records.py for the shape).
    answers_json: Mapped[dict[str, Any]] = mapped_column("answers", JSON, default=_no_answers)
    feeling: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    shared_with_family: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Made by the phone, so that sending the same offline draft twice stores it once.
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply_due: Mapped[date | None] = mapped_column(Date)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How it was made: "picture" for the picture-led way; None for the usual way.
    way: Mapped[str | None] = mapped_column(String(10))
    # The worker who sat with the member when it was sent on the worker's device ("done together").
    done_together_with_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    member: Mapped[FamilyMember] = relationship()
    read_by: Mapped[User | None] = relationship(foreign_keys=[read_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    done_together_with: Mapped[User | None] = relationship(foreign_keys=[done_together_with_id])
    replies: Mapped[list[EntryReply]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="EntryReply.created_at"
    )
    # What was done about it, when it was urgent (see webapp/safeguarding/).
    safeguarding_decision: Mapped[SafeguardingDecision | None] = relationship(back_populates="entry", passive_deletes=True)

    @property
    def answers(self) -> EntryAnswers:
        """What the person answered, by question key, whatever shape it was stored in."""
        return EntryAnswers.from_json(self.answers_json)

    @answers.setter
    def answers(self, answers: Mapping[str, Any]) -> None:
        self.answers_json = EntryAnswers.of(answers).to_json()


class EntryReply(Base):
    __tablename__ = "entry_replies"
    __table_args__ = (Index("uq_entry_replies_author_client", "author_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    # From the reply form (see webapp.once): the same form sent twice stores one reply.
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="replies")
    author: Mapped[User] = relationship()
