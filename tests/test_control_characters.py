"""Control characters in what people write: taken out on the way in, and never able to break an export.

A NUL makes PostgreSQL refuse the row, and any C0 control character (but tab, newline and
carriage return) or U+FFFE/U+FFFF makes the XML inside a DOCX invalid.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

import docx
import pypdf
import pytest
from sqlalchemy import select

from webapp.assessments.models import AssessmentComment
from webapp.db import MAX_ID, db_session
from webapp.entries.models import Entry, EntryReply
from webapp.photos.models import Photo
from webapp.reviews.models import Review
from webapp.worries.models import Worry, WorryScore

from .helpers import signed_in, text
from .review_steps import (  # clock, family and worker are fixtures
    clock,
    family,
    family_worry,
    jpeg,
    send_entry,
    shared_assessment,
    start_review,
    utc,
    worker,
)
from .test_api import bearer, make_token

ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))

# Every character that must go, between words that must stay, with tab and newline kept.
TYPED = "Mum\x00 is\x01 kind\x08\x0b\x0c\x0e\x1f\x1b\x7f\ufffe\uffff\tto me\nand Dad"
CLEAN = "Mum is kind\tto me\nand Dad"
# What can already be in the database from before: PostgreSQL has never been able to hold a NUL.
STORED = "Ciocia\x01\x08\x0b\x0c\x1b\x7f\ufffe\uffff pomaga" + ("" if ON_POSTGRESQL else "\x00")
STORED_CLEAN = "Ciocia pomaga"


def test_a_nul_in_the_username_at_sign_in_is_never_a_server_error(app, world):
    child = world["child"].user
    browser = app.test_client()
    response = browser.submit("/signin", {"login": child.username[:2] + "\x00" + child.username[2:], "password": "not-the-password"})
    assert response.status_code == 200
    assert "That username or password is not right." in text(response)


def test_a_photo_caption_keeps_its_words_without_control_characters(app, world):
    response = signed_in(app, world["child"].user).submit("/my/photos", {"photo": (jpeg(), "me.jpg"), "caption": TYPED})
    assert response.status_code == 302, text(response)[:500]
    assert db_session().scalar(select(Photo.caption)) == CLEAN


def test_a_worry_of_ones_own_keeps_its_words_without_control_characters(app, world):
    response = signed_in(app, world["child"].user).submit("/my/worries/new", {"wording": TYPED}, page="/my/worries")
    assert response.status_code == 302, text(response)[:500]
    assert db_session().scalar(select(Worry.wording)) == CLEAN


def test_one_point_higher_keeps_its_words_without_control_characters(app, world, family):
    worry = family_worry(family, "Shouting at home", world["child"])
    response = signed_in(app, world["child"].user).submit(f"/my/worries/{worry.id}", {"score": "4", "one_point_higher": TYPED})
    assert response.status_code == 302, text(response)[:500]
    assert db_session().scalar(select(WorryScore.one_point_higher)) == CLEAN


def test_an_entry_keeps_its_words_without_control_characters(app, world):
    response = signed_in(app, world["child"].user).submit("/my/views/new/good_news", {"what_happened": TYPED})
    assert response.status_code == 302, text(response)[:500]
    assert db_session().scalars(select(Entry)).one().answers["what_happened"] == CLEAN


def test_an_assessment_comment_keeps_its_words_without_control_characters(app, world, family):
    assessment, section_id = shared_assessment(family, world["parent"])
    parent = signed_in(app, world["parent"].user)
    page = f"/my/assessments/{assessment.id}"
    response = parent.submit(page, {f"agree-{section_id}": "partly", f"text-{section_id}": TYPED})
    assert response.status_code == 302, text(response)[:500]
    assert db_session().scalar(select(AssessmentComment.text)) == CLEAN
    # The page's script saves as the parent types, as JSON; a lone surrogate can only arrive this way.
    saved = parent.post(
        f"{page}/comment", json={"section": section_id, "agree": "yes", "text": TYPED + "\ud800!"},
        headers={"X-CSRFToken": parent.csrf_token(page)},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert db_session().scalar(select(AssessmentComment.text)) == CLEAN + "!"


def test_a_reply_keeps_its_words_without_control_characters(app, world, family, worker):
    entry = send_entry(app, world["child"], utc(6, 2), what_happened="I joined the choir")
    response = worker.submit(f"/staff/entries/{entry.id}/reply", {"body": TYPED}, page=f"/staff/entries/{entry.id}")
    assert response.status_code == 302, text(response)[:500]
    assert db_session().scalar(select(EntryReply.body)) == CLEAN


def test_an_entry_sent_later_from_the_phone_keeps_its_words_without_control_characters(app, world):
    child = signed_in(app, world["child"].user)
    token = child.get("/my/token").get_json()["csrf_token"]
    response = child.post(
        "/my/outbox",
        json={"kind": "good_news", "fields": {"what_happened": TYPED, "client_id": "a1b2c3d4e5f6a7b8"}, "language": "en\x00"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db_session().scalars(select(Entry)).one().answers["what_happened"] == CLEAN


def test_a_search_in_the_address_never_carries_control_characters(app, world):
    response = signed_in(app, world["manager_a"]).get("/staff/audit?family=The%00Test%01")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("section", [2**70, MAX_ID + 1, -1])
def test_an_impossible_section_number_in_an_autosave_is_a_json_400(app, world, family, section):
    assessment, _section_id = shared_assessment(family, world["parent"])
    parent = signed_in(app, world["parent"].user)
    page = f"/my/assessments/{assessment.id}"
    response = parent.post(f"{page}/comment", json={"section": section, "text": "Hello"}, headers={"X-CSRFToken": parent.csrf_token(page)})
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]
    assert db_session().scalar(select(AssessmentComment)) is None


def test_an_impossible_section_number_in_the_comments_form_changes_nothing(app, world, family):
    assessment, _section_id = shared_assessment(family, world["parent"])
    huge = 2**70
    response = signed_in(app, world["parent"].user).submit(f"/my/assessments/{assessment.id}", {f"agree-{huge}": "yes", f"text-{huge}": "Hello"})
    assert response.status_code in (302, 400, 404)
    assert db_session().scalar(select(AssessmentComment)) is None


# --- Exports of text written before, or typed by a worker, with such characters in it.


def test_a_worker_can_export_a_review_whose_analysis_was_typed_with_control_characters(app, worker, family):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    saved = worker.submit(url, {"observed": TYPED})
    assert saved.status_code == 302, text(saved)[:500]
    response = worker.get(url + "/review.docx")
    assert response.status_code == 200
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs]
    assert "Mum is kind\tto me\nand Dad" in paragraphs


@pytest.fixture
def stored(app: Any, world: dict[str, Any], family: Any, worker: Any) -> dict[str, Any]:
    """A review over an entry, a worry score, a reply and a photo, all stored with control characters."""
    child = world["child"]
    entry = send_entry(app, child, utc(6, 2), what_happened="placeholder")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": [f"entry-{entry.id}"], "observed": "placeholder"}).status_code == 302
    # Written straight to the database, as text saved before its words were cleaned would be.
    entry.answers = {"what_happened": STORED}
    db_session().add(EntryReply(entry_id=entry.id, author_id=world["worker_a"].id, body=STORED))
    worry = family_worry(family, STORED, child)
    db_session().add(WorryScore(worry_id=worry.id, member_id=child.id, score=4, one_point_higher=STORED, language="en", created_at=utc(6, 3)))
    review = db_session().get(Review, int(url.rsplit("/", 1)[1]))
    assert review is not None
    review.analysis = {**(review.analysis or {}), "observed": STORED}
    for item in review.items:
        item.quote = {**item.quote, "answers": [{**a, "answer": STORED} for a in item.quote.get("answers", [])]}
    db_session().commit()
    return {"url": url, "child": child}


def test_every_review_export_works_on_stored_text_with_control_characters(stored, worker):
    url = stored["url"]
    document = worker.get(url + "/review.docx")
    assert document.status_code == 200
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(document.data)).paragraphs)
    assert STORED_CLEAN in words
    pdf = worker.get(url + "/review.pdf")
    assert pdf.status_code == 200
    assert STORED_CLEAN in "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    for page in ("/print", "/text", ""):
        response = worker.get(url + page)
        assert response.status_code == 200, page
        assert STORED_CLEAN in text(response) and "\x01" not in text(response), page


def test_the_scores_csv_the_api_and_the_data_download_work_on_stored_text_with_control_characters(app, stored, world, worker, family):
    scores = worker.get(f"/staff/families/{family.id}/worry-scores.csv")
    assert scores.status_code == 200
    assert STORED_CLEAN in scores.data.decode("utf-8-sig")
    secret = make_token(world)
    for path in (f"/api/v1/families/{family.id}/entries", f"/api/v1/families/{family.id}/worry-scores", f"/api/v1/families/{family.id}/reviews"):
        response = app.test_client().get(path, headers=bearer(secret))
        assert response.status_code == 200, path
        json.loads(response.data)
    download = signed_in(app, stored["child"].user).get("/my/data")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    download.close()
    page = archive.read("index.html").decode()
    assert STORED_CLEAN in page and "\x01" not in page
    assert json.loads(archive.read("data.json"))["entries"][0]["answers"][0]["answer"].startswith("Ciocia")
