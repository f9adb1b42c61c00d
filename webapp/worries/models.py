"""Worries on the 0-10 scale, and each member's scores over time."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow
from webapp.families.models import FamilyMember


class Worry(Base):
    """A worry a family member can score: from the worker (the family's plan) or a member's own."""

    __tablename__ = "worries"
    __table_args__ = (Index("uq_worries_created_by_client", "created_by_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    wording: Mapped[str] = mapped_column(String(300))
    # The professional wording, for staff and case records; families see `wording`.
    danger_statement: Mapped[str] = mapped_column(Text, default="")
    meaning_0: Mapped[str] = mapped_column(String(200))
    meaning_10: Mapped[str] = mapped_column(String(200))
    is_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a member added this worry for themselves; None for the worker's worries.
    owner_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # From the "add my worry" form (see webapp.once): the same form sent twice adds one worry.
    client_id: Mapped[str | None] = mapped_column(String(64))

    applies_to: Mapped[list[WorryMember]] = relationship(cascade="all, delete-orphan")
    concerns: Mapped[list[WorryChild]] = relationship(cascade="all, delete-orphan")


class WorryMember(Base):
    """Which members a worker's worry applies to."""

    __tablename__ = "worry_members"
    __table_args__ = (UniqueConstraint("worry_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worry_id: Mapped[int] = mapped_column(ForeignKey("worries.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)


class WorryChild(Base):
    """Which children (young people of the family) a worry is about: each person scores it about each of them."""

    __tablename__ = "worry_children"
    __table_args__ = (UniqueConstraint("worry_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worry_id: Mapped[int] = mapped_column(ForeignKey("worries.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)


class ScorerKind(enum.StrEnum):
    """Who gave a score: a family member on their own page, or someone the worker recorded it for."""

    MEMBER = "member"
    WORKER = "worker"
    PROFESSIONAL = "professional"
    NETWORK = "network"


class WorryScore(Base):
    __tablename__ = "worry_scores"
    __table_args__ = (
        Index("ix_worry_scores_worry_member_at", "worry_id", "member_id", "created_at"),
        Index("uq_worry_scores_member_client", "member_id", "client_id", unique=True),
        Index("uq_worry_scores_recorded_by_client", "recorded_by_id", "client_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worry_id: Mapped[int] = mapped_column(ForeignKey("worries.id", ondelete="CASCADE"))
    # The family member who gave it; None for a score the worker recorded (their own, a professional's, a network member's).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    # The child the score is about; None only where the family had no young person to be about.
    about_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    what_makes_it: Mapped[str] = mapped_column(Text, default="")
    one_point_higher: Mapped[str] = mapped_column(Text, default="")
    scorer_kind: Mapped[str] = mapped_column(String(12), default=ScorerKind.MEMBER)
    # For a score the worker recorded: who gave it (the worker's own name for their own) and their role.
    scorer_name: Mapped[str] = mapped_column(String(120), default="")
    scorer_role: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The day it was given, when the worker records it later; a member's score was given when it was stored.
    given_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The urgent entry this score raised (a 0 on a safety worry), if any.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"))
    # From the score form (see webapp.once): the same form sent twice stores one score.
    client_id: Mapped[str | None] = mapped_column(String(64))
    # How it was given: "picture" for the picture-led faces scale; None for the usual way.
    way: Mapped[str | None] = mapped_column(String(10))
    # The worker who sat with the member when it was given on the worker's device ("done together").
    done_together_with_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    worry: Mapped[Worry] = relationship()
    member: Mapped[FamilyMember | None] = relationship(foreign_keys=[member_id])
    about: Mapped[FamilyMember | None] = relationship(foreign_keys=[about_member_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    done_together_with: Mapped[User | None] = relationship(foreign_keys=[done_together_with_id])
