"""What a manager sees of their team: grouped counts and the audit log.

Every count is one grouped query over the team's entries, never a query per family, so the team
view stays fast with a million entries: the entries scanned are only the unread or urgent ones
of the team's families (the inbox index on family, urgent, read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import to_utc
from sqlalchemy import ColumnElement, Subquery, func, select, true
from sqlalchemy.orm import joinedload, selectinload

from webapp import audit, policy
from webapp.audit.models import AuditEvent
from webapp.auth.models import User
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember, FamilyStaff
from webapp.reviews import schedule
from webapp.reviews.models import Review, ReviewSignOff

WAITING_LONGEST = 10


@dataclass(frozen=True)
class FamilyRow:
    family: Family
    lead_name: str
    unread: int
    urgent: int


@dataclass(frozen=True)
class WorkerRow:
    worker: User
    families: int
    unread: int


def family_rows(user: User) -> list[FamilyRow]:
    """Each of the team's families with its lead worker and unread and urgent-unacknowledged counts."""
    families = policy.visible_families(user)
    team_family_ids = families.with_only_columns(Family.id)

    def count_per_family(*conditions: ColumnElement[bool]) -> Subquery:
        # Two narrow queries rather than one with an OR, so that each is a range of the inbox index.
        return (
            select(Entry.family_id, func.count(Entry.id).label("n"))
            .where(Entry.family_id.in_(team_family_ids), *conditions)
            .group_by(Entry.family_id)
            .subquery()
        )

    unread_counts = count_per_family(Entry.read_at.is_(None))
    urgent_counts = count_per_family(Entry.urgent == true(), Entry.acknowledged_at.is_(None))
    unread = func.coalesce(unread_counts.c.n, 0)
    urgent = func.coalesce(urgent_counts.c.n, 0)
    query = (
        families.add_columns(User.display_name, unread, urgent)
        .join(User, User.id == Family.lead_worker_id)
        .outerjoin(unread_counts, unread_counts.c.family_id == Family.id)
        .outerjoin(urgent_counts, urgent_counts.c.family_id == Family.id)
        .order_by(urgent.desc(), unread.desc(), Family.name, Family.id)
    )
    return [FamilyRow(family, lead, unread_count, urgent_count) for family, lead, unread_count, urgent_count in db_session().execute(query)]


def worker_rows(user: User, families: Sequence[FamilyRow]) -> list[WorkerRow]:
    """Each worker of the team with how many open families they work on (lead or co-worker) and their unread."""
    open_families = {row.family.id: row for row in families if row.family.closed_at is None}
    on_families = db_session().execute(
        select(FamilyStaff.user_id, FamilyStaff.family_id).where(
            FamilyStaff.family_id.in_(policy.visible_families(user).with_only_columns(Family.id))
        )
    )
    links = {(user_id, family_id) for user_id, family_id in on_families if family_id in open_families}
    per_worker: dict[int, list[int]] = {}
    for user_id, family_id in links:
        per_worker.setdefault(user_id, []).append(family_id)
    rows = []
    for worker in db_session().scalars(policy.team_workers(user)):
        family_ids = per_worker.get(worker.id, [])
        rows.append(WorkerRow(worker, len(family_ids), sum(open_families[f].unread for f in family_ids)))
    return rows


def waiting_longest(user: User, limit: int = WAITING_LONGEST) -> Sequence[Entry]:
    """Unread entries of the team, oldest first."""
    query = (
        policy.staff_entries(user)
        .where(Entry.read_at.is_(None))
        .options(joinedload(Entry.member).joinedload(FamilyMember.family))
        .order_by(Entry.created_at, Entry.id)
        .limit(limit)
    )
    return db_session().scalars(query).all()


def reviews_waiting(user: User) -> Sequence[Review]:
    """Reviews of the team sent for the manager's sign-off, oldest first, with their family and sign-off steps."""
    query = policy.reviews_waiting_for(user).options(
        joinedload(Review.family), selectinload(Review.sign_offs).joinedload(ReviewSignOff.by)
    )
    return db_session().scalars(query).all()


def overdue_reviews_first(rows: Sequence[FamilyRow]) -> tuple[list[FamilyRow], dict[int, schedule.NextReview]]:
    """The rows with each family's next review, those overdue first (most overdue first), the rest as they were."""
    next_reviews = schedule.for_families([row.family.id for row in rows])
    first = schedule.overdue_first(next_reviews)
    return sorted(rows, key=lambda row: first(row.family.id)), next_reviews


# --- The audit log.

def action_label(action: str) -> str:
    return audit.action_label(action)


@dataclass(frozen=True)
class AuditFilter:
    family_id: int | None = None
    actor_id: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    actor_name: str | None
    family_name: str | None


def _local_midnight(day: date) -> datetime:
    """The start of a day in the app's time zone (the one dates are shown in), as UTC."""
    return to_utc(datetime.combine(day, time.min)).replace(tzinfo=UTC)


def audit_events(user: User, chosen: AuditFilter, *, page: int, size: int) -> tuple[list[AuditRow], bool]:
    """One page of the team's audit events, newest first, and whether there is a next page."""
    query = (
        policy.team_audit_events(user)
        .add_columns(User.display_name, Family.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Family, Family.id == AuditEvent.family_id)
    )
    if chosen.family_id is not None:
        query = query.where(AuditEvent.family_id == chosen.family_id)
    if chosen.actor_id is not None:
        query = query.where(AuditEvent.actor_id == chosen.actor_id)
    if chosen.start is not None:
        query = query.where(AuditEvent.at >= _local_midnight(chosen.start))
    if chosen.end is not None:
        query = query.where(AuditEvent.at < _local_midnight(chosen.end + timedelta(days=1)))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset((page - 1) * size).limit(size + 1)
    rows = [AuditRow(event, actor, family) for event, actor, family in db_session().execute(query)]
    return rows[:size], len(rows) > size
