"""Photos of activities. The image bytes live in their own table so that lists never load them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from webapp.db import Base, UTCDateTime, utcnow
from webapp.families.models import FamilyMember


class Photo(Base):
    __tablename__ = "photos"
    __table_args__ = (
        Index("ix_photos_family_created", "family_id", "created_at"),
        Index("uq_photos_member_client", "member_id", "client_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"), index=True)
    caption: Mapped[str] = mapped_column(String(300), default="")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # From the photo form (see webapp.once); a photo sent with an entry is stored once with it.
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[FamilyMember] = relationship()


class PhotoData(Base):
    __tablename__ = "photo_data"

    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True)
    mime_type: Mapped[str] = mapped_column(String(30))
    image: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    thumbnail: Mapped[bytes] = deferred(mapped_column(LargeBinary))
