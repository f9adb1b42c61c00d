"""Small helpers that several test files share."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import redis
from flask import Flask

from webapp.db import db_session

from .conftest import Auth, FormClient

# Run a rate-limit test with the in-memory store and again with Redis (see conftest's rate_limit_store).
RATE_LIMIT_STORES = pytest.mark.parametrize(
    "rate_limit_store", ["memory", pytest.param("redis", marks=pytest.mark.redis)], indirect=True
)


def refuse_inserts(app: Flask, table: str) -> Any:
    """Make the database refuse new rows in table (as when its disk is full); returns stop(), which lifts it.

    A real trigger on SQLite and PostgreSQL alike, so the app meets the database's own error.
    """
    engine = app.extensions["db_engine"]
    name = f"refuse_{table}"
    if engine.dialect.name == "sqlite":
        install = [f"CREATE TRIGGER {name} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'disk full'); END"]
        remove = [f"DROP TRIGGER IF EXISTS {name}"]
    else:
        install = [
            f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
        remove = [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]

    def stop() -> None:
        db_session().rollback()  # PostgreSQL changes a table's triggers only once nobody is reading it
        with engine.begin() as connection:
            for statement in remove:
                connection.exec_driver_sql(statement)

    db_session().rollback()
    with engine.begin() as connection:
        for statement in install:
            connection.exec_driver_sql(statement)
    return stop


def redis_keys(app: Flask) -> list[str]:
    """The rate-limit counts this app keeps in Redis (its own key prefix)."""
    store = redis.Redis.from_url(app.config["RATELIMIT_STORAGE_URI"])
    try:
        return [key.decode() for key in store.scan_iter(match=f"*{app.config['RATELIMIT_KEY_PREFIX']}*")]
    finally:
        store.close()


def signed_in(app: Flask, user: Any) -> FormClient:
    """A browser of its own, signed in as user."""
    browser: FormClient = app.test_client()  # type: ignore[assignment]
    Auth(browser).sign_in(user)
    return browser


def text(response: Any) -> str:
    """The page as a person reads it: HTML entities turned back into characters, no <bdi> tags."""
    return html.unescape(re.sub(r"</?bdi\b[^>]*>", "", response.get_data(as_text=True)))
