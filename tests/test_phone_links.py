"""Every phone number a family is shown can be called with one tap: a tel: link of digits only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from webapp.filters import phone_links, tel_href

from .helpers import signed_in
from .test_safety_plan import publish, save, url

LOCAL_HELP = "0300 555 0199"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LOCAL_HELP_NUMBER": LOCAL_HELP}


def tel_links(page: str) -> dict[str, str]:
    """href -> the words of each tel: link on a page."""
    return {href: re.sub(r"<[^>]+>", "", words) for href, words in re.findall(r'<a href="(tel:[^"]*)"[^>]*>(.*?)</a>', page)}


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("999", "tel:999"),
        ("0800 1111", "tel:+448001111"),
        ("07700 900123", "tel:+447700900123"),
        ("+44 7700 900-123", "tel:+447700900123"),
        ("(0161) 496 0000", "tel:+441614960000"),
        ("0044 161 496 0000", "tel:+441614960000"),
    ],
)
def test_a_number_is_called_by_its_digits_in_international_form(written, href):
    assert tel_href(written) == href


def test_only_the_numbers_in_a_worker_s_words_become_links():
    assert str(phone_links("07700 900123, she lives next door")) == (
        '<a href="tel:+447700900123" dir="ltr" class="tel">07700 900123</a>, she lives next door'
    )
    assert str(phone_links("116 123")) == '<a href="tel:116123" dir="ltr" class="tel">116 123</a>'
    assert str(phone_links("0300 555 0199 (any time)")) == '<a href="tel:+443005550199" dir="ltr" class="tel">0300 555 0199</a> (any time)'
    for not_a_number in ("Ask at the school office", "Room 101 after 3", "Flat 12, 2024"):
        assert "tel:" not in phone_links(not_a_number)
    assert str(phone_links("<b>0161 496 0000</b>")) == '&lt;b&gt;<a href="tel:+441614960000" dir="ltr" class="tel">0161 496 0000</a>&lt;/b&gt;'


def test_the_safety_plan_calls_the_emergency_numbers_and_the_safe_people(app: Flask, world: dict[str, Any]):
    child_member = world["child"]
    worker = signed_in(app, world["worker_a"])
    save(worker, child_member, {"safe_people-0-name": "Auntie Jo", "safe_people-0-how_to_reach": "07700 900123, she lives next door",
                                "safe_people-1-name": "Mr Patel", "safe_people-1-how_to_reach": "Ask at the school office"})
    publish(worker, child_member)
    page = signed_in(app, child_member.user).get("/my/safety-plan").get_data(as_text=True)
    assert tel_links(page) == {
        "tel:999": "999",
        "tel:+448001111": "0800 1111",
        "tel:+443005550199": LOCAL_HELP,
        "tel:+447700900123": "07700 900123",
    }
    assert "Ask at the school office" in page


@pytest.mark.parametrize("language", ["en", "pl", "ar"])
def test_need_help_now_calls_the_numbers_in_every_language(app: Flask, world: dict[str, Any], language: str):
    child_member = world["child"]
    child_member.user.locale = language
    from webapp.db import db_session

    db_session().commit()
    child = signed_in(app, child_member.user)
    for page in ("/my/views/new/talk", "/home", "/offline"):
        links = tel_links(child.get(page).get_data(as_text=True))
        assert links.get("tel:999") == "999", page
        assert links.get("tel:+448001111") == "0800 1111", page
        if page != "/offline":
            assert links.get("tel:+443005550199") == LOCAL_HELP, page
