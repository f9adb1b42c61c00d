"""The audit log: who did what to which family's records, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_family_at", "family_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="SET NULL"))
    target: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    # Set for events about a whole team's records when no family or staff member is left to
    # point at, such as a family deleted by the retention command.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    # Why it was done, when someone had to say (the reason given for an erasure). Never the
    # family's own words.
    details: Mapped[str] = mapped_column(Text, default="", server_default="")
