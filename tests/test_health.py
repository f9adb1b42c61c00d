"""/healthz says the process is up; /readyz whether the database and Redis answer, for a load balancer."""

from __future__ import annotations

import os

import pytest

from webapp import create_app

from .conftest import FormClient


def _no_cookie_and_never_cached(response) -> None:
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_the_process_is_up_and_nothing_else(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    _no_cookie_and_never_cached(response)


def test_readyz_is_ready_when_the_database_answers(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "redis": "not used"}
    _no_cookie_and_never_cached(response)


def test_a_signed_in_browser_gets_no_data_and_keeps_its_session(app, world, client, auth):
    auth.sign_in(world["worker_a"])
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200
        assert set(response.get_json()) <= {"status", "database", "redis"}
        _no_cookie_and_never_cached(response)
    assert client.get("/staff/").status_code == 200, "still signed in"


def _app_with(app_config, **settings):
    built = create_app({**app_config, **settings})
    built.test_client_class = FormClient
    return built


def test_readyz_answers_503_when_the_database_cannot_be_reached(app_config):
    down = _app_with(app_config, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        response = down.test_client().get("/readyz")
        healthz = down.test_client().get("/healthz")
    finally:
        down.extensions["db_engine"].dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable", "redis": "not used"}
    _no_cookie_and_never_cached(response)
    assert healthz.status_code == 200, "the process itself is up"


def test_readyz_answers_503_when_redis_cannot_be_reached(app_config):
    down = _app_with(app_config, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    try:
        response = down.test_client().get("/readyz")
    finally:
        down.extensions["db_engine"].dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "ok", "redis": "unreachable"}


@pytest.mark.redis
def test_readyz_checks_redis_when_the_limits_are_kept_there(app_config):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (CI sets redis://127.0.0.1:6379/15)")
    ready = _app_with(app_config, RATELIMIT_STORAGE_URI=url)
    try:
        response = ready.test_client().get("/readyz")
    finally:
        ready.extensions["db_engine"].dispose()
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "redis": "ok"}
