"""A staff page's SQL statements do not grow with the caseload: 20 families cost what 2 cost.

Each page is loaded for a worker (or manager, or API token) with 2 families and again with 20, every family
alike (members, entries unread, urgent and done together, alerts), and the statements the request sends to the
database are counted by a listener on the app's engine. The same count for both, under a small fixed number,
means the members, families and workers are loaded with the list rather than one by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from webapp.api import tokens
from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.notifications.models import Notification, NotificationKind
from webapp.reviews.models import DRAFT, Review

from . import factories
from .helpers import signed_in

ENTRIES_PER_FAMILY = 4
PAGE_SIZE = 5


def caseload(families: int) -> dict[str, Any]:
    """A team whose worker leads `families` families (and is co-worker on one more), each with two members and
    entries: unread, urgent with an alert, done together with another worker, made with pictures."""
    team = factories.team()
    worker = factories.staff(team, "worker")
    other = factories.staff(team, "worker")
    manager = factories.staff(team, "manager")
    now = utcnow()
    rows = [factories.family(team, worker) for _ in range(families - 1)]
    rows.append(factories.family(team, other, co_workers=(worker,)))
    for n, family in enumerate(rows):
        child = factories.member(family, "young_person")
        parent = factories.member(family, "parent")
        for i in range(ENTRIES_PER_FAMILY):
            sender = child if i % 2 else parent
            entry = Entry(member_id=sender.id, family_id=family.id, kind="talk" if i == 0 else "good_news", language="en",
                          urgent=i == 0, created_at=now - timedelta(minutes=n * 10 + i), way="picture" if i == 2 else None,
                          done_together_with_id=other.id if i == 3 else None, read_at=None if i < 2 else now)
            entry.answers = {"what_happened": f"News {n}-{i}"}
            db_session().add(entry)
            db_session().flush()
            if entry.urgent:
                db_session().add(Notification(user_id=worker.id, kind=NotificationKind.URGENT, entry_id=entry.id))
    db_session().commit()
    _token, secret = tokens.create(team.id, "Case system", manager.id)
    db_session().commit()
    return {"worker": worker, "manager": manager, "secret": secret}


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent while the test listens."""
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", count)
    yield sent
    event.remove(engine, "before_cursor_execute", count)


# Who opens each page, and the most statements it may send whatever the caseload (the session and user are some
# of them; the team view has one grouped query per part: families, workers, reviews, closures, escalations...).
PAGES = {
    "inbox, page 1": ("worker", "/staff/inbox", 6),
    "inbox, page 2": ("worker", "/staff/inbox?page=2", 6),
    "caseload": ("worker", "/staff/", 8),
    "team view": ("manager", "/staff/team", 21),
    "API family list": ("token", "/api/v1/families", 4),
}


def sent_for(app: Flask, world: dict[str, Any], who: str, path: str, statements: list[str]) -> int:
    headers = {}
    if who == "token":
        browser = app.test_client()
        headers = {"Authorization": f"Bearer {world['secret']}"}
    else:
        user: User = world[who]
        browser = signed_in(app, user)
    assert browser.get(path, headers=headers).status_code == 200  # the first request may set things up once
    statements.clear()
    response = browser.get(path, headers=headers)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("page", PAGES)
def test_a_staff_page_sends_as_many_statements_for_20_families_as_for_2(app, statements, page):
    app.config["INBOX_PAGE_SIZE"] = PAGE_SIZE
    who, path, most = PAGES[page]
    small, large = caseload(2), caseload(20)
    counts = [sent_for(app, world, who, path, statements) for world in (small, large)]
    assert counts[0] == counts[1], f"{page}: {counts[0]} statements with 2 families, {counts[1]} with 20"
    assert counts[1] <= most, f"{page}: {counts[1]} statements"



# The review page: the session and user, the review and its family (asked for once, and who works on it), the
# worker's notices marked read, the audit row, the ticked boxes, members, entries, their counts (one), scores, comments,
# photos, translations, sign-off steps and sharing: one statement each, whatever the period holds.
REVIEW_PAGE_MOST = 15


def a_review_of(entries: int) -> tuple[User, int]:
    """A draft review of a family with two members who sent `entries` entries between them in its period."""
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    child = factories.member(family, "young_person")
    parent = factories.member(family, "parent")
    now = utcnow()
    for i in range(entries):
        entry = Entry(member_id=(child if i % 2 else parent).id, family_id=family.id, kind="good_news", language="en",
                      created_at=now - timedelta(hours=i + 1))
        entry.answers = {"what_happened": f"News {i}"}
        db_session().add(entry)
    review = Review(family_id=family.id, period_start=(now - timedelta(days=30)).date(), period_end=now.date(), status=DRAFT,
                    analysis={}, created_by_id=worker.id)
    db_session().add(review)
    db_session().commit()
    return worker, review.id


def test_the_review_page_sends_as_many_statements_for_60_entries_as_for_2_and_reads_the_family_with_the_review(app, statements):
    sent = []
    for entries in (2, 60):
        worker, review_id = a_review_of(entries)
        browser = signed_in(app, worker)
        assert browser.get(f"/staff/reviews/{review_id}").status_code == 200
        statements.clear()
        assert browser.get(f"/staff/reviews/{review_id}").status_code == 200
        sent.append(list(statements))
    assert len(sent[0]) == len(sent[1]), f"{len(sent[0])} statements for 2 entries, {len(sent[1])} for 60"
    assert len(sent[1]) <= REVIEW_PAGE_MOST, "\n".join(statement[:100] for statement in sent[1])
    # The review, its family and who works on it are read together, once. (The session's own statement joins the
    # family of a signed-in family member, which a worker is not.)
    families = [statement for statement in sent[1]
                if re.search(r"(FROM|JOIN) families\b", statement) and not statement.startswith("SELECT user_sessions.")]
    assert len(families) == 1 and families[0].startswith("SELECT reviews."), families
