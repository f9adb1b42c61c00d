"""Views (entries): what young people and parents send, who sees it, and the worker's inbox."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from webapp.audit.models import AuditEvent
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.entries.models import Entry, EntryReply
from webapp.photos.models import Photo

from . import factories
from .helpers import signed_in, text

FOR_EVERYONE = ["meeting", "worries", "good_news", "plan_going", "three_houses", "goodbye", "talk"]
FOR_PARENTS_ONLY = ["parent_views"]
# Statements (tests/test_statements.py): "Something happened" and a complaint for everyone, "My life" for young people.
FOR_EVERYONE += ["something_happened", "complaint"]
FOR_YOUNG_PEOPLE_ONLY = ["my_life"]
AT_LEAST_ONE = "Please answer at least one question before you send."
NOT_OFFERED = "Please choose one of the answers shown."


def entries() -> list[Entry]:
    return list(db_session().scalars(select(Entry).order_by(Entry.id)))


def entry_count() -> int:
    return db_session().scalar(select(func.count(Entry.id))) or 0


def send(browser: Any, kind: str, **answers: Any) -> Any:
    return browser.submit(f"/my/views/new/{kind}", answers)


def sent_entry(response: Any) -> Entry:
    """The entry a successful send redirected to."""
    assert response.status_code == 302, text(response)[:2000]
    match = re.fullmatch(r"/my/views/(\d+)\?sent=1", response.headers["Location"])
    assert match, response.headers["Location"]
    entry = db_session().get(Entry, int(match.group(1)))
    assert entry is not None
    return entry


def inbox_ids(response: Any) -> list[int]:
    """The entries listed in a worker's inbox, top to bottom."""
    html = response.get_data(as_text=True)
    if 'class="card-list inbox-list"' not in html:
        return []
    listing = html.split('class="card-list inbox-list"', 1)[1].split("</ul>", 1)[0]
    return [int(entry_id) for entry_id in re.findall(r'href="/staff/entries/(\d+)"', listing)]


def shared_ids(response: Any) -> list[int]:
    return [int(entry_id) for entry_id in re.findall(r'href="/my/views/(\d+)"', response.get_data(as_text=True))]


def make_entry(member: Any, hours_ago: float, *, urgent: bool = False, read: bool = False, acknowledged: bool = False) -> Entry:
    when = utcnow() - timedelta(hours=hours_ago)
    row = Entry(
        member_id=member.id,
        family_id=member.family_id,
        kind="talk" if urgent else "good_news",
        answers={"about": "x"} if urgent else {"what_happened": "x"},
        language="en",
        urgent=urgent,
        created_at=when,
        read_at=when + timedelta(minutes=5) if read else None,
        acknowledged_at=when + timedelta(minutes=5) if acknowledged else None,
    )
    db_session().add(row)
    db_session().commit()
    return row


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 140, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def child(app, world):
    return signed_in(app, world["child"].user)


@pytest.fixture
def worker(app, world):
    return signed_in(app, world["worker_a"])


# --- Kinds of entry and who may send them.


def full_answers(kind_key: str) -> dict[str, str]:
    """An answer to every question of a kind: words for text, the first offered choice."""
    answers = {}
    for question in kinds.BY_KEY[kind_key].questions:
        answers[question.key] = question.choices[0][0] if question.kind == "choice" else f"My words for {question.key}"
    return answers


