"""Urgent entries: help shown to the sender at once, the lead worker told in the app and by email,
and managers alerted when nobody acknowledges in time. Email goes to a real local SMTP server."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import current_app, has_app_context
from sqlalchemy import func, select

from webapp import mail
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.notifications.models import Notification, OutgoingEmail
from webapp.worries.models import Worry, WorryMember

from . import factories
from .helpers import refuse_inserts, signed_in, text

LOCAL_HELP = "0300 123 4567"
START = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # a Wednesday morning
SECRET_WORDS = "Stepdad hit me with the belt again"
# Words of the entry that no email could contain by chance.
TELLTALE = ["Stepdad", "belt", SECRET_WORDS]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """Collects every message the SMTP server receives."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.port = 0

    @property
    def messages(self) -> list[EmailMessage]:
        """What arrived once the app has finished sending (email leaves after the request, from a thread)."""
        if has_app_context():  # the SMTP server looks through its handler's attributes when it starts
            mail.wait_for_delivery(current_app)
        return self.received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[Mailbox]:
    """One SMTP server for a test file: its port is in the app's config, so the file's tests share one app too."""
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    """The SMTP server's mailbox, empty at the start of each test (each test waits for its own emails to leave)."""
    smtp_server.received.clear()
    return smtp_server


@pytest.fixture
def app_config(app_config: dict[str, Any], mailbox: Mailbox) -> dict[str, Any]:
    return {**app_config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": mailbox.port, "LOCAL_HELP_NUMBER": LOCAL_HELP}


@pytest.fixture(autouse=True)
def email_sent_within_its_test(app: Any) -> Iterator[None]:
    """Every email a test queued has been tried before its database is emptied for the next test."""
    yield
    mail.wait_for_delivery(app)


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(START, tick=False)
    return time_machine


def body(message: EmailMessage) -> str:
    return str(message.get_content())


def notifications(user: Any, kind: str) -> list[Notification]:
    return list(db_session().scalars(select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)))


def send_talk(app: Any, member: Any) -> tuple[Entry, Any]:
    browser = signed_in(app, member.user)
    response = browser.submit("/my/views/new/talk", {"about": SECRET_WORDS, "safe_now": "no"})
    assert response.status_code == 302
    entry = db_session().scalars(select(Entry).order_by(Entry.id.desc())).first()
    assert entry is not None
    return entry, browser.get(response.headers["Location"])


