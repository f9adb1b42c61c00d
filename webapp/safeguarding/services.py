"""Safeguarding decisions on urgent entries, and the 24-hour rule for recording them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from webapp import policy
from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.safeguarding.models import SafeguardingDecision

CALLED = "called"
VISITED = "visited"
REFERRED = "referred"
DISCUSSED = "discussed_with_manager"
NO_FURTHER_ACTION = "no_further_action"

ACTIONS = (
    (CALLED, _l("Called the child or young person")),
    # Translators: a safeguarding decision on an urgent entry: the worker visited the child.
    (VISITED, _l("Visited")),
    (REFERRED, _l("Referred to the front door / MASH")),
    (DISCUSSED, _l("Discussed with the manager")),
    # Translators: a safeguarding decision on an urgent entry: nothing more needs doing (the reason is written beside it).
    (NO_FURTHER_ACTION, _l("No further action")),
)
# Entries acknowledged before decisions were recorded carry this, and nothing more, from the migration.
ACKNOWLEDGED_BEFORE = "acknowledged_before_decisions"
LABELS = {**dict(ACTIONS), ACKNOWLEDGED_BEFORE: _l("Acknowledged before decisions were recorded")}
# An urgent entry must have its decision on record within this time of arriving.
DECISION_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class Decision:
    actions: list[str]
    referral_reference: str = ""
    no_further_action_reason: str = ""
    notes: str = ""


def record(entry: Entry, decision: Decision, staff: User) -> SafeguardingDecision:
    """Acknowledge the urgent entry with its decision; a decision already on record stands."""
    existing = entry.safeguarding_decision
    if existing is not None:
        return existing
    now = utcnow()
    row = SafeguardingDecision(
        entry_id=entry.id,
        actions=[key for key, _label in ACTIONS if key in decision.actions],
        referral_reference=decision.referral_reference if REFERRED in decision.actions else "",
        no_further_action_reason=decision.no_further_action_reason if NO_FURTHER_ACTION in decision.actions else "",
        notes=decision.notes,
        decided_by_id=staff.id,
        decided_at=now,
    )
    db_session().add(row)
    entry.safeguarding_decision = row
    if entry.acknowledged_at is None:
        entry.acknowledged_at = now
        entry.acknowledged_by_id = staff.id
    return row


def breach_deadline(entry: Entry) -> datetime:
    return entry.created_at + DECISION_WITHIN


def breaches(families: Select[Family], now: datetime | None = None) -> Select[Entry]:
    """Urgent entries of these families still without a decision 24 hours after they came, oldest first
    (a reply or an acknowledgement is not a decision)."""
    now = now or utcnow()
    return (
        select(Entry)
        .outerjoin(SafeguardingDecision, SafeguardingDecision.entry_id == Entry.id)
        .where(
            Entry.family_id.in_(families.with_only_columns(Family.id).scalar_subquery()),
            Entry.urgent.is_(True),
            SafeguardingDecision.id.is_(None),
            Entry.created_at <= now - DECISION_WITHIN,
        )
        .options(joinedload(Entry.member).joinedload(FamilyMember.family).joinedload(Family.lead_worker))
        .order_by(Entry.created_at, Entry.id)
    )


def recent_decisions(families: Select[Family], since: timedelta = timedelta(days=30)) -> Select[SafeguardingDecision]:
    """Decisions on these families' urgent entries over the last month, newest first, for the manager."""
    return (
        select(SafeguardingDecision)
        .join(Entry, Entry.id == SafeguardingDecision.entry_id)
        .where(
            Entry.family_id.in_(families.with_only_columns(Family.id).scalar_subquery()),
            SafeguardingDecision.decided_at >= utcnow() - since,
        )
        .options(
            joinedload(SafeguardingDecision.entry).joinedload(Entry.member).joinedload(FamilyMember.family),
            joinedload(SafeguardingDecision.decided_by),
        )
        .order_by(SafeguardingDecision.decided_at.desc(), SafeguardingDecision.id.desc())
    )


def for_manager(user: User) -> dict[str, Any]:
    """What the team view and the escalation list show a manager: breaches, recent decisions, and their words."""
    now = utcnow()
    families = policy.visible_families(user)
    db = db_session()
    return {
        "breaches": db.scalars(breaches(families, now)).unique().all(),
        "decisions": db.scalars(recent_decisions(families)).unique().all(),
        "decision_labels": LABELS,
    }
