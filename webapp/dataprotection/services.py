"""Deleting a family's or a member's records for good, and closing and reopening families.

Deletion leans on the database: every table that holds a family's or a member's records has a
foreign key with ON DELETE CASCADE to `families` or `family_members` (or to a row that has one),
so deleting the family or member row deletes the rest in the same statement. A table added
without such a key makes the delete fail loudly instead of leaving records behind, and the tests
walk every table to prove nothing is left.

Two links are not cascaded, on purpose, and are handled here: a member's sign-in account
(`family_members.user_id`, because staff accounts live in the same table) and the audit log,
which outlives what it describes. Audit events keep existing: those about a deleted family lose
their family (ON DELETE SET NULL), those a deleted member did lose their actor. Their targets
name record ids only, never names or words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, delete, func, or_, select, update

from webapp import audit
from webapp.audit.models import AuditEvent
from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import Family, FamilyMember
from webapp.photos.models import Photo
from webapp.plans import family_safety_services as family_safety
from webapp.plans import services as plans
from webapp.reviews.models import MeetingMessage, ReviewItem
from webapp.translations_content import services as translated
from webapp.worries.models import WorryScore


def retention_days() -> int:
    """How long a closed family's records are kept; refuses a setting that would delete at once."""
    days = int(current_app.config["RETENTION_DAYS"])
    if days < 1:
        raise ValueError("RETENTION_DAYS must be at least 1")
    return days


def deletion_date(family: Family) -> datetime | None:
    """When the retention command will delete a closed family; None while it is open."""
    if family.closed_at is None:
        return None
    return family.closed_at + timedelta(days=retention_days())


def close(family: Family) -> None:
    """Close a family: it leaves the caseload, and the retention clock starts."""
    if family.closed_at is None:
        family.closed_at = utcnow()
        audit.record("family_closed", family_id=family.id)


def reopen(family: Family) -> None:
    if family.closed_at is not None:
        family.closed_at = None
        audit.record("family_reopened", family_id=family.id)


def _delete_accounts(user_ids: Iterable[int | None]) -> None:
    """Delete family members' sign-in accounts; their sessions and notifications go with them."""
    ids = [user_id for user_id in user_ids if user_id is not None]
    if not ids:
        return
    db = db_session()
    no_sync = {"synchronize_session": False}
    db.execute(update(AuditEvent).where(AuditEvent.actor_id.in_(ids)).values(actor_id=None), execution_options=no_sync)
    db.execute(delete(User).where(User.id.in_(ids)), execution_options=no_sync)


def families_due(now: datetime | None = None) -> list[Family]:
    """Families closed longer ago than the retention period."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days())
    return list(
        db_session().scalars(
            select(Family).where(Family.closed_at.is_not(None), Family.closed_at <= cutoff).order_by(Family.id)
        )
    )


def delete_family(family: Family) -> None:
    """Delete a family and everything that belongs to it, leaving one audit event (ids only)."""
    db = db_session()
    family_id, team_id = family.id, family.team_id
    user_ids = list(db.scalars(select(FamilyMember.user_id).where(FamilyMember.family_id == family_id)))
    db.execute(delete(Family).where(Family.id == family_id), execution_options={"synchronize_session": False})
    _delete_accounts(user_ids)
    db.expire_all()  # what was loaded before may be gone now: read it again if it is needed
    audit.record("family_deleted_retention", target=f"family:{family_id}", team_id=team_id)


@dataclass(frozen=True)
class ErasureSummary:
    """How much of a member's data an erasure will delete, shown before the manager confirms."""

    entries: int
    replies: int
    worry_scores: int
    photos: int
    review_items: int
    meeting_messages: int
    has_account: bool


def erasure_summary(member: FamilyMember) -> ErasureSummary:
    """Counts of what erasing this member deletes."""

    def count(query: Select[int]) -> int:
        return db_session().scalar(query) or 0

    return ErasureSummary(
        entries=count(select(func.count(Entry.id)).where(Entry.member_id == member.id)),
        replies=count(
            select(func.count(EntryReply.id)).join(Entry, Entry.id == EntryReply.entry_id).where(Entry.member_id == member.id)
        ),
        # Their own scores, and the scores others gave about them (each goes with the child it is about).
        worry_scores=count(select(func.count(WorryScore.id)).where(or_(WorryScore.member_id == member.id, WorryScore.about_member_id == member.id))),
        photos=count(select(func.count(Photo.id)).where(Photo.member_id == member.id)),
        review_items=count(select(func.count(ReviewItem.id)).where(ReviewItem.member_id == member.id)),
        meeting_messages=count(select(func.count(MeetingMessage.id)).where(MeetingMessage.member_id == member.id)),
        has_account=member.user_id is not None,
    )


def erase_member(member: FamilyMember, reason: str) -> None:
    """Delete a member, everything they sent and their account; the audit event keeps the reason.

    The member row goes too rather than staying as an anonymised stub: nothing needs to keep
    pointing at it (the audit log names members by id only), and a stub would still be a record
    of that person in the family.
    """
    db = db_session()
    member_id, family_id, user_id = member.id, member.family_id, member.user_id
    # Translations are the family's, not the member's, so no foreign key takes them: those of this member's
    # words, and of what was written to them alone, go here.
    translated.delete_member_blocks(member)
    plans.forget_quotes_of(member)
    family_safety.forget_account_of(member)
    db.execute(delete(FamilyMember).where(FamilyMember.id == member_id), execution_options={"synchronize_session": False})
    _delete_accounts([user_id])
    db.expire_all()
    audit.record("member_erased", family_id=family_id, target=f"member:{member_id}", details=reason)
