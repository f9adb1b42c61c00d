"""Sending drawings: one entry with its drawings attached, stored once per form, through the photo pipeline."""

from __future__ import annotations

from webapp import once
from webapp.entries import services as entries
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.photos import services as photos
from webapp.photos.processing import ProcessedPhoto


def send(
    member: FamilyMember,
    kind_key: str,
    answers: dict[str, str],
    drawings: list[tuple[ProcessedPhoto, str]],
    *,
    language: str,
    client_id: str | None,
    way: str | None = None,
) -> tuple[Entry, bool]:
    """Store the entry and each (drawing, caption) in one unit of work, once per client_id. Returns (entry, created).

    `way` is "picture" when it was drawn the picture-led way, so the worker sees which way was used."""

    def write() -> Entry:
        entry = entries.build(member, kind_key, answers, feeling=None, language=language, client_id=client_id)
        entry.way = way
        for processed, caption in drawings:
            photos.store(member, processed, caption, entry_id=entry.id)
        return entry

    entry, created = once.save(lambda: entries.existing(member, client_id), write)
    if created:
        entries.sent(entry)
    return entry, created