def run_escalations(app: Any) -> str:
    result = app.test_cli_runner().invoke(args=["escalations"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def assert_help_numbers(page: str) -> None:
    assert "999" in page
    assert "0800 1111" in page
    assert LOCAL_HELP in page


def safety_worry(world: dict[str, Any], *, is_safety: bool = True) -> Worry:
    worry = Worry(
        family_id=world["family"].id,
        wording="Dad's drinking at weekends",
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        is_safety=is_safety,
    )
    worry.applies_to = [WorryMember(member_id=world["child"].id)]
    db_session().add(worry)
    db_session().commit()
    return worry


# --- "I want to talk to my worker".


def test_the_talk_form_shows_who_to_contact_now_before_sending(app, world):
    page = text(signed_in(app, world["child"].user).get("/my/views/new/talk"))
    assert_help_numbers(page)


def test_i_want_to_talk_to_my_worker_is_urgent_and_the_sender_sees_who_to_contact_now(app, world, mailbox):
    entry, page = send_talk(app, world["child"])
    assert entry.urgent is True
    assert entry.answers == {"about": SECRET_WORDS, "safe_now": "no"}
    shown = text(page)
    assert "Sent! Thank you for telling us." in shown
    assert "Your worker has been told straight away." in shown
    assert_help_numbers(shown)


def test_the_lead_worker_is_told_in_the_app_and_by_an_email_with_no_content(app, world, mailbox):
    entry, _page = send_talk(app, world["child"])
    lead = world["worker_a"]
    assert [n.entry_id for n in notifications(lead, "urgent")] == [entry.id]
    assert db_session().scalar(select(func.count(Notification.id))) == 1, "nobody else is notified"

    assert len(mailbox.messages) == 1
    [message] = mailbox.to(lead.email)
    text_of_email = body(message) + message["Subject"]
    assert f"/staff/entries/{entry.id}" in body(message)
    for word in TELLTALE + ["Child", "Test family"]:
        assert word not in text_of_email, word

    inbox = text(signed_in(app, lead).get("/staff/inbox"))
    assert "Urgent: Child in The Test family" in inbox


def test_an_urgent_entry_with_the_mail_server_down_is_still_stored_and_confirmed(app, world, mailbox):
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    entry, page = send_talk(app, world["child"])
    assert page.status_code == 200
    assert "Sent! Thank you for telling us." in text(page)
    assert_help_numbers(text(page))
    assert entry.urgent is True
    assert [n.entry_id for n in notifications(world["worker_a"], "urgent")] == [entry.id]
    assert mailbox.messages == []


# --- A 0 on a safety worry.


def test_a_zero_on_a_safety_worry_raises_an_urgent_entry_and_an_email(app, world, mailbox):
    worry = safety_worry(world)
    browser = signed_in(app, world["child"].user)
    response = browser.submit(f"/my/worries/{worry.id}", {"score": "0", "one_point_higher": "If he stopped"})
    entry = db_session().scalars(select(Entry)).one()
    assert response.headers["Location"] == f"/my/views/{entry.id}?sent=1"
    assert (entry.urgent, entry.kind, entry.member_id) == (True, "safety_score", world["child"].id)
    page = text(browser.get(response.headers["Location"]))
    assert_help_numbers(page)
    assert "Dad's drinking at weekends" in page

    [message] = mailbox.to(world["worker_a"].email)
    assert len(mailbox.messages) == 1
    assert f"/staff/entries/{entry.id}" in body(message)
    assert "drinking" not in body(message) and "If he stopped" not in body(message)
    assert [n.entry_id for n in notifications(world["worker_a"], "urgent")] == [entry.id]


@pytest.mark.parametrize("is_safety,value", [(False, "0"), (True, "1")])
def test_only_a_zero_on_a_safety_worry_is_urgent(app, world, mailbox, is_safety, value):
    worry = safety_worry(world, is_safety=is_safety)
    response = signed_in(app, world["child"].user).submit(f"/my/worries/{worry.id}", {"score": value})
    assert response.headers["Location"] == f"/my/worries/{worry.id}"
    assert db_session().scalar(select(func.count(Entry.id))) == 0
    assert db_session().scalar(select(func.count(Notification.id))) == 0
    assert mailbox.messages == []


# --- Escalation to managers.


@pytest.fixture
def second_manager_a(world):
    return factories.staff(world["team_a"], "manager", name="Deputy manager A")


def test_nothing_is_escalated_before_the_time_is_up(app, world, mailbox, frozen, second_manager_a):
    entry, _page = send_talk(app, world["child"])
    frozen.move_to(START + timedelta(hours=3, minutes=59), tick=False)
    assert "0 urgent entries escalated" in run_escalations(app)
    db_session().refresh(entry)
    assert entry.escalated_at is None
    for manager in (world["manager_a"], second_manager_a):
        assert notifications(manager, "escalation") == []
        assert mailbox.to(manager.email) == []


def test_after_the_time_is_up_the_teams_managers_are_alerted_and_see_it_on_their_list(app, world, mailbox, frozen, second_manager_a):
    entry, _page = send_talk(app, world["child"])
    frozen.move_to(START + timedelta(hours=4, minutes=1), tick=False)
    assert "1 urgent entries escalated" in run_escalations(app)
    db_session().refresh(entry)
    assert entry.escalated_at is not None

    for manager in (world["manager_a"], second_manager_a):
        assert [n.entry_id for n in notifications(manager, "escalation")] == [entry.id]
        [message] = mailbox.to(manager.email)
        assert f"/staff/entries/{entry.id}" in body(message)
        assert "4 hours" in body(message)
        for word in TELLTALE:
            assert word not in body(message) + message["Subject"]
    for outsider in (world["manager_b"], world["worker_b"], world["other_worker_a"]):
        assert notifications(outsider, "escalation") == []
        assert mailbox.to(outsider.email) == []
    assert notifications(world["worker_a"], "escalation") == []

    page = signed_in(app, world["manager_a"]).get("/staff/escalations")
    assert page.status_code == 200
    assert f'href="/staff/entries/{entry.id}"' in page.get_data(as_text=True)
    assert "Lead: Worker A" in text(page)
    other_team = signed_in(app, world["manager_b"]).get("/staff/escalations")
    assert f"/staff/entries/{entry.id}" not in other_team.get_data(as_text=True)


def test_an_acknowledged_entry_is_never_escalated(app, world, mailbox, frozen):
    entry, _page = send_talk(app, world["child"])
    frozen.move_to(START + timedelta(hours=1), tick=False)
    worker = signed_in(app, world["worker_a"])
    response = worker.submit(f"/staff/entries/{entry.id}/acknowledge", {"actions": ["called"]}, page=f"/staff/entries/{entry.id}")
    assert response.status_code == 302
    db_session().refresh(entry)
    assert entry.acknowledged_by_id == world["worker_a"].id
    assert "Recorded by Worker A on" in text(worker.get(f"/staff/entries/{entry.id}"))

    frozen.move_to(START + timedelta(hours=30), tick=False)
    assert "0 urgent entries escalated" in run_escalations(app)
    assert notifications(world["manager_a"], "escalation") == []
    assert mailbox.to(world["manager_a"].email) == []
    page = signed_in(app, world["manager_a"]).get("/staff/escalations").get_data(as_text=True)
    # Not escalated, and not a breach of the 24-hour rule: listed among the decisions instead.
    assert f'id="escalated-{entry.id}"' not in page and f'id="breach-{entry.id}"' not in page
    assert f'href="/staff/entries/{entry.id}#decision"' in page


def test_opening_an_urgent_entry_is_not_acknowledging_it(app, world, mailbox, frozen):
    entry, _page = send_talk(app, world["child"])
    frozen.move_to(START + timedelta(hours=1), tick=False)
    assert signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}").status_code == 200
    frozen.move_to(START + timedelta(hours=4, minutes=1), tick=False)
    assert "1 urgent entries escalated" in run_escalations(app)


def test_running_the_command_twice_does_not_alert_twice(app, world, mailbox, frozen):
    entry, _page = send_talk(app, world["child"])
    frozen.move_to(START + timedelta(hours=4, minutes=1), tick=False)
    assert "1 urgent entries escalated" in run_escalations(app)
    frozen.move_to(START + timedelta(hours=6), tick=False)
    assert "0 urgent entries escalated" in run_escalations(app)
    assert len(notifications(world["manager_a"], "escalation")) == 1
    assert len(mailbox.to(world["manager_a"].email)) == 1


def test_an_escalation_time_over_24_hours_is_capped_at_24(app, world, mailbox, frozen):
    app.config["ESCALATION_HOURS"] = 48
    entry, _page = send_talk(app, world["child"])
    assert "within 24 hours" in text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))
    frozen.move_to(START + timedelta(hours=23, minutes=59), tick=False)
    assert "0 urgent entries escalated" in run_escalations(app)
    frozen.move_to(START + timedelta(hours=24, minutes=1), tick=False)
    assert "1 urgent entries escalated" in run_escalations(app)
    [message] = mailbox.to(world["manager_a"].email)
    assert "24 hours" in body(message)


