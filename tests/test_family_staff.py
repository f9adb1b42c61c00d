"""Who works on a family (family_staff) follows every change of lead worker and co-workers, and what a worker
may open follows it: a worker taken off a family gets 404 on its pages and its entries at once."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select

from webapp.dataprotection import services as dataprotection
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families import services as family_services
from webapp.families.models import Family, FamilyStaff
from webapp.oversight import services as oversight

from . import factories
from .helpers import signed_in, text
from .old_rows import OldRows
from .test_cli_commands import fresh_database  # a fixture: SQLite, and PostgreSQL with TEST_DATABASE_URL
from .test_plan_records import migrate, revision_before


def staff_of(family: Family) -> dict[int, str]:
    db_session().expire_all()
    return {row.user_id: row.role for row in db_session().scalars(select(FamilyStaff).where(FamilyStaff.family_id == family.id))}


def entry_of(member: Any) -> Entry:
    entry = Entry(member_id=member.id, family_id=member.family_id, kind="good_news", language="en")
    entry.answers = {"what_happened": "We went to the park"}
    db_session().add(entry)
    db_session().commit()
    return entry


def pages_of(world: dict[str, Any], entry: Entry) -> list[str]:
    family = world["family"]
    return [
        f"/staff/families/{family.id}",
        f"/staff/members/{world['child'].id}/edit",
        f"/staff/entries/{entry.id}",
        f"/staff/families/{family.id}/chronology",
    ]


def opens(app: Flask, worker: Any, world: dict[str, Any], entry: Entry) -> dict[str, int]:
    """The status of each of the family's pages, and whether the entry is in the inbox and the family in the caseload."""
    browser = signed_in(app, worker)
    seen = {path: browser.get(path).status_code for path in pages_of(world, entry)}
    seen["inbox lists the entry"] = int(f"/staff/entries/{entry.id}\"" in browser.get("/staff/inbox").get_data(as_text=True))
    seen["caseload lists the family"] = int(world["family"].name in text(browser.get("/staff/")))
    return seen


ALL_OPEN = {"inbox lists the entry": 1, "caseload lists the family": 1}
ALL_SHUT = {"inbox lists the entry": 0, "caseload lists the family": 0}


def expect(world: dict[str, Any], entry: Entry, status: int) -> dict[str, int]:
    return {path: status for path in pages_of(world, entry)} | (ALL_OPEN if status == 200 else ALL_SHUT)


def test_a_new_family_is_on_its_lead_and_on_the_worker_who_made_it(app, world):
    creator, lead = world["worker_a"], world["other_worker_a"]
    response = signed_in(app, creator).submit("/staff/families/new", {"name": "The Park family", "lead_worker": lead.id})
    assert response.status_code == 302
    family = db_session().scalar(select(Family).where(Family.name == "The Park family"))
    assert family is not None
    assert staff_of(family) == {lead.id: "lead", creator.id: "co"}
    # A manager making a family for a worker does not join it: the team rule already shows it to them.
    signed_in(app, world["manager_a"]).submit("/staff/families/new", {"name": "The Lake family", "lead_worker": lead.id})
    lake = db_session().scalar(select(Family).where(Family.name == "The Lake family"))
    assert lake is not None and staff_of(lake) == {lead.id: "lead"}


def test_a_co_worker_added_on_the_family_page_opens_its_pages_and_entries_from_then_on(app, world):
    newcomer = world["other_worker_a"]
    entry = entry_of(world["child"])
    assert opens(app, newcomer, world, entry) == expect(world, entry, 404)

    family_page = f"/staff/families/{world['family'].id}"
    lead = signed_in(app, world["worker_a"])
    lead.submit(f"/staff/families/{world['family'].id}/co-workers", {"worker": newcomer.id}, page=family_page)
    assert staff_of(world["family"]) == {world["worker_a"].id: "lead", newcomer.id: "co"}
    assert opens(app, newcomer, world, entry) == expect(world, entry, 200)

    # Added again (a second click): still one row.
    lead.submit(f"/staff/families/{world['family'].id}/co-workers", {"worker": newcomer.id}, page=family_page)
    assert staff_of(world["family"]) == {world["worker_a"].id: "lead", newcomer.id: "co"}


def test_a_co_worker_taken_off_the_family_gets_404_on_its_pages_and_entries(app, world):
    co_worker = world["other_worker_a"]
    factories.co_worker(world["family"], co_worker)
    entry = entry_of(world["child"])
    assert opens(app, co_worker, world, entry) == expect(world, entry, 200)

    assert family_services.remove_co_worker(world["family"], co_worker)
    db_session().commit()
    assert staff_of(world["family"]) == {world["worker_a"].id: "lead"}
    assert opens(app, co_worker, world, entry) == expect(world, entry, 404)
    # Nor can they put themselves back: the family's page that adds co-workers is a 404 for them too.
    response = signed_in(app, co_worker).submit(
        f"/staff/families/{world['family'].id}/co-workers", {"worker": co_worker.id}, page="/staff/families/new"
    )
    assert response.status_code == 404
    assert staff_of(world["family"]) == {world["worker_a"].id: "lead"}
    # The lead worker is not taken off as a co-worker: they stay, until another lead is named.
    assert not family_services.remove_co_worker(world["family"], world["worker_a"])
    assert opens(app, world["worker_a"], world, entry) == expect(world, entry, 200)


