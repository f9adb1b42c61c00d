"""Steps people take in the browser, shared by the end-to-end tests."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable

from playwright.sync_api import Locator, Page

from webapp.auth import sessions
from webapp.auth.models import User, UserSession
from webapp.db import db_session

from .. import factories
from .conftest import LIVE_SERVERS


def submit(page: Page, button: str = "#submit") -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(button)


def follow(page: Page, link: Locator, *, tap: bool = False) -> None:
    """Press a link and wait for the page it leads to. (Waiting for "load" after the click does not:
    the page being left is loaded already, so the wait can end before the next page has come.)"""
    with page.expect_navigation():
        if tap:
            link.tap()
        else:
            link.click()


def sign_in(page: Page, login: str, password: str = factories.PASSWORD, *, check: Callable[[Page], None] | None = None) -> None:
    page.goto("/signin")
    if check:
        check(page)
    page.fill("#login", login)
    page.fill("#password", password)
    submit(page)


def with_session(page: Page, user: User) -> None:
    """The phone is signed in as user: a server-side session opened as signing in opens one, its
    token in the phone's session cookie, then the sign-in page sends the phone on to its home.

    The sign-in pages themselves are used in test_onboarding.py and by `through_pages=True`.
    """
    (live,) = LIVE_SERVERS
    live_app = live.app
    token = secrets.token_urlsafe(32)
    db_session().add(UserSession(token_hash=sessions._hash(token), user_id=user.id))
    db_session().commit()
    serializer = live_app.session_interface.get_signing_serializer(live_app)  # type: ignore[attr-defined]
    # As Flask-WTF draws it: the secret every form's token is made from.
    cookie = {"_user_id": token, "_fresh": True, "_permanent": True, "csrf_token": hashlib.sha1(os.urandom(64)).hexdigest()}
    page.context.add_cookies([{"name": live_app.config["SESSION_COOKIE_NAME"], "value": serializer.dumps(cookie),
                               "url": live.url, "httpOnly": True, "sameSite": "Lax"}])
    page.goto("/signin")


def sign_in_member(page: Page, user: User | None, password: str = factories.PASSWORD, *, through_pages: bool = False) -> None:
    assert user is not None and user.username
    if through_pages or password != factories.PASSWORD:
        sign_in(page, user.username, password)
    else:
        with_session(page, user)
    assert page.url.endswith("/home"), page.url


def sign_in_staff(page: Page, user: User, password: str = factories.PASSWORD, *, check: Callable[[Page], None] | None = None,
                  through_pages: bool = False) -> None:
    """Password, then a code from the authenticator app (made here from the stored secret)."""
    if not (through_pages or check or password != factories.PASSWORD):
        with_session(page, user)
        assert "/signin" not in page.url, page.url
        return
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