def test_a_shorter_escalation_time_is_used(app, world, mailbox, frozen):
    app.config["ESCALATION_HOURS"] = 1
    send_talk(app, world["child"])
    frozen.move_to(START + timedelta(minutes=59), tick=False)
    assert "0 urgent entries escalated" in run_escalations(app)
    frozen.move_to(START + timedelta(hours=1, minutes=1), tick=False)
    assert "1 urgent entries escalated" in run_escalations(app)


def test_a_safety_score_entry_is_escalated_too(app, world, mailbox, frozen):
    worry = safety_worry(world)
    signed_in(app, world["child"].user).submit(f"/my/worries/{worry.id}", {"score": "0"})
    frozen.move_to(START + timedelta(hours=4, minutes=1), tick=False)
    assert "1 urgent entries escalated" in run_escalations(app)
    assert len(notifications(world["manager_a"], "escalation")) == 1


def test_a_worker_cannot_open_the_escalation_list(app, world):
    assert signed_in(app, world["worker_a"]).get("/staff/escalations").status_code == 404


def test_family_members_cannot_open_the_escalation_list(app, world):
    assert signed_in(app, world["child"].user).get("/staff/escalations").status_code == 404


# --- Pressing "I want to talk to my worker" is the message.


def test_talk_sent_with_nothing_typed_is_stored_and_the_worker_is_told_at_once(app, world, mailbox):
    browser = signed_in(app, world["child"].user)
    response = browser.submit("/my/views/new/talk", {})
    assert response.status_code == 302, text(response)[:2000]
    entry = db_session().scalars(select(Entry)).one()
    assert (entry.kind, entry.urgent, dict(entry.answers), entry.member_id) == ("talk", True, {}, world["child"].id)
    assert [n.entry_id for n in notifications(world["worker_a"], "urgent")] == [entry.id]
    [message] = mailbox.to(world["worker_a"].email)
    assert f"/staff/entries/{entry.id}" in body(message)
    shown = text(browser.get(response.headers["Location"]))
    assert "Sent! Thank you for telling us." in shown
    assert "Your worker has been told today." in shown
    assert_help_numbers(shown)
    staff_page = text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))
    assert "Nothing was written. Pressing the button was the message." in staff_page


