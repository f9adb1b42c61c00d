"""When each family's next review is due, and whether it is overdue.

The rule (practice standards: a review at least every 6 to 8 weeks): REVIEW_INTERVAL_WEEKS after the
day the last review was made final, or, before any review, after the day the first plan was
published. A next review date the worker set in the latest published plan wins, unless a review
has been made final since that day (the date was for the review that has now happened).
No published plan and no review: no review is planned yet.

The rule is plain functions over days; `for_families` gathers the days for a whole caseload in
three grouped queries, whatever the number of families.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from webapp.clock import local_day, local_today
from webapp.db import db_session
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.reviews.models import FINAL, Review

SHORTEST_WEEKS, LONGEST_WEEKS = 6, 8
DUE_SOON_DAYS = 7

NONE, OVERDUE, THIS_WEEK, LATER = "none", "overdue", "this_week", "later"


@dataclass(frozen=True)
class NextReview:
    due: date | None
    # NONE (no plan, no review), OVERDUE, THIS_WEEK (within DUE_SOON_DAYS) or LATER.
    state: str

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE


def interval_weeks(configured: object) -> int:
    """The configured weeks between reviews, kept within the standards' 6 to 8."""
    try:
        weeks = int(str(configured))
    except ValueError:
        weeks = SHORTEST_WEEKS
    return max(SHORTEST_WEEKS, min(weeks, LONGEST_WEEKS))


def next_review_day(*, last_review: date | None, first_plan: date | None, plan_date: date | None, weeks: int) -> date | None:
    """The day the next review is due, from the days that decide it (see the module's rule)."""
    if plan_date is not None and (last_review is None or plan_date > last_review):
        return plan_date
    start = last_review if last_review is not None else first_plan
    return start + timedelta(weeks=weeks) if start is not None else None


def state_of(due: date | None, today: date) -> NextReview:
    if due is None:
        return NextReview(None, NONE)
    if due < today:
        return NextReview(due, OVERDUE)
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return NextReview(due, THIS_WEEK)
    return NextReview(due, LATER)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def for_families(family_ids: Collection[int]) -> dict[int, NextReview]:
    """Each family's next review, in three grouped queries for the whole list."""
    ids = list(family_ids)
    if not ids:
        return {}
    db = db_session()
    last_reviews: dict[int, datetime | None] = {
        family_id: value
        for family_id, value in db.execute(
            select(Review.family_id, func.max(Review.finalised_at))
            .where(Review.family_id.in_(ids), Review.status == FINAL, Review.finalised_at.is_not(None))
            .group_by(Review.family_id)
        )
    }
    published = PlanVersion.status == PUBLISHED
    first_plans: dict[int, datetime | None] = {
        family_id: value
        for family_id, value in db.execute(
            select(PlanVersion.family_id, func.min(PlanVersion.published_at))
            .where(PlanVersion.family_id.in_(ids), published, PlanVersion.published_at.is_not(None))
            .group_by(PlanVersion.family_id)
        )
    }
    latest = (
        select(PlanVersion.family_id, func.max(PlanVersion.number).label("number"))
        .where(PlanVersion.family_id.in_(ids), published)
        .group_by(PlanVersion.family_id)
        .subquery()
    )
    plan_dates: dict[int, str | None] = {
        family_id: value
        for family_id, value in db.execute(
            select(PlanVersion.family_id, PlanVersion.content["next_review"].as_string()).join(
                latest, (latest.c.family_id == PlanVersion.family_id) & (latest.c.number == PlanVersion.number)
            )
        )
    }
    weeks = interval_weeks(current_app.config.get("REVIEW_INTERVAL_WEEKS", SHORTEST_WEEKS))
    today = local_today()
    result = {}
    for family_id in ids:
        last, first = last_reviews.get(family_id), first_plans.get(family_id)
        due = next_review_day(
            last_review=local_day(last) if last else None,
            first_plan=local_day(first) if first else None,
            plan_date=_day(plan_dates.get(family_id)),
            weeks=weeks,
        )
        result[family_id] = state_of(due, today)
    return result


def overdue_first(next_reviews: dict[int, NextReview]) -> Callable[[int], tuple[int, int]]:
    """A sort key for a list of family ids (or rows keyed by family id): overdue reviews first, most overdue first;
    the rest keep their order."""

    def key(family_id: int) -> tuple[int, int]:
        review = next_reviews.get(family_id)
        if review is not None and review.is_overdue and review.due is not None:
            return (0, review.due.toordinal())
        return (1, 0)

    return key
