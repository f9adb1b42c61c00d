"""A final review shared with the family in plain language: the worker's words in each version, what changed in
the plan, each member's own scores then and now, and the family's comments on it.

Due `REVIEW_SHARE_WORKING_DAYS` working days (webapp/workdays.py, bank holidays known) after the review
was made final. Who reads and comments is policy.py's; this module makes the change and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from webapp import audit, once, policy
from webapp.auth.models import User
from webapp.clock import local_day, local_today
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.plans.records import PlanContent
from webapp.plans.sections import SECTIONS
from webapp.reviews.models import SHARE_FIELDS, SHARE_VERSIONS, MeetingMessage, Review, ReviewComment, ReviewShare
from webapp.workdays import add_working_days
from webapp.worries import services as worries
from webapp.worries.models import Worry

DUE = "due"
OVERDUE = "overdue"
SHARED = "shared"


def working_days() -> int:
    value = current_app.config.get("REVIEW_SHARE_WORKING_DAYS", 10)
    return value if isinstance(value, int) and value > 0 else 10


def due_day(review: Review) -> date | None:
    """The last day the family should have the review in plain language (None before it is final)."""
    if review.finalised_at is None:
        return None
    return add_working_days(local_day(review.finalised_at), working_days())


@dataclass(frozen=True)
class ShareState:
    state: str  # DUE, OVERDUE or SHARED
    due: date
    shared_at: datetime | None = None


def state_of(review: Review, share: ReviewShare | None, today: date | None = None) -> ShareState | None:
    """Shared, due (on or before the due day) or overdue (after it); None for a review that is not final."""
    due = due_day(review)
    if due is None:
        return None
    if share is not None and share.shared_at is not None:
        return ShareState(SHARED, due, share.shared_at)
    return ShareState(OVERDUE if (today or local_today()) > due else DUE, due)


def share_of(review: Review) -> ReviewShare | None:
    return db_session().scalar(select(ReviewShare).where(ReviewShare.review_id == review.id))


def latest_not_shared(family_ids: list[int]) -> dict[int, tuple[Review, ShareState]]:
    """For the team view: each family whose latest final review is not shared yet, with when it is due, in one query.
    An earlier review left unshared is not listed once a later one is final: the family hears of the latest."""
    if not family_ids:
        return {}
    rows = db_session().execute(
        select(Review, ReviewShare.shared_at)
        .outerjoin(ReviewShare, ReviewShare.review_id == Review.id)
        .where(Review.family_id.in_(family_ids), Review.finalised_at.is_not(None))
        .order_by(Review.finalised_at, Review.id)
    ).all()
    latest = {review.family_id: (review, shared_at) for review, shared_at in rows}
    found = {}
    for family_id, (review, shared_at) in latest.items():
        state = state_of(review, None)
        if shared_at is None and state is not None:
            found[family_id] = (review, state)
    return found


# --- What changed in the plan between the review's start and its sign-off.


def _plan_at(family_id: int, moment: datetime | None) -> PlanContent | None:
    query = select(PlanVersion).where(PlanVersion.family_id == family_id, PlanVersion.status == PUBLISHED)
    if moment is not None:
        query = query.where(PlanVersion.published_at <= moment)
    version = db_session().scalar(query.order_by(PlanVersion.number.desc()).limit(1))
    return PlanContent.from_json(version.content) if version else None


@dataclass
class PlanChanges:
    """The plan published before the review started against the one published by the time it was final."""

    added: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    # Per version ("young_person", "parent"): the headings whose words changed.
    sections: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.done or any(self.sections.values()))


def plan_changes(review: Review) -> PlanChanges:
    before = _plan_at(review.family_id, review.created_at) or PlanContent()
    after = _plan_at(review.family_id, review.finalised_at or utcnow()) or PlanContent()
    before_ids = {action.id for action in before.actions}
    after_ids = {action.id for action in after.actions}
    changes = PlanChanges(
        added=[action.what for action in after.actions if action.id not in before_ids],
        # An action no longer on the plan was done (or is no longer needed).
        done=[action.what for action in before.actions if action.id not in after_ids],
    )
    for version in SHARE_VERSIONS:
        changes.sections[version] = [
            str(section.family_title) for section in SECTIONS
            if getattr(before.sections[section.key], version).strip() != getattr(after.sections[section.key], version).strip()
        ]
    return changes


def draft(review: Review) -> dict[str, str]:
    """A first draft from the review's record for the worker to rewrite in plain words (in English, as they write)."""
    analysis = review.analysis or {}
    next_steps = (analysis.get("actions_next_steps") or "").strip()
    message = db_session().scalar(
        select(MeetingMessage).where(MeetingMessage.review_id == review.id).order_by(MeetingMessage.created_at.desc()).limit(1)
    )
    changes = plan_changes(review)
    lines: list[str] = []
    if changes.added:
        lines.append("New in the plan: " + "; ".join(changes.added) + ".")
    if changes.done:
        lines.append("Done and off the plan: " + "; ".join(changes.done) + ".")
    words: dict[str, str] = {}
    for version in SHARE_VERSIONS:
        changed = changes.sections.get(version) or []
        parts = lines + (["Changed: " + ", ".join(changed) + "."] if changed else [])
        words[f"plan_changes_{version}"] = "\n".join(parts) or "The plan did not change."
    # The young people's "what happened" starts from the meeting message written for this review, if there is one.
    words["happened_young_person"] = message.body if message is not None else next_steps
    words["happened_parent"] = next_steps
    return words


