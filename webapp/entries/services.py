"""Storing what a member sends, exactly once, and the promise of a reply."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp import audit
from webapp.clock import local_today
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import FamilyMember, MemberRole

MAX_ANSWER_LENGTH = 5000


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after start."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def reply_due(today: date | None = None) -> date:
    # Today where the family lives (the app's time zone): just after midnight in summer, the UTC date is yesterday.
    today = today or local_today()
    return add_working_days(today, int(current_app.config["REPLY_WORKING_DAYS"]))


def existing(member: FamilyMember, client_id: str | None) -> Entry | None:
    if not client_id:
        return None
    return db_session().scalar(select(Entry).where(Entry.member_id == member.id, Entry.client_id == client_id))


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
) -> tuple[Entry, bool]:
    """Store an entry; the same client_id twice gives back the first. Returns (entry, created)."""
    already = existing(member, client_id)
    if already is not None:
        return already, False
    definition = kinds.BY_KEY.get(kind)
    entry = Entry(
        member_id=member.id,
        family_id=member.family_id,
        kind=kind,
        answers=answers,
        feeling=feeling,
        language=language,
        # Only young people share with their family, and a restricted member never does.
        shared_with_family=bool(shared_with_family and member.role == MemberRole.YOUNG_PERSON and not member.restricted),
        urgent=urgent or bool(definition and definition.urgent),
        client_id=client_id,
        reply_due=reply_due(),
    )
    db = db_session()
    db.add(entry)
    try:
        db.commit()
    except IntegrityError:
        # The same draft arrived twice at the same moment: keep the one that got in first.
        db.rollback()
        first = existing(member, client_id)
        if first is None:
            raise
        return first, False
    if entry.urgent:
        from webapp.notifications.services import urgent_entry

        urgent_entry(entry)
    return entry, True


def mark_read(entry: Entry, reader_id: int) -> None:
    if entry.read_at is None:
        entry.read_at = utcnow()
        entry.read_by_id = reader_id


def acknowledge(entry: Entry, staff_id: int) -> None:
    if entry.acknowledged_at is None:
        entry.acknowledged_at = utcnow()
        entry.acknowledged_by_id = staff_id


def reply(entry: Entry, author_id: int, body: str) -> EntryReply:
    row = EntryReply(entry_id=entry.id, author_id=author_id, body=body)
    db_session().add(row)
    mark_read(entry, author_id)
    acknowledge(entry, author_id)
    audit.record("entry_replied", family_id=entry.family_id, target=f"entry:{entry.id}")
    return row


def status(entry: Entry) -> str:
    """What the sender sees: sent, read by your worker, or replied."""
    if entry.replies:
        return "replied"
    if entry.read_at:
        return "read"
    return "sent"
