"""End-to-end fixtures: the real app on a live server, driven by Debian's headless Chromium.

One browser and one live server for the whole session, a fresh context (a fresh phone) per test.
Data made with tests/factories in the test's own app context is committed, so the live server
sees it; the `app` fixture empties the database after each test.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wsgi import ClosingIterator

from ..conftest import build_app

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 360, "height": 740}
# Quick exit leaves for this neutral page; the machine has no internet, so each context serves it.
NEUTRAL_URL = "https://weather.example/"
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()
# BROWSER_SCREENSHOTS=/tmp/somewhere saves every checked page there, to look at by eye.
_SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")
_shot_numbers = itertools.count(1)


_RESPONSE_KEY = "tests.response"
# The live server while it runs: steps.py signs phones in with a session cookie its app signs.
LIVE_SERVERS: list[LiveServer] = []


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def connection_dropped(self, error: BaseException, environ: WSGIEnvironment | None = None) -> None:
        # Werkzeug's development server skips closing the answer when the browser hangs up while
        # it is still being read (a cancelled icon or photo); close it, so no file stays open.
        response = (environ or {}).get(_RESPONSE_KEY)
        if response is not None and hasattr(response, "close"):
            response.close()


# axe-core, served beside the live app so a phone fetches it once and keeps it in its cache,
# rather than being sent its half a megabyte through the DevTools protocol for every page checked.
AXE_PATH = "/_tests/axe.min.js"


class _InFlight:
    """The live app's requests not yet answered: a test's database is emptied only once they are all done (a
    phone closed at the end of a test may have left one that still writes, such as an audit row)."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def begin(self) -> Callable[[], None]:
        with self.changed:
            self.count += 1
        ended: list[bool] = []

        def end() -> None:
            if ended:  # the server and `_QuietHandler` may both close an answer
                return
            ended.append(True)
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

        return end

    def wait_until_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout)


_IN_FLIGHT = _InFlight()


def _remember_response(app: WSGIApplication) -> WSGIApplication:
    """The live app, keeping each answer in its request's environ for `_QuietHandler` and counting the requests
    in flight; and axe-core."""
    axe_script = _axe.axe_script.encode()

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == AXE_PATH:
            start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"), ("Content-Length", str(len(axe_script))),
                                      ("Cache-Control", "public, max-age=86400")])
            return [axe_script]
        end = _IN_FLIGHT.begin()
        try:
            response = ClosingIterator(app(environ, start_response), end)
        except BaseException:
            end()
            raise
        environ[_RESPONSE_KEY] = response
        return response

    return wrapped


@dataclass
class LiveServer:
    url: str
    app: Flask

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@pytest.fixture(scope="session")
def _live_server(database_url: str) -> Iterator[LiveServer]:
    """The real app, its own engine and sessions, on 127.0.0.1 and a free port, for the whole run."""
    live_app = build_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-test-secret-key",
            "RATELIMIT_STORAGE_URI": "memory://",
            "QUICK_EXIT_URL": NEUTRAL_URL,
        }
    )
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, _remember_response(live_app), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=live_app)
    LIVE_SERVERS.append(live)
    try:
        yield live
    finally:
        LIVE_SERVERS.remove(live)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        live_app.extensions["db_engine"].dispose()


