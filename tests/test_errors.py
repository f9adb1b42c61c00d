"""Error pages: plain words, translated, never a stack trace, even when the database failed."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from webapp.db import db_session
from webapp.staff.models import Team

from .helpers import signed_in, text


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


@pytest.mark.own_app  # it adds a route
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


@pytest.mark.parametrize("number", [2**31, 2**64, 10**30])
def test_a_huge_id_in_any_address_is_not_found_never_an_error(app, world, number):
    browsers = {"manager": signed_in(app, world["manager_a"]), "parent": signed_in(app, world["parent"].user)}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not any(type(c).__name__ == "_BoundedInt" for c in rule._converters.values()):
            continue
        values = dict.fromkeys(rule.arguments, number)
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", "x")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for who, browser in browsers.items():
                response = browser.open(path, method=method)
                assert response.status_code == 404, (who, method, path, response.status_code)
                checked += 1
    assert checked > 40


@pytest.mark.parametrize("path", ["/staff/inbox?page=99999999999999999999", "/staff/audit?page=99999999999999999999", "/staff/audit?end=9999-12-31"])
def test_a_huge_page_number_or_date_in_a_list_never_breaks_it(app, world, path):
    response = signed_in(app, world["manager_a"]).get(path)
    assert response.status_code in (200, 400), path
    if "end=" in path:
        assert response.status_code == 400 and "Please give a date between 2000 and 2099." in text(response)