# --- The worker's changes.


def save(review: Review, words: dict[str, str]) -> ReviewShare:
    share = share_of(review)
    if share is None:
        share = ReviewShare(review_id=review.id)
        db_session().add(share)
    for name in (f"{f}_{v}" for f in SHARE_FIELDS for v in SHARE_VERSIONS):
        setattr(share, name, words.get(name, "").strip())
    share.updated_at = utcnow()
    db_session().flush()
    audit.record("review_share_saved", family_id=review.family_id, target=f"review:{review.id}")
    return share


def share(review: Review, family: Family, by: User) -> None:
    """Share it once: each young person and parent who may read the plan is told."""
    row = share_of(review)
    assert row is not None and row.shared_at is None
    row.shared_at = utcnow()
    row.shared_by_id = by.id
    for member in policy.review_share_readers(family):
        if member.user_id is not None:
            notifications.notify(member.user_id, NotificationKind.REVIEW_SHARED, review=review)
    audit.record("review_shared", family_id=review.family_id, target=f"review:{review.id}")


# --- What a member reads, and their comments.


@dataclass(frozen=True)
class ScoreThenAndNow:
    worry: Worry
    about: str
    then: int
    then_day: date
    now: int
    now_day: date


def scores_for(review: Review, member: FamilyMember) -> list[ScoreThenAndNow]:
    """The member's own scores on each worry they may score, about each child: the baseline and the latest by the review."""
    until = review.finalised_at or utcnow()
    found = []
    for worry in db_session().scalars(policy.member_worries(member)):
        for one in worries.worry_series(worry, until=until, member_id=member.id):
            if not policy.member_sees_score(member, one.latest):
                continue
            found.append(ScoreThenAndNow(
                worry, one.about.display_name if one.about else "", one.baseline.score,
                worries.day_of(one.baseline), one.latest.score, worries.day_of(one.latest),
            ))
    return found


def comments(review: Review) -> list[ReviewComment]:
    return list(db_session().scalars(
        select(ReviewComment).where(ReviewComment.review_id == review.id).order_by(ReviewComment.created_at, ReviewComment.id)
    ))


def add_comment(review: Review, member: FamilyMember, body: str, language: str, client_id: str | None) -> ReviewComment:
    def write() -> ReviewComment:
        comment = ReviewComment(review_id=review.id, member_id=member.id, body=body.strip(), language=language, client_id=client_id)
        db_session().add(comment)
        return comment

    # The same form sent twice (a double tap, a retry) keeps one comment.
    comment, _created = once.save(lambda: once.first(ReviewComment, ReviewComment.member_id == member.id, client_id), write)
    return comment
