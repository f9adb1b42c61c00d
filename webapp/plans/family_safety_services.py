"""Drafting and publishing the family and network safety plan: every change to it is made here.

Parents and carers read the latest published version, network members the parts that name them
(`policy.family_safety_parts_for`). Nothing here commits: the request does, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from webapp import audit, policy
from webapp.clock import local_today
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.plans.family_safety import FamilyRule, FamilySafetyPlanContent, NetworkPerson, SafetyTask, TimelineStep
from webapp.plans.models import DRAFT, PUBLISHED, FamilySafetyPlanVersion, SafetyPlanVersion
from webapp.plans.records import ProgressUpdate, SafePerson, SafetyPlanContent, new_id


class RowGone(LookupError):
    """A row (or a network person) a page named is not in the plan any more: a page left open, or another worker."""


def latest_published(family_id: int) -> FamilySafetyPlanVersion | None:
    return db_session().scalar(
        select(FamilySafetyPlanVersion)
        .where(FamilySafetyPlanVersion.family_id == family_id, FamilySafetyPlanVersion.status == PUBLISHED)
        .order_by(FamilySafetyPlanVersion.number.desc())
        .limit(1)
    )


def published_before(family_id: int, moment: Any) -> FamilySafetyPlanVersion | None:
    """The latest version published by `moment` (or by now, when None): what a review stands on."""
    query = select(FamilySafetyPlanVersion).where(
        FamilySafetyPlanVersion.family_id == family_id, FamilySafetyPlanVersion.status == PUBLISHED
    )
    if moment is not None:
        query = query.where(FamilySafetyPlanVersion.published_at <= moment)
    return db_session().scalar(query.order_by(FamilySafetyPlanVersion.number.desc()).limit(1))


def versions(family_id: int) -> list[FamilySafetyPlanVersion]:
    """Every version, newest first."""
    return list(db_session().scalars(
        select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family_id).order_by(FamilySafetyPlanVersion.number.desc())
    ))


def version(family_id: int, number: int) -> FamilySafetyPlanVersion | None:
    return db_session().scalar(
        select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family_id, FamilySafetyPlanVersion.number == number)
    )


def current_draft(family_id: int) -> FamilySafetyPlanVersion | None:
    return db_session().scalar(
        select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family_id, FamilySafetyPlanVersion.status == DRAFT)
    )


def current(family_id: int) -> FamilySafetyPlanContent:
    """What the editor shows: the draft, else the latest published version, else an empty plan."""
    found = current_draft(family_id) or latest_published(family_id)
    return FamilySafetyPlanContent.from_json(found.content) if found else FamilySafetyPlanContent()


def draft(family: Family, author_id: int) -> FamilySafetyPlanVersion:
    """The family's draft, made from the latest published version (or empty) when there is none."""
    db = db_session()
    if (found := current_draft(family.id)) is not None:
        return found
    published = latest_published(family.id)
    number = (db.scalar(select(func.max(FamilySafetyPlanVersion.number)).where(FamilySafetyPlanVersion.family_id == family.id)) or 0) + 1
    content = FamilySafetyPlanContent.from_json(published.content) if published else FamilySafetyPlanContent()
    made = FamilySafetyPlanVersion(family_id=family.id, number=number, status=DRAFT, content=content.to_json(), created_by_id=author_id)
    db.add(made)
    db.flush()
    return made


@dataclass
class FamilySafetyEdit:
    """What the editor sends: every row as typed, each with the id it was drawn with ("" when new), and
    new progress updates by task id. A row left with no words is taken out."""

    content: FamilySafetyPlanContent
    progress: dict[str, str] = field(default_factory=dict)


def _has_words(*texts: str) -> bool:
    return any(t.strip() for t in texts)


def stale_ids(before: FamilySafetyPlanContent, edit: FamilySafetyEdit) -> set[str]:
    """The ids the page named that the plan no longer has: rows, network people ticked, tasks given progress."""
    known = before.ids()
    sent = edit.content
    rows: list[Any] = [*sent.timeline, *sent.network, *sent.rules, *sent.tasks]
    posted = [r.id for r in rows if r.id]
    # The same id twice is not a page this app drew: treat it as gone rather than guess which row it is.
    twice = {i for i in posted if posted.count(i) > 1}
    named = set(posted) | set(edit.progress)
    naming: list[TimelineStep | FamilyRule | SafetyTask] = [*sent.timeline, *sent.rules, *sent.tasks]
    people = {p for r in naming for p in r.people}
    network = {p.id for p in before.network}
    return (named - known) | (people - network) | twice