def test_talk_drafted_offline_with_nothing_typed_is_sent_and_the_worker_is_told(app, world, mailbox):
    browser = signed_in(app, world["child"].user)
    token = browser.get("/my/token").get_json()["csrf_token"]
    payload = {"kind": "talk", "fields": {"client_id": "offline-talk-0001", "about": ""}, "language": "en"}
    response = browser.post("/my/outbox", json=payload, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.get_json()
    entry = db_session().scalars(select(Entry)).one()
    assert (entry.kind, entry.urgent, dict(entry.answers)) == ("talk", True, {})
    assert [n.entry_id for n in notifications(world["worker_a"], "urgent")] == [entry.id]
    assert len(mailbox.to(world["worker_a"].email)) == 1


def test_an_urgent_entry_never_promises_a_reply_date_it_says_the_worker_was_told(app, world, mailbox, frozen):
    entry, page = send_talk(app, world["child"])
    browser = signed_in(app, world["child"].user)
    for shown in (text(page), text(browser.get(f"/my/views/{entry.id}"))):
        assert "will reply by" not in shown
        assert "Your worker has been told today." in shown
    signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}")  # read by the worker
    read = text(browser.get(f"/my/views/{entry.id}"))
    assert "Read by your worker" in read and "will reply by" not in read
    frozen.move_to(START + timedelta(days=2), tick=False)
    later = text(signed_in(app, world["child"].user).get(f"/my/views/{entry.id}"))
    assert "will reply by" not in later and "told today" not in later
    assert "Your worker was told on Wednesday, 4 March 2026." in later
    staff_page = text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))
    assert "would reply by" not in staff_page


# --- Email leaves after the entry is stored, never inside the child's request, and is never lost.


