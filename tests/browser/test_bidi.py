"""English inside an Arabic page, and a name holding a right-to-left override, come out in the right order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page

from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.worries.models import Worry, WorryMember

from .. import factories
from .steps import sign_in_member

pytestmark = pytest.mark.browser

# Where a piece of text is drawn: the left edge of the first place it appears inside the element.
X_OF = """([element, words]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + words.length);
    return range.getBoundingClientRect().left;
  }
  throw new Error('not found: ' + words);
}"""


def x_of(page: Page, selector: str, words: str) -> float:
    element = page.locator(selector).first.element_handle()
    return float(page.evaluate(X_OF, [element, words]))


def a_family() -> dict[str, Any]:
    team = factories.team()
    worker = factories.staff(team, "worker", name="Jo Worker")
    family = factories.family(team, worker)
    child = factories.member(family, "young_person", name="Sam \u202eevil", language="ar")
    parent = factories.member(family, "parent", name="Anna")
    entry = Entry(member_id=child.id, family_id=family.id, kind="good_news", language="en", shared_with_family=True,
                  answers={"what_happened": "It is going."}, created_at=utcnow() - timedelta(hours=2), read_at=utcnow())
    db_session().add(entry)
    db_session().flush()
    db_session().add(EntryReply(entry_id=entry.id, author_id=worker.id, body="Well done!"))
    worry = Worry(family_id=family.id, wording="Shouting at home", meaning_0="I am really worried", meaning_10="No worries at all",
                  created_by_id=worker.id)
    worry.applies_to = [WorryMember(member_id=child.id)]
    db_session().add(worry)
    db_session().commit()
    return {"child": child, "parent": parent, "entry": entry, "worry": worry}


def test_english_answers_replies_and_worry_meanings_read_in_order_on_an_arabic_page(app, page: Page):
    family = a_family()
    sign_in_member(page, family["child"].user)
    page.goto(f"/my/views/{family['entry'].id}")
    assert page.evaluate("document.documentElement.dir") == "rtl"

    answer = ".answers dd"
    assert page.locator(answer).get_attribute("lang") == "en"
    assert page.locator(answer).evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    assert x_of(page, answer, ".") > x_of(page, answer, "going"), "the full stop ends the English sentence, on its right"
    assert x_of(page, answer, "It") < x_of(page, answer, "going")

    reply_line = ".reply .meta"
    isolated = page.locator(f"{reply_line} bdi")
    assert isolated.count() == 2, "the worker's name and the date are each isolated"
    assert isolated.nth(0).evaluate("(el) => getComputedStyle(el).unicodeBidi") == "isolate"
    assert x_of(page, reply_line, "Jo Worker") > isolated.nth(1).bounding_box()["x"], "name first: on the right in Arabic"  # type: ignore[index]
    assert x_of(page, reply_line, "Jo") < x_of(page, reply_line, "Worker"), "the name itself still reads left to right"

    page.goto(f"/my/worries/{family['worry'].id}")
    ends = ".scale-ends span:first-child"
    assert x_of(page, ends, "0") > x_of(page, ends, "I am"), "0 comes first, on the right, then its meaning"
    assert x_of(page, ends, "I am") < x_of(page, ends, "worried"), "the meaning reads left to right"
    assert page.locator(f"{ends} bdi").get_attribute("lang") == "en"


def test_a_name_with_a_right_to_left_override_does_not_turn_its_line_round(app, page: Page):
    family = a_family()
    sign_in_member(page, family["parent"].user)
    page.goto("/my/shared")
    line = ".card .meta"
    names = page.locator(f"{line} bdi")
    assert names.count() == 2
    name_box, date_box = names.nth(0).bounding_box(), names.nth(1).bounding_box()
    assert name_box and date_box
    assert name_box["x"] + name_box["width"] <= date_box["x"], "the date still follows the name, on its right"
    page.goto(f"/my/views/{family['entry'].id}")
    meta = page.locator("main p.meta").first
    assert meta.inner_text().startswith("From "), "the words before the name are untouched"
    name = meta.locator("bdi").first.bounding_box()
    date = meta.locator("bdi").nth(1).bounding_box()
    assert name and date and name["x"] + name["width"] <= date["x"]
