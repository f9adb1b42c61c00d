"""A manager's oversight: the team at a glance, and the audit log of who did what."""

from __future__ import annotations

import ast
import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from webapp import audit
from webapp.audit.models import AuditEvent
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text


def entry(member: FamilyMember, *, read: bool = False, urgent: bool = False, acknowledged: bool = False, escalated: bool = False, age: timedelta = timedelta(hours=1)) -> Entry:
    now = utcnow()
    row = Entry(
        member_id=member.id,
        family_id=member.family_id,
        kind="talk" if urgent else "good_news",
        answers={"what_happened": "Something"},
        language="en",
        urgent=urgent,
        created_at=now - age,
        read_at=now if read else None,
        acknowledged_at=now if acknowledged else None,
        escalated_at=now if escalated else None,
    )
    db_session().add(row)
    db_session().commit()
    return row


def cells(page: str, row_id: str) -> list[str]:
    """The text of each cell of the table row with this id."""
    match = re.search(rf'<tr id="{row_id}">(.*?)</tr>', page, re.S)
    assert match, f"no row {row_id}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)]


# --- The team view.


def test_the_team_view_counts_each_family_and_each_worker(app, world):
    family, other_family = world["family"], world["other_family"]
    factories.co_worker(family, world["other_worker_a"])
    entry(world["child"])
    entry(world["child"], urgent=True)
    entry(world["child"], read=True)
    entry(world["parent"], urgent=True, read=True)  # read but nobody acknowledged it
    entry(world["parent"], urgent=True, read=True, acknowledged=True)
    entry(world["other_child"])
    entry(factories.member(world["family_b"], name="Team B child"))

    page = text(signed_in(app, world["manager_a"]).get("/staff/team"))
    assert cells(page, f"family-{family.id}") == ["The Test family", "Worker A", "2", "2", "No review planned yet"]
    assert cells(page, f"family-{other_family.id}") == ["The Other family", "Other worker A", "1", "0", "No review planned yet"]
    assert cells(page, f"worker-{world['worker_a'].id}") == ["Worker A", "1", "2"]
    assert cells(page, f"worker-{world['other_worker_a'].id}") == ["Other worker A", "2", "3"]
    assert cells(page, f"worker-{world['manager_a'].id}") == ["Manager A", "0", "0"]
    assert "2 urgent" in page and "3 unread" in page
    assert "Team B" not in page


def test_a_manager_sees_nothing_of_another_team(app, world):
    entry(world["child"], urgent=True, escalated=True, age=timedelta(hours=9))
    entry(world["other_child"])
    page = text(signed_in(app, world["manager_b"]).get("/staff/team"))
    for name in ("The Test family", "The Other family", "Child", "Worker A", "Manager A"):
        assert name not in page
    assert "Team B family" in page and "Worker B" in page


def test_the_team_view_shows_the_escalation_list_and_what_waits_longest(app, world):
    escalated = entry(world["child"], urgent=True, escalated=True, age=timedelta(hours=9))
    acknowledged = entry(world["child"], urgent=True, escalated=True, acknowledged=True, read=True, age=timedelta(hours=9))
    waiting = [entry(world["parent"], age=timedelta(days=20 - n)) for n in range(12)]
    read = entry(world["parent"], read=True, age=timedelta(days=30))

    manager = signed_in(app, world["manager_a"])
    page = manager.get("/staff/team").get_data(as_text=True)
    assert f'id="escalated-{escalated.id}"' in page
    assert f'id="escalated-{acknowledged.id}"' not in page
    # The escalations page lists the same entries: one query serves both.
    assert f"/staff/entries/{escalated.id}" in manager.get("/staff/escalations").get_data(as_text=True)

    shown = [int(n) for n in re.findall(r'id="waiting-(\d+)"', page)]
    assert shown == [e.id for e in waiting[:10]]
    assert read.id not in shown
    assert "Unread for 3 weeks" in page or "Unread for 20 days" in page


