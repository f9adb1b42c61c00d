"""Security headers, pages that are never kept, templates with no inline code, CSRF on every
state change, and sign-in rate limits (in memory and in Redis)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.db import db_session
from webapp.entries import services as entries
from webapp.families.models import FamilyMember
from webapp.models import Base

from . import factories
from .conftest import FormClient
from .helpers import RATE_LIMIT_STORES as STORES
from .helpers import redis_keys, signed_in, text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EXPIRED = "This form has expired"
TOO_MANY = "Too many tries"
NOT_RIGHT = "That username or password is not right."


# --- Headers on every kind of response.


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(
    "url,status",
    [
        ("/signin", 200),
        ("/no-such-page", 404),
        ("/static/css/app.css", 200),
        ("/sw.js", 200),
        ("/manifest.webmanifest", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, url, status):
    response = client.get(url)
    response.close()
    assert response.status_code == status
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    directives = csp_directives(csp)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    permissions = [p.strip() for p in headers["Permissions-Policy"].split(",")]
    assert "geolocation=()" in permissions and "camera=()" in permissions


def test_a_page_behind_sign_in_never_allows_inline_styles_or_scripts(app, world):
    page = signed_in(app, world["child"].user).get("/home")
    directives = csp_directives(page.headers["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


@pytest.fixture
def sent(world: dict[str, Any]) -> Any:
    entry, _ = entries.create(world["child"], "good_news", {"what_happened": "A good day", "who_with": "Jo"}, feeling=None, language="en")
    db_session().commit()  # services never commit: the request does, and here the fixture stands in for it
    return entry


MEMBER_PAGES = ["/home", "/my/views", "/my/views/{entry}", "/my/views/new/good_news", "/my/plan", "/my/safety-plan", "/my/worries", "/my/photos", "/my/shared", "/settings"]
STAFF_PAGES = [
    "/staff/",
    "/staff/inbox",
    "/staff/families/{family}",
    "/staff/entries/{entry}",
    "/staff/families/{family}/plan",
    "/staff/families/{family}/worries",
    "/staff/families/{family}/worry-scores.csv",
    "/staff/members/{child}/safety-plan",
    "/settings",
]


@pytest.mark.parametrize("who,pages", [("child", MEMBER_PAGES), ("worker_a", STAFF_PAGES), ("manager_a", ["/staff/team", "/staff/audit", "/staff/people", "/staff/escalations"])])
def test_pages_behind_sign_in_are_never_stored(app, world, sent, who, pages):
    user = world[who].user if who == "child" else world[who]
    browser = signed_in(app, user)
    for template in pages:
        url = template.format(entry=sent.id, family=world["family"].id, child=world["child"].id)
        response = browser.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url


def test_versioned_static_files_may_be_kept_but_pages_may_not(client):
    page = client.get("/signin")
    css_url = re.search(r'href="(/static/css/app\.css\?v=[^"]+)"', page.get_data(as_text=True))
    assert css_url, "the page links its stylesheet with a version"
    css = client.get(css_url.group(1))
    css.close()
    assert css.status_code == 200
    assert "immutable" in css.headers["Cache-Control"]
    assert page.headers["Cache-Control"] == "no-store"


# --- Templates: nothing inline that the CSP would have to allow.

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def inline_code(source: str) -> list[str]:
    """What in an HTML template would need 'unsafe-inline': script bodies, on*= and style= attributes."""
    html = JINJA.sub(" ", source)
    problems = [f"inline script: {body.strip()[:40]}" for body in INLINE_SCRIPT.findall(html) if body.strip()]
    for tag in TAG.findall(html):
        if EVENT_ATTRIBUTE.search(tag):
            problems.append(f"event attribute: {tag[:60]}")
        if STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute: {tag[:60]}")
    return problems


def test_the_template_scan_finds_inline_code():
    assert inline_code('<script src="/static/js/app.js" defer></script>') == []
    assert inline_code("{% if block.style == 'person' %}<h3 class=\"x\">{{ block.style }}</h3>{% endif %}") == []
    assert len(inline_code("<script>alert(1)</script>")) == 1
    assert len(inline_code('<button type="button" onclick="go()">Go</button>')) == 1
    assert len(inline_code('<a href="/"\n   onmouseover="go()">x</a>')) == 1
    assert len(inline_code('<p class="a" style="color: red">x</p>')) == 1


def test_no_template_has_inline_scripts_event_attributes_or_styles():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    problems = {str(path.relative_to(TEMPLATES)): inline_code(path.read_text()) for path in templates}
    assert {name: found for name, found in problems.items() if found} == {}


# --- CSRF: a post without the page's token changes nothing.


def database_rows() -> dict[str, list[str]]:
    """Every row of every table, to show that nothing at all changed."""
    db = db_session()
    db.rollback()
    return {table.name: sorted(repr(tuple(row)) for row in db.execute(select(table))) for table in Base.metadata.sorted_tables}


def _signin_data(world: dict[str, Any]) -> dict[str, Any]:
    return {"login": world["child"].user.username, "password": factories.PASSWORD}


def _password_data(world: dict[str, Any]) -> dict[str, Any]:
    return {"pw-current": factories.PASSWORD, "pw-password": "a-brand-new-secret", "pw-confirm": "a-brand-new-secret", "pw-submit": "1"}


def _new_staff_data(world: dict[str, Any]) -> dict[str, Any]:
    return {"display_name": "New Worker", "email": "new.worker@example.org", "role": "worker"}


def _entry_data(world: dict[str, Any]) -> dict[str, Any]:
    return {"what_happened": "I passed my test", "who_with": "Mum"}


CSRF_CASES = [
    # url, who is signed in (None: nobody), what the form would send
    ("/signin", None, _signin_data),
    ("/signout", "child", lambda world: {}),
    ("/settings", "parent", _password_data),
    ("/language", "child", lambda world: {"language": "pl"}),
    ("/staff/members/{child}/code", "worker_a", lambda world: {}),
    ("/staff/people", "manager_a", _new_staff_data),
    ("/my/views/new/good_news", "child", _entry_data),
]


def _user(world: dict[str, Any], who: str) -> Any:
    value = world[who]
    return value.user if isinstance(value, FamilyMember) else value


@pytest.mark.parametrize("url,who,data", CSRF_CASES, ids=[case[0] for case in CSRF_CASES])
def test_a_post_without_the_forms_token_is_refused_and_changes_nothing(app, world, url, who, data):
    browser: FormClient = signed_in(app, _user(world, who)) if who else app.test_client()
    before = database_rows()
    response = browser.post(url.format(child=world["child"].id), data=data(world))
    assert response.status_code == 400
    assert EXPIRED in text(response)
    assert "Nothing was changed." in text(response)
    assert database_rows() == before
    if who is None:
        assert browser.get("/home").status_code == 302, "still signed out"
    else:
        assert browser.get("/settings").status_code == 200, "still signed in"
        assert "<html lang=\"en-GB\"" in browser.get("/settings").get_data(as_text=True)


def _state_changing_paths(app: Any) -> list[tuple[str, str]]:
    """Every address that takes a POST (or another state-changing method), with real ids filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", "1").replace(f"<{name}>", "ABCDEFGH")
            found.append((method, path))
    return found


