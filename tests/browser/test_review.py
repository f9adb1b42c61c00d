"""On a phone, the demo worker builds a review from the demo family's entries, saves it, exports it and
sends it for sign-off; the demo manager signs it off with a comment, which every export then carries."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import docx
import pypdf
import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from webapp import demo
from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families.models import Family
from webapp.reviews.models import Review

from ..review_steps import HEADINGS
from .steps import follow, sign_in_staff, sign_out, submit

pytestmark = pytest.mark.browser

WORKER_EMAIL = "worker@demo.familyvoice.test"
WORKER_PASSWORD = "demo-worker-pass"
MANAGER_EMAIL = "manager@demo.familyvoice.test"
MANAGER_PASSWORD = "demo-manager-pass"
ANALYSIS = {
    "#who_did_you_see": "Sam, Alex and Pat at home",
    "#purpose": "Six-week review of the family plan",
    "#observed": "The children played with the cat; the house was calm.",
    "#worker_analysis": "Arguments at home are less frequent; the children say they feel safer.",
    "#actions_next_steps": "Next TAF on Monday. Sam to try the school breakfast club.",
}


def download(page: Page, link: str) -> tuple[str, bytes]:
    with page.expect_download() as started:
        page.get_by_role("link", name=link, exact=True).click()
    file = started.value
    assert file.failure() is None
    return file.suggested_filename, Path(file.path()).read_bytes()


def test_the_demo_worker_builds_saves_and_exports_a_review(page: Page, app, checked: Callable[..., None]) -> None:
    assert demo.load()
    worker = db_session().scalar(select(User).where(User.email == WORKER_EMAIL))
    family = db_session().scalar(select(Family).where(Family.name == "The Demo family"))
    assert worker is not None and worker.totp_secret and family is not None
    # The demo family's first month is in a finished review already; this one covers what came after.
    finished = db_session().scalar(select(Review).where(Review.family_id == family.id))
    assert finished is not None and finished.is_final
    entries = db_session().scalars(
        select(Entry).where(Entry.family_id == family.id, Entry.created_at > utcnow() - timedelta(weeks=1)).order_by(Entry.id)
    ).all()
    # Sam's good news and Alex's three houses, and the statements the demo family sent this week.
    assert len(entries) >= 2

    sign_in_staff(page, worker, password=WORKER_PASSWORD)
    follow(page, page.get_by_role("link", name="The Demo family"))
    follow(page, page.get_by_role("link", name="Reviews", exact=True))
    checked(page)

    # The period offered runs from the day after the last finished review until today.
    first_day = (finished.period_end + timedelta(days=1)).isoformat()
    assert page.input_value("#period_start") == first_day
    today = page.input_value("#period_end")
    submit(page, "#submit")
    assert "/staff/reviews/" in page.url
    assert "I got into the football team!" in page.content() and "My cat Biscuit" in page.content()

    for entry in entries:
        page.check(f"#item-entry-{entry.id}")
    for selector, words in ANALYSIS.items():
        page.fill(selector, words)
    submit(page, "#submit")
    assert page.get_by_text("Review saved.").is_visible()
    for entry in entries:
        assert page.is_checked(f"#item-entry-{entry.id}")
    assert page.input_value("#worker_analysis") == ANALYSIS["#worker_analysis"]
    checked(page)

    db_session().rollback()
    review = db_session().scalar(select(Review).where(Review.family_id == family.id, Review.id != finished.id))
    assert review is not None
    assert (review.period_start.isoformat(), review.period_end.isoformat()) == (first_day, today)
    assert sorted(i.source_id for i in review.items if i.source == "entry") == [e.id for e in entries]

    name, pdf = download(page, "PDF")
    assert name == f"review-{review.id}.pdf" and pdf.startswith(b"%PDF-")
    content = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for words in (*HEADINGS, "I got into the football team!", "When mum and dad shout", ANALYSIS["#worker_analysis"]):
        assert words in content, words

    name, word = download(page, "Word (DOCX)")
    assert name == f"review-{review.id}.docx" and word.startswith(b"PK")
    document = docx.Document(io.BytesIO(word))
    assert [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 2"] == HEADINGS
    assert any("I got into the football team!" in p.text for p in document.paragraphs)

    follow(page, page.get_by_role("link", name="Printable page"))
    assert page.locator("article.case-record h2").all_inner_texts() == HEADINGS
    assert "I got into the football team!" in page.locator("article.case-record").inner_text()
    checked(page)
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible(), "the menu is not printed"
    assert not page.get_by_role("link", name="Back to the review").is_visible()
    assert page.locator("article.case-record h1").is_visible()
    page.emulate_media(media="screen")

    # The worker can't make it final alone: it goes to the team manager with a comment.
    follow(page, page.get_by_role("link", name="Back to the review"))
    page.fill("#comment", "Ready for sign-off: Sam and Alex's words are in.")
    submit(page, "form[action$='/submit'] [type=submit]")
    assert page.get_by_text("Sent to the team manager for sign-off.").is_visible()
    assert "Waiting for the team manager's sign-off" in page.locator("#review-status").inner_text()
    assert not page.locator("#worker_analysis").is_visible(), "no longer editable"
    checked(page)
    sign_out(page)

    manager = db_session().scalar(select(User).where(User.email == MANAGER_EMAIL))
    assert manager is not None
    sign_in_staff(page, manager, password=MANAGER_PASSWORD)
    page.goto(page.url.split("/staff")[0] + "/staff/team")
    follow(page, page.locator(f"#review-waiting-{review.id} a"))
    page.fill("#comment", "Signed off: the analysis follows from what the children said.")
    submit(page, "#sign_off")
    assert "Final since" in page.locator("#review-status").inner_text()
    checked(page)
    db_session().rollback()
    signed = db_session().get_one(Review, review.id)
    assert signed.is_final and [step.step for step in signed.sign_offs] == ["submitted", "signed_off"]
    name, word = download(page, "Word (DOCX)")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs]
    assert "Signed off: the analysis follows from what the children said." in paragraphs
    assert "Ready for sign-off: Sam and Alex's words are in." in paragraphs
