"""Safeguarding decisions: acknowledging an urgent entry records what was done, by whom and when,
and the team view shows any urgent entry still without a decision 24 hours after it came."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select

from webapp.cli import alembic_config
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.safeguarding.models import SafeguardingDecision

from .helpers import signed_in, text
from .old_rows import OldRows
from .test_cli_commands import fresh_database
from .test_entries import make_entry
from .test_plan_records import migrate

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(app: Any) -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def acknowledge(browser: Any, entry: Entry, data: dict[str, Any]) -> Any:
    return browser.submit(f"/staff/entries/{entry.id}/acknowledge", data, page=f"/staff/entries/{entry.id}")


def decision_of(entry: Entry) -> SafeguardingDecision | None:
    return db_session().scalar(select(SafeguardingDecision).where(SafeguardingDecision.entry_id == entry.id))


def test_a_referral_is_recorded_with_its_reference_who_and_when(app, world):
    entry = make_entry(world["child"], 1, urgent=True)
    worker = signed_in(app, world["worker_a"])
    response = acknowledge(worker, entry, {"actions": ["called", "referred"], "referral_reference": "MASH-2026-0412", "notes": "Sam is at Gran's tonight."})
    assert response.status_code == 302
    page = text(worker.get(f"/staff/entries/{entry.id}"))
    assert "Safeguarding decision" in page
    assert "Recorded by Worker A on 4 Mar 2026" in page
    assert "Called the child or young person" in page and "Referred to the front door / MASH: MASH-2026-0412" in page
    assert "Sam is at Gran's tonight." in page
    db_session().refresh(entry)
    assert entry.acknowledged_by_id == world["worker_a"].id and entry.acknowledged_at is not None
    decision = decision_of(entry)
    assert decision is not None and decision.actions == ["called", "referred"] and decision.decided_by_id == world["worker_a"].id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what was done."),
        ({"actions": ["referred"]}, "Write the reference the front door / MASH gave."),
        ({"actions": ["no_further_action"]}, "Say why no further action is needed."),
        ({"actions": ["hid_it"]}, "One of the ticked choices is not on this page any more."),
        ({"actions": ["called"], "referral_reference": "x" * 61}, "Field cannot be longer than 60 characters."),
    ],
    ids=["nothing ticked", "referral without reference", "no further action without why", "a choice not offered", "reference too long"],
)
def test_an_incomplete_decision_gets_a_plain_message_and_changes_nothing(app, world, data, message):
    entry = make_entry(world["child"], 1, urgent=True)
    response = acknowledge(signed_in(app, world["worker_a"]), entry, data)
    assert response.status_code == 400
    assert message in text(response)
    db_session().refresh(entry)
    assert decision_of(entry) is None and entry.acknowledged_at is None


def test_no_further_action_keeps_the_reason_and_a_second_decision_does_not_replace_the_first(app, world):
    entry = make_entry(world["child"], 1, urgent=True)
    worker = signed_in(app, world["worker_a"])
    acknowledge(worker, entry, {"actions": ["discussed_with_manager", "no_further_action"], "no_further_action_reason": "Sam was joking with a friend; Mum confirmed."})
    other = signed_in(app, world["manager_a"])
    response = acknowledge(other, entry, {"actions": ["visited"]})
    assert response.status_code == 302
    assert "A decision is already on record for this entry." in text(other.get(response.headers["Location"]))
    decision = decision_of(entry)
    assert decision is not None and decision.actions == ["discussed_with_manager", "no_further_action"]
    assert decision.no_further_action_reason == "Sam was joking with a friend; Mum confirmed." and decision.decided_by_id == world["worker_a"].id


def test_only_the_familys_staff_record_a_decision_and_only_on_an_urgent_entry(app, world):
    urgent = make_entry(world["child"], 1, urgent=True)
    ordinary = make_entry(world["child"], 1)
    for who in ("other_worker_a", "manager_b", "worker_b"):
        browser = signed_in(app, world[who])
        token = browser.csrf_token("/settings")
        assert browser.post(f"/staff/entries/{urgent.id}/acknowledge", data={"csrf_token": token, "actions": ["called"]}).status_code == 404, who
    parent = signed_in(app, world["parent"].user)
    token = parent.csrf_token("/settings")
    assert parent.post(f"/staff/entries/{urgent.id}/acknowledge", data={"csrf_token": token, "actions": ["called"]}).status_code == 404
    assert acknowledge(signed_in(app, world["worker_a"]), ordinary, {"actions": ["called"]}).status_code == 404
    assert decision_of(urgent) is None and decision_of(ordinary) is None


def test_an_urgent_entry_without_a_decision_after_24_hours_is_a_breach_on_the_team_view(app, world, clock):
    late = make_entry(world["child"], 25, urgent=True)
    recent = make_entry(world["child"], 23, urgent=True)
    manager = signed_in(app, world["manager_a"])
    page = manager.get("/staff/team").get_data(as_text=True)
    assert f'id="breach-{late.id}"' in page and f'id="breach-{recent.id}"' not in page
    assert f'id="breach-{late.id}"' not in signed_in(app, world["manager_b"]).get("/staff/team").get_data(as_text=True)

    # A reply tells the child someone is there, and stops the manager's alert, but is not a decision.
    worker = signed_in(app, world["worker_a"])
    worker.submit(f"/staff/entries/{late.id}/reply", {"body": "I'm calling you now."}, page=f"/staff/entries/{late.id}")
    assert f'id="breach-{late.id}"' in manager.get("/staff/team").get_data(as_text=True)

    # Two hours on (both signed in again): the late one has its decision, the other is now late too.
    clock.move_to(NOW + timedelta(hours=2), tick=False)
    worker, manager = signed_in(app, world["worker_a"]), signed_in(app, world["manager_a"])
    acknowledge(worker, late, {"actions": ["visited"]})
    page = manager.get("/staff/team").get_data(as_text=True)
    assert f'id="breach-{late.id}"' not in page and f'id="breach-{recent.id}"' in page
    # The manager's lists show the decision, with who made it.
    decisions = text(manager.get("/staff/escalations"))
    assert "Recorded by Worker A on" in decisions and "Visited" in decisions


def test_the_migration_keeps_earlier_acknowledgements_without_inventing_a_decision(fresh_database):
    script = ScriptDirectory.from_config(alembic_config(fresh_database))  # type: ignore[arg-type]
    before = script.get_revision("0022").down_revision
    assert isinstance(before, str)
    migrate(fresh_database, "upgrade", before)
    rows = OldRows(fresh_database)
    people = rows.family()
    at = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    common = {"member_id": people["young_person"], "family_id": people["family"], "kind": "talk", "answers": {"about": "x"}, "language": "en"}
    acknowledged = rows.add("entries", **common, urgent=True, created_at=at, acknowledged_at=at + timedelta(minutes=20),
                            acknowledged_by_id=people["worker"])
    waiting = rows.add("entries", **common, urgent=True, created_at=at)
    rows.add("entries", **common, urgent=False, created_at=at)
    rows.close()

    migrate(fresh_database, "upgrade", "0022")
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            stored = connection.execute(select(SafeguardingDecision.entry_id, SafeguardingDecision.actions, SafeguardingDecision.decided_by_id)).all()
    finally:
        engine.dispose()
    assert [(entry_id, actions, by) for entry_id, actions, by in stored] == [(acknowledged, ["acknowledged_before_decisions"], people["worker"])]
    assert waiting not in [row[0] for row in stored]
    migrate(fresh_database, "downgrade", before)
