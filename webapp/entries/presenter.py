"""An entry as people read it: the one place that turns a stored entry into title, feeling, answers and photos.

The staff page, the family's own page, "My data", a review's quotes and exports and the API all read
an entry through `present`, so each shows the same words for the same entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from webapp.config import LANGUAGES, RTL_LANGUAGES
from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries.kinds import Answer
from webapp.entries.models import Entry
from webapp.photos.models import Photo


@dataclass(frozen=True)
class Feeling:
    key: str
    emoji: str
    # In the reader's language; an unknown key (a feeling since taken away) reads as itself.
    word: str


@dataclass(frozen=True)
class PresentedPhoto:
    """A photo sent with an entry, without its bytes."""

    id: int
    caption: str
    width: int
    height: int
    created_at: datetime


@dataclass(frozen=True)
class PresentedEntry:
    """One entry as a person reads it, in the reader's language (what the person typed stays in theirs)."""

    id: int
    family_id: int
    member_id: int
    kind: str
    title: str
    icon: str
    # The language the person wrote in, its name in the reader's language, and its direction.
    language: str
    language_name: str
    direction: str
    feeling: Feeling | None
    answers: tuple[Answer, ...]
    photos: tuple[PresentedPhoto, ...]
    created_at: datetime
    urgent: bool
    shared_with_family: bool
    # Raw answers by key, for readers that keep the stored form (the API).
    raw_answers: tuple[tuple[str, str], ...]
    # The worker who sat with the member when it was sent on the worker's device, by name.
    done_together_with: str | None = None

    @property
    def drawn(self) -> bool:
        """Made on the drawing pages: its pictures are drawings, not photos."""
        return self.kind in kinds.DRAWN_KIND_KEYS

    @property
    def pressed_only(self) -> bool:
        """An urgent entry with nothing written: pressing the button was the message."""
        return self.urgent and not self.raw_answers and self.feeling is None and not self.photos


def feeling_of(key: str | None) -> Feeling | None:
    if not key:
        return None
    return next((Feeling(key, emoji, str(word)) for feeling, emoji, word in kinds.FEELINGS if feeling == key), Feeling(key, "", key))


def _photo(photo: Photo) -> PresentedPhoto:
    return PresentedPhoto(photo.id, photo.caption, photo.width, photo.height, photo.created_at)


def photos_of(entry_ids: Iterable[int]) -> dict[int, list[Photo]]:
    """The photos of many entries in one query, by entry, in the order they came."""
    ids = sorted(set(entry_ids))
    by_entry: dict[int, list[Photo]] = {entry_id: [] for entry_id in ids}
    if ids:
        for photo in db_session().scalars(select(Photo).where(Photo.entry_id.in_(ids)).order_by(Photo.id)):
            if photo.entry_id is not None:
                by_entry[photo.entry_id].append(photo)
    return by_entry


def present(entry: Entry, photos: Sequence[Photo] | None = None) -> PresentedEntry:
    """The entry as people read it. Pass `photos` when they were loaded for many entries at once."""
    if photos is None:
        photos = photos_of([entry.id])[entry.id]
    kind = kinds.BY_KEY.get(entry.kind)
    answers = entry.answers
    return PresentedEntry(
        id=entry.id,
        family_id=entry.family_id,
        member_id=entry.member_id,
        kind=entry.kind,
        title=kinds.title_of(entry.kind),
        icon=kind.icon if kind else "",
        language=entry.language,
        language_name=LANGUAGES.get(entry.language, entry.language),
        direction="rtl" if entry.language in RTL_LANGUAGES else "ltr",
        feeling=feeling_of(entry.feeling),
        answers=tuple(kinds.shown_answers(entry.kind, answers)),
        photos=tuple(_photo(photo) for photo in photos),
        created_at=entry.created_at,
        urgent=entry.urgent,
        shared_with_family=entry.shared_with_family,
        raw_answers=tuple(answers.items()),
        done_together_with=entry.done_together_with.display_name if entry.done_together_with else None,
    )


def present_all(entries: Sequence[Entry]) -> list[PresentedEntry]:
    """Many entries as people read them, with their photos loaded in one query."""
    photos = photos_of(entry.id for entry in entries)
    return [present(entry, photos[entry.id]) for entry in entries]