@pytest.fixture
def live_server(app: Flask, _live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server on the test's empty database; config a test changes is put back after it."""
    config = dict(_live_server.app.config)
    yield _live_server
    # Torn down after the test's phones are closed and before its app empties the database.
    _IN_FLIGHT.wait_until_idle(timeout=10)
    _live_server.app.config.clear()
    _live_server.app.config.update(config)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class Phones:
    """Makes browser contexts, each a separate phone, and checks what they fetched."""

    browser: Browser
    server: LiveServer
    # Marked `neutral_site`: the test leaves by Quick exit, and each phone is served the neutral page.
    neutral_site: bool = False
    contexts: list[BrowserContext] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)

    def new(self, locale: str = "en-GB", *, service_workers: Literal["allow", "block"] = "allow") -> BrowserContext:
        """A phone; with service_workers="block", one whose page requests a test routes (page.route does not see
        the requests of a page its service worker has taken over, which happens as soon as the worker is ready)."""
        context = self.browser.new_context(viewport=PHONE, locale=locale, base_url=self.server.url, service_workers=service_workers)
        context.set_default_timeout(10_000)
        if self.neutral_site:
            # Routing turns the phone's cache off, so only the tests that leave by Quick exit route.
            context.route(NEUTRAL_URL + "**", lambda route: route.fulfill(content_type="text/html", body=NEUTRAL_PAGE))
        context.on("request", self._watch)
        self.contexts.append(context)
        return context

    def _watch(self, request: Any) -> None:
        url = request.url
        if url.startswith(NEUTRAL_URL) or not url.startswith(("http:", "https:")):
            return
        if urlsplit(url).netloc != self.server.host:
            self.third_party.append(url)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "neutral_site: the test leaves by Quick exit, so its phones are served the neutral site")


@pytest.fixture
def phones(browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Phones]:
    made = Phones(browser, live_server, neutral_site=request.node.get_closest_marker("neutral_site") is not None)
    yield made
    made.close()
    # Spec 7: no third-party requests of any kind.
    assert not made.third_party, f"requests to other sites: {made.third_party}"


@pytest.fixture
def context(phones: Phones) -> BrowserContext:
    return phones.new()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines()[1:])
            lines.append(f"    at {' '.join(str(t) for t in node['target'])}: {summary}")
    return "\n".join(lines)


def check_page(page: Page, *, rtl: bool | None = None) -> None:
    """What every page must be at 360 px: no sideways scroll, WCAG 2.2 A and AA by axe-core.

    With rtl=True or False, also that the page is (or is not) laid out right to left.
    """
    page.wait_for_load_state("load")
    where = page.url
    if _SCREENSHOTS:
        name = re.sub(r"[^a-z0-9]+", "-", where.split("/", 3)[-1].lower()).strip("-") or "root"
        page.screenshot(path=os.path.join(_SCREENSHOTS, f"{next(_shot_numbers):03d}-{name}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{where} scrolls sideways at 360 px ({scroll_width} px wide)"
    if rtl is not None:
        direction = page.evaluate(
            "({lang: document.documentElement.lang.split('-')[0], dir: document.documentElement.dir,"
            " computed: getComputedStyle(document.documentElement).direction})"
        )
        expected = (
            {"lang": "ar", "dir": "rtl", "computed": "rtl"} if rtl else {"lang": "en", "dir": "ltr", "computed": "ltr"}
        )
        assert direction == expected, f"{where}: {direction}"
        quick_exit = page.locator("#quick-exit")
        if quick_exit.count():
            # The header mirrors: Quick exit sits at the end of the line, left in Arabic, right in English.
            exit_box = quick_exit.bounding_box()
            brand_box = page.locator(".brand").bounding_box()
            assert exit_box and brand_box
            assert (exit_box["x"] < brand_box["x"]) is rtl, (
                f"{where}: Quick exit at x={exit_box['x']}, brand at x={brand_box['x']}"
            )
    # Playwright evaluates through the DevTools protocol, which the page's CSP does not govern.
    violations = _axe_violations(page)
    assert not violations, f"accessibility violations on {where}:\n{_describe(violations)}"


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG violations on the page, and nothing else of its results: the passes and the
    rules that did not apply are large, and carrying them back through the protocol is most of a check's cost."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        try:
            page.add_script_tag(url=AXE_PATH)
        except PlaywrightError:
            # Offline, or a page away from the live server: sent through the protocol instead.
            page.evaluate(_axe.axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations: list[dict[str, Any]] = page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)
    return violations


@pytest.fixture
def checked() -> Callable[..., None]:
    return check_page
