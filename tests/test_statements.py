"""Statements: "My life", "Something happened / I'm upset" (urgent only when not safe now) and "I want to
complain or have an advocate" (the team manager told as well as the worker), each from the form or the
phone's outbox to the inbox, the staff page, a review and its exports, the API and My data."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import docx
import pypdf
import pytest
import time_machine
from sqlalchemy import func, select

from webapp import mail
from webapp.api import tokens
from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.notifications.models import Notification

from . import factories
from .helpers import signed_in, text
from .review_steps import start_review, text_blocks
from .test_urgent import Mailbox, mailbox, smtp_server  # fixtures: a real SMTP server on a free port, and its mailbox

ADVOCACY = "Speak Up Advocacy: 0300 555 0199"
LOCAL_HELP = "0300 123 4567"
# A Wednesday morning: ten working days later is Wednesday 18 March.
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
ANALYSIS = {
    "who_did_you_see": "Child at home",
    "purpose": "Review",
    "observed": "Calm",
    "worker_analysis": "Doing better",
    "actions_next_steps": "Next visit",
}


@pytest.fixture
def app_config(app_config: dict[str, Any], mailbox: Mailbox) -> dict[str, Any]:
    return {
        **app_config,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": mailbox.port,
        "LOCAL_HELP_NUMBER": LOCAL_HELP,
        "LOCAL_ADVOCACY_SERVICE": ADVOCACY,
    }


@pytest.fixture(autouse=True)
def clock(app: Any) -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield
    mail.wait_for_delivery(app)


def send(app: Any, member: Any, kind: str, answers: dict[str, str]) -> tuple[Entry, Any]:
    browser = signed_in(app, member.user)
    response = browser.submit(f"/my/views/new/{kind}", answers)
    assert response.status_code == 302, text(response)[:800]
    match = re.search(r"/my/views/(\d+)", response.headers["Location"])
    assert match
    entry = db_session().get(Entry, int(match.group(1)))
    assert entry is not None
    return entry, browser.get(response.headers["Location"])


def notified(user: Any) -> list[tuple[str, int | None]]:
    return [(n.kind.value, n.entry_id) for n in db_session().scalars(select(Notification).where(Notification.user_id == user.id))]


def all_notifications() -> int:
    return db_session().scalar(select(func.count(Notification.id))) or 0


# --- The kinds: who has each, and how the answers read.


@pytest.mark.parametrize(
    ("kind", "young_person", "parent"),
    [(kinds.MY_LIFE, True, False), (kinds.SOMETHING_HAPPENED, True, True), (kinds.COMPLAINT, True, True)],
)
def test_each_statement_is_offered_to_the_right_people(app, world, kind, young_person, parent):
    for who, offered in (("child", young_person), ("parent", parent)):
        browser = signed_in(app, world[who].user)
        views = browser.get("/my/views").get_data(as_text=True)
        assert (f"/my/views/new/{kind}" in views) is offered, who
        assert browser.get(f"/my/views/new/{kind}").status_code == (200 if offered else 404), who


def test_a_parent_cannot_send_my_life_through_the_form_or_the_outbox(app, world):
    browser = signed_in(app, world["parent"].user)
    assert browser.submit(f"/my/views/new/{kinds.MY_LIFE}", {"home": "Fine"}, page="/my/views").status_code == 404
    response = browser.post(
        "/my/outbox",
        json={"kind": kinds.MY_LIFE, "fields": {"home": "Fine", "client_id": "abcdefgh1234"}},
        headers={"X-CSRFToken": browser.csrf_token("/my/views")},
    )
    assert response.status_code == 400
    assert db_session().scalar(select(func.count(Entry.id))) == 0


def test_every_statement_answer_reads_as_a_sentence(app):
    with app.test_request_context():
        shown = kinds.shown_answers(kinds.SOMETHING_HAPPENED, {"what_happened": "A fight", "safe_now": "no"})
        assert [a.sentence for a in shown] == ["What happened: A fight", "Safe right now: No, I am not safe now"]
        shown = kinds.shown_answers(kinds.COMPLAINT, {"wants": "both", "about_worker": "rather_not_say"})
        assert [a.sentence for a in shown] == ["What they want: Both", "About their worker: I'd rather not say"]


# --- "My life".


def test_my_life_reaches_the_worker_with_every_heading_and_is_not_urgent(app, world, mailbox):
    answers = {"home": "Quieter now", "school": "Year 9 is hard", "friends": "Jo and Sam", "health": "Sleeping better", "enjoy": "Football"}
    entry, page = send(app, world["child"], kinds.MY_LIFE, answers)
    assert (entry.kind, entry.urgent) == (kinds.MY_LIFE, False)
    assert entry.answers == answers
    assert "Your worker will reply by" in text(page)
    assert all_notifications() == 0 and mailbox.messages == []
    worker = signed_in(app, world["worker_a"])
    assert "My life" in text(worker.get("/staff/inbox"))
    staff_page = text(worker.get(f"/staff/entries/{entry.id}"))
    for words in ("Home: how are things at home?", "Quieter now", "What do you enjoy doing?", "Football"):
        assert words in staff_page


def test_my_life_can_be_shared_with_the_family_when_the_young_person_chooses(app, world):
    entry, _page = send(app, world["child"], kinds.MY_LIFE, {"enjoy": "Drawing", "share_with_family": "y"})
    assert entry.shared_with_family is True
    assert signed_in(app, world["parent"].user).get(f"/my/views/{entry.id}").status_code == 200


# --- "Something happened / I'm upset": urgent only when not safe now.


def test_the_form_asks_are_you_safe_now_and_shows_who_to_contact_before_sending(app, world):
    page = text(signed_in(app, world["child"].user).get(f"/my/views/new/{kinds.SOMETHING_HAPPENED}"))
    assert "Are you safe right now?" in page
    assert "If you say no, your worker is told straight away." in page
    assert "0800 1111" in page and LOCAL_HELP in page
    assert "Share this with my family" not in page


@pytest.mark.parametrize("safe_now", ["yes", None])
def test_something_happened_when_safe_or_not_said_is_not_urgent(app, world, mailbox, safe_now):
    answers = {"what_happened": "A row at school", "where": "School", "who": "Jo"}
    if safe_now:
        answers["safe_now"] = safe_now
    entry, page = send(app, world["child"], kinds.SOMETHING_HAPPENED, answers)
    assert entry.urgent is False
    assert "Your worker has been told straight away." not in text(page)
    assert "Your worker will reply by" in text(page)
    assert all_notifications() == 0 and mailbox.messages == []


def test_something_happened_when_not_safe_now_takes_the_urgent_path(app, world, mailbox):
    entry, page = send(app, world["child"], kinds.SOMETHING_HAPPENED, {"what_happened": "He hit me", "safe_now": "no"})
    assert entry.urgent is True
    assert "Your worker has been told straight away." in text(page)
    assert "0800 1111" in text(page)
    assert notified(world["worker_a"]) == [("urgent", entry.id)]
    assert all_notifications() == 1
    [message] = mailbox.to(world["worker_a"].email)
    assert "He hit me" not in str(message.get_content()) + message["Subject"]
    inbox = text(signed_in(app, world["worker_a"]).get("/staff/inbox"))
    assert "Urgent: Child in The Test family" in inbox


def test_a_parent_not_safe_now_is_urgent_too(app, world):
    entry, _page = send(app, world["parent"], kinds.SOMETHING_HAPPENED, {"safe_now": "no"})
    assert entry.urgent is True
    assert notified(world["worker_a"]) == [("urgent", entry.id)]


def test_an_answer_that_was_not_offered_is_refused_and_nothing_is_stored(app, world):
    browser = signed_in(app, world["child"].user)
    url = f"/my/views/new/{kinds.SOMETHING_HAPPENED}"
    response = browser.submit(url, {"what_happened": "Words I keep", "safe_now": "maybe"})
    assert response.status_code == 400
    assert "Please choose one of the answers shown." in text(response)
    assert "Words I keep" in text(response)
    assert db_session().scalar(select(func.count(Entry.id))) == 0


def test_something_happened_is_never_shared_with_the_family_even_when_asked(app, world):
    entry, _page = send(app, world["child"], kinds.SOMETHING_HAPPENED, {"what_happened": "Secret", "share_with_family": "y"})
    assert entry.shared_with_family is False
    assert signed_in(app, world["parent"].user).get(f"/my/views/{entry.id}").status_code == 404


@pytest.mark.parametrize(("safe_now", "urgent"), [("no", True), ("yes", False)])
def test_something_happened_sent_from_the_phones_outbox_is_urgent_only_when_not_safe(app, world, safe_now, urgent):
    browser = signed_in(app, world["child"].user)
    response = browser.post(
        "/my/outbox",
        json={
            "kind": kinds.SOMETHING_HAPPENED,
            "fields": {"what_happened": "Offline words", "safe_now": safe_now, "share_with_family": True, "client_id": "offline-draft-1"},
            "language": "pl",
        },
        headers={"X-CSRFToken": browser.csrf_token("/my/views")},
    )
    assert response.status_code == 201, response.get_json()
    entry = db_session().scalars(select(Entry)).one()
    assert (entry.urgent, entry.shared_with_family, entry.language) == (urgent, False, "pl")
    assert (notified(world["worker_a"]) == [("urgent", entry.id)]) is urgent


def test_an_urgent_something_happened_nobody_acknowledges_is_escalated_to_the_team_manager(app, world, time_machine):
    entry, _page = send(app, world["child"], kinds.SOMETHING_HAPPENED, {"safe_now": "no"})
    time_machine.move_to(NOW + timedelta(hours=5), tick=False)
    result = app.test_cli_runner().invoke(args=["escalations"])
    assert result.exit_code == 0, result.output
    assert notified(world["manager_a"]) == [("escalation", entry.id)]
    assert notified(world["manager_b"]) == []


# --- Every kind through the phone's outbox (static/js/outbox.js posts a draft's fields as JSON).


@pytest.mark.parametrize(
    ("who", "kind", "fields"),
    [
        ("child", kinds.MY_LIFE, {"home": "Offline home", "share_with_family": True}),
        ("child", kinds.SOMETHING_HAPPENED, {"what_happened": "Offline", "safe_now": "yes"}),
        ("child", kinds.COMPLAINT, {"wants": "complain", "about": "Offline"}),
        ("parent", kinds.SOMETHING_HAPPENED, {"where": "Offline"}),
        ("parent", kinds.COMPLAINT, {"wants": "advocate"}),
    ],
)
def test_the_outbox_takes_every_statement_its_sender_may_write(app, world, who, kind, fields):
    browser = signed_in(app, world[who].user)
    response = browser.post(
        "/my/outbox",
        json={"kind": kind, "fields": {**fields, "client_id": f"draft-{kind}"}, "language": "en"},
        headers={"X-CSRFToken": browser.csrf_token("/my/views")},
    )
    assert response.status_code == 201, response.get_json()
    entry = db_session().scalars(select(Entry)).one()
    assert (entry.kind, entry.member_id) == (kind, world[who].id)
    assert entry.shared_with_family is (kind == kinds.MY_LIFE)


def test_the_outbox_refuses_a_statement_answer_that_was_not_offered_and_says_why(app, world):
    browser = signed_in(app, world["child"].user)
    response = browser.post(
        "/my/outbox",
        json={"kind": kinds.COMPLAINT, "fields": {"wants": "sue_everyone", "client_id": "draft-bad-1"}},
        headers={"X-CSRFToken": browser.csrf_token("/my/views")},
    )
    assert response.status_code == 400
    assert "Please choose one of the answers shown." in response.get_json()["error"]
    assert db_session().scalar(select(func.count(Entry.id))) == 0


# --- "I want to complain or have an advocate".


COMPLAINT = {"wants": "both", "about": "My worker never calls back", "about_worker": "yes", "put_right": "A new worker"}


def test_the_complaint_form_says_what_happens_next_by_when_and_shows_the_advocacy_service(app, world):
    page = text(signed_in(app, world["child"].user).get(f"/my/views/new/{kinds.COMPLAINT}"))
    assert "What happens next" in page
    assert "The manager will answer you by Wednesday, 18 March 2026." in page
    assert "That is 10 working days, not counting weekends or bank holidays." in page
    assert f"Your local advocacy service: {ADVOCACY}" in re.sub(r"<[^>]+>", "", page)
    assert 'href="tel:+443005550199"' in page
    assert "Your worker and the team manager will see this. Your family will not." in page
    assert "Share this with my family" not in page


def test_the_number_of_working_days_and_the_service_come_from_configuration(app, world):
    app.config["COMPLAINT_WORKING_DAYS"] = 5
    app.config["LOCAL_ADVOCACY_SERVICE"] = ""
    page = text(signed_in(app, world["child"].user).get(f"/my/views/new/{kinds.COMPLAINT}"))
    assert "The manager will answer you by Wednesday, 11 March 2026." in page
    assert "That is 5 working days, not counting weekends or bank holidays." in page
    assert "If you want an advocate, the manager will help you find one." in page
    assert "Your local advocacy service" not in page


def test_a_complaint_goes_to_the_worker_and_the_team_manager_in_the_app_and_by_email(app, world, mailbox):
    entry, page = send(app, world["child"], kinds.COMPLAINT, COMPLAINT)
    assert entry.urgent is False and entry.shared_with_family is False
    assert entry.reply_due is not None and entry.reply_due.isoformat() == "2026-03-18"
    shown = text(page)
    assert "The manager will answer you by Wednesday, 18 March 2026" in shown
    assert f"Your local advocacy service: {ADVOCACY}" in re.sub(r"<[^>]+>", "", shown)

    for who in ("worker_a", "manager_a"):
        assert notified(world[who]) == [("complaint", entry.id)], who
        [message] = mailbox.to(world[who].email)
        content = str(message.get_content())
        assert f"/staff/entries/{entry.id}" in content
        assert "Wednesday, 18 March 2026" in content
        for secret in ("never calls back", "new worker", "Child", "Test family"):
            assert secret not in content + message["Subject"], (who, secret)
    assert all_notifications() == 2
    assert len(mailbox.messages) == 2

    for who in ("worker_a", "manager_a"):
        browser = signed_in(app, world[who])
        inbox = text(browser.get("/staff/inbox"))
        assert "Complaint or request for an advocate: Child in The Test family" in inbox
        staff_page = text(browser.get(f"/staff/entries/{entry.id}"))
        assert "The team manager was told as well as the lead worker." in staff_page
        assert "Child was told the manager will answer by Wednesday, 18 March 2026." in staff_page
        assert "was told you would reply by" not in staff_page, "the manager's promise is the one the sender has"
        assert "My worker never calls back" in staff_page


@pytest.mark.parametrize("who", ["manager_b", "worker_b", "other_worker_a"])
def test_staff_who_are_not_on_the_family_or_its_team_get_nothing_and_cannot_open_it(app, world, mailbox, who):
    entry, _page = send(app, world["child"], kinds.COMPLAINT, COMPLAINT)
    assert notified(world[who]) == []
    assert mailbox.to(world[who].email) == []
    browser = signed_in(app, world[who])
    assert browser.get(f"/staff/entries/{entry.id}").status_code == 404
    assert "never calls back" not in text(browser.get("/staff/inbox"))
    assert browser.submit(f"/staff/entries/{entry.id}/reply", {"body": "Hi"}, page="/staff/inbox").status_code == 404


def test_a_manager_of_another_team_moved_onto_the_family_only_by_name_still_gets_nothing(app, world, mailbox):
    # Named as a co-worker on a family of another team: a manager's own team is what counts for complaints.
    factories.co_worker(world["family"], world["manager_b"])
    entry, _page = send(app, world["child"], kinds.COMPLAINT, COMPLAINT)
    assert notified(world["manager_b"]) == []
    assert mailbox.to(world["manager_b"].email) == []
    assert signed_in(app, world["manager_b"]).get(f"/staff/entries/{entry.id}").status_code == 404


def test_the_family_and_a_restricted_parent_get_nothing_and_cannot_open_it(app, world, mailbox):
    entry, _page = send(app, world["child"], kinds.COMPLAINT, {**COMPLAINT, "share_with_family": "y"})
    assert entry.shared_with_family is False
    for who in ("parent", "restricted_parent", "young_child"):
        assert notified(world[who].user) == []
        browser = signed_in(app, world[who].user)
        assert browser.get(f"/my/views/{entry.id}").status_code == 404, who
        assert "never calls back" not in text(browser.get("/my/shared")), who
    assert len(mailbox.messages) == 2


def test_a_restricted_parents_own_complaint_reaches_the_manager_but_no_one_in_the_family(app, world):
    entry, _page = send(app, world["restricted_parent"], kinds.COMPLAINT, {"wants": "advocate", "about": "I am not told anything"})
    assert notified(world["manager_a"]) == [("complaint", entry.id)]
    assert notified(world["worker_a"]) == [("complaint", entry.id)]
    assert signed_in(app, world["parent"].user).get(f"/my/views/{entry.id}").status_code == 404


def test_a_disabled_manager_is_not_told(app, world, mailbox):
    from webapp.db import utcnow

    world["manager_a"].disabled_at = utcnow()
    db_session().commit()
    entry, _page = send(app, world["child"], kinds.COMPLAINT, COMPLAINT)
    assert notified(world["manager_a"]) == []
    assert notified(world["worker_a"]) == [("complaint", entry.id)]


def test_a_complaint_from_the_outbox_is_routed_the_same_and_only_once(app, world, mailbox):
    browser = signed_in(app, world["child"].user)
    payload = {"kind": kinds.COMPLAINT, "fields": {**COMPLAINT, "client_id": "offline-complaint-1"}}
    headers = {"X-CSRFToken": browser.csrf_token("/my/views")}
    assert browser.post("/my/outbox", json=payload, headers=headers).status_code == 201
    assert browser.post("/my/outbox", json=payload, headers=headers).status_code == 200
    entry = db_session().scalars(select(Entry)).one()
    assert notified(world["manager_a"]) == [("complaint", entry.id)]
    assert notified(world["worker_a"]) == [("complaint", entry.id)]
    assert all_notifications() == 2


def test_an_empty_complaint_is_refused_with_a_message(app, world):
    response = signed_in(app, world["child"].user).submit(f"/my/views/new/{kinds.COMPLAINT}", {})
    assert response.status_code == 400
    assert "Please answer at least one question before you send." in text(response)
    assert all_notifications() == 0


def test_the_complaint_email_is_in_the_recipients_language(app, world, mailbox):
    world["manager_a"].locale = "pl"
    db_session().commit()
    send(app, world["child"], kinds.COMPLAINT, COMPLAINT)
    [english] = mailbox.to(world["worker_a"].email)
    [polish] = mailbox.to(world["manager_a"].email)
    assert english["Subject"] == "A complaint or a request for an advocate"
    assert polish["Subject"] != english["Subject"]


# --- Every statement in a review, its exports, the API and My data.


def test_each_statement_goes_into_a_review_its_exports_the_api_and_my_data(app, world, mailbox):
    child = world["child"]
    sent = {
        kinds.MY_LIFE: (send(app, child, kinds.MY_LIFE, {"school": "Year 9 is hard"})[0], "School or college: Year 9 is hard"),
        kinds.SOMETHING_HAPPENED: (
            send(app, child, kinds.SOMETHING_HAPPENED, {"what_happened": "A row at school", "safe_now": "yes"})[0],
            "What happened: A row at school",
        ),
        kinds.COMPLAINT: (send(app, child, kinds.COMPLAINT, {"about": "Too many changes"})[0], "What it is about: Too many changes"),
    }
    worker = signed_in(app, world["worker_a"])
    url = start_review(worker, world["family"], "2026-03-01", "2026-03-04")
    picker = text(worker.get(url))
    for title in ("My life", "Something happened / I'm upset", "I want to complain or have an advocate"):
        assert title in picker
    saved = worker.submit(url, {"item": [f"entry-{entry.id}" for entry, _s in sent.values()], **ANALYSIS})
    assert saved.status_code == 302, text(saved)[:500]
    blocks = "\n".join(block for _heading, block in text_blocks(worker, url))
    printable = html.unescape(worker.get(url + "/print").get_data(as_text=True))
    pdf = " ".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data)).pages).split())
    document = "\n".join(p.text for p in docx.Document(io.BytesIO(worker.get(url + "/review.docx").data)).paragraphs)
    for _entry, sentence in sent.values():
        for where, export in (("text", blocks), ("print", printable), ("pdf", pdf), ("docx", document)):
            assert sentence in export, (where, sentence)

    _token, secret = tokens.create(world["team_a"].id, "Case system", world["manager_a"].id)
    db_session().commit()
    listed = app.test_client().get(f"/api/v1/families/{world['family'].id}/entries", headers={"Authorization": f"Bearer {secret}"})
    by_kind = {row["kind"]: row for row in listed.get_json()["data"]}
    assert by_kind[kinds.MY_LIFE]["answers"] == {"school": "Year 9 is hard"}
    assert by_kind[kinds.SOMETHING_HAPPENED]["answers"]["safe_now"] == "yes"
    assert by_kind[kinds.COMPLAINT]["answers"] == {"about": "Too many changes"}

    downloaded = signed_in(app, child.user).get("/my/data")
    archive = zipfile.ZipFile(io.BytesIO(downloaded.data))
    downloaded.close()
    entries = {e["kind"]: e for e in json.loads(archive.read("data.json"))["entries"]}
    assert set(entries) == set(sent)
    assert ("Are you safe right now?", "Yes, I am safe now") in [(a["question"], a["answer"]) for a in entries[kinds.SOMETHING_HAPPENED]["answers"]]
    index = html.unescape(archive.read("index.html").decode())
    assert "Too many changes" in index and "I want to complain or have an advocate" in index


def test_another_teams_api_token_does_not_see_a_complaint(app, world):
    entry, _page = send(app, world["child"], kinds.COMPLAINT, COMPLAINT)
    _token, secret = tokens.create(world["team_b"].id, "Case system", world["manager_b"].id)
    db_session().commit()
    client = app.test_client()
    everything = client.get("/api/v1/entries", headers={"Authorization": f"Bearer {secret}"}).get_json()["data"]
    assert entry.id not in [row["id"] for row in everything]
    assert client.get(f"/api/v1/families/{world['family'].id}/entries", headers={"Authorization": f"Bearer {secret}"}).status_code == 404


def test_the_demo_family_has_one_statement_of_each_kind_for_a_newcomer_to_open(app):
    from webapp.auth.models import User

    result = app.test_cli_runner().invoke(args=["demo-data", "--quiet"])
    assert result.exit_code == 0, result.output
    kinds_sent = {entry.kind: entry for entry in db_session().scalars(select(Entry))}
    assert {kinds.MY_LIFE, kinds.SOMETHING_HAPPENED, kinds.COMPLAINT} <= set(kinds_sent)
    assert kinds_sent[kinds.SOMETHING_HAPPENED].urgent is True
    assert kinds_sent[kinds.SOMETHING_HAPPENED].acknowledged_at is not None
    manager = db_session().scalars(select(User).where(User.email == "manager@demo.familyvoice.test")).one()
    # (The demo manager is also told of a review waiting for sign-off: a notice about no entry.)
    assert [n for n in notified(manager) if n[1] is not None] == [("complaint", kinds_sent[kinds.COMPLAINT].id)]
    browser = app.test_client()
    browser.submit("/signin", {"login": manager.email, "password": "demo-manager-pass"})


    db_session().refresh(manager)
    browser.submit("/signin/code", {"code": factories.next_totp_code(manager)})
    inbox = text(browser.get("/staff/inbox"))
    assert "Complaint or request for an advocate: Pat in The Demo family" in inbox
    assert "My life" in inbox and "Something happened / I'm upset" in inbox
