"""Family plans and safety plans. Each is a series of versions: one draft, then published ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, deferred, mapped_column, relationship

from webapp.auth.models import User
from webapp.db import Base, UTCDateTime, utcnow
from webapp.families.models import FamilyMember

DRAFT = "draft"
PUBLISHED = "published"


class _Versioned:
    """What every plan version has: its number, state, content and who published it when."""

    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @declared_attr
    def published_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.published_by_id])  # type: ignore[list-item]


class PlanVersion(_Versioned, Base):
    """One version of a family's plan. Published versions are never changed again."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("family_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)


class FamilySafetyPlanVersion(_Versioned, Base):
    """One version of the family and network safety plan (content: `family_safety.FamilySafetyPlanContent`)."""

    __tablename__ = "family_safety_plan_versions"
    __table_args__ = (UniqueConstraint("family_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)


class SafetyPlanAgreement(Base):
    """A network member's or parent's "I have read it and I agree" to one published version, with when."""

    __tablename__ = "safety_plan_agreements"
    __table_args__ = (UniqueConstraint("version_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("family_safety_plan_versions.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[FamilySafetyPlanVersion] = relationship()
    member: Mapped[FamilyMember] = relationship()


class SafetyPlanVersion(_Versioned, Base):
    """One version of a young person's safety plan."""

    __tablename__ = "safety_plan_versions"
    __table_args__ = (UniqueConstraint("member_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)

    member: Mapped[FamilyMember] = relationship()


class PlanPicture(Base):
    """A picture a worker uploaded (their own drawing, or a photo) for the young people's version of a family's plan.

    Cleaned by the photo pipeline (re-encoded, no metadata). Plan versions name it by id, and it is
    kept as long as the family is, so a published version keeps its pictures whatever the draft does next.
    """

    __tablename__ = "plan_pictures"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What is in the picture, in the worker's words: the picture's alt text.
    description: Mapped[str] = mapped_column(String(200), default="")
    mime_type: Mapped[str] = mapped_column(String(30))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