def test_closed_families_are_listed_apart_with_their_deletion_date(app, world):
    world["other_family"].closed_at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    db_session().commit()
    app.config["RETENTION_DAYS"] = 10
    page = text(signed_in(app, world["manager_a"]).get("/staff/team"))
    closed = page.split("Closed families", 1)[1]
    assert "The Other family" in closed and "The Test family" not in closed
    assert "11 Mar 2026" in closed


def test_workers_cannot_open_manager_pages(app, world):
    worker = signed_in(app, world["worker_a"])
    for url in ("/staff/team", "/staff/audit", "/staff/audit?family=1"):
        assert worker.get(url).status_code == 404
    member = signed_in(app, world["child"].user)
    assert member.get("/staff/team").status_code == 404


# --- The audit log.


def event(action: str, actor: Any, family: Any, at: datetime, **fields: Any) -> AuditEvent:
    row = AuditEvent(action=action, actor_id=actor.id if actor else None, family_id=family.id if family else None, at=at, address="10.0.0.7", **fields)
    db_session().add(row)
    db_session().commit()
    return row


def shown_events(browser: FormClient, query: str = "") -> list[int]:
    response = browser.get(f"/staff/audit{query}")
    assert response.status_code == 200, text(response)[:1000]
    return [int(n) for n in re.findall(r'id="event-(\d+)"', response.get_data(as_text=True))]


def test_the_audit_log_shows_the_teams_events_newest_first(app, world):
    day = datetime(2026, 5, 10, 12, tzinfo=UTC)
    viewed = event("family_viewed", world["worker_a"], world["family"], day)
    replied = event("entry_replied", world["other_worker_a"], world["other_family"], day + timedelta(days=1), target="entry:9")
    deleted = event("family_deleted_retention", None, None, day + timedelta(days=2), target="family:99", team_id=world["team_a"].id)
    other_team = event("family_viewed", world["worker_b"], world["family_b"], day + timedelta(days=3))

    manager = signed_in(app, world["manager_a"])
    assert shown_events(manager) == [deleted.id, replied.id, viewed.id]
    page = text(manager.get("/staff/audit"))
    assert cells(page, f"event-{viewed.id}") == ["10 May 2026, 13:00:00", "Worker A", "Opened the family", "The Test family", "10.0.0.7"]
    assert shown_events(signed_in(app, world["manager_b"])) == [other_team.id]


def test_the_audit_log_records_staff_views_with_their_address(app, world):
    signed_in(app, world["worker_a"]).get(f"/staff/families/{world['family'].id}")
    page = text(signed_in(app, world["manager_a"]).get("/staff/audit"))
    assert "Worker A" in page and "Opened the family" in page and "127.0.0.1" in page


def test_the_audit_log_filters_by_family_staff_member_and_date(app, world):
    day = datetime(2026, 5, 10, 12, tzinfo=UTC)
    first = event("family_viewed", world["worker_a"], world["family"], day)
    second = event("entry_viewed", world["worker_a"], world["other_family"], day + timedelta(days=1))
    third = event("family_viewed", world["other_worker_a"], world["family"], day + timedelta(days=2))
    manager = signed_in(app, world["manager_a"])

    assert shown_events(manager, f"?family={world['family'].id}") == [third.id, first.id]
    assert shown_events(manager, f"?staff={world['worker_a'].id}") == [second.id, first.id]
    assert shown_events(manager, f"?family={world['family'].id}&staff={world['worker_a'].id}") == [first.id]
    assert shown_events(manager, "?start=2026-05-11&end=2026-05-11") == [second.id]
    assert shown_events(manager, "?start=2026-05-11") == [third.id, second.id]
    assert shown_events(manager, "?end=2026-05-10") == [first.id]
    assert shown_events(manager, "?family=&staff=&start=&end=") == [third.id, second.id, first.id]


