"""From a manager's first sign-in to a young person's first page, in English and in Arabic."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page

from .. import factories
from .steps import sign_in, sign_in_staff, sign_out, submit

pytestmark = pytest.mark.browser

WORKER_PASSWORD = "harbour-violet-teapot-91"
YOUNG_PERSON_PASSWORD = "green-rocket-sandwich-7"


def translated(language: str, message: str, **values: str) -> str:
    with force_locale(language):
        return gettext(message, **values)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_manager_worker_and_young_person_get_in(language, app, phones, checked: Callable[..., None]):
    rtl = language == "ar"
    name = "Layla" if rtl else "Sam"
    team = factories.team("North team")
    manager = factories.staff(team, "manager", name="Maya Manager")
    staff_phone = "ar" if rtl else "en-GB"  # staff pages follow their browser's language too

    # The manager signs in with password and authenticator code, and makes a worker's account.
    page = phones.new(staff_phone).new_page()
    sign_in_staff(page, manager, check=checked)
    checked(page, rtl=rtl)
    with page.expect_navigation():
        page.get_by_role("link", name=translated(language, "Staff")).click()
    assert page.url.endswith("/staff/people")
    checked(page, rtl=rtl)
    page.fill("#display_name", "Will Worker")
    page.fill("#email", "will.worker@example.org")
    page.select_option("#role", "worker")
    submit(page)
    checked(page, rtl=rtl)
    one_time_password = page.get_by_test_id("one-time-password").inner_text().strip()
    assert one_time_password
    with page.expect_navigation():
        page.get_by_role("link", name=translated(language, "Back to staff")).click()
    assert page.get_by_role("cell", name="will.worker@example.org").count() == 1
    checked(page, rtl=rtl)
    sign_out(page)
    checked(page, rtl=rtl)

    # The worker signs in on their own device, chooses a password, then sets up two-step sign-in.
    page = phones.new(staff_phone).new_page()
    page.goto("/signin")
    page.fill("#login", "will.worker@example.org")
    page.fill("#password", one_time_password)
    submit(page)
    assert page.url.endswith("/settings"), page.url
    checked(page, rtl=rtl)
    page.fill("#pw-current", one_time_password)
    page.fill("#pw-password", WORKER_PASSWORD)
    page.fill("#pw-confirm", WORKER_PASSWORD)
    submit(page, "#pw-submit")
    assert page.url.endswith("/staff/totp"), page.url
    checked(page, rtl=rtl)
    manual_key = page.get_by_test_id("totp-key").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(manual_key).now())
    submit(page)
    assert page.url.endswith("/staff/"), page.url
    checked(page, rtl=rtl)

    # The worker makes a family, adds the young person and gives them an activation code.
    with page.expect_navigation():
        page.get_by_role("link", name=translated(language, "Add a family")).click()
    checked(page, rtl=rtl)
    page.fill("#name", "The Rivers family")
    submit(page)
    assert heading(page) == "The Rivers family"
    checked(page, rtl=rtl)
    with page.expect_navigation():
        page.get_by_role("link", name=translated(language, "Add a person")).click()
    checked(page, rtl=rtl)
    page.fill("#display_name", name)
    page.select_option("#role", "young_person")
    page.select_option("#age_band", "14-15")
    page.select_option("#preferred_language", language)
    submit(page)
    checked(page, rtl=rtl)
    submit(page, f".member-card:has(h3:text-is('{name}')) form[action$='/code'] button")
    checked(page, rtl=rtl)
    code = page.get_by_test_id("activation-code").inner_text().strip()
    link = page.get_by_test_id("activation-link").get_attribute("href")
    assert link and link.endswith("/activate/" + code.replace("-", ""))
    sign_out(page)
    checked(page, rtl=rtl)

    # The young person opens the link on their own phone.
    page = phones.new().new_page()
    page.goto(link)
    checked(page, rtl=rtl)  # already in the language the worker noted for them
    assert heading(page) == translated(language, "Who will see what you write")
    submit(page, "#agree")
    assert page.url.endswith("/account"), page.url
    checked(page, rtl=rtl)
    page.fill("#username", name.lower() + ".rivers")
    page.fill("#password", YOUNG_PERSON_PASSWORD)
    page.fill("#confirm", YOUNG_PERSON_PASSWORD)
    submit(page)
    assert page.url.endswith("/home"), page.url
    checked(page, rtl=rtl)
    assert heading(page) == translated(language, "Hello %(name)s", name=name)
    assert page.locator("#quick-exit").is_visible()

    # Their language stays with them: the next page is in it too.
    with page.expect_navigation():
        page.locator(".site-nav a[href='/settings']").click()
    checked(page, rtl=rtl)

    # Signed out, they come back with the username and password they chose, and the page is in their language.
    sign_out(page)
    sign_in(page, name.lower() + ".rivers", YOUNG_PERSON_PASSWORD)
    assert page.url.endswith("/home"), page.url
    checked(page, rtl=rtl)
    assert heading(page) == translated(language, "Hello %(name)s", name=name)
