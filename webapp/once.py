"""Whatever a person sends is stored once, however many times the same form arrives.

Every form that makes a row carries a client_id the server put in it when it drew the page.
A double tap, a retry after a lost response or ten copies at the same moment all carry the
same id, and a unique index on (owner, client_id) lets only the first one in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from webapp.db import db_session

T = TypeVar("T")

CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


def new_client_id() -> str:
    """A fresh id for one form on one page (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


class ClientIdField(HiddenField):
    """The form's own id: fresh each time the page is drawn, sent back with every copy of the form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", new_client_id)
        kwargs.setdefault(
            "validators",
            [Optional(), Regexp(CLIENT_ID_PATTERN, message=_l("Something went wrong with this form. Please reload the page."))],
        )
        super().__init__(**kwargs)


def first(model: type[T], owner: ColumnElement[bool], client_id: str | None) -> T | None:
    """The row this owner already sent with this client_id, if any."""
    if not client_id:
        return None
    # Every model sent here has a client_id column; a protocol cannot say so of a mapped class.
    return db_session().scalar(select(model).where(owner, model.client_id == client_id))  # type: ignore[attr-defined,arg-type]


def save(find_first: Callable[[], T | None], write: Callable[[], T]) -> tuple[T, bool]:
    """Add rows with write() to the request's unit of work, unless this form was stored already. Returns (row, created).

    The rows are written at once (not yet committed), so a copy that arrives while the first is
    still being stored waits at the unique index until the first one's request commits, then
    loses: everything its request did is rolled back and it gets the first one's row instead.
    """
    already = find_first()
    if already is not None:
        return already, False
    db = db_session()
    try:
        row = write()
        db.flush()
    except IntegrityError:
        db.rollback()
        already = find_first()
        if already is None:
            raise
        return already, False
    except BaseException:
        db.rollback()
        raise
    return row, True


def upsert(write: Callable[[], T]) -> T:
    """Run write(), where write() changes a row or adds it under its unique key, in the request's unit of work.

    If a copy sent at the same moment added that row first, roll back and run write() again:
    this time it finds the row and changes it, so the copies agree on one row.
    """
    db = db_session()
    try:
        result = write()
        db.flush()
        return result
    except IntegrityError:
        db.rollback()
    result = write()
    db.flush()
    return result