@pytest.mark.parametrize(
    "role,kind_key",
    [("child", key) for key in FOR_EVERYONE + FOR_YOUNG_PEOPLE_ONLY] + [("parent", key) for key in FOR_EVERYONE + FOR_PARENTS_ONLY],
)
def test_every_kind_of_entry_can_be_sent_by_the_people_it_is_for(app, world, role, kind_key):
    member = world[role]
    browser = signed_in(app, member.user)
    with app.test_request_context():
        title = str(kinds.BY_KEY[kind_key].title)
        first_choices = {q.key: str(q.choices[0][1]) for q in kinds.BY_KEY[kind_key].questions if q.kind == "choice"}
    assert title in text(browser.get(f"/my/views/new/{kind_key}"))
    answers = full_answers(kind_key)
    response = send(browser, kind_key, feeling="happy", **answers)
    entry = sent_entry(response)
    assert (entry.kind, entry.member_id, entry.family_id, entry.feeling) == (kind_key, member.id, member.family_id, "happy")
    assert entry.answers == answers
    page = text(browser.get(response.headers["Location"]))
    assert "Sent! Thank you for telling us." in page
    for question in kinds.BY_KEY[kind_key].questions:
        shown = first_choices[question.key] if question.kind == "choice" else answers[question.key]
        assert shown in page
    assert "Feeling: Happy" in page
    assert entry.id in inbox_ids(signed_in(app, world["worker_a"]).get("/staff/inbox"))


@pytest.mark.parametrize("role,expected", [("child", FOR_EVERYONE + FOR_YOUNG_PEOPLE_ONLY), ("parent", FOR_EVERYONE + FOR_PARENTS_ONLY)])
def test_my_views_offers_each_person_the_kinds_that_are_for_them(app, world, role, expected):
    page = signed_in(app, world[role].user).get("/my/views").get_data(as_text=True)
    offered = re.findall(r'href="/my/views/new/([a-z_]+)"', page)
    assert sorted(offered) == sorted(expected)


def test_a_young_person_cannot_open_or_send_the_parents_kind(child, world):
    assert child.get("/my/views/new/parent_views").status_code == 404
    response = child.post("/my/views/new/parent_views", data={"going_well": "Sneaky", "csrf_token": child.csrf_token("/my/views")})
    assert response.status_code == 404
    assert entry_count() == 0


@pytest.mark.parametrize("kind_key", ["no_such_kind", kinds.SAFETY_SCORE])
def test_a_kind_that_is_not_a_form_is_404(child, kind_key):
    assert child.get(f"/my/views/new/{kind_key}").status_code == 404


def test_staff_cannot_use_the_family_pages(worker):
    assert worker.get("/my/views").status_code == 404
    assert worker.get("/my/views/new/good_news").status_code == 404


# --- Checking what is sent.


def test_an_entry_needs_at_least_one_answer(child):
    for empty in ({}, {"what_happened": "   \n  ", "who_with": ""}):
        response = send(child, "good_news", **empty)
        assert response.status_code == 400
        assert AT_LEAST_ONE in text(response)
    assert entry_count() == 0


def test_a_feeling_alone_is_enough(child):
    entry = sent_entry(send(child, "good_news", feeling="ok"))
    assert entry.feeling == "ok" and entry.answers == {}


@pytest.mark.parametrize(
    "kind_key,field,value",
    [("plan_going", "help_working", "maybe"), ("talk", "safe_now", "yes_obviously"), ("good_news", "feeling", "ecstatic")],
)
def test_a_choice_that_was_not_offered_is_refused_and_nothing_stored(child, kind_key, field, value):
    first_text = next(q.key for q in kinds.BY_KEY[kind_key].questions if q.kind == "text")
    response = send(child, kind_key, **{first_text: "Some words", field: value})
    assert response.status_code == 400
    assert NOT_OFFERED in text(response)
    assert entry_count() == 0


def test_an_answer_of_5001_characters_is_refused_but_5000_is_fine(child):
    response = send(child, "good_news", what_happened="a" * 5001)
    assert "Please write at most 5000 characters." in text(response)
    assert entry_count() == 0
    entry = sent_entry(send(child, "good_news", what_happened="b" * 5000))
    assert entry.answers["what_happened"] == "b" * 5000


