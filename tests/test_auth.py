"""Signing in and out: passwords, TOTP, sessions that really end."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from webapp.auth import passwords
from webapp.auth.models import UserSession
from webapp.db import db_session, utcnow

from . import factories
from .helpers import text


def test_family_member_signs_in_with_username_and_sees_their_home(client, auth, world):
    auth.sign_in(world["child"].user)
    page = client.get("/home")
    assert page.status_code == 200
    assert "Hello Child" in text(page)


def test_unknown_username_and_wrong_password_get_the_same_answer(client, world):
    wrong_password = client.submit("/signin", {"login": world["child"].user.username, "password": "not-the-password"})
    unknown_user = client.submit("/signin", {"login": "nobody-here", "password": "not-the-password"})
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = "That username or password is not right."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_user.get_data(as_text=True)
    assert wrong_password.get_data(as_text=True).count("error") == unknown_user.get_data(as_text=True).count("error")


def test_staff_need_a_totp_code_after_their_password(client, world):
    worker = world["worker_a"]
    response = client.submit("/signin", {"login": worker.email, "password": factories.PASSWORD})
    assert response.headers["Location"].startswith("/signin/code")
    # Not signed in yet: family pages are out of reach.
    assert client.get(f"/staff/families/{world['family'].id}").status_code == 302
    wrong = client.submit("/signin/code", {"code": "000000"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    right = client.submit("/signin/code", {"code": factories.next_totp_code(worker)})
    assert right.status_code == 302
    assert client.get(f"/staff/families/{world['family'].id}").status_code == 200


def test_a_totp_code_cannot_be_used_twice(client, world):
    worker = world["worker_a"]
    code = factories.next_totp_code(worker)
    client.submit("/signin", {"login": worker.email, "password": factories.PASSWORD})
    assert client.submit("/signin/code", {"code": code}).status_code == 302
    client.submit("/signout", page="/settings")
    client.submit("/signin", {"login": worker.email, "password": factories.PASSWORD})
    replay = client.submit("/signin/code", {"code": code})
    assert replay.status_code == 200
    assert "That code is not right" in replay.get_data(as_text=True)


def test_sign_out_ends_the_session_even_if_the_old_cookie_is_replayed(app, client, auth, world):
    auth.sign_in(world["child"].user)
    old_cookie = client.get_cookie("fv_session").value
    response = auth.sign_out()
    assert response.status_code == 302
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    assert '"storage"' in response.headers["Clear-Site-Data"]
    replay = app.test_client()
    replay.set_cookie("fv_session", old_cookie, domain="localhost")
    page = replay.get("/home")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/signin")


def test_sign_in_starts_a_new_session(client, world):
    client.get("/signin")
    before = client.get_cookie("fv_session").value
    client.submit("/signin", {"login": world["child"].user.username, "password": factories.PASSWORD})
    assert client.get_cookie("fv_session").value != before


def test_changing_password_signs_out_other_browsers(app, client, auth, world):
    user = world["parent"].user
    auth.sign_in(user)
    other = app.test_client()
    from .conftest import Auth

    Auth(other).sign_in(user)
    assert other.get("/home").status_code == 200
    response = client.submit(
        "/settings",
        {"pw-current": factories.PASSWORD, "pw-password": "a-brand-new-secret", "pw-confirm": "a-brand-new-secret", "pw-submit": "1"},
    )
    assert response.status_code == 302
    assert client.get("/home").status_code == 200, "the browser that changed it stays signed in"
    assert other.get("/home").status_code == 302, "the other browser is signed out"


def test_disabling_a_staff_account_ends_their_sessions(app, client, auth, world):
    from .conftest import Auth

    worker_browser = app.test_client()
    Auth(worker_browser).sign_in(world["worker_a"])
    assert worker_browser.get("/staff/").status_code == 200
    auth.sign_in(world["manager_a"])
    client.submit(f"/staff/people/{world['worker_a'].id}/disable", page="/staff/people")
    assert worker_browser.get("/staff/").status_code == 302
    again = worker_browser.submit("/signin", {"login": world["worker_a"].email, "password": factories.PASSWORD})
    assert "That username or password is not right." in again.get_data(as_text=True)


@pytest.mark.parametrize("role,config_key", [("worker_a", "STAFF_IDLE_MINUTES"), ("child", "FAMILY_IDLE_MINUTES")])
def test_idle_sessions_end(app, client, auth, world, time_machine, role, config_key):
    user = world[role] if role == "worker_a" else world[role].user
    auth.sign_in(user)
    home = "/staff/" if role == "worker_a" else "/home"
    assert client.get(home).status_code == 200
    time_machine.move_to(utcnow() + timedelta(minutes=app.config[config_key] + 1))
    assert client.get(home).status_code == 302


@pytest.mark.parametrize("path", ["/my/safety-plan", "/my/worries", "/home", "/settings", "/photos/1"])
def test_a_signed_out_family_page_sends_to_the_plain_sign_in_page(client, path):
    response = client.get(path)
    # Back after Quick exit lands here: the address bar must not say where the family member was.
    assert response.status_code == 302 and response.headers["Location"] == "/signin"


def test_a_family_member_whose_session_ended_is_not_told_where_they_were(app, client, auth, world, time_machine):
    auth.sign_in(world["child"].user)
    time_machine.move_to(utcnow() + timedelta(minutes=app.config["FAMILY_IDLE_MINUTES"] + 1))
    response = client.get("/my/safety-plan?x=1")
    assert response.status_code == 302 and response.headers["Location"] == "/signin"


def test_a_signed_out_staff_page_comes_back_after_sign_in(client):
    response = client.get("/staff/inbox?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/signin?next=%2Fstaff%2Finbox%3Fpage%3D2"


def test_staff_idle_timeout_is_thirty_minutes_by_default(app):
    assert app.config["STAFF_IDLE_MINUTES"] == 30


def test_session_cookie_is_httponly_lax_and_not_secure_over_plain_http(client, world):
    response = client.submit("/signin", {"login": world["child"].user.username, "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, world):
    token = client.csrf_token("/signin")
    response = client.post(
        "/signin",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/signin"},
        data={"login": world["child"].user.username, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_passwords_are_hashed_with_argon2id(world):
    assert world["child"].user.password_hash.startswith("$argon2id$")
    assert passwords.verify_password(world["child"].user.password_hash, factories.PASSWORD)


@pytest.mark.parametrize(
    "password,problem",
    [
        ("short", "at least 8"),
        ("password", "too easy"),
        ("iloveyou", "too easy"),
        ("12345678", "too easy"),
        ("x" * 129, "at most"),
    ],
)
def test_weak_passwords_are_refused(app, password, problem):
    with app.test_request_context():
        assert problem in (passwords.password_problem(password) or "")


def test_a_long_passphrase_is_fine(app):
    with app.test_request_context():
        assert passwords.password_problem("correct horse battery staple " * 2) is None
        assert passwords.password_problem("y" * 64 + "Q1!") is None


def test_sign_in_attempts_are_logged_without_the_password(client, world, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    client.submit("/signin", {"login": world["child"].user.username, "password": "wrong-secret-words"})
    client.submit("/signin", {"login": world["child"].user.username, "password": factories.PASSWORD})
    text = caplog.text
    assert "signin_failed" in text and "signin_ok" in text
    assert "wrong-secret-words" not in text and factories.PASSWORD not in text
    assert 'address="127.0.0.1"' in text


def test_a_newline_in_the_username_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    client.submit("/signin", {"login": "eve\nsignin_ok account=\"1\"", "password": "whatever-words"})
    records = [r.getMessage() for r in caplog.records if r.name == "webapp.security"]
    assert len(records) == 1
    assert "\n" not in records[0]
    assert records[0].startswith("signin_failed")


def test_a_running_app_writes_its_security_log_with_the_time(tmp_path):
    """Not only under the test runner: a server started from the command line writes the lines out."""
    program = (
        "from webapp import create_app\n"
        "app = create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x', 'RATELIMIT_STORAGE_URI': 'memory://'})\n"
        "from webapp.securitylog import log\n"
        "with app.test_request_context('/signin', environ_base={'REMOTE_ADDR': '192.0.2.7'}):\n"
        "    log('signin_failed', account='unknown')\n"
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=tmp_path, check=True)
    line = next(line for line in run.stderr.splitlines() if "signin_failed" in line)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO webapp.security signin_failed account=\"unknown\" address=\"192.0.2.7\"", line), line


def test_sessions_are_kept_on_the_server(client, auth, world):
    auth.sign_in(world["child"].user)
    rows = db_session().query(UserSession).filter_by(user_id=world["child"].user.id).all()
    assert len(rows) == 1 and rows[0].ended_at is None
    auth.sign_out()
    db_session().refresh(rows[0])
    assert rows[0].ended_at is not None


def test_quick_exit_ends_the_session_but_only_with_the_pages_token(client, auth, world):
    auth.sign_in(world["child"].user)
    assert client.post("/quick-exit").status_code == 400, "no token: refused"
    assert client.get("/home").status_code == 200, "still signed in"
    response = client.submit("/quick-exit", page="/home")
    assert response.status_code == 204
    assert "Clear-Site-Data" not in response.headers, "drafts kept on the phone are the member's unsent words"
    assert client.get("/home").headers["Location"].startswith("/signin")
