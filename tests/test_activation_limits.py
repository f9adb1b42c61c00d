"""Guessing activation codes: one budget of tries per address for both activation pages, and a
limit on the tries against any one code, whatever the address (in memory and in Redis)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.auth.models import User
from webapp.db import db_session
from webapp.families import activation
from webapp.families.models import FamilyMember

from . import factories
from .conftest import FormClient
from .helpers import RATE_LIMIT_STORES as STORES
from .helpers import redis_keys, text

TOO_MANY = "Too many tries"
CODE_DOES_NOT_WORK = "This code doesn't work"
TAKEN = "Somebody already has that username."
PASSWORD = "blue-harbour-lantern"




@pytest.fixture
def app_config(app_config: dict[str, Any], rate_limit_store: dict[str, Any]) -> dict[str, Any]:
    return {
        **app_config,
        # The sign-in limit is as small, so only sharing one count can stop the alternating guesser.
        "SIGNIN_LIMIT_PER_ADDRESS": "6 per 15 minutes",
        "ACTIVATION_LIMIT_PER_ADDRESS": "6 per 15 minutes",
        "ACTIVATION_LIMIT_PER_CODE": "4 per hour",
        **rate_limit_store,
    }




def browser_at(app: Flask, address: str) -> FormClient:
    browser: FormClient = app.test_client()  # type: ignore[assignment]
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def code_for(world: dict[str, Any], name: str) -> str:
    """A working code for a new member of the family, as the worker would hand it out."""
    member = factories.member(world["family"], "young_person", name=name, activated=False)
    code = activation.issue(member, world["worker_a"])
    db_session().commit()
    return code


def wrong_code() -> str:
    return "".join(secrets.choice(activation.ALPHABET) for _ in range(activation.LENGTH))


def assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    assert TOO_MANY in text(response)
    assert "Please wait a few minutes, then try again." in text(response)


@STORES
def test_guesses_on_both_activation_pages_count_against_one_budget_per_address(app, world, rate_limit_store):
    guesser = browser_at(app, "192.0.2.10")
    for attempt in range(6):
        page = f"/activate/{wrong_code()}" + ("/account" if attempt % 2 else "")
        response = guesser.get(page)
        assert response.status_code == 404 and CODE_DOES_NOT_WORK in text(response)
    # Six wrong codes, three on each page: the seventh try waits, on either page, even with a code that works.
    code = code_for(world, "Robin")
    assert_too_many(guesser.get(f"/activate/{wrong_code()}"))
    assert_too_many(guesser.get(f"/activate/{wrong_code()}/account"))
    assert_too_many(guesser.get(f"/activate/{code}"))
    # Somebody at another address is not held up.
    assert browser_at(app, "192.0.2.11").get(f"/activate/{code}").status_code == 200


def agree_and_choose(browser: FormClient, code: str, username: str) -> Any:
    link = f"/activate/{code}"
    agreed = browser.submit(link, {"agree": "I agree"})
    if agreed.status_code != 302:
        return agreed
    return browser.submit(f"{link}/account", {"username": username, "password": PASSWORD, "confirm": PASSWORD})


@STORES
def test_tries_against_one_code_are_limited_from_however_many_addresses(app, world, rate_limit_store):
    code = code_for(world, "Robin")
    other_code = code_for(world, "Kit")
    taken = [world[who].user.username for who in ("child", "parent", "young_child", "restricted_parent")]
    # Someone holding a code tries whose usernames exist, from a new address each time.
    browsers = [browser_at(app, f"198.51.100.{number}") for number in range(len(taken))]
    for browser, username in zip(browsers, taken, strict=True):
        response = agree_and_choose(browser, code, username)
        assert response.status_code in (200, 400) and TAKEN in text(response)
    fresh = browser_at(app, "198.51.100.99")
    assert_too_many(fresh.get(f"/activate/{code}"))
    assert_too_many(browsers[0].get(f"/activate/{code}/account"))
    # Nothing was made with it, and another member's code still works from that same fresh address.
    robin = db_session().scalars(select(FamilyMember).where(FamilyMember.display_name == "Robin")).one()
    assert robin.user_id is None
    finished = agree_and_choose(fresh, other_code, "kit")
    assert finished.status_code == 302 and finished.headers["Location"] == "/home"
    assert db_session().scalar(select(User.id).where(User.username == "kit")) is not None
    if "redis" in rate_limit_store["RATELIMIT_STORAGE_URI"]:
        keys = redis_keys(app)
        assert keys and not any(code in key for key in keys), "tries are counted under a hash, never the code"


@STORES
def test_a_code_that_does_not_exist_gets_no_more_guesses_by_changing_address(app, world, rate_limit_store):
    guessed = wrong_code()
    for number in range(4):
        assert browser_at(app, f"203.0.113.{number}").get(f"/activate/{guessed}").status_code == 404
    assert_too_many(browser_at(app, "203.0.113.50").get(f"/activate/{guessed}/account"))


def test_a_member_who_gets_it_right_first_time_uses_none_of_the_tries(app, world):
    codes = [code_for(world, f"Member {number}") for number in range(7)]
    household = "192.0.2.20"
    for number, code in enumerate(codes):
        response = agree_and_choose(browser_at(app, household), code, f"member{number}")
        assert response.status_code == 302 and response.headers["Location"] == "/home", number