def test_text_is_stored_as_typed_and_always_shown_escaped(app, child, world):
    typed = "<script>alert('hi')</script> & <b>bold</b>"
    entry = sent_entry(send(child, "good_news", what_happened=typed))
    assert entry.answers["what_happened"] == typed
    pages = [child.get(f"/my/views/{entry.id}"), signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<script>alert(" not in html
        assert "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(" in html
        assert typed in text(page)


def test_the_language_an_entry_was_written_in_is_recorded(app, world):
    polish = factories.member(world["family"], "young_person", name="Kasia", language="pl")
    browser = signed_in(app, polish.user)
    entry = sent_entry(send(browser, "good_news", what_happened="Byliśmy w parku"))
    assert entry.language == "pl"
    assert entry.answers["what_happened"] == "Byliśmy w parku"
    english = sent_entry(send(signed_in(app, world["child"].user), "good_news", what_happened="We went to the park"))
    assert english.language == "en"
    staff_page = text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))
    assert "Written in Polski" in staff_page
    assert 'lang="pl"' in staff_page


def test_the_same_form_sent_twice_with_its_client_id_is_stored_once(child):
    first = sent_entry(send(child, "good_news", what_happened="We won", client_id="draft-abc12345"))
    second = sent_entry(send(child, "good_news", what_happened="We won", client_id="draft-abc12345"))
    assert first.id == second.id
    assert entry_count() == 1


# --- Who sees a young person's entry.


def share_box(html: str) -> str | None:
    match = re.search(r'<input[^>]*name="share_with_family"[^>]*>', html)
    return match.group(0) if match else None


def test_sharing_with_the_family_is_off_by_default_and_the_form_says_who_will_see_it(child):
    page = child.get("/my/views/new/good_news").get_data(as_text=True)
    box = share_box(page)
    assert box is not None and 'type="checkbox"' in box
    assert "checked" not in box
    assert "Your worker will see this. Your family will not, unless you tick the box below." in text(child.get("/my/views/new/good_news"))
    entry = sent_entry(send(child, "good_news", what_happened="We won"))
    assert entry.shared_with_family is False


def test_a_parents_form_has_no_share_box_and_says_only_the_worker_will_see_it(app, world):
    parent = signed_in(app, world["parent"].user)
    page = parent.get("/my/views/new/parent_views")
    assert share_box(page.get_data(as_text=True)) is None
    assert "Your worker will see this. Other people in your family will not." in text(page)
    entry = sent_entry(send(parent, "parent_views", going_well="Calmer evenings", share_with_family="y"))
    assert entry.shared_with_family is False
    assert shared_ids(signed_in(app, world["child"].user).get("/my/shared")) == []


def test_i_want_to_talk_to_my_worker_can_never_be_shared_with_the_family(app, child, world):
    page = child.get("/my/views/new/talk")
    assert share_box(page.get_data(as_text=True)) is None
    assert "Your worker will see this. Nobody else in your family will." in text(page)
    first_text = next(q.key for q in kinds.BY_KEY["talk"].questions if q.kind == "text")
    entry = sent_entry(send(child, "talk", **{first_text: "Dad hit me last night", "share_with_family": "y"}))
    assert entry.shared_with_family is False
    assert shared_ids(signed_in(app, world["parent"].user).get("/my/shared")) == []


def test_a_parent_sees_a_shared_entry_of_a_child_but_never_an_unshared_one(app, child, world):
    shared = sent_entry(send(child, "good_news", what_happened="I got into the team", share_with_family="y"))
    private = sent_entry(send(child, "worries", what_worries="Something only my worker knows"))
    assert shared.shared_with_family is True and private.shared_with_family is False
    assert "You shared this with your family." in text(child.get(f"/my/views/{shared.id}"))

    parent = signed_in(app, world["parent"].user)
    assert shared_ids(parent.get("/my/shared")) == [shared.id]
    page = text(parent.get(f"/my/views/{shared.id}"))
    assert "I got into the team" in page and "From Child" in page
    assert parent.get(f"/my/views/{private.id}").status_code == 404
    assert "Something only my worker knows" not in text(parent.get("/my/shared"))
    # A brother or sister is family too.
    assert shared_ids(signed_in(app, world["young_child"].user).get("/my/shared")) == [shared.id]


