"""A family member's own words keep their language; an interpreter's English goes beside them, in the review,
every export of it, and the API."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import docx
import pypdf
from sqlalchemy import select

from webapp.db import db_session
from webapp.families.models import Family
from webapp.translations_content.models import TextTranslation

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .review_steps import (  # clock, family and worker are fixtures
    clock,
    family,
    send_entry,
    start_review,
    text_blocks,
    utc,
    worker,
)
from .test_api import bearer, make_token
from .test_content_translations import lang_of

POLISH = "Dzieci śpią lepiej, wieczory są spokojniejsze"
POLISH_IN_ENGLISH = "The children sleep better, the evenings are calmer"
ARABIC = "أنا سعيد في المدرسة"
ARABIC_IN_ENGLISH = "I am happy at school"


def add_english(browser: FormClient, entry_id: int, words: str, interpreter: str = "") -> Any:
    return browser.submit(f"/staff/entries/{entry_id}/english", {"text": words, "interpreter_name": interpreter}, page=f"/staff/entries/{entry_id}")


def test_the_interpreters_english_stands_beside_the_polish_and_arabic_in_the_review_every_export_and_the_api(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    layla = factories.member(family, "young_person", name="Layla", language="ar")
    polish = send_entry(app, ewa, utc(6, 5), "parent_views", going_well=POLISH)
    arabic = send_entry(app, layla, utc(6, 3), what_happened=ARABIC)

    # The worker sees each entry in its own language and direction.
    page = worker.get(f"/staff/entries/{arabic.id}").get_data(as_text=True)
    assert lang_of(page, ARABIC)[0] == "ar"
    assert add_english(worker, polish.id, POLISH_IN_ENGLISH, interpreter="Anna Nowak").status_code == 302
    assert add_english(worker, arabic.id, ARABIC_IN_ENGLISH).status_code == 302
    page = worker.get(f"/staff/entries/{polish.id}").get_data(as_text=True)
    assert lang_of(page, POLISH)[0] == "pl" and lang_of(page, POLISH_IN_ENGLISH) == ("en", "ltr")
    assert "Interpreter: Anna Nowak" in text(worker.get(f"/staff/entries/{polish.id}"))

    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    editing = text(worker.get(url))
    assert POLISH in editing and POLISH_IN_ENGLISH in editing
    saved = worker.submit(url, {"item": [f"entry-{polish.id}", f"entry-{arabic.id}"]})
    assert saved.status_code == 302

    printable = html.unescape(worker.get(url + "/print").get_data(as_text=True))
    assert re.search(rf"{POLISH}.*English translation \(interpreter: Anna Nowak\).*{POLISH_IN_ENGLISH}", printable, re.DOTALL)
    assert re.search(rf'<blockquote class="entry-english" lang="en" dir="ltr">{ARABIC_IN_ENGLISH}', printable)

    blocks = dict(text_blocks(worker, url))
    assert re.search(rf"{POLISH}.*{POLISH_IN_ENGLISH}", blocks["Parents view"], re.DOTALL)
    assert re.search(rf"{ARABIC}.*{ARABIC_IN_ENGLISH}", blocks["Voice of Child"], re.DOTALL)

    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index(POLISH_IN_ENGLISH) > next(i for i, p in enumerate(paragraphs) if POLISH in p)
    assert paragraphs.index(ARABIC_IN_ENGLISH) > next(i for i, p in enumerate(paragraphs) if ARABIC in p)

    pdf = pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data))
    words = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert POLISH_IN_ENGLISH in words and "Dzieci" in words and ARABIC_IN_ENGLISH in words

    secret = make_token(world)
    body = app.test_client().get(f"/api/v1/families/{family.id}/entries", headers=bearer(secret)).get_json()
    by_id = {row["id"]: row for row in body["data"]}
    assert by_id[polish.id]["answers"]["going_well"] == POLISH
    assert by_id[polish.id]["english"]["text"] == POLISH_IN_ENGLISH
    assert by_id[polish.id]["english"]["interpreter_name"] == "Anna Nowak"
    assert by_id[arabic.id]["english"]["text"] == ARABIC_IN_ENGLISH


def test_only_staff_who_may_see_the_entry_may_add_its_english(app: Any, worker: FormClient, family: Family, world: dict[str, Any]):
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    entry = send_entry(app, ewa, utc(6, 5), "parent_views", going_well=POLISH)
    for outsider in (world["other_worker_a"], world["worker_b"], world["manager_b"]):
        browser = signed_in(app, outsider)
        assert browser.submit(f"/staff/entries/{entry.id}/english", {"text": "Made up"}, page="/staff/families").status_code == 404
    for member in (ewa, world["parent"], world["child"]):
        browser = signed_in(app, member.user)
        assert browser.submit(f"/staff/entries/{entry.id}/english", {"text": "Made up"}, page="/home").status_code in (302, 403, 404)
    assert db_session().scalar(select(TextTranslation)) is None
    # Bad input: a message, the words kept, nothing saved.
    response = add_english(worker, entry.id, "x" * 5001)
    assert response.status_code == 400 and "x" * 5001 in response.get_data(as_text=True)
    assert db_session().scalar(select(TextTranslation)) is None


def test_the_meeting_sheet_shows_the_interpreters_english_beside_the_young_persons_words(app: Any, worker: FormClient, family: Family, world: dict[str, Any]):
    from webapp.entries.models import Entry

    layla = factories.member(family, "young_person", name="Layla", language="ar")
    entry = Entry(member_id=layla.id, family_id=family.id, kind="meeting", language="ar", answers={"going_well": ARABIC})
    db_session().add(entry)
    db_session().commit()
    assert add_english(worker, entry.id, ARABIC_IN_ENGLISH, interpreter="Omar Haddad").status_code == 302
    sheet = worker.get(f"/staff/members/{layla.id}/meeting-sheet").get_data(as_text=True)
    assert lang_of(sheet, ARABIC)[0] == "ar" and lang_of(sheet, ARABIC_IN_ENGLISH) == ("en", "ltr")
    assert "English translation (interpreter: Omar Haddad)" in text(worker.get(f"/staff/members/{layla.id}/meeting-sheet"))
