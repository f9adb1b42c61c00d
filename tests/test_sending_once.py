"""Nothing is sent twice: a double tap, a retry or ten copies of one form at once store one row."""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from webapp.assessments.models import AssessmentComment
from webapp.db import db_session
from webapp.entries.models import Entry, EntryReply
from webapp.notifications.models import Notification
from webapp.photos.models import Photo, PhotoData
from webapp.reviews.models import MeetingMessage
from webapp.worries.models import Worry, WorryMember, WorryScore

from .conftest import FormClient
from .helpers import refuse_inserts, signed_in, text
from .test_assessments import shared

HIDDEN = re.compile(r'<input[^>]*\bname="(csrf_token|client_id)"[^>]*\bvalue="([^"]*)"')


def count(model: Any) -> int:
    return db_session().scalar(select(func.count()).select_from(model)) or 0


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def hidden_fields(page: str, form_action: str) -> dict[str, str]:
    """The hidden fields (CSRF token and client_id) of the form that posts to form_action."""
    forms = re.findall(r"<form\b[^>]*>.*?</form>", page, re.S)
    for form in forms:
        action = re.search(r'\baction="([^"]*)"', form.split(">", 1)[0])
        if action is None or html.unescape(action.group(1)) == form_action:
            fields = {name: html.unescape(value) for name, value in HIDDEN.findall(form)}
            if "client_id" in fields:
                return fields
    raise AssertionError(f"no form with a client_id posts to {form_action}")


@dataclass
class Form:
    """One form someone sends: who, where it is drawn, where it posts, what is in it, what it stores."""

    who: str
    page: str
    action: str
    fields: Callable[[], dict[str, Any]]
    rows: tuple[Any, ...]

    def counts(self) -> list[int]:
        return [count(model) for model in self.rows]


@pytest.fixture
def scene(app, world) -> dict[str, Any]:
    """An entry of the child's for the worker to reply to, and worries the child scores."""
    child, worker = world["child"], world["worker_a"]
    entry = Entry(member_id=child.id, family_id=child.family_id, kind="good_news", answers={"what_happened": "We won"}, language="en")
    ordinary = Worry(family_id=child.family_id, wording="Shouting at home", meaning_0="Bad", meaning_10="Good", created_by_id=worker.id)
    safety = Worry(family_id=child.family_id, wording="Being safe", meaning_0="Bad", meaning_10="Good", is_safety=True, created_by_id=worker.id)
    ordinary.applies_to = [WorryMember(member_id=child.id)]
    safety.applies_to = [WorryMember(member_id=child.id)]
    db_session().add_all([entry, ordinary, safety])
    db_session().commit()
    return {"entry": entry, "worry": ordinary, "safety": safety}


def forms(world: dict[str, Any], scene: dict[str, Any]) -> dict[str, Form]:
    entry, child = scene["entry"], world["child"]
    return {
        "entry": Form("child", "/my/views/new/good_news", "/my/views/new/good_news", lambda: {"what_happened": "We won the cup"}, (Entry,)),
        "entry with a photo": Form(
            "child", "/my/views/new/good_news", "/my/views/new/good_news",
            lambda: {"what_happened": "We won the cup", "photo": (io.BytesIO(jpeg()), "cup.jpg")}, (Entry, Photo, PhotoData),
        ),
        "photo": Form("child", "/my/photos", "/my/photos", lambda: {"photo": (io.BytesIO(jpeg()), "park.jpg"), "caption": "Park"}, (Photo, PhotoData)),
        "worry score": Form("child", f"/my/worries/{scene['worry'].id}", f"/my/worries/{scene['worry'].id}", lambda: {"score": "6"}, (WorryScore,)),
        "a zero on a safety worry": Form(
            "child", f"/my/worries/{scene['safety'].id}", f"/my/worries/{scene['safety'].id}", lambda: {"score": "0"},
            (WorryScore, Entry, Notification),
        ),
        "own worry": Form("child", "/my/worries", "/my/worries/new", lambda: {"wording": "Tests at school"}, (Worry,)),
        "reply": Form("worker_a", f"/staff/entries/{entry.id}", f"/staff/entries/{entry.id}/reply", lambda: {"body": "Well done!"}, (EntryReply,)),
        "meeting message": Form(
            "worker_a", f"/staff/members/{child.id}/meeting-message", f"/staff/members/{child.id}/meeting-message",
            lambda: {"body": "We agreed you stay at school."}, (MeetingMessage,),
        ),
    }