def test_a_restricted_parent_never_sees_even_shared_entries(app, child, world):
    shared = sent_entry(send(child, "good_news", what_happened="I got into the team", share_with_family="y"))
    restricted = signed_in(app, world["restricted_parent"].user)
    assert shared_ids(restricted.get("/my/shared")) == []
    assert "I got into the team" not in text(restricted.get("/my/shared"))
    assert restricted.get(f"/my/views/{shared.id}").status_code == 404


def test_another_family_never_sees_a_shared_entry(app, child, world):
    shared = sent_entry(send(child, "good_news", what_happened="I got into the team", share_with_family="y"))
    for member in (
        world["other_child"],
        factories.member(world["other_family"], "parent", name="Other parent"),
        factories.member(world["family_b"], "parent", name="Team B parent"),
    ):
        browser = signed_in(app, member.user)
        assert shared_ids(browser.get("/my/shared")) == [], member.display_name
        assert browser.get(f"/my/views/{shared.id}").status_code == 404, member.display_name


def test_a_restricted_young_person_gets_no_share_box_and_cannot_share_by_posting_it(app, world):
    restricted_child = factories.member(world["family"], "young_person", name="Restricted child", restricted=True)
    browser = signed_in(app, restricted_child.user)
    page = browser.get("/my/views/new/good_news")
    assert share_box(page.get_data(as_text=True)) is None
    assert "Your worker will see this. Nobody else in your family will." in text(page)
    entry = sent_entry(send(browser, "good_news", what_happened="Private words", share_with_family="y"))
    assert entry.shared_with_family is False
    parent = signed_in(app, world["parent"].user)
    assert shared_ids(parent.get("/my/shared")) == []
    assert parent.get(f"/my/views/{entry.id}").status_code == 404


# --- Read, reply, and the reply promise.


def test_status_goes_from_sent_to_read_to_replied(app, child, worker, world):
    entry = sent_entry(send(child, "worries", what_worries="Mum is sad a lot"))
    page = text(child.get(f"/my/views/{entry.id}"))
    assert "Sent" in page and "Read by your worker" not in page and "Your worker replied" not in page
    assert entry.read_at is None

    assert worker.get(f"/staff/entries/{entry.id}").status_code == 200
    db_session().refresh(entry)
    assert entry.read_at is not None
    assert entry.read_by_id == world["worker_a"].id
    viewed = db_session().scalars(select(AuditEvent).where(AuditEvent.action == "entry_viewed")).all()
    assert [(e.actor_id, e.family_id, e.target) for e in viewed] == [(world["worker_a"].id, world["family"].id, f"entry:{entry.id}")]
    page = text(child.get(f"/my/views/{entry.id}"))
    assert "Read by your worker" in page and "Your worker replied" not in page
    assert "Read by your worker" in text(child.get("/my/views"))

    response = worker.submit(f"/staff/entries/{entry.id}/reply", {"body": "Thank you for telling me. Let's talk on Monday."}, page=f"/staff/entries/{entry.id}")
    assert response.status_code == 302
    page = text(child.get(f"/my/views/{entry.id}"))
    assert "Your worker replied" in page
    assert "Thank you for telling me. Let's talk on Monday." in page
    assert "Worker A" in page
    assert "Your worker replied" in text(child.get("/my/views"))


def test_a_second_worker_opening_it_does_not_change_who_read_it_first(app, world):
    co_worker = factories.staff(world["team_a"], "worker", name="Co-worker")
    factories.co_worker(world["family"], co_worker)
    entry = make_entry(world["child"], 1)
    signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}")
    db_session().refresh(entry)
    first_read = entry.read_at
    assert signed_in(app, co_worker).get(f"/staff/entries/{entry.id}").status_code == 200
    db_session().refresh(entry)
    assert (entry.read_at, entry.read_by_id) == (first_read, world["worker_a"].id)


