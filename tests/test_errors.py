"""Error pages: plain words, translated, never a stack trace, even when the database failed."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from webapp.db import db_session
from webapp.staff.models import Team


@pytest.fixture
def failing_app(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/test-broken-write")
    def broken_write():
        db_session().add(Team(name="Same name"))
        db_session().add(Team(name="Same name"))
        db_session().flush()  # a unique constraint fails: the session is left needing a rollback
        return "not reached"

    return app


def test_a_failed_database_write_still_shows_the_friendly_error_page(failing_app, auth, world, caplog):
    client = failing_app.test_client()
    from .conftest import Auth

    Auth(client).sign_in(world["child"].user)
    response = client.get("/test-broken-write")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in page
    assert "Traceback" not in page and "IntegrityError" not in page
    assert any(isinstance(r.exc_info[1], IntegrityError) for r in caplog.records if r.exc_info), "the error is logged"


def test_unknown_page_is_a_plain_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_error_pages_are_translated(client):
    client.submit("/language", {"language": "pl"}, page="/signin")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="pl"' in response.get_data(as_text=True)
    assert "Page not found" not in response.get_data(as_text=True)
