"""Closing a family: the worker's request with the latest scores and a reason, each young person's and
parent's "Saying goodbye" views, the manager's decision with a comment, the closure record and its
exports, the family's goodbye page, and the migration."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import create_engine, func, select

from webapp.closure.models import ClosureRequest, GoodbyeViews
from webapp.db import db_session
from webapp.families.models import Family
from webapp.worries.models import Worry, WorryChild, WorryScore

from . import closing, factories
from .helpers import signed_in, text
from .old_rows import OldRows
from .test_cli_commands import fresh_database
from .test_plan_records import migrate, revision_before

ASKED = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
DECIDED = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
GOOD_WORDS = "Jo listened to me every time"
HELP_WORDS = "Ringing Nan when Dad shouts"


@pytest.fixture(autouse=True)
def clock(app: Any) -> Any:
    with time_machine.travel(ASKED, tick=False) as traveller:
        yield traveller


def scaled(world: dict[str, Any], *scores: int) -> Worry:
    """A worry about the child, scored by the parent and by the child themselves."""
    worry = Worry(family_id=world["family"].id, wording="Shouting at night", meaning_0="Really worried", meaning_10="Working well",
                  concerns=[WorryChild(member_id=world["child"].id)])
    db_session().add(worry)
    db_session().flush()
    for scorer, score in zip((world["parent"], world["child"]), scores, strict=True):
        db_session().add(WorryScore(worry_id=worry.id, member_id=scorer.id, about_member_id=world["child"].id, score=score))
    db_session().commit()
    return worry


def pending(world: dict[str, Any]) -> ClosureRequest:
    closure = db_session().scalar(select(ClosureRequest).where(ClosureRequest.family_id == world["family"].id))
    assert closure is not None
    return closure


def test_the_request_shows_each_latest_score_and_needs_met_is_only_for_ten_everywhere(app, world):
    scaled(world, 10, 7)
    worker = signed_in(app, world["worker_a"])
    page = text(worker.get(f"/staff/families/{world['family'].id}/closure"))
    assert "Shouting at night" in page and "Parent (Parent or carer)" in page and "Child (Young person)" in page
    assert "Not every latest score is at 10 - Working Well" in page

    response = closing.ask_to_close(worker, world["family"], reason="needs_met")
    assert response.status_code == 400
    assert "please choose another reason for closing. Nothing was sent." in text(response)
    assert db_session().scalar(select(func.count(ClosureRequest.id))) == 0
    # Nothing the worker wrote is lost: the summary is on the page again.
    assert "We worked on mornings." in text(response)

    response = closing.ask_to_close(worker, world["family"], reason="step_across")
    assert response.status_code == 302
    assert pending(world).reason == "step_across"


def test_all_at_ten_may_close_as_needs_met(app, world):
    scaled(world, 10, 10)
    worker = signed_in(app, world["worker_a"])
    assert closing.ask_to_close(worker, world["family"], reason="needs_met").status_code == 302
    assert closing.approve(signed_in(app, world["manager_a"]), pending(world).id, comment="Working well for everyone").status_code == 302
    db_session().refresh(world["family"])
    assert world["family"].closed_at == ASKED


@pytest.mark.parametrize("data, message", [
    ({"summary": "", "reason": "moved_away"}, "Please write a summary of the work. Nothing was sent."),
    ({"summary": "Done", "reason": ""}, "Please choose a reason for closing. Nothing was sent."),
    ({"summary": "Done", "reason": "holiday"}, "Not a valid choice"),
])
def test_an_incomplete_request_gets_a_plain_message_and_changes_nothing(app, world, data, message):
    worker = signed_in(app, world["worker_a"])
    response = worker.submit(f"/staff/families/{world['family'].id}/closure", data)
    assert response.status_code == 400 and message in text(response)
    assert db_session().scalar(select(func.count(ClosureRequest.id))) == 0
    assert db_session().scalar(select(func.count(GoodbyeViews.id))) == 0


def test_goodbye_views_are_asked_of_each_young_person_and_parent_and_kept_in_the_record(app, world, clock):
    app.config["LOCAL_HELP_NUMBER"] = "01234 567890"
    app.config["SERVICE_CONTACT"] = "Early help: 01234 111222"
    network = factories.member(world["family"], "network", name="Grandmother")
    scaled(world, 8, 9)
    worker = signed_in(app, world["worker_a"])
    closing.ask_to_close(worker, world["family"], reason="moved_away", summary="Mornings are calmer.")
    closure = pending(world)
    # Every young person and parent is asked, the restricted parent too; never the network.
    asked = {views.member.display_name for views in closure.views}
    assert asked == {"Parent", "Child", "Young child", "Absent parent"}
    notice = "Your worker's part with your family is coming to an end. Tell us what you think."
    child, parent, restricted = (signed_in(app, world[name].user) for name in ("child", "parent", "restricted_parent"))
    for browser in (child, parent, restricted):
        assert notice in text(browser.get("/home"))
    grandmother = signed_in(app, network.user)
    assert notice not in text(grandmother.get("/home"))
    assert grandmother.get("/my/goodbye").status_code == 404

    # Nothing at all is not an answer.
    response = child.submit("/my/goodbye", {"submit": "y"})
    assert response.status_code == 400 and "choose \"I don't want to answer\"" in text(response)
    child.submit("/my/goodbye", {"what_was_good": GOOD_WORDS, "what_will_help": HELP_WORDS, "submit": "y"})
    parent.submit("/my/goodbye", {"no_answer": "y"})
    restricted.submit("/my/goodbye", {"could_be_better": "More visits", "submit": "y"})
    assert notice not in text(child.get("/home"))

    manager = signed_in(app, world["manager_a"])
    page = text(manager.get(f"/staff/families/{world['family'].id}/closure"))
    assert GOOD_WORDS in page and "Chose not to answer." in page and "Not answered yet." in page
    assert "Restricted: only staff read these views." in page
    # A family member never reads another's views: there is no page of them for the family.
    assert GOOD_WORDS not in text(parent.get("/home"))

    clock.move_to(DECIDED)
    # A week later: everyone signs in again.
    manager, child = signed_in(app, world["manager_a"]), signed_in(app, world["child"].user)
    response = closing.approve(manager, closure.id, comment="Moved to Kent; the school carries on.")
    assert response.status_code == 302
    db_session().refresh(world["family"])
    assert world["family"].closed_at == DECIDED
    db_session().refresh(closure)
    assert (closure.status, closure.decided_by_id, closure.decided_at) == ("approved", world["manager_a"].id, DECIDED)

    record = text(manager.get(f"/staff/closures/{closure.id}/print"))
    for words in ("Mornings are calmer.", "Shouting at night", GOOD_WORDS, HELP_WORDS, "Chose not to answer.",
                  "Had not answered when the manager decided.", "Moved away", "Moved to Kent; the school carries on.",
                  "Approved by Manager A, 11 Mar 2026", "Asked to close by Worker A, 4 Mar 2026"):
        assert words in record, words
    pdf = manager.get(f"/staff/closures/{closure.id}/closure.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    docx = manager.get(f"/staff/closures/{closure.id}/closure.docx")
    with zipfile.ZipFile(io.BytesIO(docx.data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert GOOD_WORDS in body and "Moved to Kent" in body

    # The family's goodbye: a notice on their home and a page in their language, with what to do if things get hard.
    home = text(child.get("/home"))
    assert "Your worker's part with your family has ended. Read your goodbye message." in home
    goodbye = text(child.get("/my/goodbye"))
    assert "ended on 11 March 2026" in goodbye and "01234 567890" in goodbye and "01234 111222" in goodbye
    # Still reachable from the home page after the notice was read.
    assert "Read your goodbye message." in text(child.get("/home"))
    world["parent"].user.locale = "pl"
    world["parent"].preferred_language = "pl"
    db_session().commit()
    polish = signed_in(app, world["parent"].user)
    assert "Do widzenia" in text(polish.get("/my/goodbye"))


def test_a_declined_request_leaves_the_family_open_and_the_worker_may_ask_again(app, world):
    worker = signed_in(app, world["worker_a"])
    closing.ask_to_close(worker, world["family"])
    closure = pending(world)
    manager = signed_in(app, world["manager_a"])
    # No comment, no decision.
    response = manager.submit(f"/staff/closures/{closure.id}/decide", {"comment": "", "decline": "y"}, page="/staff/")
    assert response.status_code == 400 and "A closure can't be approved or declined without one." in text(response)
    db_session().refresh(closure)
    assert closure.status == "pending"
    # A second request while one waits is refused.
    response = closing.ask_to_close(worker, world["family"])
    assert db_session().scalar(select(func.count(ClosureRequest.id))) == 1
    manager.submit(f"/staff/closures/{closure.id}/decide", {"comment": "Try one more visit first", "decline": "y"}, page="/staff/")
    db_session().refresh(closure)
    db_session().refresh(world["family"])
    assert (closure.status, world["family"].closed_at) == ("declined", None)
    # Decided once: a second decision is a plain message and changes nothing.
    response = closing.approve(manager, closure.id)
    assert response.status_code == 400 and "already been decided" in text(response)
    assert "Your worker's part with your family is coming to an end." not in text(signed_in(app, world["child"].user).get("/home"))
    assert closing.ask_to_close(worker, world["family"]).status_code == 302
    assert db_session().scalar(select(func.count(ClosureRequest.id))) == 2


@pytest.mark.parametrize("who", ["worker_a", "other_worker_a", "manager_b", "worker_b"])
def test_only_a_manager_of_the_familys_team_decides(app, world, who):
    closing.ask_to_close(signed_in(app, world["worker_a"]), world["family"])
    closure = pending(world)
    response = closing.approve(signed_in(app, world[who]), closure.id)
    assert response.status_code == 404
    db_session().refresh(closure)
    db_session().refresh(world["family"])
    assert (closure.status, world["family"].closed_at) == ("pending", None)


def test_a_family_member_cannot_decide_or_read_the_record(app, world):
    closing.ask_to_close(signed_in(app, world["worker_a"]), world["family"])
    closure = pending(world)
    for name in ("parent", "child"):
        browser = signed_in(app, world[name].user)
        response = browser.submit(f"/staff/closures/{closure.id}/decide", {"comment": "yes", "approve": "y"}, page="/settings")
        assert response.status_code == 404
        assert browser.get(f"/staff/closures/{closure.id}/print").status_code == 404
    db_session().refresh(closure)
    assert closure.status == "pending"


def test_the_migration_leaves_families_closed_before_closed_without_inventing_a_request(fresh_database):
    before = revision_before("0023")
    migrate(fresh_database, "upgrade", before)
    rows = OldRows(fresh_database)
    people = rows.family()
    closed_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    closed = rows.add("families", name="Old closed family", team_id=people["team"], lead_worker_id=people["worker"], closed_at=closed_at)
    rows.close()

    migrate(fresh_database, "upgrade", "0023")
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            kept = connection.execute(select(Family.id, Family.closed_at).where(Family.id == closed)).one()
            requests = connection.execute(select(func.count(ClosureRequest.id))).scalar()
    finally:
        engine.dispose()
    assert kept.closed_at is not None and kept.closed_at.replace(tzinfo=UTC) - closed_at < timedelta(seconds=1)
    assert requests == 0
    migrate(fresh_database, "downgrade", before)


def test_the_team_view_lists_families_asking_to_close_for_their_manager_only(app, world):
    closing.ask_to_close(signed_in(app, world["worker_a"]), world["family"])
    team = text(signed_in(app, world["manager_a"]).get("/staff/team"))
    assert "Families asking to close" in team and "Asked by Worker A on" in team
    assert "Families asking to close" not in text(signed_in(app, world["manager_b"]).get("/staff/team"))


def test_a_members_goodbye_views_are_in_their_own_data_download(app, world):
    closing.ask_to_close(signed_in(app, world["worker_a"]), world["family"])
    child = signed_in(app, world["child"].user)
    child.submit("/my/goodbye", {"what_will_help": HELP_WORDS, "submit": "y"})
    response = child.get("/my/data")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        data = json.loads(archive.read("data.json"))
        page = archive.read("index.html").decode()
    response.close()  # as a server does: it closes the file the zip was written to
    assert [views["what_will_help"] for views in data["goodbye_views"]] == [HELP_WORDS]
    assert HELP_WORDS in page and "Saying goodbye" in page
