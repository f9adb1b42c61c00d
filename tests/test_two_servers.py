"""Two app servers on one PostgreSQL and one Redis act as one: a council adds servers behind its proxy.

Each server is a gunicorn of its own (deploy/gunicorn.conf.py, one worker) on a free port, with the same
SECRET_KEY, database and Redis. A browser signed in on one is signed in on the other; signing out, or
changing the password, on one ends the session on the other; the sign-in limit counts tries on both.
Runs only with TEST_DATABASE_URL on PostgreSQL and TEST_REDIS_URL set (CI sets both).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from . import factories

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
ATTEMPTS = 3

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql") or not os.environ.get("TEST_REDIS_URL"),
    reason="needs TEST_DATABASE_URL on PostgreSQL and TEST_REDIS_URL (CI sets both)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One browser's cookie, sent to whichever server it talks to (as behind a proxy, one site)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Status, Location and body."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    if morsel["expires"] and "1970" in morsel["expires"] or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.headers.get("Location", ""), response.read().decode()
        finally:
            conn.close()

    def get(self, port: int, path: str) -> tuple[int, str, str]:
        return self.request(port, "GET", path)

    def submit(self, port: int, path: str, form: dict[str, str], *, page: str | None = None) -> tuple[int, str, str]:
        """POST the form with the CSRF token of `page` (path itself by default), as read on that server."""
        status, _location, html = self.get(port, page or path)
        assert status == 200, f"{page or path} answered {status}"
        match = TOKEN.search(html)
        assert match, f"no form token on {page or path}"
        return self.request(port, "POST", path, {**form, "csrf_token": match.group(1) or match.group(2)})


def _sign_in(browser: Browser, port: int, login: str, password: str = factories.PASSWORD) -> tuple[int, str, str]:
    return browser.submit(port, "/signin", {"login": login, "password": password})


def _signed_in(browser: Browser, port: int) -> bool:
    status, location, _body = browser.get(port, "/home")
    assert status == 200 or (status == 302 and "/signin" in location), (status, location)
    return status == 200


@pytest.fixture(scope="module")
def servers(database_url: str) -> Iterator[tuple[int, int]]:
    """Two gunicorn servers on the test run's database and Redis, sharing one SECRET_KEY."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": os.environ["TEST_REDIS_URL"],
        "RATELIMIT_KEY_PREFIX": f"fv-two-{secrets.token_hex(6)}",
        "SECRET_KEY": secrets.token_hex(32),
        "SIGNIN_LIMIT_PER_ACCOUNT": f"{ATTEMPTS} per 15 minutes",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    ports = (_free_port(), _free_port())
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "webapp:create_app()"],
            cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 120
        for process, port in zip(processes, ports, strict=True):
            while True:
                assert process.poll() is None, "the server stopped while starting"
                try:
                    if Browser().get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.05)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_a_session_made_on_one_server_works_on_the_other_and_a_sign_out_there_ends_it(app, world, servers):
    one, two = servers
    browser = Browser()
    status, location, _body = _sign_in(browser, one, world["parent"].user.username)
    assert (status, location) == (302, "/home")
    assert _signed_in(browser, two), "the other server knows the session"
    assert "Parent" in browser.get(two, "/home")[2]

    status, _location, _body = browser.submit(two, "/signout", {}, page="/settings")
    assert status == 302
    assert not _signed_in(browser, one), "signed out on the other server too"
    assert not _signed_in(browser, two)


def test_a_password_changed_on_one_server_ends_the_other_sessions_on_the_other(app, world, servers):
    one, two = servers
    username = world["parent"].user.username
    phone, laptop = Browser(), Browser()
    assert _sign_in(phone, one, username)[0] == 302
    assert _sign_in(laptop, two, username)[0] == 302
    assert _signed_in(laptop, one)

    new = "a-brand-new-secret-7"
    status, _location, _body = phone.submit(
        one, "/settings", {"pw-current": factories.PASSWORD, "pw-password": new, "pw-confirm": new, "pw-submit": "1"}
    )
    assert status == 302
    assert not _signed_in(laptop, two), "the laptop's session ended everywhere"
    assert not _signed_in(laptop, one)
    assert _signed_in(phone, two), "the phone that changed it stays signed in, on both servers"
    assert _sign_in(Browser(), two, username, new)[0] == 302, "the new password works on the other server"


def test_the_sign_in_limit_counts_tries_on_both_servers(app, world, servers):
    one, two = servers
    username = world["child"].user.username
    for attempt in range(ATTEMPTS):
        status, _location, _body = _sign_in(Browser(), (one, two)[attempt % 2], username, "not-the-password")
        assert status == 200, "a wrong password is refused, not yet limited"
    for port in (one, two):
        status, _location, _body = _sign_in(Browser(), port, username)
        assert status == 429, "the tries on both servers count against one limit"

