"""When the database or the rate-limit store is down: plain words, the person's language, no lost words, no family text in logs."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, make_url, select
from sqlalchemy import text as sql_text

from webapp import create_app
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.extensions import limiter
from webapp.models import Base
from webapp.staff.models import Team

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text

ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))
SQLITE_ONLY = pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's own write lock and file size limit")
# Nothing listens on port 1: every connection is refused at once.
UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/familyvoice"
WORDS = "Zebra-7 my brother took my bike again"

OUTAGE_EN = "Family Voice can't save or show things right now"
OUTAGE_PL = "Family Voice nie może teraz niczego zapisać ani pokazać"
OUTAGE_AR = "لا يستطيع Family Voice الآن أن يحفظ أو يعرض أي شيء"


def entries() -> int:
    return db_session().scalar(select(func.count(Entry.id))) or 0


def form_client(app: Flask) -> FormClient:
    """The app's test client: a FormClient, as the app's test_client_class says."""
    client = app.test_client()
    assert isinstance(client, FormClient)
    return client


def copied_browser(app: Flask, browser: FormClient) -> FormClient:
    """A browser on app with the cookies of another: the same person, the same session."""
    other: FormClient = app.test_client()  # type: ignore[assignment]
    assert browser._cookies is not None, "the test client keeps cookies"
    for cookie in browser._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


@pytest.fixture
def down_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The same service (same secret key) on a database server that cannot be reached."""
    broken = create_app({**app_config, "DATABASE_URL": UNREACHABLE_DATABASE, "PROPAGATE_EXCEPTIONS": False})
    broken.test_client_class = FormClient
    yield broken
    broken.extensions["db_engine"].dispose()