def test_the_reply_shows_under_the_entry_for_its_author_only(app, child, worker, world):
    entry = sent_entry(send(child, "good_news", what_happened="I got into the team", share_with_family="y"))
    worker.submit(f"/staff/entries/{entry.id}/reply", {"body": "Brilliant news, well done!"}, page=f"/staff/entries/{entry.id}")
    assert "Brilliant news, well done!" in text(child.get(f"/my/views/{entry.id}"))
    parent_page = signed_in(app, world["parent"].user).get(f"/my/views/{entry.id}")
    assert parent_page.status_code == 200
    assert "I got into the team" in text(parent_page)
    assert "Brilliant news, well done!" not in text(parent_page)


def test_an_empty_reply_is_refused(worker, world):
    entry = make_entry(world["child"], 1)
    response = worker.submit(f"/staff/entries/{entry.id}/reply", {"body": "   "}, page=f"/staff/entries/{entry.id}")
    assert response.status_code == 400
    assert "Please write a reply first." in text(response)
    assert db_session().scalar(select(func.count(EntryReply.id))) == 0


@pytest.mark.parametrize(
    "working_days,promise",
    [
        (1, "Friday, 6 March 2026"),
        (2, "Monday, 9 March 2026"),
        (3, "Tuesday, 10 March 2026"),
        (5, "Thursday, 12 March 2026"),
    ],
)
def test_the_reply_promise_counts_working_days_and_skips_the_weekend(app, world, time_machine, working_days, promise):
    time_machine.move_to(datetime(2026, 3, 5, 11, 0, tzinfo=UTC), tick=False)  # a Thursday
    app.config["REPLY_WORKING_DAYS"] = working_days
    browser = signed_in(app, world["child"].user)
    entry = sent_entry(send(browser, "worries", what_worries="School"))
    assert f"Your worker will reply by {promise}" in text(browser.get(f"/my/views/{entry.id}"))


def test_the_reply_promise_counts_from_the_local_date_not_the_utc_one(app, world, time_machine):
    # 23:30 UTC on Thursday is 00:30 on Friday in London (summer time): Friday is day 0.
    time_machine.move_to(datetime(2026, 6, 4, 23, 30, tzinfo=UTC), tick=False)
    app.config["REPLY_WORKING_DAYS"] = 3
    browser = signed_in(app, world["child"].user)
    entry = sent_entry(send(browser, "worries", what_worries="School"))
    assert "Your worker will reply by Wednesday, 10 June 2026" in text(browser.get(f"/my/views/{entry.id}"))


# --- The offline outbox.


def outbox_post(browser: Any, payload: Any, *, csrf: bool = True) -> Any:
    headers = {"X-CSRFToken": browser.get("/my/token").get_json()["csrf_token"]} if csrf else {}
    return browser.post("/my/outbox", json=payload, headers=headers)


def draft(client_id: str | None = "offline-draft-0001", **fields: str) -> dict[str, Any]:
    fields = fields or {"what_happened": "Written on the bus with no signal"}
    if client_id is not None:
        fields["client_id"] = client_id
    return {"kind": "good_news", "fields": fields, "language": "pl"}


def test_an_offline_draft_sent_twice_is_stored_once(child, world):
    first = outbox_post(child, draft())
    assert first.status_code == 201
    assert first.get_json()["created"] is True
    replay = outbox_post(child, draft(what_happened="A later copy of the same draft"))
    assert replay.status_code == 200
    assert replay.get_json()["created"] is False
    assert replay.get_json()["id"] == first.get_json()["id"]
    assert replay.get_json()["url"] == f"/my/views/{first.get_json()['id']}"
    [entry] = entries()
    assert entry.answers == {"what_happened": "Written on the bus with no signal"}
    assert (entry.member_id, entry.client_id, entry.language) == (world["child"].id, "offline-draft-0001", "pl")


