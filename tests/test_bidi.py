"""Names, dates and people's words keep their own direction, whatever the page's language."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from lxml import html as lxml_html

from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply

from . import factories
from .helpers import signed_in

OVERRIDE = "\u202e"
# A name that, left loose, would turn the rest of its line round.
TRICK_NAME = f"Sam {OVERRIDE}gnikcilc"


def isolating_element(node: Any) -> Any | None:
    """The nearest element inside the body that keeps its own direction: <bdi>, or any element with dir."""
    while node is not None and node.tag not in ("body", "html"):
        if node.tag == "bdi" or node.get("dir") is not None:
            return node
        node = node.getparent()
    return None


def assert_isolated(page: str, words: str) -> int:
    """Every place the words appear, an isolating element holds them and nothing else of the line."""
    body = lxml_html.fromstring(page).find("body")
    assert body is not None
    found = 0
    for element in body.iter():
        for holder, content in ((element, element.text), (element.getparent(), element.tail)):
            if content and words in content:
                assert holder is not None  # an element under body always has a parent
                found += 1
                isolated = isolating_element(holder)
                assert isolated is not None, f"{words!r} is loose in {lxml_html.tostring(holder, encoding=str)[:300]}"
                assert isolated.text_content().strip() == words, (
                    f"the isolating element around {words!r} holds more of the line: {isolated.text_content().strip()!r}"
                )
    return found


def entry_of(member: Any, **fields: Any) -> Entry:
    row = Entry(member_id=member.id, family_id=member.family_id, kind="good_news", language="en",
                answers={"what_happened": "It is going."}, created_at=utcnow() - timedelta(hours=1), **fields)
    db_session().add(row)
    db_session().commit()
    return row


@pytest.fixture
def tricky(app: Flask, world: dict[str, Any]) -> dict[str, Any]:
    """A child and a worker whose names hold a right-to-left override, and an entry with a reply."""
    world["child"].display_name = TRICK_NAME
    world["worker_a"].display_name = f"Jo {OVERRIDE}rekrow"
    entry = entry_of(world["child"], shared_with_family=True, urgent=True)
    db_session().add(EntryReply(entry_id=entry.id, author_id=world["worker_a"].id, body="Well done!"))
    db_session().commit()
    return {**world, "entry": entry}


def test_a_name_with_a_right_to_left_override_cannot_reverse_the_rest_of_an_inbox_line(app, tricky):
    worker = signed_in(app, tricky["worker_a"])
    page = worker.get("/staff/inbox").get_data(as_text=True)
    assert assert_isolated(page, TRICK_NAME) == 1
    for item in lxml_html.fromstring(page).xpath("//ul[contains(@class, 'inbox-list')]/li"):
        bdis = item.xpath(".//bdi")
        assert [b.text_content() for b in bdis if OVERRIDE in b.text_content()] == [TRICK_NAME]
        assert tricky["family"].name in [b.text_content() for b in bdis], "the family's name is isolated too"


@pytest.mark.parametrize(
    "page",
    ["/staff/entries/{entry}", "/staff/families/{family}", "/staff/", "/staff/members/{child}/safety-plan", "/staff/members/{child}/meeting-sheet"],
)
def test_staff_pages_isolate_every_name(app, tricky, page):
    worker = signed_in(app, tricky["worker_a"])
    response = worker.get(page.format(entry=tricky["entry"].id, family=tricky["family"].id, child=tricky["child"].id))
    assert response.status_code == 200
    found = sum(assert_isolated(response.get_data(as_text=True), name) for name in (TRICK_NAME, tricky["worker_a"].display_name))
    assert found >= 1
    title = lxml_html.fromstring(response.get_data(as_text=True)).findtext(".//title")
    assert title is not None and "bdi" not in title, "a tab's title is plain text"


def test_a_manager_s_escalation_list_isolates_the_names(app, tricky):
    tricky["entry"].escalated_at = utcnow()
    db_session().commit()
    manager = signed_in(app, tricky["manager_a"])
    assert assert_isolated(manager.get("/staff/escalations").get_data(as_text=True), TRICK_NAME) >= 1


def test_family_pages_isolate_names_and_the_worker_s_name(app, tricky):
    child = signed_in(app, tricky["child"].user)
    assert assert_isolated(child.get("/home").get_data(as_text=True), TRICK_NAME) == 1
    assert assert_isolated(child.get("/home").get_data(as_text=True), tricky["worker_a"].display_name) == 1
    mine = child.get(f"/my/views/{tricky['entry'].id}").get_data(as_text=True)
    assert assert_isolated(mine, tricky["worker_a"].display_name) == 1, "the reply's author line"
    parent = signed_in(app, tricky["parent"].user)
    assert assert_isolated(parent.get("/my/shared").get_data(as_text=True), TRICK_NAME) == 1
    assert assert_isolated(parent.get(f"/my/views/{tricky['entry'].id}").get_data(as_text=True), TRICK_NAME) == 1


def test_what_someone_wrote_carries_its_own_language_and_direction_on_an_arabic_page(app, tricky):
    tricky["child"].user.locale = "ar"
    db_session().commit()
    child = signed_in(app, tricky["child"].user)
    page = lxml_html.fromstring(child.get(f"/my/views/{tricky['entry'].id}").get_data(as_text=True))
    assert page.get("dir") == "rtl"
    answer = page.xpath("//*[normalize-space(text())='It is going.']")[0]
    assert (answer.get("lang"), answer.get("dir")) == ("en", "auto")
    question = answer.getprevious()
    assert question.tag == "dt" and "en" not in (question.get("lang"), question.getparent().get("lang")), (
        "the question is in the page's language, not the entry's"
    )
    reply = page.xpath("//*[normalize-space(text())='Well done!']")[0]
    assert (reply.get("lang"), reply.get("dir")) == ("en", "ltr"), "the worker's English, not yet translated, says it is English"
    dates = page.xpath("//p[contains(@class, 'meta')]//bdi")
    assert dates, "the dates are isolated"


STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"


def _font_stack(css: str, language: str) -> list[str]:
    rule = re.search(rf":lang\({language}\)\s*\{{[^}}]*font-family:\s*([^;}}]+)", css)
    assert rule, f"no font stack for {language}"
    return [font.strip().strip('"') for font in rule.group(1).split(",")]


def test_urdu_reads_in_nastaliq_arabic_in_naskh_and_panjabi_in_gurmukhi_from_the_phones_own_fonts():
    """Each script asks first for the phone's font that writes it as its readers expect, and nothing is downloaded."""
    css = STYLESHEET.read_text(encoding="utf-8")
    assert "Nastaliq" in _font_stack(css, "ur")[0] and "Naskh" in " ".join(_font_stack(css, "ur")), "Nastaliq, then Naskh"
    assert "Naskh" in _font_stack(css, "ar")[0]
    assert "Gurmukhi" in _font_stack(css, "pa")[0]
    assert "@font-face" not in css and not re.search(r"url\([^)]*\.(?:woff2?|ttf|otf)", css), "no web fonts"


def test_right_to_left_pages_mirror_because_the_stylesheet_only_uses_logical_sides():
    """Margins, padding, borders, floats, positions and alignment name the start and end of a line, never left or
    right, so an Arabic or Urdu page is the mirror image of an English one from the same stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    physical = re.findall(
        r"[\w-]*(?:margin|padding|border)-(?:left|right)[\w-]*\s*:|(?<![\w-])(?:left|right)\s*:|(?:float|clear|text-align)\s*:\s*(?:left|right)\b",
        css,
    )
    assert not physical, physical
