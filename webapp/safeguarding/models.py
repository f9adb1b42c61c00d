"""Safeguarding decisions: what was done about an urgent entry, by whom and when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from webapp.entries.models import Entry


class SafeguardingDecision(Base):
    """The decision recorded when a worker acknowledges an urgent entry (one per entry)."""

    __tablename__ = "safeguarding_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), unique=True)
    # What was done, by the keys of services.ACTIONS.
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The front door / MASH reference of a referral.
    referral_reference: Mapped[str] = mapped_column(String(60), default="")
    # Why no further action, when that was the decision.
    no_further_action_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User] = relationship()
    entry: Mapped[Entry] = relationship(back_populates="safeguarding_decision")