FORMS = ["entry", "entry with a photo", "photo", "worry score", "a zero on a safety worry", "own worry", "reply", "meeting message"]


def browser_for(app: Flask, world: dict[str, Any], who: str) -> FormClient:
    person = world[who]
    return signed_in(app, getattr(person, "user", person))


def post(browser: FormClient, form: Form, hidden: dict[str, str]) -> Any:
    return browser.post(form.action, data={**hidden, **form.fields()}, content_type="multipart/form-data")


@pytest.mark.parametrize("name", FORMS)
def test_every_form_that_sends_something_is_drawn_with_a_fresh_client_id(app, world, scene, name):
    form = forms(world, scene)[name]
    browser = browser_for(app, world, form.who)
    first = hidden_fields(browser.get(form.page).get_data(as_text=True), form.action)["client_id"]
    second = hidden_fields(browser.get(form.page).get_data(as_text=True), form.action)["client_id"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,64}", first)
    assert first != second


@pytest.mark.parametrize("name", FORMS)
def test_the_same_form_sent_again_after_it_went_through_stores_once_and_lands_in_the_same_place(app, world, scene, name):
    form = forms(world, scene)[name]
    browser = browser_for(app, world, form.who)
    before = form.counts()
    hidden = hidden_fields(browser.get(form.page).get_data(as_text=True), form.action)
    first = post(browser, form, hidden)
    assert first.status_code == 302, text(first)[:2000]
    landed = as_seen(browser.get(first.headers["Location"]))
    again = post(browser, form, hidden)  # a retry after the first answer was lost, or a double tap
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert as_seen(browser.get(again.headers["Location"])) == landed
    assert form.counts() == [n + 1 for n in before]


def as_seen(response: Any) -> str:
    """The page as a person sees it: the same whatever fresh ids its forms were drawn with."""
    return re.sub(r'((?:name="(?:client_id|csrf_token)"[^>]*value|data-csrf-token)=")[^"]*"', r'\1"', text(response))


def at_once(app: Flask, browser: FormClient, send: Callable[[FormClient], Any], copies: int = 10) -> list[int]:
    """Send copies of one form at the same moment, each on a connection of its own sharing browser's session."""
    cookie = browser.get_cookie("fv_session")
    assert cookie is not None
    clients = []
    for _ in range(copies):
        client: FormClient = app.test_client()  # type: ignore[assignment]
        client.set_cookie("fv_session", cookie.value, domain="localhost")
        clients.append(client)
    start = threading.Barrier(copies)
    statuses: list[int] = [0] * copies

    def run(index: int) -> None:
        start.wait()
        statuses[index] = send(clients[index]).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


@pytest.mark.parametrize("name", FORMS)
def test_ten_copies_of_one_form_sent_at_the_same_moment_store_one_row(app, world, scene, name):
    form = forms(world, scene)[name]
    browser = browser_for(app, world, form.who)
    before = form.counts()
    hidden = hidden_fields(browser.get(form.page).get_data(as_text=True), form.action)
    statuses = at_once(app, browser, lambda client: post(client, form, hidden))
    assert statuses == [302] * 10
    assert form.counts() == [n + 1 for n in before]


