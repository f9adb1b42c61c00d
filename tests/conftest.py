"""Fixtures: one app per configuration, a fresh database per test, a client that submits forms like a browser.

Building an app compiles every URL rule and, on first use, every template: a quarter of a second
each time. So the apps are kept for the whole run, one per distinct configuration (a test file
overriding `app_config` gets its own), and between tests only the data is emptied and the config
put back. A test that changes its app beyond the config (adds a route) is marked `own_app`.

Rows are committed for real and deleted after each test rather than rolled back: the browser
tests' live server and the tests that send from several threads read them through connections
of their own, and deleting from every table costs a few milliseconds a test.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import re
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import argon2
import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import webapp.auth.passwords as passwords
from webapp import create_app
from webapp.auth import sessions
from webapp.auth.models import UserSession
from webapp.db import db_session, make_engine
from webapp.extensions import limiter
from webapp.models import Base

from . import factories

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def pytest_configure(config: pytest.Config) -> None:
    # Argon2id still, with the cheapest parameters: the suite hashes thousands of passwords.
    passwords._hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    config.addinivalue_line("markers", "own_app: the test changes its app (adds a route), so it gets a new app of its own")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite file, or with TEST_DATABASE_URL a new PostgreSQL database of this run's own.

    The run's own database lets several runs share one server without touching each other's rows.
    """
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        _create_schema(url)
        yield url
        return
    server = make_url(server_url)
    name = f"{server.database or 'test'}_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    _create_schema(url)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _create_schema(url: str) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()


