"""Assessment summaries shared with parents and carers, and their comments on each section."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, UTCDateTime, utcnow
from webapp.families.models import Family, FamilyMember


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Parents can comment (and change their comments) until the worker closes the comment period.
    comments_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    family: Mapped[Family] = relationship()
    sections: Mapped[list[AssessmentSection]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentSection.position"
    )
    shares: Mapped[list[AssessmentShare]] = relationship(cascade="all, delete-orphan")
    comments: Mapped[list[AssessmentComment]] = relationship(cascade="all, delete-orphan", overlaps="section")

    @property
    def is_open(self) -> bool:
        return self.comments_closed_at is None


class AssessmentSection(Base):
    __tablename__ = "assessment_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="sections")


class AssessmentShare(Base):
    """A parent or carer the worker chose to share the assessment with."""

    __tablename__ = "assessment_shares"
    __table_args__ = (UniqueConstraint("assessment_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[FamilyMember] = relationship()


class AssessmentComment(Base):
    """A parent's answer on one section (or, with no section, on the whole assessment)."""

    __tablename__ = "assessment_comments"
    __table_args__ = (UniqueConstraint("assessment_id", "member_id", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_sections.id", ondelete="CASCADE"))
    # The section's id, or 0 for "overall": unlike a NULL section_id, this makes one comment each.
    section_key: Mapped[int] = mapped_column(Integer, default=0)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    agree: Mapped[str] = mapped_column(String(10), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[FamilyMember] = relationship()
    section: Mapped[AssessmentSection | None] = relationship()
    assessment: Mapped[Assessment] = relationship(overlaps="comments")
