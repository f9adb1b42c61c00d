"""Quick exit: one tap (or Esc twice) leaves for a neutral site, and Back doesn't return.

Members sign in through the sign-in page here: Back is tried over the history a real sign-in leaves."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page
from sqlalchemy import select

from webapp.auth.models import UserSession
from webapp.db import db_session

from .. import factories
from .conftest import NEUTRAL_URL
from .steps import sign_in_member, sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.neutral_site]


@pytest.fixture
def child(app):
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker"))
    return factories.member(family, "young_person", name="Sam")


def _open_home_in_a_new_tab(context: BrowserContext, page: Page, child) -> Page:
    """The family page as the only site page in a tab's history, so Back could only return to it."""
    sign_in_member(page, child.user, through_pages=True)
    page.close()
    tab = context.new_page()
    tab.goto("/home")
    assert tab.get_by_role("heading", level=1).inner_text() == "Hello Sam"
    return tab


def _history_urls(page: Page) -> list[str]:
    """Every entry of the tab's history, as the browser keeps it (what a long press on Back would list)."""
    session = page.context.new_cdp_session(page)
    try:
        return [entry["url"] for entry in session.send("Page.getNavigationHistory")["entries"]]
    finally:
        session.detach()


def _assert_nothing_tells_where_they_were(page: Page) -> None:
    for url in [page.url, *_history_urls(page)]:
        assert "/my/" not in url and "next=" not in url, f"the history shows {url}"


def _wait_for_the_session_to_end(page: Page, child) -> None:
    """The button also ends the session on its way out."""
    for _ in range(50):
        db_session().rollback()
        if db_session().scalar(select(UserSession).where(UserSession.user_id == child.user.id, UserSession.ended_at.is_(None))) is None:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the session is still open after Quick exit")


def _assert_left_for_good(tab: Page, history_length: int) -> None:
    tab.wait_for_url(NEUTRAL_URL)
    # The neutral page took the family page's place in the history instead of adding to it.
    assert tab.evaluate("history.length") == history_length
    tab.go_back()
    assert "127.0.0.1" not in tab.url, f"Back returned to {tab.url}"
    assert "Hello Sam" not in tab.content()


def test_quick_exit_leaves_for_a_neutral_site_and_back_does_not_return(context, page, child, checked):
    tab = _open_home_in_a_new_tab(context, page, child)
    checked(tab)
    history_length = tab.evaluate("history.length")
    tab.click("#quick-exit")
    _assert_left_for_good(tab, history_length)


def test_pressing_escape_twice_leaves_the_same_way(context, page, child):
    tab = _open_home_in_a_new_tab(context, page, child)
    history_length = tab.evaluate("history.length")
    tab.keyboard.press("Escape")
    assert tab.url.endswith("/home"), "one Escape alone must not leave"
    tab.keyboard.press("Escape")
    _assert_left_for_good(tab, history_length)


def test_after_quick_exit_back_reaches_no_family_page_even_with_a_long_history(page, child):
    sign_in_member(page, child.user, through_pages=True)
    page.goto("/my/views")
    page.goto("/my/worries")
    page.click("#quick-exit")
    page.wait_for_url(NEUTRAL_URL)
    _wait_for_the_session_to_end(page, child)
    for _ in range(3):
        page.go_back()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/signin", f"Back showed {page.url}"
        assert page.locator("#password").count() == 1
        assert "next=" not in page.url, f"Back showed {page.url}"
    _assert_nothing_tells_where_they_were(page)


def test_after_quick_exit_from_the_safety_plan_back_does_not_say_where_they_were(page, child):
    sign_in_member(page, child.user, through_pages=True)
    page.goto("/my/plan")
    page.goto("/my/safety-plan")
    page.click("#quick-exit")
    page.wait_for_url(NEUTRAL_URL)
    _wait_for_the_session_to_end(page, child)
    # Quick exit took the safety plan's place in the history.
    assert not any(url.endswith("/my/safety-plan") for url in _history_urls(page))
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url.endswith("/signin"), f"Back showed {page.url}"
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url.endswith("/signin"), f"Back showed {page.url}"
    _assert_nothing_tells_where_they_were(page)


def test_staff_pages_have_no_quick_exit(page, app, checked):
    team = factories.team()
    worker = factories.staff(team, "worker")
    sign_in_staff(page, worker)
    assert page.url.endswith("/staff/")
    checked(page)
    assert page.locator("#quick-exit").count() == 0
    assert page.locator("body[data-quick-exit]").count() == 0
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.url.endswith("/staff/")