def test_the_audit_log_pages_keep_the_filters(app, world):
    day = datetime(2026, 5, 10, 12, tzinfo=UTC)
    events = [event("family_viewed", world["worker_a"], world["family"], day + timedelta(minutes=n)) for n in range(55)]
    manager = signed_in(app, world["manager_a"])
    query = f"?family={world['family'].id}"
    assert shown_events(manager, query) == [e.id for e in reversed(events)][:50]
    page = manager.get(f"/staff/audit{query}").get_data(as_text=True)
    assert f"/staff/audit?page=2&amp;family={world['family'].id}" in page
    assert shown_events(manager, f"{query}&page=2") == [e.id for e in reversed(events)][50:]


def test_bad_filters_get_a_clear_message(app, world):
    manager = signed_in(app, world["manager_a"])
    cases = {
        "?start=yesterday": "Please give a date like 2026-11-22.",
        "?end=2026-02-30": "Please give a date like 2026-11-22.",
        "?start=2026-05-11&end=2026-05-01": "The end date is before the start date.",
        "?staff=abc": "Please choose from the list.",
        f"?family={world['family_b'].id}": "Please choose from the list.",
        f"?staff={world['worker_b'].id}": "Please choose from the list.",
        "?page=x": None,
    }
    for query, message in cases.items():
        response = manager.get(f"/staff/audit{query}")
        if message is None:
            assert response.status_code == 200
            continue
        assert response.status_code == 400, query
        page = text(response)
        assert message in page, query
        assert "Some of the filters are not right." in page


def _calls_recorder(node: ast.Call, recorders: set[str]) -> bool:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}" in recorders
    return isinstance(func, ast.Name) and func.id in recorders


def recorded_actions() -> set[str]:
    """Every action the code writes to the audit log, read from the source: the words given to
    audit.record, and to any function that hands its own argument on to it (such as the API's)."""
    trees = [ast.parse(path.read_text()) for path in sorted((Path(audit.__file__).parent.parent).rglob("*.py"))]
    recorders = {"audit.record"}
    while True:
        found = set(recorders)
        for tree in trees:
            for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
                parameters = {a.arg for a in function.args.args}
                for call in (n for n in ast.walk(function) if isinstance(n, ast.Call) and _calls_recorder(n, recorders)):
                    if call.args and isinstance(call.args[0], ast.Name) and call.args[0].id in parameters:
                        found.add(function.name)
        if found == recorders:
            break
        recorders = found
    actions = set()
    for tree in trees:
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _calls_recorder(n, recorders)):
            assert call.args, ast.unparse(call)
            words = [n.value for n in ast.walk(call.args[0]) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            assert words or isinstance(call.args[0], ast.Name), f"cannot tell the action of {ast.unparse(call)}"
            actions.update(words)
    return actions


def test_every_action_the_code_records_has_words_in_the_audit_log(app, world):
    actions = recorded_actions()
    # The search finds actions written in every way: plainly, chosen by a condition, through the API's helper.
    assert {"family_viewed", "assessment_comments_closed", "assessment_comments_reopened", "api_entries_read"} <= actions
    missing = sorted(actions - set(audit.ACTIONS))
    assert missing == [], f"audit actions without words in webapp/audit ACTIONS: {missing}"
    day = datetime(2026, 5, 10, 12, tzinfo=UTC)
    rows = {action: event(action, world["worker_a"], world["family"], day) for action in sorted(actions)}
    manager = signed_in(app, world["manager_a"])
    page, number = "", 1
    while True:
        one_page = manager.get(f"/staff/audit?page={number}").get_data(as_text=True)
        page += one_page
        if 'rel="next"' not in one_page:
            break
        number += 1
    for action, row in rows.items():
        shown = re.search(rf'id="event-{row.id}">(.*?)</tr>', page, re.DOTALL)
        assert shown, action
        with app.test_request_context():
            words = str(audit.ACTIONS[action])
        assert action not in shown.group(1) and words in html.unescape(shown.group(1)), f"{action} is shown as it is stored"