@pytest.mark.parametrize("share,shared", [(False, False), ("", False), (True, True), ("y", True)])
def test_an_offline_draft_is_shared_with_the_family_only_when_the_box_was_ticked(app, child, world, share, shared):
    payload = draft()
    payload["fields"]["share_with_family"] = share
    response = outbox_post(child, payload)
    assert response.status_code == 201
    [entry] = entries()
    assert entry.shared_with_family is shared
    parent = signed_in(app, world["parent"].user)
    assert shared_ids(parent.get("/my/shared")) == ([entry.id] if shared else [])


def test_an_offline_draft_without_the_csrf_header_is_refused(child):
    response = outbox_post(child, draft(), csrf=False)
    assert response.status_code == 400
    assert entry_count() == 0


def test_an_offline_draft_without_a_client_id_is_refused(child):
    response = outbox_post(child, draft(client_id=None))
    assert response.status_code == 400
    assert entry_count() == 0


def test_an_offline_draft_follows_the_same_rules_as_the_form(child):
    assert outbox_post(child, {"kind": "parent_views", "fields": {"going_well": "x", "client_id": "offline-draft-0002"}}).status_code == 400
    assert outbox_post(child, draft(client_id="offline-draft-0003", what_happened="c" * 5001)).status_code == 400
    assert outbox_post(child, draft(client_id="offline-draft-0004", what_happened="   ")).status_code == 400
    assert outbox_post(child, "not an object").status_code == 400
    assert entry_count() == 0


def test_a_refused_offline_draft_is_told_why_in_the_senders_language(app, world):
    polish = signed_in(app, factories.member(world["family"], "young_person", name="Kasia", language="pl").user)
    response = outbox_post(polish, draft(what_happened="c" * 5001))
    assert response.status_code == 400
    assert response.get_json()["error"] == "Napisz najwyżej 5000 znaków."
    assert entry_count() == 0


def test_signed_out_offline_drafts_are_not_stored(client):
    # A valid CSRF token, as a signed-out page would have: still sent to sign in.
    response = client.post("/my/outbox", json=draft(), headers={"X-CSRFToken": client.csrf_token("/signin")})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin")
    assert entry_count() == 0


# --- The worker's inbox.


def test_the_inbox_shows_urgent_unacknowledged_first_then_unread_then_newest(worker, world):
    old_read = make_entry(world["child"], 9, read=True)
    new_read = make_entry(world["parent"], 1, read=True)
    old_unread = make_entry(world["child"], 8)
    new_unread = make_entry(world["young_child"], 2)
    urgent_dealt_with = make_entry(world["child"], 0.5, urgent=True, read=True, acknowledged=True)
    urgent_old = make_entry(world["child"], 20, urgent=True, read=True)
    urgent_new = make_entry(world["parent"], 3, urgent=True)
    expected = [urgent_new, urgent_old, new_unread, old_unread, urgent_dealt_with, new_read, old_read]
    page = worker.get("/staff/inbox")
    assert inbox_ids(page) == [e.id for e in expected]
    assert "2 urgent" in text(page) and "3 unread" in text(page)


def test_the_inbox_is_paginated(app, worker, world):
    app.config["INBOX_PAGE_SIZE"] = 2
    made = [make_entry(world["child"], hours) for hours in (5, 4, 3, 2, 1)]
    newest_first = [e.id for e in reversed(made)]
    pages = [worker.get(f"/staff/inbox?page={n}") for n in (1, 2, 3)]
    assert [inbox_ids(page) for page in pages] == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    first, middle, last = (page.get_data(as_text=True) for page in pages)
    assert 'href="/staff/inbox?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="/staff/inbox?page=1" rel="prev"' in middle and 'href="/staff/inbox?page=3" rel="next"' in middle
    assert 'href="/staff/inbox?page=2" rel="prev"' in last and 'rel="next"' not in last
    assert inbox_ids(worker.get("/staff/inbox?page=4")) == []


