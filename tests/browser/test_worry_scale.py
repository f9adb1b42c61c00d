"""A young person scores a worry from 0 to 10 on a small phone: a tap, a drag or the keyboard chooses any number."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.worries.models import Worry, WorryMember, WorryScore

from .. import factories
from .conftest import PHONE
from .steps import sign_in_member, submit

pytestmark = pytest.mark.browser

MEANING_0, MEANING_10 = "Really worried", "Working well"


@pytest.fixture
def child(app) -> FamilyMember:
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker"))
    return factories.member(family, "young_person", name="Sam")


@pytest.fixture
def worry(child: FamilyMember) -> Worry:
    worry = Worry(family_id=child.family_id, wording="Getting to school on time", meaning_0=MEANING_0, meaning_10=MEANING_10)
    worry.applies_to = [WorryMember(member_id=child.id)]
    db_session().add(worry)
    db_session().commit()
    return worry


def open_scale(page: Page, child: FamilyMember, worry: Worry) -> None:
    sign_in_member(page, child.user)
    page.goto(f"/my/worries/{worry.id}")
    page.locator("[data-scale][data-scale-ready]").wait_for(state="attached")


def chosen(page: Page) -> list[str]:
    values: list[str] = page.eval_on_selector_all("input[name=score]:checked", "(radios) => radios.map((r) => r.value)")
    return values


def saved_score(worry: Worry) -> int | None:
    db_session().rollback()
    return db_session().scalar(select(WorryScore.score).where(WorryScore.worry_id == worry.id))


def number(page: Page, value: int):
    return page.locator(f".scale-option:has(input[value='{value}']) label")


@pytest.fixture
def touch_page(browser, live_server) -> Iterator[Page]:
    """A phone with a touch screen, where a finger taps."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_nothing_is_chosen_at_first_and_a_tap_on_the_middle_number_chooses_it(touch_page, child, worry, checked):
    page = touch_page
    open_scale(page, child, worry)
    checked(page)
    assert chosen(page) == [], "the page must not choose for the child"
    for value in range(11):
        box = number(page, value).bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44, f"{value} is too small to tap: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.get_by_role("radio", name="5", exact=True).tap()
    assert chosen(page) == ["5"]
    # Shown as chosen by more than colour: the box's border grows too.
    five, six = (page.eval_on_selector(f"input[value='{v}'] + label", "(l) => getComputedStyle(l).borderTopWidth") for v in (5, 6))
    assert float(five.rstrip("px")) > float(six.rstrip("px"))
    checked(page)
    submit(page, "#submit")
    assert saved_score(worry) == 5
    assert page.locator("svg.chart").count() == 1
    checked(page)


def test_the_keyboard_chooses_any_number_and_says_what_the_ends_mean(page, child, worry):
    open_scale(page, child, worry)
    # The numbers at the ends carry their meaning for screen readers too.
    assert page.get_by_role("radio", name=f"0 – {MEANING_0}").count() == 1
    assert page.get_by_role("radio", name=f"10 – {MEANING_10}").count() == 1
    page.focus("#what_makes_it")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == "score"
    assert chosen(page) == [], "moving the focus onto the numbers chooses none"
    page.keyboard.press("End")
    assert chosen(page) == ["10"]
    page.keyboard.press("Home")
    assert chosen(page) == ["0"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert chosen(page) == ["2"]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert chosen(page) == ["0"]
    submit(page, "#submit")
    assert saved_score(worry) == 0


def test_the_space_bar_chooses_the_number_with_the_focus(page, child, worry):
    open_scale(page, child, worry)
    page.focus("input[name=score][value='0']")
    assert chosen(page) == []
    page.keyboard.press(" ")
    assert chosen(page) == ["0"]
    page.keyboard.press("End")
    submit(page, "#submit")
    assert saved_score(worry) == 10


def test_a_finger_sliding_along_the_numbers_chooses_the_one_it_stops_on(page, child, worry):
    open_scale(page, child, worry)
    start, end = number(page, 1).bounding_box(), number(page, 4).bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    assert chosen(page) == ["1"]
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=6)
    assert chosen(page) == ["4"]
    page.mouse.up()
    assert chosen(page) == ["4"]
    submit(page, "#submit")
    assert saved_score(worry) == 4


def test_in_arabic_the_numbers_run_from_right_to_left(page, checked):
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker"))
    child = factories.member(family, "young_person", name="ليلى", language="ar")
    worry = Worry(family_id=family.id, wording="الذهاب إلى المدرسة", meaning_0="قلق جدا", meaning_10="كل شيء جيد")
    worry.applies_to = [WorryMember(member_id=child.id)]
    db_session().add(worry)
    db_session().commit()
    open_scale(page, child, worry)
    checked(page, rtl=True)
    zero, one = number(page, 0).bounding_box(), number(page, 1).bounding_box()
    assert zero and one and zero["x"] > one["x"]
    page.get_by_role("radio", name="7", exact=True).click()
    assert chosen(page) == ["7"]
    checked(page, rtl=True)
