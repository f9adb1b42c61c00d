"""One unit of work per request: everything a request changes is kept together, or nothing is."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, abort
from sqlalchemy import event, func, select

from webapp.db import after_commit, db_session
from webapp.entries.models import Entry
from webapp.notifications.models import Notification
from webapp.staff.models import Team
from webapp.worries.models import Worry, WorryMember, WorryScore

from .helpers import signed_in

# The tests add routes of their own, so each gets an app of its own.
pytestmark = pytest.mark.own_app


@pytest.fixture
def told(app: Flask) -> list[str]:
    """Routes that add a team and then answer in different ways; `told` lists the side effects that ran."""
    effects: list[str] = []

    def change(name: str) -> None:
        db_session().add(Team(name=name))
        after_commit(lambda: effects.append(name))

    def ok() -> str:
        change("Kept team")
        return "ok"

    def sent_back() -> tuple[str, int]:
        change("Form with mistakes team")
        return "fix the form", 400

    def not_found() -> str:
        change("Not found team")
        abort(404)

    def broken() -> str:
        change("Broken team")
        raise RuntimeError("something broke")

    for view in (ok, sent_back, not_found, broken):
        app.add_url_rule(f"/test-unit-of-work/{view.__name__}", view.__name__, view, methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return effects


def teams() -> list[str]:
    return list(db_session().scalars(select(Team.name).order_by(Team.name)))


def test_a_successful_request_keeps_its_changes_and_then_runs_its_side_effects(app, told):
    assert app.test_client().post("/test-unit-of-work/ok").status_code == 200
    assert teams() == ["Kept team"]
    assert told == ["Kept team"]


@pytest.mark.parametrize("route,status", [("sent_back", 400), ("not_found", 404), ("broken", 500)])
def test_a_request_that_ends_in_an_error_page_keeps_nothing_and_tells_nobody(app, told, route, status):
    assert app.test_client().post(f"/test-unit-of-work/{route}").status_code == status
    assert teams() == []
    assert told == []


def test_a_zero_on_a_safety_worry_is_stored_with_its_urgent_entry_and_alert_in_one_commit(app, world):
    child = world["child"]
    worry = Worry(family_id=child.family_id, wording="Being safe", meaning_0="Bad", meaning_10="Good", is_safety=True)
    worry.applies_to = [WorryMember(member_id=child.id)]
    db_session().add(worry)
    db_session().commit()
    browser = signed_in(app, child.user)
    token = browser.csrf_token(f"/my/worries/{worry.id}")
    commits: list[Any] = []
    engine = app.extensions["db_engine"]
    listener = lambda connection: commits.append(connection)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        response = browser.post(f"/my/worries/{worry.id}", data={"score": "0", "csrf_token": token})
    finally:
        event.remove(engine, "commit", listener)
    assert response.status_code == 302
    assert len(commits) == 1
    for model in (WorryScore, Entry, Notification):
        assert db_session().scalar(select(func.count()).select_from(model)) == 1