@pytest.mark.parametrize("outsider", ["other_worker_a", "worker_b", "manager_b"])
def test_staff_of_another_family_or_team_cannot_open_or_list_an_entry(app, world, outsider):
    entry = make_entry(world["child"], 1)
    theirs = make_entry(world["other_child"], 1)
    browser = signed_in(app, world[outsider])
    assert browser.get(f"/staff/entries/{entry.id}").status_code == 404
    assert entry.id not in inbox_ids(browser.get("/staff/inbox"))
    token = browser.csrf_token("/staff/inbox")
    assert browser.post(f"/staff/entries/{entry.id}/reply", data={"body": "Hello", "csrf_token": token}).status_code == 404
    assert browser.post(f"/staff/entries/{entry.id}/acknowledge", data={"csrf_token": token}).status_code == 404
    db_session().refresh(entry)
    assert entry.read_at is None and entry.acknowledged_at is None
    assert db_session().scalar(select(func.count(EntryReply.id))) == 0
    if outsider == "other_worker_a":
        assert inbox_ids(browser.get("/staff/inbox")) == [theirs.id]


def test_the_team_manager_sees_every_family_of_the_team(app, world):
    entry = make_entry(world["child"], 2)
    theirs = make_entry(world["other_child"], 1)
    other_team = make_entry(factories.member(world["family_b"], "young_person"), 1)
    manager = signed_in(app, world["manager_a"])
    assert inbox_ids(manager.get("/staff/inbox")) == [theirs.id, entry.id]
    assert manager.get(f"/staff/entries/{entry.id}").status_code == 200
    assert manager.get(f"/staff/entries/{other_team.id}").status_code == 404


def test_family_members_cannot_open_the_staff_pages(app, child, world):
    entry = sent_entry(send(child, "good_news", what_happened="We won"))
    assert child.get(f"/staff/entries/{entry.id}").status_code == 404
    assert child.get("/staff/inbox").status_code == 404


def test_another_members_entry_is_404_whatever_the_id(app, child, world):
    entry = sent_entry(send(child, "good_news", what_happened="We won"))
    parent = signed_in(app, world["parent"].user)
    assert parent.get(f"/my/views/{entry.id}").status_code == 404
    assert parent.get(f"/my/views/{entry.id + 1000}").status_code == 404


# --- Photos sent with an entry.


def test_a_photo_attached_in_the_same_form_is_stored_with_the_entry_and_shown(app, child, world):
    response = child.submit(
        "/my/views/new/good_news",
        {"what_happened": "We made a den", "photo": (io.BytesIO(jpeg()), "den.jpg"), "caption": "Our den in the woods"},
        content_type="multipart/form-data",
    )
    entry = sent_entry(response)
    photo = db_session().scalars(select(Photo)).one()
    assert (photo.entry_id, photo.member_id, photo.caption) == (entry.id, world["child"].id, "Our den in the woods")
    for page in (child.get(f"/my/views/{entry.id}"), signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}")):
        html = text(page)
        assert f'src="/photos/{photo.id}"' in html
        assert "Our den in the woods" in html


def test_a_photo_alone_is_enough_to_send_an_entry(child):
    response = child.submit("/my/views/new/good_news", {"photo": (io.BytesIO(jpeg()), "den.jpg")}, content_type="multipart/form-data")
    entry = sent_entry(response)
    assert db_session().scalars(select(Photo)).one().entry_id == entry.id


def test_an_entry_with_a_file_that_is_not_a_photo_is_not_stored(child):
    response = child.submit(
        "/my/views/new/good_news",
        {"what_happened": "We made a den", "photo": (io.BytesIO(b"not a photo at all" * 20), "den.jpg")},
        content_type="multipart/form-data",
    )
    assert "That file is not a photo we can use." in text(response)
    assert entry_count() == 0
    assert db_session().scalar(select(func.count(Photo.id))) == 0
