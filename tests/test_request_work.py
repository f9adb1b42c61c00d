"""What every signed-in page costs the database: one statement for who is signed in, no write per page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from webapp.auth.models import UserSession
from webapp.db import db_session, utcnow


@contextmanager
def statements(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["db_engine"]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _reads_of(seen: list[str], table: str) -> list[str]:
    return [statement for statement in seen if statement.startswith("SELECT") and f"FROM {table}" in statement.split(" WHERE ")[0]]


def test_who_is_signed_in_with_their_member_family_and_worker_is_one_statement(app, client, auth, world):
    auth.sign_in(world["child"].user)
    assert client.get("/home").status_code == 200
    with statements(app) as seen:
        page = client.get("/home")
    assert page.status_code == 200
    session_reads = [statement for statement in seen if "FROM user_sessions" in statement]
    assert len(session_reads) == 1
    # The user, their member record and their family come with the session row, not one by one.
    assert "JOIN users" in session_reads[0] and "JOIN family_members" in session_reads[0] and "JOIN families" in session_reads[0]
    assert not _reads_of(seen, "family_members")
    assert not _reads_of(seen, "families")
    assert not _reads_of(seen, "users"), "the lead worker named on the page comes with the family"


def test_pages_do_not_write_the_session_row_each_time(app, client, auth, world, time_machine):
    auth.sign_in(world["child"].user)
    assert client.get("/home").status_code == 200
    with statements(app) as seen:
        for _ in range(3):
            assert client.get("/home").status_code == 200
    assert not [statement for statement in seen if statement.startswith("UPDATE")]
    # A few minutes on, the next page notes that the browser is still in use, once.
    before = db_session().query(UserSession).filter_by(user_id=world["child"].user.id).one().last_seen_at
    time_machine.move_to(utcnow() + timedelta(minutes=5))
    with statements(app) as seen:
        assert client.get("/home").status_code == 200
        assert client.get("/home").status_code == 200
    assert len([statement for statement in seen if statement.startswith("UPDATE user_sessions")]) == 1
    db_session().expire_all()
    after = db_session().query(UserSession).filter_by(user_id=world["child"].user.id).one().last_seen_at
    assert after > before


def test_form_fields_are_written_exactly_as_wtforms_writes_them():
    import importlib.util

    from markupsafe import Markup

    from webapp import forms

    spec = importlib.util.find_spec("wtforms.widgets.core")
    assert spec is not None and spec.loader is not None
    original = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(original)  # WTForms' own, not the one every widget now uses
    attributes: dict[str, Any] = {
        "name": "login", "id": "login", "class_": "primary wide", "data_autosubmit": True, "data_owner_key": 'a"b',
        "aria_describedby": "login-hint login-error-1", "required": True, "readonly": False, "maxlength": 40,
        "value": Markup('kept "as" <b>markup</b>'), "placeholder": "<&'\">", "for_": "login", "dir": "auto",
    }
    assert forms.html_params(**attributes) == original.html_params(**attributes)
    assert forms.html_params() == original.html_params()
