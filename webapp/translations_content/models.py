"""A translation of one block of a worker's words, or an interpreter's English of a family member's words."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow


class TextTranslation(Base):
    """One block's words in one language, and the hash of the words it was made from.

    `block` names the block whatever the version it is in ("plan-section:<key>:<version>",
    "plan-action:<id>:text", "safety-row:<id>:<field>", "worry:<id>:wording", "meeting-message:<id>",
    "reply:<id>", and an interpreter's English of a member's words: "entry:<id>", "worry-score:<id>", "review-comment:<id>",
    "goodbye:<id>", "assessment-comment:<id>"), so a translation stays with its block from one plan version to the next,
    and the hash says whether the words it translates are still the ones shown.
    """

    __tablename__ = "text_translations"
    __table_args__ = (UniqueConstraint("family_id", "block", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    block: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    translated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    interpreter_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    translated_by: Mapped[User | None] = relationship()
