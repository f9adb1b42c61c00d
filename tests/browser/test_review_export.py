"""A worker builds, saves and exports a review from the demo family's entries, in the browser."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp import demo
from webapp.auth.models import User
from webapp.db import db_session
from webapp.reviews.models import Review

from .steps import sign_in_staff, submit

pytestmark = pytest.mark.browser


def test_a_worker_builds_saves_and_exports_a_review(browser, live_server, app, checked):
    demo.load()
    worker = db_session().scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    context = browser.new_context(viewport={"width": 1024, "height": 900}, base_url=live_server.url, accept_downloads=True)
    try:
        page = context.new_page()
        sign_in_staff(page, worker, password="demo-worker-pass")
        page.click("text=The Demo family")
        page.click("a.tile:has-text('Reviews')")
        submit(page, "#submit")  # the default period
        assert "/staff/reviews/" in page.url
        assert "I got into the football team!" in page.content()
        for box in page.locator("input[name=item]").all():
            box.check()
        page.fill("#who_did_you_see", "Sam, Alex and Pat at home")
        page.fill("#worker_analysis", "Arguments at home are less frequent; the children say they feel safer.")
        submit(page, "#submit")
        assert "Review saved." in page.content()
        db_session().rollback()
        review = db_session().scalar(select(Review))
        assert review is not None and len(review.items) >= 2

        with page.expect_download() as pdf_download:
            page.click("a:has-text('PDF')")
        pdf = pdf_download.value
        assert pdf.suggested_filename.endswith(".pdf")
        with open(pdf.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"

        with page.expect_download() as docx_download:
            page.click("a:has-text('Word (DOCX)')")
        assert docx_download.value.suggested_filename.endswith(".docx")
        with open(docx_download.value.path(), "rb") as handle:
            assert handle.read(2) == b"PK"

        page.click("a:has-text('Printable page')")
        content = page.content()
        for heading in ("Who did you see", "Voice of Child", "Parents view", "Worker analysis"):
            assert heading in content
        assert "I got into the football team!" in content
        page.emulate_media(media="print")
        assert not page.locator(".site-nav").is_visible(), "the menu is not printed"
        page.emulate_media(media="screen")
    finally:
        context.close()


def test_the_review_pages_pass_the_accessibility_check_on_a_phone(page, app, checked):
    demo.load()
    worker = db_session().scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    sign_in_staff(page, worker, password="demo-worker-pass")
    page.goto("/staff/")
    page.click("text=The Demo family")
    page.click("a.tile:has-text('Reviews')")
    checked(page)
    submit(page, "#submit")
    checked(page)
    page.click("a:has-text('Printable page')")
    checked(page)