@pytest.fixture
def hanging_mail_server() -> Iterator[socket.socket]:
    """A mail server that takes the connection and never answers; closing it cuts off whoever waits."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield server
    finally:
        server.close()


def outgoing() -> list[OutgoingEmail]:
    return list(db_session().scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def run_send_email(app: Any) -> str:
    result = app.test_cli_runner().invoke(args=["send-email"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_a_mail_server_that_hangs_never_keeps_a_child_waiting(app, world, mailbox, hanging_mail_server):
    app.config["SMTP_PORT"] = hanging_mail_server.getsockname()[1]
    browser = signed_in(app, world["child"].user)
    started = time.perf_counter()
    response = browser.submit("/my/views/new/talk", {"about": SECRET_WORDS, "safe_now": "no"})
    took = time.perf_counter() - started
    assert response.status_code == 302
    assert took < 3, f"the child waited {took:.1f} s for the mail server"
    entry = db_session().scalars(select(Entry)).one()
    assert [n.entry_id for n in notifications(world["worker_a"], "urgent")] == [entry.id]
    assert "Sent! Thank you for telling us." in text(browser.get(response.headers["Location"]))

    hanging_mail_server.close()  # the server gives up: the email stays, to be sent again
    assert mailbox.messages == []
    [kept] = outgoing()
    assert (kept.recipient, kept.sent_at, kept.attempts) == (world["worker_a"].email, None, 1)
    assert kept.last_error
    assert f"/staff/entries/{entry.id}" in kept.body
    for word in TELLTALE + ["Child", "Test family"]:
        assert word not in kept.body + kept.subject, word


def test_an_email_the_mail_server_refused_is_tried_again_later_and_sent_once(app, world, mailbox, frozen):
    working_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    entry, page = send_talk(app, world["child"])
    assert "Sent! Thank you for telling us." in text(page)
    assert mailbox.messages == []
    [kept] = outgoing()
    assert (kept.sent_at, kept.attempts) == (None, 1)

    # Still down when cron runs: kept, and tried again after a longer wait each time.
    frozen.move_to(START + timedelta(minutes=1, seconds=1), tick=False)
    assert "0 emails sent, 1 waiting" in run_send_email(app)
    db_session().refresh(kept)
    assert (kept.sent_at, kept.attempts) == (None, 2)
    first_wait = kept.next_attempt_at - (START + timedelta(minutes=1, seconds=1))
    tried_at = kept.next_attempt_at
    frozen.move_to(tried_at, tick=False)
    assert "0 emails sent, 1 waiting" in run_send_email(app)
    db_session().refresh(kept)
    assert kept.attempts == 3
    assert kept.next_attempt_at - tried_at > first_wait

    # The server works again: the next run sends it, and no run sends it twice.
    app.config["SMTP_PORT"] = working_port
    assert "0 emails sent, 1 waiting" in run_send_email(app), "not before its time"
    frozen.move_to(kept.next_attempt_at, tick=False)
    assert "1 email sent, 0 waiting" in run_send_email(app)
    assert "0 emails sent, 0 waiting" in run_send_email(app)
    [message] = mailbox.to(world["worker_a"].email)
    assert f"/staff/entries/{entry.id}" in body(message)
    db_session().refresh(kept)
    assert kept.sent_at is not None


def test_the_escalation_command_sends_waiting_emails_too(app, world, mailbox, frozen):
    working_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()
    send_talk(app, world["child"])
    assert mailbox.messages == []
    app.config["SMTP_PORT"] = working_port
    frozen.move_to(START + timedelta(minutes=5), tick=False)
    assert "0 urgent entries escalated" in run_escalations(app)
    assert len(mailbox.to(world["worker_a"].email)) == 1


@pytest.fixture
def alerts_cannot_be_stored(app: Any) -> Any:
    """The database refuses to store in-app alerts until the test says stop."""
    stop = refuse_inserts(app, "notifications")
    yield stop
    stop()


def test_an_urgent_entry_whose_alert_cannot_be_stored_is_not_half_kept_and_sending_again_tells_the_worker(
    app, world, mailbox, alerts_cannot_be_stored
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # the child sees the error page, as on a real server
    browser = signed_in(app, world["child"].user)
    page = browser.get("/my/views/new/talk").get_data(as_text=True)
    form = {"about": SECRET_WORDS, "safe_now": "no", "client_id": "talk-copy-0001", "csrf_token": browser.csrf_token("/my/views/new/talk")}
    assert "client_id" in page
    failed = browser.post("/my/views/new/talk", data=form)
    assert failed.status_code >= 500
    assert db_session().scalar(select(func.count(Entry.id))) == 0, "no entry the worker was never told about"
    assert outgoing() == []

    alerts_cannot_be_stored()
    again = browser.post("/my/views/new/talk", data=form)
    assert again.status_code == 302
    entry = db_session().scalars(select(Entry)).one()
    assert [n.entry_id for n in notifications(world["worker_a"], "urgent")] == [entry.id]
    assert len(mailbox.to(world["worker_a"].email)) == 1
