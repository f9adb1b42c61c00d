"""Plans and safety plans as typed records: ids that last, content written before them still read, and the migration."""

from __future__ import annotations

import copy
import re
from typing import Any

from alembic import command
from sqlalchemy import create_engine, select

from webapp import create_app
from webapp.cli import alembic_config
from webapp.db import db_session
from webapp.plans.models import DRAFT, PUBLISHED, PlanVersion, SafetyPlanVersion
from webapp.plans.records import SCHEMA_VERSION, PlanContent, SafetyPlanContent

from . import factories
from .helpers import signed_in
from .old_rows import OldRows
from .test_cli_commands import fresh_database  # a fixture: a new SQLite and PostgreSQL database each

OLD_PLAN: dict[str, Any] = {
    "sections": {
        "worried_about": {"young_person": "Sometimes there is shouting.", "parent": "Arguments get loud.", "hidden_from": []},
        "working_well": {"young_person": "You go to football.", "parent": "Gran helps.", "hidden_from": [7]},
    },
    "actions": [
        {"what": "Parenting group on Tuesdays", "what_young_person": "Mum goes to a group", "who": "Pat", "by_when": "2026-03-20",
         "progress": [{"date": "2026-02-01", "text": "Pat went twice."}, {"date": "2026-02-08", "text": "And again."}]},
        {"what": "Homework club", "who": "School", "by_when": "2026-04-30", "progress": []},
    ],
    "actions_hidden_from": [7],
    "next_review": "2026-12-14",
    "next_taf": None,
    "worries": [{"id": 3, "wording": "Shouting at night", "danger_statement": None, "meaning_0": "Every night",
                 "meaning_10": "Calm evenings", "is_safety": False, "members": [7]}],
}
OLD_SAFETY_PLAN = {
    "safe_people": [{"name": "Auntie Jo", "how_to_reach": "07700 900123"}, {"name": "Mr Patel", "how_to_reach": "At school"}],
    "rules": [{"when": "Shouting starts", "what": "I go to my room"}],
    "safe_places": ["Gran's house", "The library"],
}


def migrate(database_url: str, direction: str, revision: str) -> None:
    """Run the migrations in this process, as `flask db upgrade` does, without Alembic's own logging set-up."""
    config: Any = alembic_config(database_url)
    config.attributes["skip_logging"] = True
    getattr(command, direction)(config, revision)


def revision_before(revision: str) -> str:
    """The revision a migration follows, read from the migrations themselves (they are chained as they land)."""
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision).down_revision  # type: ignore[arg-type]
    assert isinstance(before, str)
    return before


def stored(database_url: str) -> dict[tuple[str, int], Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            plans = connection.execute(select(PlanVersion.number, PlanVersion.content).order_by(PlanVersion.number)).all()
            safety = connection.execute(select(SafetyPlanVersion.number, SafetyPlanVersion.content)).all()
    finally:
        engine.dispose()
    return {("plan", n): c for n, c in plans} | {("safety", n): c for n, c in safety}


def ids_of(content: dict[str, Any]) -> list[str]:
    rows = [*content.get("actions", []), *(p for a in content.get("actions", []) for p in a["progress"])]
    rows += [*content.get("safe_people", []), *content.get("rules", []), *content.get("safe_places", [])]
    return [row["id"] for row in rows]


def test_the_migration_gives_ids_to_plans_written_before_them_and_keeps_every_word(fresh_database):
    migrate(fresh_database, "upgrade", "0008")
    rows = OldRows(fresh_database)
    people = rows.family()
    rows.add_many("plan_versions", [
        {"family_id": people["family"], "number": 1, "status": PUBLISHED, "content": copy.deepcopy(OLD_PLAN)},
        {"family_id": people["family"], "number": 2, "status": DRAFT, "content": {}},
    ])
    rows.add("safety_plan_versions", member_id=people["young_person"], family_id=people["family"], number=1, status=PUBLISHED,
             content=copy.deepcopy(OLD_SAFETY_PLAN))
    rows.close()

    migrate(fresh_database, "upgrade", "0009")
    after = stored(fresh_database)
    plan, empty, safety = after["plan", 1], after["plan", 2], after["safety", 1]
    assert plan["schema_version"] == safety["schema_version"] == empty["schema_version"] == 2
    for content in (plan, safety):
        ids = ids_of(content)
        assert all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids) and len(set(ids)) == len(ids)
    without_ids = copy.deepcopy(plan)
    del without_ids["schema_version"]
    for action in without_ids["actions"]:
        del action["id"]
        for update in action["progress"]:
            del update["id"]
    assert without_ids == OLD_PLAN, "every word, date and choice kept"
    assert [(p["name"], p["how_to_reach"]) for p in safety["safe_people"]] == [("Auntie Jo", "07700 900123"), ("Mr Patel", "At school")]
    assert [(r["when"], r["what"]) for r in safety["rules"]] == [("Shouting starts", "I go to my room")]
    assert [p["place"] for p in safety["safe_places"]] == ["Gran's house", "The library"]

    # The app reads the migrated rows with the ids they were given, and what it writes reads back the same.
    typed = PlanContent.from_json(plan)
    assert typed.ids() == set(ids_of(plan))
    assert PlanContent.from_json(typed.to_json()) == typed
    assert SafetyPlanContent.from_json(safety).to_json() == safety
    assert typed.mapping.is_empty() and typed.pairs == [] and typed.voice == [], "version 2 reads with an empty mapping"

    migrate(fresh_database, "downgrade", "0008")
    back = stored(fresh_database)
    assert back["plan", 1] == OLD_PLAN and back["safety", 1] == OLD_SAFETY_PLAN


