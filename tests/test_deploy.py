"""How it is served for real: `make serve`, gunicorn's settings from the environment, and trusting one proxy."""

from __future__ import annotations

import gc
import logging
import os
import runpy
import subprocess
from pathlib import Path

import pytest

from webapp import create_app

from .conftest import FormClient

ROOT = Path(__file__).resolve().parent.parent


def test_make_serve_migrates_then_runs_gunicorn_with_the_deploy_settings():
    commands = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "flask db upgrade" in commands
    assert "gunicorn -c deploy/gunicorn.conf.py 'webapp:create_app()'" in commands
    assert commands.index("flask db upgrade") < commands.index("gunicorn")
    # Workers find the app's modules compiled, whether or not they may write to the code folder.
    assert "compileall -q webapp" in commands
    assert commands.index("compileall") < commands.index("gunicorn")


def _gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, object]:
    for name in list(os.environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))


def test_gunicorn_takes_its_figures_from_the_environment(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, GUNICORN_BIND="10.0.0.11:8000", GUNICORN_WORKERS="3", GUNICORN_THREADS="8",
                                  GUNICORN_TIMEOUT="45")
    assert (settings["bind"], settings["workers"], settings["threads"], settings["timeout"]) == ("10.0.0.11:8000", 3, 8, 45)
    assert settings["worker_class"] == "gthread"
    assert settings["graceful_timeout"] and settings["max_requests"], "workers restart gracefully and are replaced in time"
    plain = _gunicorn_settings(monkeypatch, GUNICORN_THREADS="1")
    assert plain["worker_class"] == "sync" and plain["bind"] == "127.0.0.1:8000", "never a public address by default"


def test_a_worker_collects_garbage_again_once_the_app_is_loaded(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)
    post_fork, post_worker_init = settings["post_fork"], settings["post_worker_init"]
    assert callable(post_fork) and callable(post_worker_init)
    try:
        post_fork(None, None)
        assert not gc.isenabled(), "the app is loaded without collections"
        post_worker_init(None)
        assert gc.isenabled(), "a worker serving requests frees what it no longer uses"
    finally:
        gc.enable()


def _failed_sign_in(app_config, caplog, *, behind_proxy: bool, **headers: str) -> tuple[str, dict[str, str]]:
    app = create_app({**app_config, "BEHIND_PROXY": behind_proxy})
    app.test_client_class = FormClient
    try:
        client = app.test_client()
        assert isinstance(client, FormClient)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="webapp.security"):
            response = client.submit("/signin", {"login": "nobody", "password": "wrong-password"}, headers=headers,
                                     environ_base={"REMOTE_ADDR": "10.0.0.2"})
        return caplog.text, dict(response.headers)
    finally:
        app.extensions["db_engine"].dispose()


def test_behind_the_proxy_the_app_believes_exactly_one_proxys_address_and_scheme(app_config, caplog):
    logged, headers = _failed_sign_in(
        app_config, caplog, behind_proxy=True, **{"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert "203.0.113.7" in logged, "the address the proxy saw"
    assert "6.6.6.6" not in logged, "what the browser claimed before the proxy is not believed"
    assert "Strict-Transport-Security" in headers, "the proxy said the request came over HTTPS"


def test_without_a_proxy_the_forwarded_headers_are_ignored(app_config, caplog):
    logged, headers = _failed_sign_in(
        app_config, caplog, behind_proxy=False, **{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert "10.0.0.2" in logged and "203.0.113.7" not in logged
    assert "Strict-Transport-Security" not in headers
