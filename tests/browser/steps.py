"""Steps people take in the browser, shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from webapp.auth.models import User
from webapp.db import db_session

from .. import factories


def submit(page: Page, button: str = "#submit") -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(button)


def sign_in(page: Page, login: str, password: str = factories.PASSWORD, *, check: Callable[[Page], None] | None = None) -> None:
    page.goto("/signin")
    if check:
        check(page)
    page.fill("#login", login)
    page.fill("#password", password)
    submit(page)


def sign_in_member(page: Page, user: User | None, password: str = factories.PASSWORD) -> None:
    assert user is not None and user.username
    sign_in(page, user.username, password)
    assert page.url.endswith("/home"), page.url


def sign_in_staff(page: Page, user: User, password: str = factories.PASSWORD, *, check: Callable[[Page], None] | None = None) -> None:
    """Password, then a code from the authenticator app (made here from the stored secret)."""
    assert user.email
    sign_in(page, user.email, password, check=check)
    assert "/signin/code" in page.url, page.url
    if check:
        check(page)
    db_session().rollback()
    db_session().refresh(user)
    page.fill("#code", factories.next_totp_code(user))
    submit(page)
    assert "/signin" not in page.url, page.url


def sign_out(page: Page) -> None:
    submit(page, "form[data-sign-out] button")
    assert "/signin" in page.url, page.url