def test_content_written_before_ids_is_still_read():
    plan = PlanContent.from_json(copy.deepcopy(OLD_PLAN))
    assert [(a.what, a.what_young_person, a.who, str(a.by_when)) for a in plan.actions] == [
        ("Parenting group on Tuesdays", "Mum goes to a group", "Pat", "2026-03-20"),
        ("Homework club", "", "School", "2026-04-30"),
    ]
    assert [p.text for p in plan.actions[0].progress] == ["Pat went twice.", "And again."]
    assert len(plan.ids()) == 4, "each action and update has an id of its own"
    assert PlanContent.from_json(copy.deepcopy(OLD_PLAN)).ids() == plan.ids(), "the same ids at every reading"
    later = copy.deepcopy(OLD_PLAN)
    del later["actions"][0]
    assert PlanContent.from_json(later).actions[0].id == plan.actions[1].id, "and the same when another action has gone"
    assert plan.sections["working_well"].hidden_from == [7] and plan.sections["bottom_lines"].young_person == ""
    assert plan.worries[0].wording == "Shouting at night" and plan.next_taf is None

    safety = SafetyPlanContent.from_json(copy.deepcopy(OLD_SAFETY_PLAN))
    assert [p.place for p in safety.safe_places] == ["Gran's house", "The library"]
    assert len(safety.ids()) == 5 and SafetyPlanContent.from_json(copy.deepcopy(OLD_SAFETY_PLAN)).ids() == safety.ids()
    for nothing in ({}, None, {"worried": "Words from an older shape"}):
        assert PlanContent.from_json(nothing).actions == [] and SafetyPlanContent.from_json(nothing).safe_people == []


SAFETY_PLAN = {
    "safe_people-0-name": "Auntie Jo", "safe_people-0-how_to_reach": "07700 900123",
    "safe_people-1-name": "Mr Patel", "safe_people-1-how_to_reach": "At school",
    "rules-0-when": "Shouting starts", "rules-0-what": "I go to my room",
    "safe_places-0-place": "Gran's house",
}


def safety_draft_ids(member: Any) -> list[str]:
    db_session().rollback()
    version = db_session().scalar(select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == member.id, SafetyPlanVersion.status == DRAFT))
    assert version is not None
    return ids_of(version.content)


def test_a_safety_plan_row_keeps_its_id_when_the_plan_is_saved_again(app, world):
    child = world["child"]
    worker = signed_in(app, world["worker_a"])
    url = f"/staff/members/{child.id}/safety-plan"
    assert worker.submit(url, SAFETY_PLAN).status_code == 302
    first = safety_draft_ids(child)
    assert len(set(first)) == 4

    page = worker.get(url).get_data(as_text=True)
    drawn = dict(re.findall(r'name="([a-z_]+-\d+-row_id)" type="hidden" value="([0-9a-f]*)"', page))
    assert sorted(v for v in drawn.values() if v) == sorted(first)
    changed = {**SAFETY_PLAN, **drawn, "safe_people-0-name": "Auntie Jo (next door)", "safe_places-1-place": "The library"}
    assert worker.submit(url, changed).status_code == 302
    second = safety_draft_ids(child)
    assert second[:4] == first, "the rows kept their ids, the words changed"
    assert second[4] not in first, "a new row gets a new id"

    # An id the page did not draw (from another plan, or made up) is not taken: the row gets a new one.
    forged = {**SAFETY_PLAN, "safe_people-0-row_id": "deadbeef", "safe_people-1-row_id": first[0]}
    assert worker.submit(url, forged).status_code == 302
    third = safety_draft_ids(child)
    assert third[0] != "deadbeef" and third[1] == first[0] and len(set(third)) == len(third)


def test_upgrading_to_the_latest_keeps_every_row_that_points_at_a_table_a_migration_rebuilds(fresh_database):
    """On SQLite a migration may rebuild a table (copy, drop, rename): the rows pointing at it must all stay."""
    migrate(fresh_database, "upgrade", "0008")
    rows = OldRows(fresh_database)
    people = rows.family()
    rows.add("plan_versions", family_id=people["family"], number=1, status=PUBLISHED, content=copy.deepcopy(OLD_PLAN))
    rows.add("safety_plan_versions", member_id=people["young_person"], family_id=people["family"], number=1, status=PUBLISHED,
             content=copy.deepcopy(OLD_SAFETY_PLAN))
    rows.add("entries", member_id=people["young_person"], family_id=people["family"], kind="good_news", language="en",
             answers={"what_happened": "We won"}, urgent=False, shared_with_family=False)
    rows.close()
    tables = ("family_members", "plan_versions", "safety_plan_versions", "entries", "users")

    def counts() -> dict[str, int]:
        engine = create_engine(fresh_database)
        try:
            with engine.connect() as connection:
                return {name: connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one() for name in tables}
        finally:
            engine.dispose()

    before = counts()
    assert before == {"family_members": 2, "plan_versions": 1, "safety_plan_versions": 1, "entries": 1, "users": 3}
    migrate(fresh_database, "upgrade", "head")
    assert counts() == before
