"""Storing photos of activities, once each, within each member's allowance of uploads."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from limits import parse_many
from sqlalchemy import select

from webapp import once
from webapp.db import db_session
from webapp.extensions import limiter
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


def upload_allowed(member: FamilyMember) -> bool:
    """Count one photo upload against the member's PHOTO_LIMIT_PER_MEMBER; False once it is used up.

    Counted per member, not per address: a family shares one home connection, and one phone
    sending photos in a loop must not cost the server more than a few pictures an hour.
    """
    prefix = [limiter._key_prefix] if limiter._key_prefix else []
    keys = [*prefix, f"member:{member.id}", "photo-upload"]
    return all(limiter.limiter.hit(limit, *keys) for limit in parse_many(str(current_app.config["PHOTO_LIMIT_PER_MEMBER"])))


def too_many_message(*, with_words: bool) -> str:
    """What a member sees when their photo allowance for now is used up (with a 429)."""
    if with_words:
        # Translators: an entry with a photo was not sent because too many photos were sent lately; the words stay on the page.
        return _("You have sent a lot of photos in a short time. Nothing is lost: your words are still here. Send them now without the photo, and send the photo later.")
    # Translators: a photo was not sent because too many photos were sent lately.
    return _("You have sent a lot of photos in a short time. The photos you sent before are safe. Please wait a while, then send this one again.")


def existing(member: FamilyMember, client_id: str | None) -> Photo | None:
    """The photo this member already sent from the form with this client_id, if any."""
    return once.first(Photo, Photo.member_id == member.id, client_id)


def store(
    member: FamilyMember, processed: ProcessedPhoto, caption: str, *, entry_id: int | None = None, client_id: str | None = None
) -> Photo:
    """Store a photo already cleaned by processing.process, in the request's unit of work."""
    photo = Photo(
        member_id=member.id,
        family_id=member.family_id,
        entry_id=entry_id,
        caption=caption,
        width=processed.width,
        height=processed.height,
        client_id=client_id,
    )
    db_session().add(photo)
    db_session().flush()
    db_session().add(
        PhotoData(photo_id=photo.id, mime_type=processed.mime_type, image=processed.image, thumbnail=processed.thumbnail)
    )
    return photo


def of_entry(entry_id: int) -> list[Photo]:
    """The photos sent with an entry, in the order they came."""
    return list(db_session().scalars(select(Photo).where(Photo.entry_id == entry_id).order_by(Photo.id)))


def save_once(member: FamilyMember, processed: ProcessedPhoto, caption: str, client_id: str | None) -> tuple[Photo, bool]:
    """Store a photo sent on its own, once per client_id. Returns (photo, created)."""
    return once.save(lambda: existing(member, client_id), lambda: store(member, processed, caption, client_id=client_id))