def test_a_new_lead_worker_gains_the_family_and_the_lead_before_loses_it(app, world):
    before, after = world["worker_a"], world["other_worker_a"]
    entry = entry_of(world["child"])
    family_services.change_lead_worker(world["family"], after)
    db_session().commit()
    assert staff_of(world["family"]) == {after.id: "lead"}
    assert opens(app, after, world, entry) == expect(world, entry, 200)
    assert opens(app, before, world, entry) == expect(world, entry, 404)


def test_a_co_worker_made_lead_is_one_row_and_the_lead_before_can_stay_as_co_worker(app, world):
    before, after = world["worker_a"], world["other_worker_a"]
    factories.co_worker(world["family"], after)
    family_services.change_lead_worker(world["family"], after)
    family_services.add_co_worker(world["family"], before)
    db_session().commit()
    assert staff_of(world["family"]) == {after.id: "lead", before.id: "co"}
    entry = entry_of(world["child"])
    assert opens(app, before, world, entry) == expect(world, entry, 200)


def test_a_closed_family_stays_open_to_its_workers_but_leaves_the_caseload(app, world):
    entry = entry_of(world["child"])
    world["family"].closed_at = utcnow()
    db_session().commit()
    assert staff_of(world["family"]) == {world["worker_a"].id: "lead"}
    seen = opens(app, world["worker_a"], world, entry)
    assert seen == expect(world, entry, 200) | {"caseload lists the family": 0}


def test_a_family_deleted_after_retention_takes_its_staff_rows_with_it(app, world):
    factories.co_worker(world["family"], world["other_worker_a"])
    family_id = world["family"].id
    dataprotection.delete_family(world["family"])
    db_session().commit()
    assert db_session().scalars(select(FamilyStaff).where(FamilyStaff.family_id == family_id)).all() == []


@pytest.mark.parametrize("who", ["worker_b", "manager_b", "other_worker_a"])
def test_staff_not_on_the_family_cannot_add_themselves_as_co_worker(app, world, who):
    response = signed_in(app, world[who]).submit(
        f"/staff/families/{world['family'].id}/co-workers", {"worker": world[who].id}, page="/staff/families/new"
    )
    assert response.status_code == 404
    assert staff_of(world["family"]) == {world["worker_a"].id: "lead"}


def test_the_teams_manager_sees_every_family_of_the_team_without_being_on_it(app, world):
    entry = entry_of(world["child"])
    manager = world["manager_a"]
    assert manager.id not in staff_of(world["family"])
    assert opens(app, manager, world, entry) == expect(world, entry, 200)
    assert opens(app, world["manager_b"], world, entry) == expect(world, entry, 404)


def test_the_team_view_counts_a_workers_families_from_lead_and_co_worker_rows(app, world):
    factories.co_worker(world["other_family"], world["worker_a"])
    rows = oversight.family_rows(world["manager_a"])
    counted = {row.worker.display_name: row.families for row in oversight.worker_rows(world["manager_a"], rows)}
    assert counted["Worker A"] == 2 and counted["Other worker A"] == 1


def test_the_migration_puts_every_familys_lead_and_co_workers_on_its_staff(fresh_database):
    before = revision_before("0025")
    migrate(fresh_database, "upgrade", before)
    rows = OldRows(fresh_database)
    people = rows.family()
    co_worker = rows.add("users", role="worker", display_name="Co worker", email="old-co@example.org", team_id=people["team"])
    second = rows.add("families", name="Old second family", team_id=people["team"], lead_worker_id=co_worker)
    rows.add("family_workers", family_id=people["family"], user_id=co_worker)
    # Listed as co-worker on the family they lead (nothing stopped it): they are on it once, as lead.
    rows.add("family_workers", family_id=second, user_id=co_worker)
    rows.add("family_workers", family_id=second, user_id=people["worker"])
    rows.close()

    migrate(fresh_database, "upgrade", "0025")
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            stored = set(connection.execute(select(FamilyStaff.family_id, FamilyStaff.user_id, FamilyStaff.role)).all())
    finally:
        engine.dispose()
    assert stored == {
        (people["family"], people["worker"], "lead"), (people["family"], co_worker, "co"),
        (second, co_worker, "lead"), (second, people["worker"], "co"),
    }
    migrate(fresh_database, "downgrade", before)
