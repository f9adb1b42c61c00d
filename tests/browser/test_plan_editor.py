"""A worker writes the family plan on a phone: every button of the editor keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from webapp.db import db_session
from webapp.plans import readability, services

from .. import factories
from .steps import sign_in_staff, submit

pytestmark = pytest.mark.browser

TYPED = {
    "#worried_about__young_person": "Sometimes there is shouting at home at night.",
    "#worried_about__parent": "Arguments at night frighten the children.",
    "#working_well__young_person": "You go to school every day.",
    "#contingency__parent": "If there is another argument, the children stay with Gran.",
    "#next_review": "2026-12-14",
}


def test_adding_an_action_and_an_update_keeps_every_word_typed(page: Page, app, checked: Callable[..., None]) -> None:
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    factories.member(family, "young_person", name="Sam")
    factories.member(family, "parent", name="Jo")
    # The meter's first measurement loads its dictionaries for seconds; the live server shares this process.
    readability.measure("The meter is ready.")
    sign_in_staff(page, worker)
    page.goto(f"/staff/families/{family.id}/plan")
    for box, words in TYPED.items():
        page.fill(box, words)
    page.fill("#what", "Book a GP appointment for Sam")
    page.fill("#who", "Jo")
    page.fill("#by_when", "2026-03-20")
    submit(page, "#add-action")

    assert "Action added to the draft." in page.inner_text("main")
    for box, words in TYPED.items():
        assert page.input_value(box) == words, box
    assert page.locator("ol.actions").inner_text().count("Book a GP appointment for Sam") == 1
    assert page.input_value("#what") == "" and page.input_value("#who") == "", "an empty action to add the next one"
    checked(page)

    page.fill("#working_well__parent", "School attendance is now good.")
    page.locator("ol.actions li").first.locator("input[name$='-text']").fill("Jo rang the surgery.")
    submit(page, "ol.actions button:text('Add update')")
    assert page.input_value("#working_well__parent") == "School attendance is now good."
    assert page.input_value("#worried_about__young_person") == TYPED["#worried_about__young_person"]
    assert "Jo rang the surgery." in page.locator("ol.actions").inner_text()

    # A half-written action is shown again with what needs fixing, and the words above stay.
    page.fill("#bottom_lines__parent", "Nobody hits anybody.")
    page.fill("#what", "Find a homework club")
    submit(page, "#add-action")
    assert "Please say who will do it." in page.inner_text("main")
    assert page.input_value("#what") == "Find a homework club"
    assert page.input_value("#bottom_lines__parent") == "Nobody hits anybody."
    checked(page)

    # Publish sends what the worker sees, the words typed since saving included.
    page.fill("#who", "School")
    page.fill("#by_when", "2026-04-30")
    submit(page, "button:text('Publish the plan')")
    assert "The plan is published" in page.inner_text("main")
    db_session().rollback()
    published = services.latest_published(family.id)
    assert published is not None
    assert published.content["sections"]["bottom_lines"]["parent"] == "Nobody hits anybody."
    assert [a["what"] for a in published.content["actions"]] == ["Book a GP appointment for Sam", "Find a homework club"]
