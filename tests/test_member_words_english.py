"""A family member's other words keep their language; an interpreter's English goes beside them: the reasons for a
worry score, a comment on a shared review, goodbye views and a parent's comment on an assessment. The staff page that
shows the words takes the English, the review and closure records and their exports show both, and erasing the member
erases the English too."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from typing import Any

import docx
import pypdf
from sqlalchemy import select

from webapp.assessments.models import AssessmentComment
from webapp.closure.models import GoodbyeViews
from webapp.db import db_session
from webapp.families.models import Family
from webapp.reviews.models import FINAL, Review, ReviewComment
from webapp.translations_content.models import TextTranslation
from webapp.worries.models import WorryScore

from . import closing, factories
from .conftest import FormClient
from .helpers import signed_in, text
from .review_steps import (  # clock, family and worker are fixtures
    clock,
    family,
    family_worry,
    send_comment,
    shared_assessment,
    start_review,
    text_blocks,
    utc,
    worker,
)
from .test_content_translations import lang_of

POLISH = "Tata krzyczy mniej wieczorem"
POLISH_IN_ENGLISH = "Dad shouts less in the evening"
ARABIC = "أريد أن أنام في غرفتي"
ARABIC_IN_ENGLISH = "I want to sleep in my own room"


def add_english(browser: FormClient, kind: str, source_id: int, words: str, page: str, interpreter: str = "") -> Any:
    return browser.submit(f"/staff/english/{kind}/{source_id}", {"text": words, "interpreter_name": interpreter}, page=page)


def record_words(worker: FormClient, url: str) -> tuple[str, str, list[str], str]:
    """The printable page, the text blocks joined, the DOCX's paragraphs and the PDF's words of a review."""
    printable = html.unescape(worker.get(url + "/print").get_data(as_text=True))
    blocks = "\n".join(body for _title, body in text_blocks(worker, url))
    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    paragraphs = [p.text for p in document.paragraphs]
    paragraphs += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    pdf = pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data))
    words = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    return printable, blocks, paragraphs, words


def nothing_saved() -> bool:
    return db_session().scalar(select(TextTranslation)) is None


def refused_to_outsiders(app: Any, world: dict[str, Any], kind: str, source_id: int, *members: Any) -> None:
    """A worker off the family, another team's worker and manager: 404; a family member: never saved."""
    for outsider in (world["other_worker_a"], world["worker_b"], world["manager_b"]):
        response = add_english(signed_in(app, outsider), kind, source_id, "Made up", page="/staff/families")
        assert response.status_code == 404
    for member in (*members, world["parent"], world["child"]):
        response = add_english(signed_in(app, member.user), kind, source_id, "Made up", page="/home")
        assert response.status_code in (302, 403, 404)
    assert nothing_saved()


def test_a_worry_scores_reasons_in_polish_get_the_interpreters_english_on_the_worry_page_and_in_the_review(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    worry = family_worry(family, "Shouting at bedtime", ewa)
    response = signed_in(app, ewa.user).submit(f"/my/worries/{worry.id}", {"score": "4", "what_makes_it": POLISH})
    assert response.status_code == 302
    score = db_session().scalar(select(WorryScore).where(WorryScore.member_id == ewa.id))
    assert score is not None and score.language == "pl"

    refused_to_outsiders(app, world, "worry-score", score.id, ewa)
    page = f"/staff/families/{family.id}/worries"
    too_long = add_english(worker, "worry-score", score.id, "x" * 5001, page=page)
    assert too_long.status_code == 400 and "x" * 5001 in too_long.get_data(as_text=True) and nothing_saved()

    saved = add_english(worker, "worry-score", score.id, POLISH_IN_ENGLISH, page=page, interpreter="Anna Nowak")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{page}#english-worry-score-{score.id}")
    row = db_session().scalar(select(TextTranslation))
    assert row is not None and row.block == f"worry-score:{score.id}" and row.language == "en"
    assert row.translated_by_id == world["worker_a"].id and row.interpreter_name == "Anna Nowak"

    shown = worker.get(page).get_data(as_text=True)
    assert lang_of(shown, POLISH)[0] == "pl" and lang_of(shown, POLISH_IN_ENGLISH) == ("en", "ltr")
    assert "English translation (interpreter: Anna Nowak)" in text(worker.get(page))
    # The family member's own page shows their words, never the interpreter's English.
    assert POLISH_IN_ENGLISH not in signed_in(app, ewa.user).get(f"/my/worries/{worry.id}").get_data(as_text=True)

    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    printable, blocks, paragraphs, words = record_words(worker, url)
    assert re.search(rf"{POLISH}.*English translation \(interpreter: Anna Nowak\).*{POLISH_IN_ENGLISH}", printable, re.DOTALL)
    assert f'<blockquote class="entry-english" lang="en" dir="ltr">{POLISH_IN_ENGLISH}' in printable
    assert re.search(rf"{POLISH}.*{POLISH_IN_ENGLISH}", blocks, re.DOTALL)
    assert POLISH in paragraphs and POLISH_IN_ENGLISH in paragraphs
    assert POLISH_IN_ENGLISH in words and "Tata" in words


def final_review_with_comment(family: Family, world: dict[str, Any], member: Any, words: str, language: str) -> tuple[Review, ReviewComment]:
    review = Review(family_id=family.id, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31), status=FINAL, analysis={},
                    created_by_id=world["worker_a"].id, finalised_at=utc(6, 10))
    db_session().add(review)
    db_session().flush()
    comment = ReviewComment(review_id=review.id, member_id=member.id, body=words, language=language)
    db_session().add(comment)
    db_session().commit()
    return review, comment


