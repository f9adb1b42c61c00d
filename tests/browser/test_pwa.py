"""The service worker keeps only versioned static files and the offline page; sign-out empties it all."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page

from .. import factories
from .steps import sign_in_member, sign_out

pytestmark = pytest.mark.browser

CACHED_URLS = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    found[name] = (await cache.keys()).map((request) => request.url);
  }
  return found;
}"""
SERVICE_WORKER = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return {scope: registration.scope, script: registration.active.scriptURL};
}"""


@pytest.fixture
def child(app):
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker"))
    return factories.member(family, "young_person", name="Sam")


def browse_family_pages(page: Page, checked) -> list[str]:
    """Open each page in the menu, as a young person looking round would; returns their paths."""
    paths: list[str] = page.eval_on_selector_all(".site-nav a[href]", "links => links.map((a) => a.getAttribute('href'))")
    assert "/home" in paths and "/settings" in paths
    for path in paths:
        page.goto(path)
        checked(page)
    return paths


def test_service_worker_caches_only_static_files_and_the_offline_page(page, live_server, child, checked):
    sign_in_member(page, child.user)
    visited = browse_family_pages(page, checked)

    worker = page.evaluate(SERVICE_WORKER)
    assert worker == {"scope": live_server.url + "/", "script": live_server.url + "/sw.js"}

    cached = page.evaluate(CACHED_URLS)
    urls = [url for urls in cached.values() for url in urls]
    paths = {urlsplit(url).path for url in urls}
    assert "/offline" in paths
    assert any(path.startswith("/static/css/") for path in paths)
    for url in urls:
        parts = urlsplit(url)
        assert parts.netloc == urlsplit(live_server.url).netloc, url
        is_versioned_static = parts.path.startswith("/static/") and parse_qs(parts.query).get("v")
        assert is_versioned_static or (parts.path == "/offline" and not parts.query), f"{url} should not be kept on the phone"
    assert not paths & {"/home", "/settings", *visited}


def test_with_no_connection_pages_show_the_offline_page(page, context, child, checked):
    sign_in_member(page, child.user)
    page.evaluate(SERVICE_WORKER)
    context.set_offline(True)
    with force_locale("en"):
        offline_heading = gettext("You are offline")
    for path in ("/home", "/settings"):
        page.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == offline_heading
        assert "Sam" not in page.content()
        checked(page)
    context.set_offline(False)
    page.goto("/home")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello Sam"


def test_signing_out_empties_cache_storage_and_local_storage(page, child, checked):
    sign_in_member(page, child.user)
    browse_family_pages(page, checked)
    page.evaluate(SERVICE_WORKER)
    page.evaluate("localStorage.setItem('fv-outbox:test', '[{\"text\": \"a draft\"}]')")
    assert page.evaluate(CACHED_URLS)

    sign_out(page)
    checked(page)
    assert page.evaluate(CACHED_URLS) == {}
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((found) => found.length)") == 0
