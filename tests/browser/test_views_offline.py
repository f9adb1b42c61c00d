"""A young person's views in the browser: the offline outbox, the 0-10 scale without JavaScript, and a photo upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page
from sqlalchemy import func, select, update

from webapp.auth.models import UserSession
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.photos.models import Photo
from webapp.worries.models import Worry, WorryMember, WorryScore

from .. import factories
from .steps import sign_in_member, submit

pytestmark = pytest.mark.browser

SERVICE_WORKER_READY = """async () => {
  await navigator.serviceWorker.ready;
  const names = await caches.keys();
  for (const name of names) {
    const cache = await caches.open(name);
    if (await cache.match('/offline')) return true;
  }
  return false;
}"""


@pytest.fixture
def child(app):
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker"))
    return factories.member(family, "young_person", name="Sam")


def entries_of(member) -> int:
    db_session().rollback()
    return db_session().scalar(select(func.count(Entry.id)).where(Entry.member_id == member.id)) or 0


def drafts(page: Page) -> int:
    return int(page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('fv-outbox:'))"
        ".reduce((n, k) => n + JSON.parse(localStorage.getItem(k)).length, 0)"
    ))


def test_an_entry_written_offline_is_sent_exactly_once_when_back_online(page, context, child, checked):
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    assert page.wait_for_function(SERVICE_WORKER_READY).json_value()
    checked(page)

    context.set_offline(True)
    page.fill("#what_happened", "We made pancakes together")
    page.click("#submit")
    message = page.locator("[data-offline-message]")
    message.wait_for(state="visible")
    assert "saved on this phone" in message.inner_text()
    assert drafts(page) == 1
    assert entries_of(child) == 0

    page.reload()  # still offline: the service worker shows the offline page
    assert "offline" in page.content().lower()
    context.set_offline(False)
    page.goto("/my/views")
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")
    assert entries_of(child) == 1
    page.reload()
    page.goto("/my/views")
    assert entries_of(child) == 1, "sending again must not store it twice"
    db_session().rollback()
    entry = db_session().scalars(select(Entry).where(Entry.member_id == child.id)).one()
    assert entry.answers == {"what_happened": "We made pancakes together"}
    assert "Good news" in page.content()


def _jpeg(tmp_path) -> str:
    picture = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(picture, "JPEG")
    path = tmp_path / "match.jpg"
    path.write_bytes(picture.getvalue())
    return str(path)


def _all_sent(page: Page) -> None:
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")


def test_offline_with_a_photo_the_words_are_kept_and_sent_and_the_photo_is_left_out(page, context, child, tmp_path):
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    page.wait_for_function(SERVICE_WORKER_READY)
    page.locator(".photo-attach summary").click()
    page.set_input_files("#photo", _jpeg(tmp_path))
    context.set_offline(True)
    page.fill("#what_happened", "We won the match")
    page.click("#submit")
    message = page.locator("[data-offline-message]")
    message.wait_for(state="visible")
    assert "Photos are not kept on the phone" in message.inner_text()
    assert drafts(page) == 1
    kept = page.evaluate("() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('')")
    assert "We won the match" in kept and "photo" not in kept and "match.jpg" not in kept and len(kept) < 2000, "no photo on the phone"
    context.set_offline(False)
    page.goto("/my/views")
    _all_sent(page)
    db_session().rollback()
    entry = db_session().scalars(select(Entry).where(Entry.member_id == child.id)).one()
    assert entry.answers == {"what_happened": "We won the match"}
    assert db_session().scalar(select(func.count(Photo.id))) == 0


def test_words_sent_after_the_session_ended_are_kept_and_go_after_signing_in_again(page, context, child):
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    page.fill("#what_happened", "I finished my book")
    # The phone was left too long: the server has ended the session.
    db_session().execute(update(UserSession).where(UserSession.user_id == child.user.id).values(ended_at=utcnow()))
    db_session().commit()
    page.click("#submit")
    message = page.locator("[data-offline-message]")
    message.wait_for(state="visible")
    assert "sent after you sign in again" in message.inner_text()
    assert drafts(page) == 1 and entries_of(child) == 0
    sign_in_member(page, child.user)
    _all_sent(page)
    assert entries_of(child) == 1
    db_session().rollback()
    assert db_session().scalars(select(Entry).where(Entry.member_id == child.id)).one().answers == {"what_happened": "I finished my book"}


def test_a_draft_still_goes_when_the_pages_form_token_has_gone_stale(page, context, child):
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    page.wait_for_function(SERVICE_WORKER_READY)
    context.set_offline(True)
    page.fill("#what_happened", "Football after school")
    page.click("#submit")
    page.locator("[data-offline-message]").wait_for(state="visible")
    context.set_offline(False)
    # The token the page holds no longer works (as after a long time offline); the outbox must recover.
    page.evaluate("() => { document.body.dataset.csrfToken = 'stale-token'; window.dispatchEvent(new Event('online')); }")
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")
    assert entries_of(child) == 1


def test_the_radio_buttons_work_without_javascript(browser, live_server, child):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False, base_url=live_server.url)
    try:
        worry = Worry(family_id=child.family_id, wording="Sleeping well", meaning_0="0", meaning_10="10")
        worry.applies_to = [WorryMember(member_id=child.id)]
        db_session().add(worry)
        db_session().commit()
        page = context.new_page()
        sign_in_member(page, child.user)
        page.goto(f"/my/worries/{worry.id}")
        assert page.locator("#score-slider").count() == 0
        page.check("input[name=score][value='3']")
        submit(page, "#submit")
        db_session().rollback()
        assert db_session().scalar(select(WorryScore.score).where(WorryScore.worry_id == worry.id)) == 3
    finally:
        context.close()


def test_a_photo_is_uploaded_from_the_page(page, child, checked, tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 200)).save(picture, "JPEG")
    path = tmp_path / "park.jpg"
    path.write_bytes(picture.getvalue())
    sign_in_member(page, child.user)
    page.goto("/my/photos")
    checked(page)
    page.set_input_files("#photo", str(path))
    page.fill("#caption", "At the park")
    submit(page, "#submit")
    assert "Your photo is sent" in page.content()
    thumbnail = page.locator("img[alt='At the park']")
    thumbnail.wait_for()
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) > 0
    db_session().rollback()
    assert db_session().scalar(select(func.count(Photo.id)).where(Photo.member_id == child.id)) == 1
    checked(page)