def test_ten_copies_of_a_parents_comments_sent_at_the_same_moment_store_one_comment_per_part(app, world, shared):
    parent = signed_in(app, world["parent"].user)
    url = f"/my/assessments/{shared['assessment'].id}"
    token = hidden_csrf(parent.get(url).get_data(as_text=True))
    home_life, school = shared["sections"]
    data = {"csrf_token": token, f"agree-{home_life}": "partly", f"text-{home_life}": "Nights are better.", "agree-0": "yes", "text-0": "Thanks."}
    statuses = at_once(app, parent, lambda client: client.post(url, data=data))
    assert statuses == [302] * 10
    comments = db_session().scalars(select(AssessmentComment).order_by(AssessmentComment.section_key)).all()
    assert [(c.section_key, c.agree, c.text) for c in comments] == [(0, "yes", "Thanks."), (home_life, "partly", "Nights are better.")]


def test_ten_copies_of_an_autosaved_comment_at_the_same_moment_store_one_comment(app, world, shared):
    parent = signed_in(app, world["parent"].user)
    token = hidden_csrf(parent.get(f"/my/assessments/{shared['assessment'].id}").get_data(as_text=True))
    url = f"/my/assessments/{shared['assessment'].id}/comment"
    payload = {"section": shared["sections"][0], "agree": "no", "text": "Not at night."}
    statuses = at_once(app, parent, lambda client: client.post(url, json=payload, headers={"X-CSRFToken": token}))
    assert statuses == [200] * 10
    assert [(c.agree, c.text) for c in db_session().scalars(select(AssessmentComment))] == [("no", "Not at night.")]


def hidden_csrf(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match
    return match.group(1)


# --- An entry and its photo are stored together or not at all.


@pytest.fixture
def photo_storage_fails(app: Any) -> Any:
    """The database refuses to store picture bytes (as when its disk is full) until the test says stop."""
    stop = refuse_inserts(app, "photo_data")
    yield stop
    stop()


def test_when_the_photo_cannot_be_stored_nothing_is_and_sending_again_stores_both(app, world, photo_storage_fails):
    child = signed_in(app, world["child"].user)
    hidden = hidden_fields(child.get("/my/views/new/talk").get_data(as_text=True), "/my/views/new/talk")
    fields = {"about": "Things at home", "safe_now": "yes", "caption": "My room"}

    failed = child.post("/my/views/new/talk", data={**hidden, **fields, "photo": (io.BytesIO(jpeg()), "room.jpg")}, content_type="multipart/form-data")
    assert failed.status_code == 503
    page = text(failed)
    assert "Sorry, we could not save your photo, so nothing was sent yet." in page
    assert "Things at home" in page  # the child's words are still there
    assert hidden_fields(failed.get_data(as_text=True), "/my/views/new/talk")["client_id"] == hidden["client_id"]
    assert [count(Entry), count(Photo), count(PhotoData), count(Notification)] == [0, 0, 0, 0]  # no alert for what was not stored

    photo_storage_fails()  # the disk has room again
    again = child.post("/my/views/new/talk", data={**hidden, **fields, "photo": (io.BytesIO(jpeg()), "room.jpg")}, content_type="multipart/form-data")
    assert again.status_code == 302
    entry = db_session().scalars(select(Entry)).one()
    photo = db_session().scalars(select(Photo)).one()
    assert (photo.entry_id, photo.caption, entry.answers["about"]) == (entry.id, "My room", "Things at home")
    assert count(Notification) == 1


def test_a_photo_that_is_not_usable_stores_nothing_and_sending_again_with_a_photo_stores_both(app, world):
    child = signed_in(app, world["child"].user)
    hidden = hidden_fields(child.get("/my/views/new/good_news").get_data(as_text=True), "/my/views/new/good_news")
    refused = child.post(
        "/my/views/new/good_news", data={**hidden, "what_happened": "We made a den", "photo": (io.BytesIO(b"not a photo" * 20), "den.jpg")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "We made a den" in text(refused)
    assert [count(Entry), count(Photo)] == [0, 0]
    again = child.post(
        "/my/views/new/good_news", data={**hidden, "what_happened": "We made a den", "photo": (io.BytesIO(jpeg()), "den.jpg")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 302
    assert db_session().scalars(select(Photo)).one().entry_id == db_session().scalars(select(Entry)).one().id