def save(family: Family, author_id: int, edit: FamilySafetyEdit) -> FamilySafetyPlanVersion:
    """Save the editor into the family's draft (made if needed).

    A row, network person or task a stale page named that is no longer there raises RowGone before
    anything changes. A row keeps its id, a new row gets one; a task keeps its dated progress.
    """
    before = current(family.id)
    if gone := stale_ids(before, edit):
        raise RowGone(", ".join(sorted(gone)))
    taken = set(before.ids())

    def row_id(posted: str) -> str:
        if posted:
            return posted
        chosen = new_id(taken)
        taken.add(chosen)
        return chosen

    sent = edit.content
    network = [p for p in sent.network if p.id or _has_words(p.name, p.relationship, p.how_to_reach)]
    for person in network:
        person.id = row_id(person.id)
        person.name, person.relationship, person.how_to_reach = person.name.strip(), person.relationship.strip(), person.how_to_reach.strip()
    network = [p for p in network if _has_words(p.name, p.relationship, p.how_to_reach)]
    still = {p.id for p in network}
    timeline = [s for s in sent.timeline if _has_words(s.week, s.task, s.monitoring, s.changes)]
    for step in timeline:
        step.id = row_id(step.id)
        step.week, step.task, step.monitoring, step.changes = step.week.strip(), step.task.strip(), step.monitoring.strip(), step.changes.strip()
        step.people = [p for p in step.people if p in still]
    rules = [r for r in sent.rules if _has_words(r.when, r.who_does_what)]
    for rule in rules:
        rule.id = row_id(rule.id)
        rule.when, rule.who_does_what = rule.when.strip(), rule.who_does_what.strip()
        rule.people = [p for p in rule.people if p in still]
    old_tasks = {t.id: t for t in before.tasks}
    tasks = [t for t in sent.tasks if _has_words(t.what, t.who)]
    for task in tasks:
        task.id = row_id(task.id)
        task.what, task.who = task.what.strip(), task.who.strip()
        task.people = [p for p in task.people if p in still]
        task.progress = list(old_tasks[task.id].progress) if task.id in old_tasks else []
    content = FamilySafetyPlanContent(timeline=timeline, network=network, rules=rules, tasks=tasks)
    for task_id, text in edit.progress.items():
        if text.strip() and _task(content, task_id) is not None:
            add_progress(content, task_id, text)
    found = draft(family, author_id)
    _store(found, content)
    audit.record("family_safety_plan_draft_saved", family_id=family.id, target=f"family-safety-plan:{found.number}")
    return found


def _store(found: FamilySafetyPlanVersion, content: FamilySafetyPlanContent) -> None:
    found.content = content.to_json()  # a new dict, so the JSON column is marked changed
    found.updated_at = utcnow()


def _task(content: FamilySafetyPlanContent, task_id: str) -> SafetyTask | None:
    return next((t for t in content.tasks if t.id == task_id), None)


def add_progress(content: FamilySafetyPlanContent, task_id: str, text: str, day: date | None = None) -> ProgressUpdate:
    """A dated progress update on one of seed 004's rows (today, unless a day is given)."""
    task = _task(content, task_id)
    if task is None:
        raise RowGone(task_id)
    update = ProgressUpdate(id=new_id(content.ids()), day=day or local_today(), text=text.strip())
    task.progress.append(update)
    return update


def complete(content: FamilySafetyPlanContent, row_id: str, day: date | None) -> TimelineStep | SafetyTask:
    """Mark a timeline step or a row completed on a day (None: not completed)."""
    row: TimelineStep | SafetyTask | None = next((s for s in content.timeline if s.id == row_id), None) or _task(content, row_id)
    if row is None:
        raise RowGone(row_id)
    row.completed_on = day
    return row


def publish(found: FamilySafetyPlanVersion, publisher_id: int) -> None:
    """Publish the draft as a new version: parents and carers, and the network members it names, are told."""
    found.status = PUBLISHED
    found.published_at = utcnow()
    found.published_by_id = publisher_id
    family = db_session().get_one(Family, found.family_id)
    content = FamilySafetyPlanContent.from_json(found.content)
    for member in family.members:
        if member.user_id and policy.told_of_family_safety_plan(member, content):
            notifications.notify(member.user_id, NotificationKind.FAMILY_SAFETY_PLAN_PUBLISHED)
    audit.record("family_safety_plan_published", family_id=family.id, target=f"family-safety-plan:{found.number}")


def forget_account_of(member: FamilyMember) -> None:
    """Erasing a network member unlinks their account from every version (the worker's line about them stays)."""
    for found in db_session().scalars(select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == member.family_id)):
        content = FamilySafetyPlanContent.from_json(found.content)
        linked = [p for p in content.network if p.member_id == member.id]
        for person in linked:
            person.member_id = None
        if linked:
            found.content = content.to_json()


# --- "Who is involved" feeds a young person's safety plan.


def network_person(family_id: int, person_id: str) -> NetworkPerson | None:
    return next((p for p in current(family_id).network if p.id == person_id), None)


def add_network_person_to_safety_plan(version: SafetyPlanVersion, person: NetworkPerson) -> SafePerson:
    """Copy a network person's name and how to reach them into a young person's safety plan draft, as one of their safe people."""
    content = SafetyPlanContent.from_json(version.content)
    safe = SafePerson(new_id(content.ids()), person.name, person.how_to_reach)
    content.safe_people.append(safe)
    version.content = content.to_json()
    version.updated_at = utcnow()
    audit.record("safety_plan_draft_saved", family_id=version.family_id, target=f"member:{version.member_id}")
    return safe
