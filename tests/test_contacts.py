"""A family's chronology: recorded contacts and home visits, automatic events, reminders, filters, exports, the API,
and disengagement flags with the manager's decision."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import docx
import pypdf
import pytest
from flask import Flask
from sqlalchemy import func, select

from webapp.api import tokens
from webapp.contacts.models import Contact, DisengagementDecision
from webapp.db import db_session
from webapp.entries import services as entries
from webapp.entries.models import EntryReply
from webapp.notifications.models import Notification, NotificationKind
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.reviews.models import MeetingMessage

from . import factories
from .helpers import signed_in, text

VISIT = {
    "who_seen": "Mum, Child and the baby in the kitchen",
    "purpose": "Check the morning routine in the plan",
    "observed": "The house was warm and there was food in the fridge",
    "child_feels_safe": "Child said she feels safe at home now",
    "child_words": "\u201cMum doesn't shout any more\u201d",
    "non_verbal": "The baby smiled and reached for Mum",
    "parents_view": "Mum says mornings are calmer",
    "analysis": "The routine is holding; the worry about shouting is lower",
    "actions": "Visit again in two weeks; talk to the school nurse",
}
CHILD_WORDS = "Nobody knows I am scared of the dark"


def contact_form(kind: str, day: str = "2026-11-20", at: str = "10:30", **fields: str) -> dict[str, str]:
    return {"kind": kind, "day": day, "at": at, **fields}


def count_contacts() -> int:
    return db_session().scalar(select(func.count(Contact.id))) or 0


@pytest.fixture
def now(time_machine: Any) -> datetime:
    moment = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    time_machine.move_to(moment, tick=False)
    return moment


def test_each_kind_of_contact_is_recorded_and_shown_newest_first_with_date_time_and_who(app, world, now):
    family = world["family"]
    worker = signed_in(app, world["worker_a"])
    sent = [
        contact_form("phone_call", at="09:00", summary="Called Mum about the school meeting"),
        contact_form("text", at="09:30", summary="Texted the time of the visit"),
        contact_form("letter", at="10:00", summary="Wrote to invite the family to the TAF"),
        contact_form("meeting", at="11:00", summary="TAF meeting at school with Mum"),
        contact_form("attempt", at="12:00", summary="Nobody answered the door", next_step="Call Mum tomorrow morning"),
    ]
    for data in sent:
        response = worker.submit(f"/staff/families/{family.id}/contacts/new", data)
        assert response.status_code == 302, text(response)[:800]
    assert count_contacts() == 5
    page = text(worker.get(f"/staff/families/{family.id}/chronology"))
    for words in ("Called Mum about the school meeting", "Texted the time of the visit", "Wrote to invite the family to the TAF",
                  "TAF meeting at school with Mum", "Nobody answered the door", "Call Mum tomorrow morning"):
        assert words in page
    for label in ("Phone call", "Text message", "Letter", "Meeting", "Tried to make contact, no contact made"):
        assert label in page
    assert "Worker A" in page and "20 Nov 2026, 09:00:00" in page
    # Newest first.
    assert page.index("Nobody answered the door") < page.index("TAF meeting at school") < page.index("Called Mum about")


def test_a_home_visit_is_recorded_with_every_appendix_a_heading(app, world, now):
    family = world["family"]
    worker = signed_in(app, world["worker_a"])
    response = worker.submit(f"/staff/families/{family.id}/contacts/new", contact_form("home_visit", **VISIT))
    assert response.status_code == 302
    contact = db_session().scalars(select(Contact)).one()
    assert contact.written_up_at is not None and contact.notes.child_words == VISIT["child_words"]
    page = text(worker.get(f"/staff/families/{family.id}/chronology"))
    assert "Home visit, written up" in page
    for heading in ("Who did you see?", "Purpose of the visit and activity in relation to the plan", "What did you observe?",
                    "Voice of the child: does the child feel safe?", "The child's words", "Non-verbal observations",
                    "Parents' view", "Worker analysis", "Actions and next steps"):
        assert heading in page
    for words in VISIT.values():
        assert words in page


def test_a_visit_is_recorded_first_and_written_up_later(app, world, now):
    family = world["family"]
    worker = signed_in(app, world["worker_a"])
    response = worker.submit(
        f"/staff/families/{family.id}/contacts/new", contact_form("home_visit", write_up_later="y", who_seen="Mum and Child")
    )
    assert response.status_code == 302
    contact = db_session().scalars(select(Contact)).one()
    assert contact.written_up_at is None and contact.notes.who_seen == "Mum and Child"  # nothing typed is lost
    page = text(worker.get(f"/staff/families/{family.id}/chronology"))
    assert "Home visit, not written up yet" in page and "Write it up" in page

    # Finishing with headings empty is refused and changes nothing.
    response = worker.submit(f"/staff/contacts/{contact.id}/write-up", {"who_seen": "Mum and Child", "finish": "y"})
    assert response.status_code == 400 and "Please fill this in." in text(response)
    db_session().refresh(contact)
    assert contact.written_up_at is None
    # Keeping it for now is fine with headings missing.
    assert worker.submit(f"/staff/contacts/{contact.id}/write-up", {"who_seen": "Mum, Child", "save": "y"}).status_code == 302
    db_session().refresh(contact)
    assert contact.written_up_at is None and contact.notes.who_seen == "Mum, Child"
    assert worker.submit(f"/staff/contacts/{contact.id}/write-up", {**VISIT, "finish": "y"}).status_code == 302
    db_session().refresh(contact)
    assert contact.written_up_at is not None
    assert "Home visit, written up" in text(worker.get(f"/staff/families/{family.id}/chronology"))


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args))


def test_a_visit_not_written_up_in_3_working_days_reminds_the_worker_leaving_out_bank_holidays(app, world, time_machine):
    family = world["family"]
    # Tuesday 22 December 2026; Christmas Day (Friday 25) and Boxing Day's substitute (Monday 28) are not working days.
    time_machine.move_to(datetime(2026, 12, 22, 15, 0, tzinfo=UTC), tick=False)
    worker = signed_in(app, world["worker_a"])
    worker.submit(f"/staff/families/{family.id}/contacts/new", contact_form("home_visit", day="2026-12-22", at="11:00", write_up_later="y"))
    contact = db_session().scalars(select(Contact)).one()

    # Wednesday 23, Thursday 24 and Tuesday 29 are the 3 working days: no reminder on the 29th.
    time_machine.move_to(datetime(2026, 12, 29, 18, 0, tzinfo=UTC), tick=False)
    assert "0 reminders" in run(app, "visit-write-ups").output
    assert "Home visits not written up" not in text(signed_in(app, world["worker_a"]).get("/staff/"))

    time_machine.move_to(datetime(2026, 12, 30, 8, 0, tzinfo=UTC), tick=False)
    assert "1 worker reminded" in run(app, "visit-write-ups").output
    assert "0 reminders" in run(app, "visit-write-ups").output  # once only
    notice = db_session().scalars(select(Notification)).one()
    assert notice.user_id == world["worker_a"].id and notice.kind == NotificationKind.VISIT_WRITE_UP and notice.contact_id == contact.id
    worker = signed_in(app, world["worker_a"])
    for page in ("/staff/", f"/staff/families/{family.id}", f"/staff/families/{family.id}/chronology"):
        body = text(worker.get(page))
        assert "Home visits not written up" in body and "it should have been written up by 29 Dec 2026" in body, page
    assert "A home visit is not written up after 3 working days" in text(worker.get("/staff/inbox"))

    worker.submit(f"/staff/contacts/{contact.id}/write-up", {**VISIT, "finish": "y"})
    db_session().refresh(notice)
    assert notice.read_at is not None
    assert "Home visits not written up" not in text(worker.get("/staff/"))


@pytest.mark.parametrize(
    "data,message",
    [
        (contact_form("phone_call", day="2026-11-25", summary="Called"), "The date and time cannot be in the future."),
        (contact_form("phone_call", day="2026-11-24", at="13:30", summary="Called"), "The date and time cannot be in the future."),
        (contact_form("phone_call", summary=""), "Please fill this in."),
        (contact_form("attempt", summary="No answer"), "Please fill this in."),
        (contact_form("home_visit", who_seen="Mum"), "Please fill this in."),
        (contact_form("phone_call", day="1066-10-14", summary="Called"), "Please give a date between"),
        (contact_form("phone_call", day="not a day", summary="Called"), "Please give a date like 2026-11-22."),
        (contact_form("phone_call", at="25:99", summary="Called"), "Please give a time like 14:30."),
        (contact_form("carrier_pigeon", summary="Sent a bird"), "Not a valid choice"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(app, world, now, data, message):
    worker = signed_in(app, world["worker_a"])
    response = worker.submit(f"/staff/families/{world['family'].id}/contacts/new", data)
    assert response.status_code == 400
    assert message in text(response)
    assert count_contacts() == 0
    # What was typed is shown back.
    for value in (v for k, v in data.items() if k in ("summary", "who_seen") and v):
        assert value in text(response)


def test_a_polish_speaking_worker_reads_the_message_in_polish(app, world, now):
    world["worker_a"].locale = "pl"
    db_session().commit()
    worker = signed_in(app, world["worker_a"])
    response = worker.submit(f"/staff/families/{world['family'].id}/contacts/new", contact_form("phone_call", day="2026-12-25", summary="Called"))
    assert response.status_code == 400 and "Data i godzina nie mogą być w przyszłości." in text(response)
    assert count_contacts() == 0


def test_the_same_form_sent_twice_records_one_contact(app, world, now):
    worker = signed_in(app, world["worker_a"])
    data = contact_form("phone_call", summary="Called Mum", client_id="same-form-id-123")
    for _ in range(2):
        assert worker.submit(f"/staff/families/{world['family'].id}/contacts/new", data).status_code == 302
    assert count_contacts() == 1


def test_automatic_events_come_from_the_records_and_never_show_family_members_words(app, world, now):
    family = world["family"]
    entry, _ = entries.create(world["restricted_parent"], "good_news", {"what_happened": CHILD_WORDS}, feeling=None, language="en")
    db_session().add(EntryReply(entry_id=entry.id, author_id=world["worker_a"].id, body="Thank you for telling me"))
    urgent, _ = entries.create(world["child"], "good_news", {"what_happened": CHILD_WORDS}, feeling=None, language="en")
    urgent.urgent, urgent.escalated_at = True, now
    urgent.acknowledged_at, urgent.acknowledged_by_id = now + timedelta(minutes=5), world["manager_a"].id
    db_session().add(PlanVersion(family_id=family.id, number=1, status=PUBLISHED, published_at=now, published_by_id=world["worker_a"].id))
    db_session().add(Notification(user_id=world["child"].user_id, kind=NotificationKind.PLAN_PUBLISHED, read_at=now + timedelta(hours=1)))
    db_session().add(MeetingMessage(member_id=world["child"].id, body="We agreed more football", created_by_id=world["worker_a"].id, read_at=now))
    db_session().commit()
    worker = signed_in(app, world["worker_a"])
    worker.submit(f"/staff/members/{world['child'].id}/code", page=f"/staff/families/{family.id}")
    page = text(worker.get(f"/staff/families/{family.id}/chronology"))
    assert "Sent: Good news" in page and "Absent parent" in page  # a restricted member's entry is still received
    assert "Replied to Absent parent" in page
    assert "Gave an activation code to Child" in page
    assert "An urgent entry from Child was passed to the managers" in page and "Acknowledged an urgent entry from Child" in page
    assert "Published the family plan (version 1)" in page and "Read the new family plan" in page
    assert "Sent Child a message after a meeting" in page and "Read the message after the meeting" in page
    assert CHILD_WORDS not in page and "Thank you for telling me" not in page and "We agreed more football" not in page


@pytest.fixture
def trail(app: Flask, world: dict[str, Any], now: datetime) -> dict[str, Any]:
    family = world["family"]
    worker = signed_in(app, world["worker_a"])
    worker.submit(f"/staff/families/{family.id}/contacts/new", contact_form("home_visit", day="2026-11-02", **VISIT))
    worker.submit(f"/staff/families/{family.id}/contacts/new", contact_form("phone_call", day="2026-11-10", summary="=HYPERLINK(\"http://x\") called Mum"))
    manager = signed_in(app, world["manager_a"])
    manager.submit(f"/staff/families/{family.id}/contacts/new", contact_form("attempt", day="2026-11-20", summary="No answer", next_step="Write a letter"))
    return {"worker": worker, "manager": manager}


def test_the_chronology_is_filtered_by_kind_who_and_dates(app, world, trail):
    family = world["family"]
    worker = trail["worker"]
    url = f"/staff/families/{family.id}/chronology"
    page = text(worker.get(url, query_string={"kind": "home_visit"}))
    assert VISIT["observed"] in page and "called Mum" not in page and "No answer" not in page
    page = text(worker.get(url, query_string={"who": f"user:{world['manager_a'].id}"}))
    assert "No answer" in page and VISIT["observed"] not in page
    page = text(worker.get(url, query_string={"start": "2026-11-05", "end": "2026-11-15"}))
    assert "called Mum" in page and VISIT["observed"] not in page and "No answer" not in page
    bad = worker.get(url, query_string={"start": "2026-11-15", "end": "2026-11-05"})
    assert bad.status_code == 400 and "The end date is before the start date." in text(bad)
    assert worker.get(url, query_string={"kind": "gossip"}).status_code == 400


def test_every_export_holds_the_contacts(app, world, trail):
    family = world["family"]
    worker = trail["worker"]
    base = f"/staff/families/{family.id}/chronology"
    # A name a spreadsheet would take for a formula.
    formula = factories.member(family, "young_person", name="=SUM(1+1)")
    entries.create(formula, "good_news", {"what_happened": CHILD_WORDS}, feeling=None, language="en")
    db_session().commit()
    rows = list(csv.reader(io.StringIO(worker.get(base + ".csv").data.decode("utf-8-sig"))))
    assert rows[0] == ["date and time", "kind", "who", "what", "details"]
    flat = "\n".join(",".join(row) for row in rows)
    assert VISIT["analysis"] in flat and "No answer" in flat
    assert '=HYPERLINK("http://x") called Mum' in flat and "'=SUM(1+1)" in flat and CHILD_WORDS not in flat
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    only_calls = worker.get(base + ".csv", query_string={"kind": "phone_call"}).data.decode("utf-8-sig")
    assert "called Mum" in only_calls and "No answer" not in only_calls

    pdf = worker.get(base + ".pdf")
    assert pdf.mimetype == "application/pdf"
    words = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Worker analysis" in words and "No answer" in words and "called Mum" in words

    document = worker.get(base + ".docx")
    paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(document.data)).paragraphs)
    assert VISIT["child_words"] in paragraphs and "Write a letter" in paragraphs


def test_the_api_returns_the_chronology_for_the_tokens_team_only(app, world, trail):
    family = world["family"]
    _token, secret = tokens.create(world["team_a"].id, "Case system", world["manager_a"].id)
    _other, other_secret = tokens.create(world["team_b"].id, "Case system B", world["manager_b"].id)
    db_session().commit()
    client = app.test_client()
    response = client.get(f"/api/v1/families/{family.id}/chronology", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["family_id"] == family.id
    kinds = [line["kind"] for line in data["data"]]
    assert kinds[:3] == ["attempt", "phone_call", "home_visit"]
    visit = data["data"][2]
    assert {"heading": "The child's words", "text": VISIT["child_words"]} in visit["details"]
    assert client.get(f"/api/v1/families/{family.id}/chronology", headers={"Authorization": f"Bearer {other_secret}"}).status_code == 404
    assert client.get(f"/api/v1/families/{family.id}/chronology").status_code == 401
    assert "/families/{family_id}/chronology" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_a_family_is_flagged_after_days_without_contact_and_the_managers_decision_clears_it(app, world, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, 9, 0, tzinfo=UTC), tick=False)
    family = world["family"]
    family.created_at = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    db_session().commit()
    time_machine.move_to(datetime(2026, 10, 28, 9, 0, tzinfo=UTC), tick=False)
    manager = signed_in(app, world["manager_a"])
    assert f'id="disengaged-{family.id}"' not in manager.get("/staff/team").get_data(as_text=True)  # 27 days

    time_machine.move_to(datetime(2026, 10, 29, 9, 0, tzinfo=UTC), tick=False)
    manager = signed_in(app, world["manager_a"])
    team = text(manager.get("/staff/team"))
    assert "28 days since the last contact." in team
    assert "The views of key professionals, including the original assessor, are sought and recorded." in team
    assert "Disengagement: please check" in text(signed_in(app, world["worker_a"]).get(f"/staff/families/{family.id}/chronology"))

    # A worker may not decide; a manager of another team gets 404 too.
    for who in ("worker_a", "manager_b"):
        response = signed_in(app, world[who]).submit(f"/staff/families/{family.id}/disengagement", {"decision": "Close", "decided_on": "2026-10-29"}, page="/settings")
        assert response.status_code == 404
    # Bad input changes nothing.
    for data, message in (({"decision": "", "decided_on": "2026-10-29"}, "Please fill this in."),
                          ({"decision": "Keep open", "decided_on": "2026-11-30"}, "The date cannot be in the future.")):
        response = manager.submit(f"/staff/families/{family.id}/disengagement", data)
        assert response.status_code == 400 and message in text(response)
    assert db_session().scalar(select(func.count(DisengagementDecision.id))) == 0

    decision = "Keep open: Mum is in hospital; the school nurse sees Child weekly. Visit on 5 November."
    for _ in range(2):  # the same form sent twice records one decision
        sent = {"decision": decision, "decided_on": "2026-10-29", "client_id": "decision-form-0001"}
        assert manager.submit(f"/staff/families/{family.id}/disengagement", sent).status_code == 302
    assert db_session().scalar(select(func.count(DisengagementDecision.id))) == 1
    assert f'id="disengaged-{family.id}"' not in manager.get("/staff/team").get_data(as_text=True)
    chronology = text(manager.get(f"/staff/families/{family.id}/chronology"))
    assert decision in chronology and "Decision about disengagement, made on 29 Oct 2026" in chronology and "Manager A" in chronology


def test_failed_attempts_in_a_row_flag_the_family_and_a_contact_clears_it(app, world, now):
    family = world["family"]
    family.created_at = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
    db_session().commit()
    worker = signed_in(app, world["worker_a"])
    manager = signed_in(app, world["manager_a"])
    for day in ("2026-11-20", "2026-11-21", "2026-11-23"):
        worker.submit(f"/staff/families/{family.id}/contacts/new", contact_form("attempt", day=day, summary="No answer", next_step="Try again"))
        if day != "2026-11-23":
            assert f'id="disengaged-{family.id}"' not in manager.get("/staff/team").get_data(as_text=True)
    team = text(manager.get("/staff/team"))
    assert "3 attempts in a row with no contact." in team
    worker.submit(f"/staff/families/{family.id}/contacts/new", contact_form("phone_call", day="2026-11-24", at="09:00", summary="Mum called back"))
    assert f'id="disengaged-{family.id}"' not in manager.get("/staff/team").get_data(as_text=True)


def test_another_teams_staff_and_family_members_cannot_open_a_contact(app, world, now):
    worker = signed_in(app, world["worker_a"])
    worker.submit(f"/staff/families/{world['family'].id}/contacts/new", contact_form("home_visit", write_up_later="y"))
    contact = db_session().scalars(select(Contact)).one()
    for who in ("worker_b", "manager_b", "other_worker_a"):
        browser = signed_in(app, world[who])
        assert browser.get(f"/staff/contacts/{contact.id}/write-up").status_code == 404
        assert browser.submit(f"/staff/contacts/{contact.id}/write-up", {**VISIT, "finish": "y"}, page="/settings").status_code == 404
    for who in ("parent", "child"):
        assert signed_in(app, world[who].user).get(f"/staff/contacts/{contact.id}/write-up").status_code == 404
    db_session().refresh(contact)
    assert contact.written_up_at is None


def test_the_time_of_a_contact_is_the_services_local_time(app, world, now):
    # 10:30 in London on 20 November is 10:30 UTC; in summer it would be an hour earlier.
    worker = signed_in(app, world["worker_a"])
    worker.submit(f"/staff/families/{world['family'].id}/contacts/new", contact_form("phone_call", day="2026-07-20", summary="Called"))
    contact = db_session().scalars(select(Contact)).one()
    assert contact.happened_at == datetime(2026, 7, 20, 9, 30, tzinfo=UTC)
    assert contact.happened_at < now - timedelta(days=1)


def test_the_demo_shows_a_chronology_and_a_family_flagged_for_disengagement(app):
    from webapp.auth.models import User
    from webapp.families.models import Family

    assert run(app, "demo-data", "--quiet").exit_code == 0
    family = db_session().scalar(select(Family).where(Family.name == "The Demo family"))
    quiet = db_session().scalar(select(Family).where(Family.name == "The Quiet family"))
    assert family is not None and quiet is not None
    worker = signed_in(app, db_session().scalar(select(User).where(User.email == "worker@demo.familyvoice.test")))
    page = text(worker.get(f"/staff/families/{family.id}/chronology"))
    assert "Home visit, written up" in page and "Phone call" in page and "Tried to make contact, no contact made" in page
    assert "Mum doesn't shout like before." in page
    manager = signed_in(app, db_session().scalar(select(User).where(User.email == "manager@demo.familyvoice.test")))
    team = manager.get("/staff/team").get_data(as_text=True)
    assert f'id="disengaged-{quiet.id}"' in team and f'id="disengaged-{family.id}"' not in team
