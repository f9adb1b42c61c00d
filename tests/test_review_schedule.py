"""Each family's next review: 6 weeks (REVIEW_INTERVAL_WEEKS, 6 to 8) after the day the last review was
made final, or after the first published plan before any review; the plan's own next review date wins
while it is still ahead of the last review. Shown as overdue, due this week or due on a date on the
caseload, the family page and the team view (overdue first)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from sqlalchemy import event

from webapp.db import db_session
from webapp.families.models import Family
from webapp.plans.models import DRAFT, PUBLISHED, PlanVersion
from webapp.plans.records import PlanContent
from webapp.reviews import schedule
from webapp.reviews.models import FINAL, SUBMITTED, Review

from . import factories
from .helpers import signed_in, text

# A summer day in the UK, when a UK day and a UTC day differ by an hour.
TODAY = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


# --- The rule, as plain functions.


def test_six_weeks_after_the_last_review_or_else_after_the_first_plan():
    day = schedule.next_review_day
    assert day(last_review=None, first_plan=None, plan_date=None, weeks=6) is None
    assert day(last_review=None, first_plan=date(2026, 5, 1), plan_date=None, weeks=6) == date(2026, 6, 12)
    assert day(last_review=date(2026, 6, 1), first_plan=date(2026, 5, 1), plan_date=None, weeks=6) == date(2026, 7, 13)
    assert day(last_review=date(2026, 6, 1), first_plan=date(2026, 5, 1), plan_date=None, weeks=8) == date(2026, 7, 27)


def test_the_plans_next_review_date_wins_until_a_review_is_made_final_on_or_after_it():
    day = schedule.next_review_day
    assert day(last_review=None, first_plan=date(2026, 5, 1), plan_date=date(2026, 8, 30), weeks=6) == date(2026, 8, 30)
    assert day(last_review=date(2026, 6, 1), first_plan=date(2026, 5, 1), plan_date=date(2026, 6, 20), weeks=6) == date(2026, 6, 20)
    # The review the plan named has happened: the next is counted from it.
    assert day(last_review=date(2026, 6, 20), first_plan=date(2026, 5, 1), plan_date=date(2026, 6, 20), weeks=6) == date(2026, 8, 1)


def test_overdue_due_this_week_or_later():
    today = date(2026, 7, 10)
    assert schedule.state_of(None, today).state == schedule.NONE
    assert schedule.state_of(date(2026, 7, 9), today).state == schedule.OVERDUE
    assert schedule.state_of(date(2026, 7, 10), today).state == schedule.THIS_WEEK
    assert schedule.state_of(date(2026, 7, 17), today).state == schedule.THIS_WEEK
    assert schedule.state_of(date(2026, 7, 18), today).state == schedule.LATER


@pytest.mark.parametrize("configured,weeks", [(6, 6), (7, 7), (8, 8), (4, 6), (12, 8), ("", 6), ("seven", 6)])
def test_the_interval_is_kept_between_six_and_eight_weeks(configured, weeks):
    assert schedule.interval_weeks(configured) == weeks


# --- On the real database, for a whole caseload.


def published_plan(family: Family, number: int, when: datetime, next_review: date | None = None, status: str = PUBLISHED) -> None:
    content = PlanContent(next_review=next_review).to_json()
    db_session().add(PlanVersion(family_id=family.id, number=number, status=status, content=content,
                                 published_at=when if status == PUBLISHED else None))
    db_session().commit()


def final_review(family: Family, finalised: datetime, status: str = FINAL) -> None:
    db_session().add(Review(family_id=family.id, period_start=date(2026, 4, 1), period_end=date(2026, 5, 1), status=status,
                            analysis={}, finalised_at=finalised if status == FINAL else None))
    db_session().commit()


def test_a_review_made_final_late_in_the_evening_counts_from_its_uk_day(app, world):
    family = world["family"]
    published_plan(family, 1, datetime(2026, 4, 1, 12, tzinfo=UTC))
    # 23:30 UTC on 31 May is 00:30 on 1 June in the UK: the next review is due 6 weeks after 1 June.
    final_review(family, datetime(2026, 5, 31, 23, 30, tzinfo=UTC))
    # A review waiting for sign-off is not final: it changes nothing.
    final_review(family, datetime(2026, 7, 1, tzinfo=UTC), status=SUBMITTED)
    assert schedule.for_families([family.id])[family.id] == schedule.NextReview(date(2026, 7, 13), schedule.THIS_WEEK)


def test_drafts_do_not_count_and_the_latest_published_plans_date_wins(app, world):
    family = world["family"]
    assert schedule.for_families([family.id])[family.id] == schedule.NextReview(None, schedule.NONE)
    published_plan(family, 1, datetime(2026, 5, 20, 12, tzinfo=UTC), next_review=date(2026, 9, 1))
    published_plan(family, 2, datetime(2026, 5, 25, 12, tzinfo=UTC), next_review=date(2026, 7, 15))
    published_plan(family, 3, datetime(2026, 7, 1, 12, tzinfo=UTC), next_review=date(2026, 12, 1), status=DRAFT)
    assert schedule.for_families([family.id])[family.id] == schedule.NextReview(date(2026, 7, 15), schedule.THIS_WEEK)


def test_the_interval_is_read_from_the_configuration(app, world):
    family = world["family"]
    published_plan(family, 1, datetime(2026, 5, 1, 12, tzinfo=UTC))
    app.config["REVIEW_INTERVAL_WEEKS"] = 8
    assert schedule.for_families([family.id])[family.id].due == date(2026, 6, 26)
    app.config["REVIEW_INTERVAL_WEEKS"] = 20
    assert schedule.for_families([family.id])[family.id].due == date(2026, 6, 26), "never more than 8 weeks"


def count_queries(app: Any, work: Any) -> int:
    engine = db_session().get_bind()
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return len(statements)


def test_a_whole_caseload_takes_the_same_few_queries_as_one_family(app, world):
    team, worker = world["team_a"], world["worker_a"]
    families = [factories.family(team, worker, name=f"Family {n}") for n in range(12)]
    for n, family in enumerate(families):
        published_plan(family, 1, datetime(2026, 4, 1 + n, 12, tzinfo=UTC), next_review=date(2026, 8, 1) if n % 3 == 0 else None)
        if n % 2:
            final_review(family, datetime(2026, 6, 1 + n, 12, tzinfo=UTC))
    db_session().commit()
    one = count_queries(app, lambda: schedule.for_families([families[0].id]))
    many = count_queries(app, lambda: schedule.for_families([f.id for f in families]))
    assert one == many == 3


# --- What staff see.


def test_the_caseload_family_page_and_team_view_show_the_state_with_overdue_first(app, world):
    team, worker = world["team_a"], world["worker_a"]
    family = world["family"]  # no plan, no review
    overdue = factories.family(team, worker, name="Overdue family")
    published_plan(overdue, 1, datetime(2026, 5, 1, 12, tzinfo=UTC))  # due 12 June
    soon = factories.family(team, worker, name="Soon family")
    published_plan(soon, 1, datetime(2026, 6, 1, 12, tzinfo=UTC))  # due 13 July
    later = factories.family(team, worker, name="Later family")
    published_plan(later, 1, datetime(2026, 6, 1, 12, tzinfo=UTC), next_review=date(2026, 9, 3))
    db_session().commit()

    caseload = signed_in(app, worker).get("/staff/")
    page = caseload.get_data(as_text=True)
    for row, words in (
        (family, "No review planned yet"),
        (overdue, "Review overdue: due 12 Jun 2026"),
        (soon, "Review due this week: 13 Jul 2026"),
        (later, "Next review due on 3 Sept 2026"),
    ):
        shown = text_of(page, f'id="next-review-{row.id}"')
        assert words in shown, (row.name, shown)
    assert "Review overdue: due 12 Jun 2026" in text(signed_in(app, worker).get(f"/staff/families/{overdue.id}"))
    assert "No review planned yet" in text(signed_in(app, worker).get(f"/staff/families/{family.id}"))

    team_page = signed_in(app, world["manager_a"]).get("/staff/team").get_data(as_text=True)
    rows = ["Overdue family", "Soon family", "Later family", "The Test family", "The Other family"]
    table = team_page.split('id="families-heading"')[1]
    order = sorted(rows, key=table.index)
    assert order[0] == "Overdue family"
    assert "Review overdue: due 12 Jun 2026" in text_of(team_page, f'id="family-{overdue.id}"')


def text_of(page: str, marker: str) -> str:
    """The words of the element (up to its row's or card's end) that carries marker."""
    start = page.index(marker)
    end = min(i for i in (page.find("</tr>", start), page.find("</li>", start), page.find("</span>\n", start)) if i != -1)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end]).split())
