"""Storing what a member sends, exactly once, and the promise of a reply."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from webapp import audit, once
from webapp.auth.together import worker_beside
from webapp.clock import local_today
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import FamilyMember, MemberRole
from webapp.photos import services as photos
from webapp.photos.processing import ProcessedPhoto
from webapp.workdays import add_working_days

MAX_ANSWER_LENGTH = 5000


def reply_due(today: date | None = None, *, complaint: bool = False) -> date:
    """The day the sender is promised an answer by: a complaint has its own, longer, promise."""
    # Today where the family lives (the app's time zone): just after midnight in summer, the UTC date is yesterday.
    today = today or local_today()
    days = current_app.config["COMPLAINT_WORKING_DAYS" if complaint else "REPLY_WORKING_DAYS"]
    return add_working_days(today, int(days))


def existing(member: FamilyMember, client_id: str | None) -> Entry | None:
    """The entry this member already sent from the form with this client_id, if any."""
    return once.first(Entry, Entry.member_id == member.id, client_id)


def build(
    member: FamilyMember,
    kind: str,
    answers: dict[str, Any],
    *,
    feeling: str | None,
    language: str,
    shared_with_family: bool = False,
    client_id: str | None = None,
    urgent: bool = False,
) -> Entry:
    """A new entry added to the request's unit of work (then `sent` tells whoever must know)."""
    definition = kinds.BY_KEY.get(kind)
    entry = Entry(
        member_id=member.id,
        family_id=member.family_id,
        kind=kind,
        answers=answers,
        feeling=feeling,
        language=language,
        # Only young people share with their family, a restricted member never does, and a private kind never is.
        shared_with_family=bool(
            shared_with_family
            and member.role == MemberRole.YOUNG_PERSON
            and not member.restricted
            and not (definition and definition.private)
        ),
        urgent=urgent or bool(definition and definition.is_urgent(answers)),
        client_id=client_id,
        reply_due=reply_due(complaint=bool(definition and definition.complaint)),
    )
    worker = worker_beside()
    if worker is not None:
        entry.done_together_with_id = worker.id
    db_session().add(entry)
    db_session().flush()
    return entry


def sent(entry: Entry) -> None:
    """An urgent entry alerts the lead worker, and a complaint the worker and the team manager, in the same
    unit of work (so never for one rolled back)."""
    if entry.urgent:
        from webapp.notifications.services import urgent_entry

        urgent_entry(entry)
    definition = kinds.BY_KEY.get(entry.kind)
    if definition is not None and definition.complaint:
        from webapp.notifications.services import complaint_entry

        complaint_entry(entry)


def create(
    member: FamilyMember,
    kind: str,
    answers: dict[str, Any],
    *,
    feeling: str | None,
    language: str,
    shared_with_family: bool = False,
    client_id: str | None = None,
    urgent: bool = False,
    photo: ProcessedPhoto | None = None,
    caption: str = "",
) -> tuple[Entry, bool]:
    """Store an entry and its photo in one transaction, once per client_id. Returns (entry, created).

    If the photo cannot be stored, nothing is: the error reaches the caller and a retry stores both.
    """

    def write() -> Entry:
        entry = build(
            member, kind, answers, feeling=feeling, language=language,
            shared_with_family=shared_with_family, client_id=client_id, urgent=urgent,
        )
        if photo is not None:
            photos.store(member, photo, caption, entry_id=entry.id)
        return entry

    entry, created = once.save(lambda: existing(member, client_id), write)
    if created:
        sent(entry)
    return entry, created


def mark_read(entry: Entry, reader_id: int) -> None:
    if entry.read_at is None:
        entry.read_at = utcnow()
        entry.read_by_id = reader_id


def reply(entry: Entry, author_id: int, body: str, client_id: str | None = None) -> tuple[EntryReply, bool]:
    """Store a worker's reply, once per client_id. Returns (reply, created)."""

    def write() -> EntryReply:
        row = EntryReply(entry_id=entry.id, author_id=author_id, body=body, client_id=client_id)
        db_session().add(row)
        mark_read(entry, author_id)
        # A reply tells the manager's alert someone is on it; the safeguarding decision is still to record.
        if entry.acknowledged_at is None:
            entry.acknowledged_at = utcnow()
            entry.acknowledged_by_id = author_id
        audit.record("entry_replied", family_id=entry.family_id, target=f"entry:{entry.id}")
        return row

    return once.save(lambda: once.first(EntryReply, EntryReply.author_id == author_id, client_id), write)


def status(entry: Entry) -> str:
    """What the sender sees: sent, read by your worker, or replied."""
    if entry.replies:
        return "replied"
    if entry.read_at:
        return "read"
    return "sent"