def test_a_comment_in_arabic_on_the_shared_review_gets_the_interpreters_english_on_the_review_page_and_in_every_export(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    layla = factories.member(family, "young_person", name="Layla", language="ar")
    review, comment = final_review_with_comment(family, world, layla, ARABIC, "ar")
    url = f"/staff/reviews/{review.id}"
    refused_to_outsiders(app, world, "review-comment", comment.id, layla)

    saved = add_english(worker, "review-comment", comment.id, ARABIC_IN_ENGLISH, page=url)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{url}#english-review-comment-{comment.id}")
    row = db_session().scalar(select(TextTranslation))
    assert row is not None and row.block == f"review-comment:{comment.id}" and row.translated_by_id == world["worker_a"].id
    for page in (url, url + "/for-the-family"):
        shown = worker.get(page).get_data(as_text=True)
        assert lang_of(shown, ARABIC)[0] == "ar" and lang_of(shown, ARABIC_IN_ENGLISH) == ("en", "ltr")

    printable, blocks, paragraphs, words = record_words(worker, url)
    assert re.search(rf'{ARABIC}.*English translation.*<blockquote class="entry-english" lang="en" dir="ltr">{ARABIC_IN_ENGLISH}', printable, re.DOTALL)
    assert re.search(rf"{ARABIC}.*{ARABIC_IN_ENGLISH}", blocks, re.DOTALL)
    assert paragraphs.index(ARABIC_IN_ENGLISH) > paragraphs.index(ARABIC)
    assert ARABIC_IN_ENGLISH in words


def closure_words(worker: FormClient, closure_id: int) -> tuple[str, list[str], str]:
    """The printable page, the DOCX's paragraphs and the PDF's words of a closure record."""
    printable = html.unescape(worker.get(f"/staff/closures/{closure_id}/print").get_data(as_text=True))
    document = docx.Document(io.BytesIO(worker.get(f"/staff/closures/{closure_id}/closure.docx").data))
    pdf = pypdf.PdfReader(io.BytesIO(worker.get(f"/staff/closures/{closure_id}/closure.pdf").data))
    words = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    return printable, [p.text for p in document.paragraphs], words


def test_goodbye_views_in_polish_get_the_interpreters_english_on_the_closure_page_and_in_the_closure_record(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    assert closing.ask_to_close(worker, family).status_code == 302
    assert signed_in(app, ewa.user).submit("/my/goodbye", {"what_was_good": POLISH, "submit": "y"}).status_code == 302
    views = db_session().scalar(select(GoodbyeViews).where(GoodbyeViews.member_id == ewa.id))
    assert views is not None and views.language == "pl"
    page = f"/staff/families/{family.id}/closure"
    refused_to_outsiders(app, world, "goodbye", views.id, ewa)
    # Views not given (still waiting) have nothing to translate.
    waiting = db_session().scalar(select(GoodbyeViews).where(GoodbyeViews.member_id == world["parent"].id))
    assert waiting is not None and add_english(worker, "goodbye", waiting.id, "Made up", page=page).status_code == 404

    saved = add_english(worker, "goodbye", views.id, POLISH_IN_ENGLISH, page=page, interpreter="Anna Nowak")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{page}#english-goodbye-{views.id}")
    row = db_session().scalar(select(TextTranslation))
    assert row is not None and row.block == f"goodbye:{views.id}" and row.interpreter_name == "Anna Nowak"
    shown = worker.get(page).get_data(as_text=True)
    assert lang_of(shown, POLISH)[0] == "pl" and lang_of(shown, POLISH_IN_ENGLISH) == ("en", "ltr")

    # Once the family is closed, the record keeps both, and the worker can still put the views into English.
    assert closing.approve(signed_in(app, world["manager_a"]), views.closure_id).status_code == 302
    assert "English translation (interpreter: Anna Nowak)" in text(worker.get(page))
    printable, paragraphs, words = closure_words(worker, views.closure_id)
    assert re.search(rf'{POLISH}.*Anna Nowak.*<blockquote class="entry-english" lang="en" dir="ltr">{POLISH_IN_ENGLISH}', printable, re.DOTALL)
    assert paragraphs.index(POLISH_IN_ENGLISH) > paragraphs.index(POLISH)
    assert POLISH_IN_ENGLISH in words and "Tata" in words


def test_a_parents_comment_in_arabic_on_the_assessment_gets_the_interpreters_english_on_the_assessment_page_and_in_the_review(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    amal = factories.member(family, "parent", name="Amal", language="ar")
    assessment, section_id = shared_assessment(family, amal)
    send_comment(app, amal, assessment, section_id, utc(6, 8), ARABIC)
    comment = db_session().scalar(select(AssessmentComment).where(AssessmentComment.member_id == amal.id))
    assert comment is not None and comment.language == "ar"
    page = f"/staff/assessments/{assessment.id}"
    refused_to_outsiders(app, world, "assessment-comment", comment.id, amal)

    saved = add_english(worker, "assessment-comment", comment.id, ARABIC_IN_ENGLISH, page=page, interpreter="Omar Haddad")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{page}#english-assessment-comment-{comment.id}")
    row = db_session().scalar(select(TextTranslation))
    assert row is not None and row.block == f"assessment-comment:{comment.id}" and row.interpreter_name == "Omar Haddad"
    shown = worker.get(page).get_data(as_text=True)
    assert lang_of(shown, ARABIC)[0] == "ar" and lang_of(shown, ARABIC_IN_ENGLISH) == ("en", "ltr")
    # The parent reads their own words, never the interpreter's English.
    assert ARABIC_IN_ENGLISH not in signed_in(app, amal.user).get(f"/my/assessments/{assessment.id}").get_data(as_text=True)

    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": [f"comment-{comment.id}"]}).status_code == 302
    printable, blocks, paragraphs, words = record_words(worker, url)
    assert re.search(rf'{ARABIC}.*Omar Haddad.*<blockquote class="entry-english" lang="en" dir="ltr">{ARABIC_IN_ENGLISH}', printable, re.DOTALL)
    assert re.search(rf"{ARABIC}.*{ARABIC_IN_ENGLISH}", blocks, re.DOTALL)
    assert paragraphs.index(ARABIC_IN_ENGLISH) > next(i for i, p in enumerate(paragraphs) if ARABIC in p)
    assert ARABIC_IN_ENGLISH in words


def test_erasing_a_member_erases_the_interpreters_english_of_every_kind_of_their_words_and_keeps_anothers(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    layla = factories.member(family, "young_person", name="Layla", language="ar")
    worry = family_worry(family, "Shouting at bedtime", ewa)
    assert signed_in(app, ewa.user).submit(f"/my/worries/{worry.id}", {"score": "4", "what_makes_it": POLISH}).status_code == 302
    _review, comment = final_review_with_comment(family, world, ewa, POLISH, "pl")
    _review, kept = final_review_with_comment(family, world, layla, ARABIC, "ar")
    assert closing.ask_to_close(worker, family).status_code == 302
    assert signed_in(app, ewa.user).submit("/my/goodbye", {"what_was_good": POLISH, "submit": "y"}).status_code == 302
    assessment, section_id = shared_assessment(family, ewa)
    send_comment(app, ewa, assessment, section_id, utc(6, 8), POLISH)
    sources = {
        "worry-score": db_session().scalars(select(WorryScore.id).where(WorryScore.member_id == ewa.id)).one(),
        "review-comment": comment.id,
        "goodbye": db_session().scalars(select(GoodbyeViews.id).where(GoodbyeViews.member_id == ewa.id)).one(),
        "assessment-comment": db_session().scalars(select(AssessmentComment.id).where(AssessmentComment.member_id == ewa.id)).one(),
    }
    for kind, source_id in [*sources.items(), ("review-comment", kept.id)]:
        assert add_english(worker, kind, source_id, POLISH_IN_ENGLISH, page="/staff/families").status_code == 302
    assert len(set(db_session().scalars(select(TextTranslation.block)))) == 5

    response = signed_in(app, world["manager_a"]).submit(f"/staff/members/{ewa.id}/erase", {"reason": "Erasure request ref DP-2026-15"})
    assert response.status_code == 302
    assert set(db_session().scalars(select(TextTranslation.block))) == {f"review-comment:{kept.id}"}


def test_when_a_parent_changes_their_comment_the_worker_is_told_the_english_is_out_of_date_and_a_new_record_leaves_it_out(
    app: Any, worker: FormClient, family: Family, world: dict[str, Any]
):
    amal = factories.member(family, "parent", name="Amal", language="ar")
    assessment, section_id = shared_assessment(family, amal)
    send_comment(app, amal, assessment, section_id, utc(6, 8), ARABIC)
    comment = db_session().scalars(select(AssessmentComment)).one()
    page = f"/staff/assessments/{assessment.id}"
    assert add_english(worker, "assessment-comment", comment.id, ARABIC_IN_ENGLISH, page=page).status_code == 302
    note = "These words changed after their English was saved."
    assert note not in text(worker.get(page))

    send_comment(app, amal, assessment, section_id, utc(6, 9), "أنا حزين في المدرسة")
    assert note in text(worker.get(page))
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": [f"comment-{comment.id}"]}).status_code == 302
    printable = html.unescape(worker.get(url + "/print").get_data(as_text=True))
    assert "أنا حزين في المدرسة" in printable and ARABIC_IN_ENGLISH not in printable
    # Saved again from the words as they stand, it is in the record again.
    assert add_english(worker, "assessment-comment", comment.id, "I am sad at school", page=page).status_code == 302
    assert note not in text(worker.get(page))
    assert "I am sad at school" in html.unescape(worker.get(url + "/print").get_data(as_text=True))
