"""Drafting and publishing plans. Families only ever see the latest published version."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, select

from webapp import audit
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.plans.models import DRAFT, PUBLISHED, PlanVersion, SafetyPlanVersion
from webapp.plans.sections import empty_plan, empty_safety_plan
from webapp.worries.models import Worry


def latest_published(family_id: int) -> PlanVersion | None:
    return db_session().scalar(
        select(PlanVersion)
        .where(PlanVersion.family_id == family_id, PlanVersion.status == PUBLISHED)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def draft(family: Family, author_id: int) -> PlanVersion:
    """The family's draft, made from the latest published version (or empty) when there is none."""
    db = db_session()
    current = db.scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == DRAFT))
    if current is not None:
        return current
    published = latest_published(family.id)
    number = (db.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.family_id == family.id)) or 0) + 1
    content = copy.deepcopy(published.content) if published else empty_plan()
    content.pop("worries", None)
    current = PlanVersion(family_id=family.id, number=number, status=DRAFT, content=content, created_by_id=author_id)
    db.add(current)
    db.flush()
    return current


def save_draft(version: PlanVersion, content: dict[str, Any]) -> None:
    version.content = content  # a new dict, so the JSON column is marked changed
    version.updated_at = utcnow()


def worries_snapshot(family_id: int) -> list[dict[str, Any]]:
    """The family's worries as they stand, kept in the published version for the record."""
    worries = db_session().scalars(
        select(Worry).where(Worry.family_id == family_id, Worry.archived_at.is_(None), Worry.owner_member_id.is_(None)).order_by(Worry.id)
    )
    return [
        {
            "id": w.id,
            "wording": w.wording,
            "danger_statement": w.danger_statement,
            "meaning_0": w.meaning_0,
            "meaning_10": w.meaning_10,
            "is_safety": w.is_safety,
            "members": sorted(link.member_id for link in w.applies_to),
        }
        for w in worries
    ]


def _tell_members(members: list[FamilyMember], kind: str) -> None:
    """A notice on their home page; never for a restricted member, who sees nothing of any plan."""
    for member in members:
        if member.user_id and not member.restricted:
            notifications.notify(member.user_id, NotificationKind(kind))


def publish(version: PlanVersion, publisher_id: int) -> None:
    """Publish the draft: families see it from now on, and are told their plan changed."""
    content = copy.deepcopy(version.content)
    content["worries"] = worries_snapshot(version.family_id)
    version.content = content
    version.status = PUBLISHED
    version.published_at = utcnow()
    version.published_by_id = publisher_id
    family = db_session().get(Family, version.family_id)
    assert family is not None
    _tell_members(list(family.members), "plan_published")
    audit.record("plan_published", family_id=version.family_id, target=f"plan:{version.number}")


def latest_published_safety_plan(member_id: int) -> SafetyPlanVersion | None:
    return db_session().scalar(
        select(SafetyPlanVersion)
        .where(SafetyPlanVersion.member_id == member_id, SafetyPlanVersion.status == PUBLISHED)
        .order_by(SafetyPlanVersion.number.desc())
        .limit(1)
    )


def safety_draft(member: FamilyMember, author_id: int) -> SafetyPlanVersion:
    db = db_session()
    current = db.scalar(
        select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == member.id, SafetyPlanVersion.status == DRAFT)
    )
    if current is not None:
        return current
    published = latest_published_safety_plan(member.id)
    number = (db.scalar(select(func.max(SafetyPlanVersion.number)).where(SafetyPlanVersion.member_id == member.id)) or 0) + 1
    current = SafetyPlanVersion(
        member_id=member.id,
        family_id=member.family_id,
        number=number,
        status=DRAFT,
        content=copy.deepcopy(published.content) if published else empty_safety_plan(),
        created_by_id=author_id,
    )
    db.add(current)
    db.flush()
    return current


def publish_safety_plan(version: SafetyPlanVersion, publisher_id: int) -> None:
    version.status = PUBLISHED
    version.published_at = utcnow()
    version.published_by_id = publisher_id
    _tell_members([version.member], "safety_plan_published")
    audit.record("safety_plan_published", family_id=version.family_id, target=f"member:{version.member_id}")


def visible_sections(content: dict[str, Any], member: FamilyMember) -> list[tuple[str, str]]:
    """(section key, text) a member may read: their version, minus sections hidden from them."""
    version = "young_person" if member.is_young_person else "parent"
    shown = []
    for key, section in content.get("sections", {}).items():
        if member.id in section.get("hidden_from", []):
            continue
        text = (section.get(version) or "").strip()
        if text:
            shown.append((key, text))
    return shown