class FormClient(FlaskClient):
    """A test client that posts forms with the CSRF token from the page, as a browser does.

    Each request runs outside the test's own app context, as a real one would: nothing in
    flask.g (the signed-in user, the CSRF token, the database session) leaks between requests.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            # The test's own session must see what the request just committed.
            db_session().rollback()
        return response

    def csrf_token(self, page: str = "/signin") -> str:
        """The token page carries: made from this browser's session as Flask-WTF makes it, or read
        off the page itself while the session holds none yet (before its first page)."""
        token = self._session_csrf_token()
        if token:
            return token
        html = self.get(page).get_data(as_text=True)
        match = CSRF_PATTERN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def _session_csrf_token(self) -> str | None:
        app = self.application
        cookie = self.get_cookie(app.config["SESSION_COOKIE_NAME"], domain=app.config.get("SERVER_NAME") or "localhost")
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        if cookie is None or serializer is None:
            return None
        try:
            secret = serializer.loads(cookie.value).get("csrf_token")
        except BadSignature:
            return None
        if not secret:
            return None
        signing_key = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        assert isinstance(signing_key, str | bytes)
        return str(URLSafeTimedSerializer(signing_key, salt="wtf-csrf-token").dumps(secret))

    def submit(self, url: str, data: dict[str, Any] | None = None, *, page: str | None = None, **kwargs: Any) -> TestResponse:
        """POST to url with the CSRF token found on page (url itself by default)."""
        form = dict(data or {})
        form["csrf_token"] = self.csrf_token(page or url)
        return self.post(url, data=form, **kwargs)


@pytest.fixture
def app_config(database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "localhost",
    }


@pytest.fixture
def rate_limit_store(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Rate-limit settings: in memory, or with the "redis" param the Redis server of TEST_REDIS_URL."""
    if getattr(request, "param", "memory") == "memory":
        return {"RATELIMIT_STORAGE_URI": "memory://"}
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set, so the Redis rate-limit tests cannot run (CI sets redis://127.0.0.1:6379/15)")
    # Each test counts under its own prefix, so runs sharing the Redis server never meet.
    return {"RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": f"fv-test-{secrets.token_hex(8)}"}


class _SharedTemplates(BytecodeCache):
    """Compiled templates kept in memory for every app of the run: each template is compiled once."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_templates = _SharedTemplates()


# Set when a statement writes rows, cleared when the database has been emptied or copied: `copies`
# copies and puts back the database only while it holds nothing but copies.
_writes: set[bool] = set()
_WRITES = ("INSERT", "UPDATE", "DELETE")


def _note_writes(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if not _writes and statement.lstrip()[:6].upper() in _WRITES:
        _writes.add(True)


def _sqlite_without_fsync(dbapi_connection: Any, _record: Any) -> None:
    # A test database need not survive a power cut: commits skip the wait for the disk.
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def build_app(config: dict[str, Any]) -> Flask:
    """A new app for tests: the test client submits forms, templates are compiled once per run."""
    flask_app = create_app(config)
    flask_app.test_client_class = FormClient
    flask_app.jinja_env.bytecode_cache = _templates
    engine: Engine = flask_app.extensions["db_engine"]
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_without_fsync)
        event.listen(engine, "before_cursor_execute", _note_writes)
    return flask_app


class _Apps:
    """The apps built so far, by configuration; the least recently used go once there are too many."""

    KEEP = 4  # each app holds database connections of its own; files with one config run together

    def __init__(self) -> None:
        self.apps: OrderedDict[str, tuple[Flask, dict[str, Any]]] = OrderedDict()

    def get(self, config: dict[str, Any]) -> tuple[Flask, dict[str, Any]]:
        key = repr(sorted((name, repr(value)) for name, value in config.items()))
        if key in self.apps:
            self.apps.move_to_end(key)
            return self.apps[key]
        flask_app = build_app(config)
        # What create_app and its extensions set, to put back after each test that changes it.
        self.apps[key] = (flask_app, dict(flask_app.config))
        while len(self.apps) > self.KEEP:
            _key, (old, _config) = self.apps.popitem(last=False)
            old.extensions["db_engine"].dispose()
        return self.apps[key]

    def close(self) -> None:
        for flask_app, _config in self.apps.values():
            flask_app.extensions["db_engine"].dispose()
        self.apps.clear()


@pytest.fixture(scope="session")
def _apps(database_url: str) -> Iterator[_Apps]:
    apps = _Apps()
    yield apps
    apps.close()


def _bind_limiter(flask_app: Flask) -> None:
    """Count rate limits in this app's store, from zero: the limiter is one object shared by every app."""
    limiter.init_app(flask_app)
    limiter._key_prefix = str(flask_app.config.get("RATELIMIT_KEY_PREFIX") or "")
    limiter._storage_dead = False


def empty_database(engine: Engine) -> None:
    """Delete every row, children first: the next test starts from nothing."""
    tables = list(reversed(Base.metadata.sorted_tables))
    quote = engine.dialect.identifier_preparer.format_table
    deletes = "; ".join(f"DELETE FROM {quote(table)}" for table in tables)
    if engine.dialect.name == "sqlite":
        # One call into SQLite for every table, in one transaction, not a statement each.
        with engine.connect() as connection:
            connection.connection.driver_connection.executescript(f"BEGIN; {deletes}; COMMIT;")  # type: ignore[union-attr]
        return
    with engine.begin() as connection:
        # One round trip to the server for every table, not one each.
        connection.exec_driver_sql(deletes)


@pytest.fixture
def app(app_config: dict[str, Any], _apps: _Apps, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The app for app_config, on an empty database; rows it commits are seen by every connection."""
    own = request.node.get_closest_marker("own_app") is not None
    if own:
        flask_app, config = build_app(app_config), dict[str, Any]()
    else:
        flask_app, config = _apps.get(app_config)
    _bind_limiter(flask_app)
    _writes.clear()
    copies.holding = ()
    try:
        with flask_app.app_context():
            yield flask_app
            db_session().rollback()
    finally:
        empty_database(flask_app.extensions["db_engine"])
        if own:
            flask_app.extensions["db_engine"].dispose()
        else:
            flask_app.config.clear()
            flask_app.config.update(config)


@pytest.fixture
def client(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


class Auth:
    """Signs a test client in and out.

    `sign_in` opens a server-side session as the sign-in page does and puts its token in the
    browser's cookie, then checks the app takes it; the pages themselves (password, two-step
    code, rate limits, the security log) are tried by `through_pages=True` and in test_auth.py.
    """

    def __init__(self, client: FormClient) -> None:
        self.client = client

    def sign_in(self, user: Any, password: str = factories.PASSWORD, *, through_pages: bool = False) -> TestResponse:
        if through_pages or password != factories.PASSWORD or not user.is_active:
            return self._sign_in_through_pages(user, password)
        token = secrets.token_urlsafe(32)
        with self.client.application.app_context():
            db = db_session()
            db.add(UserSession(token_hash=sessions._hash(token), user_id=user.id))
            db.commit()
        with self.client.session_transaction() as browser_session:
            browser_session.clear()
            browser_session["_user_id"] = token
            browser_session["_fresh"] = True
            # As Flask-WTF draws it: the secret every form's token is made from.
            browser_session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
            browser_session.permanent = True
        # Signed in, the sign-in page sends the browser on to its home.
        response = self.client.get("/signin")
        assert response.status_code == 302 and "/signin" not in response.headers["Location"], response.headers
        return response

    def _sign_in_through_pages(self, user: Any, password: str) -> TestResponse:
        login = user.email or user.username
        response = self.client.submit("/signin", {"login": login, "password": password})
        if user.is_staff and user.has_totp and response.headers.get("Location", "").startswith("/signin/code"):
            db_session().refresh(user)
            response = self.client.submit("/signin/code", {"code": factories.next_totp_code(user)})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def sign_out(self) -> TestResponse:
        return self.client.submit("/signout", page="/settings")


@pytest.fixture
def auth(client: FormClient) -> Auth:
    return Auth(client)


def _make_world() -> dict[str, Any]:
    """Two teams, their staff, and a family in team A with a parent, two children and a restricted parent."""
    with factories.one_commit():
        team_a = factories.team("Team A")
        team_b = factories.team("Team B")
        manager_a = factories.staff(team_a, "manager", name="Manager A")
        worker_a = factories.staff(team_a, "worker", name="Worker A")
        other_worker_a = factories.staff(team_a, "worker", name="Other worker A")
        manager_b = factories.staff(team_b, "manager", name="Manager B")
        worker_b = factories.staff(team_b, "worker", name="Worker B")
        family = factories.family(team_a, worker_a, name="The Test family")
        other_family = factories.family(team_a, other_worker_a, name="The Other family")
        family_b = factories.family(team_b, worker_b, name="Team B family")
        parent = factories.member(family, "parent", name="Parent")
        child = factories.member(family, "young_person", name="Child", age_band="14-15")
        young_child = factories.member(family, "young_person", name="Young child", age_band="8-10")
        restricted_parent = factories.member(family, "parent", name="Absent parent", restricted=True)
        other_child = factories.member(other_family, "young_person", name="Other child")
    return {
        "team_a": team_a,
        "team_b": team_b,
        "manager_a": manager_a,
        "worker_a": worker_a,
        "other_worker_a": other_worker_a,
        "manager_b": manager_b,
        "worker_b": worker_b,
        "family": family,
        "other_family": other_family,
        "family_b": family_b,
        "parent": parent,
        "child": child,
        "young_child": young_child,
        "restricted_parent": restricted_parent,
        "other_child": other_child,
    }


class _Copies:
    """On SQLite, the database as a row-making fixture first leaves it, put back whole for each later test that asks for it.

    Copying the file's pages back (SQLite's backup) costs a fraction of making the rows again through
    the ORM, and the test gets its rows committed as before, seen by every connection. The records it
    is handed are the same rows, in the test's own session as if just made. A copy is taken and used
    only on a database holding nothing but what copied fixtures made (`world`, then a file's own
    fixture on top of it): a test that wrote rows of its own first gets them made the long way.
    """

    def __init__(self) -> None:
        self.databases: dict[tuple[str, ...], sqlite3.Connection] = {}
        self.rows: dict[tuple[str, ...], dict[str, Any]] = {}
        # What the database holds while nothing else has been written: the copies put back or taken, in order.
        self.holding: tuple[str, ...] = ()
        self._holder = Session()

    def rows_of(self, name: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The rows `make` makes, from the copy of the database after it when there is one."""
        db = db_session()
        engine = db.get_bind()
        assert isinstance(engine, Engine)
        untouched = engine.dialect.name == "sqlite" and not _writes and not (db.new or db.dirty or db.deleted)
        if not untouched:
            return make()
        key = (*self.holding, name)
        # Ends the session's transaction without forgetting what it holds: nothing was written.
        db.commit()
        if key in self.databases:
            with engine.connect() as connection:
                self.databases[key].backup(connection.connection.driver_connection)  # type: ignore[arg-type]
            self.holding = key
            return {label: db.merge(row, load=False) for label, row in self.rows[key].items()}
        made = make()
        if _writes and not (db.new or db.dirty or db.deleted):
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            with engine.connect() as connection:
                connection.connection.driver_connection.backup(copy)  # type: ignore[union-attr]
            self.databases[key] = copy
            self.rows[key] = {label: self._holder.merge(row, load=False) for label, row in made.items()}
            self.holding = key
            _writes.clear()
        return made


copies = _Copies()


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """Two teams, their staff, and a family in team A with a parent, two children and a restricted parent."""
    return copies.rows_of("world", _make_world)
