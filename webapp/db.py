"""Database engine, one session and one unit of work per request, and the declarative base.

Views and services add and change rows; nobody else commits. After the view, a success (a
status below 400) commits everything the request did at once, and anything else (an error
page, a form sent back with mistakes, an exception) rolls it all back. CLI commands commit
their own work. Side effects that leave the process wait for the commit (see after_commit).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back timezone-aware datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


MAX_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL: no id is ever larger


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, busy_timeout: float = 15) -> Engine:
    """The engine; busy_timeout is how many seconds a SQLite write waits for another writer's lock."""
    # A failed statement's message never quotes its values: they are a family's words.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout}
    else:
        kwargs["pool_pre_ping"] = True
        if url.startswith("postgresql"):
            # An unreachable server fails the request in seconds (a plain page), before the web server's own timeout.
            kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], float(app.config.get("DATABASE_BUSY_TIMEOUT", 15)))
    app.extensions["db_engine"] = engine
    maker = sessionmaker(engine, expire_on_commit=False)
    app.extensions["db_sessionmaker"] = maker

    @event.listens_for(maker, "after_soft_rollback")
    def _forget_side_effects(session: Session, previous: Any) -> None:
        # What was rolled back never happened: nothing is told of it.
        if previous.parent is None:
            session.info.pop(_AFTER_COMMIT, None)

    @app.after_request
    def _end_unit_of_work(response: Response) -> Response:
        session: Session | None = g.get("db_session")
        if session is None:
            return response
        if response.status_code >= 400:
            try:
                session.rollback()
            except SQLAlchemyError:
                pass  # the connection is gone, and the changes with it
            return response
        session.commit()
        for callback in session.info.pop(_AFTER_COMMIT, []):
            try:
                callback()
            except Exception:  # the change is kept: the person is told it worked
                current_app.logger.exception("A side effect after the commit failed")
        return response

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        db = g.pop("db_session", None)
        if db is not None:
            try:
                db.close()
            except SQLAlchemyError:
                # A connection lost mid-request: the pool drops it; the response has gone already.
                pass


_AFTER_COMMIT = "after_commit"


def after_commit(callback: Callable[[], None]) -> None:
    """Run callback once the request's changes are committed, never if they are rolled back."""
    callbacks: list[Callable[[], None]] = db_session().info.setdefault(_AFTER_COMMIT, [])
    if callback not in callbacks:
        callbacks.append(callback)


def db_session() -> Session:
    """The database session of the current request or app context."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    session: Session = g.db_session
    return session