@pytest.mark.parametrize("who", ["manager_a", "child"])
def test_every_state_changing_address_refuses_a_post_without_the_token(app, world, who):
    paths = _state_changing_paths(app)
    assert len(paths) >= 45 and not any(path.startswith("/api/") for _method, path in paths), "the API only reads"
    browser: FormClient = signed_in(app, _user(world, who))
    before = database_rows()
    for method, path in paths:
        response = browser.open(path, method=method, data={"anything": "1"})
        assert response.status_code == 400, (method, path, response.status_code)
        assert EXPIRED in text(response), (method, path)
    assert database_rows() == before, "nothing changed anywhere"
    assert browser.get("/settings").status_code == 200, "still signed in"


def test_a_token_from_another_browser_is_refused(app, world):
    other = app.test_client()
    token = other.csrf_token("/signin")
    browser = app.test_client()
    browser.get("/signin")
    response = browser.post("/signin", data={**_signin_data(world), "csrf_token": token})
    assert response.status_code == 400
    assert EXPIRED in text(response)
    assert browser.get("/home").status_code == 302


# --- Rate-limited sign-in, with the in-memory store and with Redis.




@pytest.fixture
def app_config(app_config: dict[str, Any], rate_limit_store: dict[str, Any]) -> dict[str, Any]:
    return {
        **app_config,
        "SIGNIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
        "SIGNIN_LIMIT_PER_ADDRESS": "6 per 15 minutes",
        **rate_limit_store,
    }




def try_sign_in(app: Flask, user: Any, password: str) -> Any:
    """A sign-in from a browser of its own: every test client comes from the same address."""
    browser: FormClient = app.test_client()  # type: ignore[assignment]
    return browser.submit("/signin", {"login": user.username, "password": password})


def assert_refused_as_too_many(response: Any) -> None:
    assert response.status_code == 429
    page = text(response)
    assert TOO_MANY in page
    assert "Please wait a few minutes, then try again." in page
    assert "Traceback" not in page


@STORES
def test_failed_sign_ins_lock_out_the_account_but_not_others_from_the_same_address(app, world, rate_limit_store):
    child = world["child"].user
    for _ in range(3):
        failed = try_sign_in(app, child, "not-the-password")
        assert failed.status_code == 200
        assert NOT_RIGHT in text(failed)
    # Even the right password waits now.
    assert_refused_as_too_many(try_sign_in(app, child, factories.PASSWORD))
    assert_refused_as_too_many(try_sign_in(app, child, "not-the-password"))
    # Somebody else in the same household (same address) still signs in.
    parent = try_sign_in(app, world["parent"].user, factories.PASSWORD)
    assert parent.status_code == 302 and parent.headers["Location"] == "/home"
    if "redis" in rate_limit_store["RATELIMIT_STORAGE_URI"]:
        assert redis_keys(app), "the counts are kept in Redis under this test's own prefix"


@STORES
def test_failed_sign_ins_from_one_address_are_limited_across_accounts(app, world, rate_limit_store):
    # Two failures each for three accounts: no account reaches its own limit of three.
    for who in ("child", "parent"):
        for _ in range(2):
            assert try_sign_in(app, world[who].user, "not-the-password").status_code == 200
    assert try_sign_in(app, world["young_child"].user, "not-the-password").status_code == 200
    # Five failures so far: another account still gets in.
    assert try_sign_in(app, world["restricted_parent"].user, factories.PASSWORD).status_code == 302
    assert try_sign_in(app, world["young_child"].user, "not-the-password").status_code == 200
    # The sixth failure used up the address's tries, whoever signs in next.
    assert_refused_as_too_many(try_sign_in(app, world["other_child"].user, factories.PASSWORD))


@STORES
def test_successful_sign_ins_do_not_count(app, world, rate_limit_store):
    child = world["child"].user
    for _ in range(7):  # more than both limits
        response = try_sign_in(app, child, factories.PASSWORD)
        assert response.status_code == 302 and response.headers["Location"] == "/home"
    for _ in range(2):
        failed = try_sign_in(app, child, "not-the-password")
        assert failed.status_code == 200 and NOT_RIGHT in text(failed)
    assert try_sign_in(app, child, factories.PASSWORD).status_code == 302