def words_shown_back(page: str) -> list[str]:
    """The words in the page's read-only boxes, as written in the HTML."""
    return re.findall(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", page, re.DOTALL)


def test_with_the_database_down_a_signed_in_child_sees_the_plain_page_in_their_language(app, world, down_app, caplog):
    child = world["child"].user
    child.locale = "pl"
    db_session().commit()
    browser = signed_in(app, child)
    assert browser.get("/home").status_code == 200
    response = copied_browser(down_app, browser).get("/home")
    page = text(response)
    assert response.status_code == 503
    assert '<html lang="pl"' in page
    assert OUTAGE_PL in page
    assert 'id="quick-exit"' in page, "Quick exit is still there"
    assert "Traceback" not in page and "OperationalError" not in page
    assert "Internal Server Error" not in page
    assert any("OperationalError" in line for line in caplog.text.splitlines()), "the outage is in the log"


def test_with_the_database_down_the_words_of_a_sent_form_are_shown_back_to_copy(app, world, down_app, caplog, capsys):
    browser = signed_in(app, world["child"].user)
    token = browser.csrf_token("/my/views/new/good_news")
    response = copied_browser(down_app, browser).post(
        "/my/views/new/good_news",
        data={"csrf_token": token, "what_happened": WORDS + " <b>&</b>", "client_id": "abc123abc123abc1", "feeling": "happy", "share_with_family": "y", "submit": "Send"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert OUTAGE_EN in text(response)
    assert "Nothing was saved." in text(response)
    assert words_shown_back(page) == [WORDS + " &lt;b&gt;&amp;&lt;/b&gt;"]  # escaped, never markup
    assert token not in page and "abc123abc123abc1" not in page
    assert WORDS not in caplog.text and WORDS not in capsys.readouterr().err


def test_with_the_database_down_signing_in_shows_the_plain_page_in_the_browsers_language(app, world, down_app):
    browser: FormClient = app.test_client()
    token = browser.csrf_token("/signin")
    response = copied_browser(down_app, browser).post(
        "/signin", data={"csrf_token": token, "login": "someone", "password": "secret-password"}, headers={"Accept-Language": "ar"}
    )
    page = text(response)
    assert response.status_code == 503
    assert '<html lang="ar" dir="rtl"' in page
    assert OUTAGE_AR in page
    assert "secret-password" not in page and "someone" not in page


def test_with_the_database_down_the_page_follows_the_browsers_language_when_the_cookie_has_none(app, world, down_app):
    browser = signed_in(app, world["parent"].user)  # straight after signing in, no page has put a language in the cookie
    response = copied_browser(down_app, browser).get("/my/views", headers={"Accept-Language": "ar"})
    assert response.status_code == 503
    assert '<html lang="ar" dir="rtl"' in response.get_data(as_text=True)
    assert OUTAGE_AR in text(response)


def test_with_the_database_down_even_a_missing_page_is_the_plain_page_with_quick_exit(app, world, down_app):
    browser = signed_in(app, world["child"].user)
    response = copied_browser(down_app, browser).get("/no-such-page")
    assert response.status_code == 503
    assert OUTAGE_EN in text(response)
    assert 'id="quick-exit"' in response.get_data(as_text=True)


def test_with_the_database_down_an_autosave_gets_a_json_answer(app, world, down_app):
    browser = signed_in(app, world["parent"].user)
    response = copied_browser(down_app, browser).post("/my/assessments/1/comment", json={"text": WORDS})
    assert response.status_code == 503
    assert response.is_json and OUTAGE_EN in response.get_json()["error"]


@SQLITE_ONLY
def test_a_write_that_waits_too_long_for_the_sqlite_lock_shows_the_plain_page_and_saves_nothing(app_config, world, app):
    impatient = create_app({**app_config, "DATABASE_BUSY_TIMEOUT": 0.05, "PROPAGATE_EXCEPTIONS": False})
    impatient.test_client_class = FormClient
    browser = signed_in(impatient, world["child"].user)
    token = browser.csrf_token("/my/views/new/good_news")
    holder = sqlite3.connect(make_url(app_config["DATABASE_URL"]).database or "")
    holder.execute("BEGIN IMMEDIATE")  # another process is writing, and keeps writing
    try:
        response = browser.post("/my/views/new/good_news", data={"csrf_token": token, "what_happened": WORDS})
    finally:
        holder.rollback()
        holder.close()
        impatient.extensions["db_engine"].dispose()
    assert response.status_code == 503
    assert OUTAGE_EN in text(response)
    assert words_shown_back(response.get_data(as_text=True)) == [WORDS]
    assert entries() == 0


@SQLITE_ONLY
def test_a_full_disk_shows_the_plain_page_and_saves_nothing(app_config, tmp_path):
    # A database file of its own, with no free pages left over from other tests to fill first.
    full = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'full.sqlite3'}", "PROPAGATE_EXCEPTIONS": False})
    full.test_client_class = FormClient
    engine = full.extensions["db_engine"]
    Base.metadata.create_all(engine)
    with full.app_context():
        team = factories.team("Team")
        child = factories.member(factories.family(team, factories.staff(team, "worker")), "young_person")
        browser = signed_in(full, child.user)
        token = browser.csrf_token("/my/views/new/good_news")

        @event.listens_for(engine, "connect")
        def _no_more_room(dbapi_connection: Any, _record: Any) -> None:
            # The file may not grow by one page more: what SQLite says when the disk is full.
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        engine.dispose()
        response = browser.post("/my/views/new/good_news", data={"csrf_token": token, "what_happened": (WORDS * 200)[:5000]})
        assert response.status_code == 503, response.headers.get("Location")
        assert OUTAGE_EN in text(response)
        assert entries() == 0
    engine.dispose()


POSTGRESQL_ONLY = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's server closing the connection")


@POSTGRESQL_ONLY
@pytest.mark.own_app  # it adds a route
def test_when_the_server_closes_the_connection_mid_request_the_plain_page_shows_and_the_next_page_works(app: Flask, world):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/test-connection-closed")
    def connection_closed() -> str:
        db_session().execute(sql_text("SELECT pg_terminate_backend(pg_backend_pid())"))  # as a server restart does
        return "not reached"

    browser = signed_in(app, world["child"].user)
    response = browser.get("/test-connection-closed")
    assert response.status_code == 503
    assert OUTAGE_EN in text(response)
    # Connections the server closed while idle are noticed before use: the next page just works.
    with app.extensions["db_engine"].connect() as connection:
        connection.execute(sql_text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    assert browser.get("/home").status_code == 200


# --- Family text never reaches the log.


@pytest.mark.own_app  # it adds a route
def test_a_failed_write_carrying_family_words_leaves_none_of_them_in_the_log(app: Flask, world, caplog, capsys):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/test-duplicate-team", methods=["POST"])
    def duplicate_team() -> str:
        from flask import request

        name = request.form["name"]
        db_session().add(Team(name=name))
        db_session().add(Team(name=name))
        db_session().flush()  # a unique constraint fails, and the database's message quotes the value
        return "not reached"

    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post("/test-duplicate-team", data={"name": WORDS})
    assert response.status_code == 500
    assert WORDS in text(response), "the words are given back to the person"
    logged = caplog.text + capsys.readouterr().err
    assert "IntegrityError" in logged and "test_outage.py" in logged, "the log still says what failed and where"
    assert WORDS not in logged and "Zebra-7" not in logged


# --- The rate-limit store (Redis) is down.


@pytest.fixture
def redis_down(app_config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield {**app_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", "SIGNIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"}
    # Later tests count in memory again.
    spare = Flask(__name__)
    spare.config["RATELIMIT_STORAGE_URI"] = "memory://"
    limiter.init_app(spare)


def test_with_the_rate_limit_store_down_sign_in_works_and_limits_still_apply(app, world, redis_down, caplog):
    limited = create_app(redis_down)
    limited.test_client_class = FormClient
    try:
        parent = form_client(limited).submit("/signin", {"login": world["parent"].user.username, "password": factories.PASSWORD})
        assert parent.status_code == 302 and parent.headers["Location"] == "/home"
        child = world["child"].user
        for _ in range(3):
            assert form_client(limited).submit("/signin", {"login": child.username, "password": "wrong"}).status_code == 200
        refused = form_client(limited).submit("/signin", {"login": child.username, "password": factories.PASSWORD})
        assert refused.status_code == 429, "the limit is counted in memory meanwhile"
    finally:
        limited.extensions["db_engine"].dispose()
    outage_lines = [r for r in caplog.records if "storage" in r.getMessage().lower()]
    assert len(outage_lines) == 1, [r.getMessage() for r in outage_lines]
