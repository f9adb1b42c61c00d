"""Storing photos of activities."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.photos.models import Photo, PhotoData
from webapp.photos.processing import PhotoRejected, ProcessedPhoto


def rejection_message(error: PhotoRejected) -> str:
    messages = {
        "empty": _("That file is empty. Please choose a photo."),
        "not_an_image": _("That file is not a photo we can use. Please choose a JPEG, PNG, WebP or HEIC photo."),
        "broken": _("That photo seems to be broken. Please try another one."),
        "too_many_pixels": _("That photo is too big. Please choose a smaller one."),
    }
    return messages.get(error.reason, messages["broken"])


def store(member: FamilyMember, processed: ProcessedPhoto, caption: str, *, entry_id: int | None = None) -> Photo:
    """Store a photo already cleaned by processing.process (the caller commits)."""
    photo = Photo(
        member_id=member.id,
        family_id=member.family_id,
        entry_id=entry_id,
        caption=caption.strip(),
        width=processed.width,
        height=processed.height,
    )
    db_session().add(photo)
    db_session().flush()
    db_session().add(
        PhotoData(photo_id=photo.id, mime_type=processed.mime_type, image=processed.image, thumbnail=processed.thumbnail)
    )
    return photo
