"""A 6-year-old on a small touch phone, the picture-led way: taps a feeling, scores a worry on the faces scale,
sends; the same by keyboard alone; every screen read aloud when it opens; clean for axe in English and Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.worries.models import Worry, WorryMember, WorryScore

from .. import factories
from .conftest import PHONE
from .steps import sign_in_member

pytestmark = pytest.mark.browser

# The browser's speech is recorded, not played: what would be said, and in which language.
RECORD_SPEECH = """
window.__said = [];
if ("speechSynthesis" in window) {
  window.speechSynthesis.speak = function (u) { window.__said.push([u.text, u.lang]); };
}
"""


@pytest.fixture
def six(app) -> FamilyMember:
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker", name="Will"))
    factories.member(family, "parent", name="Pat")
    return factories.member(family, "young_person", name="Mia", age_band="5-7")


@pytest.fixture
def worry(six: FamilyMember) -> Worry:
    worry = Worry(family_id=six.family_id, wording="Loud voices at home", meaning_0="It is very scary", meaning_10="Home feels calm")
    worry.applies_to = [WorryMember(member_id=six.id)]
    db_session().add(worry)
    db_session().commit()
    return worry


@pytest.fixture
def touch_page(browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_SPEECH)
    yield context.new_page()
    context.close()


@pytest.fixture
def keyboard_page(browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_SPEECH)
    yield context.new_page()
    context.close()


def said(page: Page) -> list[list[str]]:
    """What was said so far, each with its language (without the region: "en-GB" is "en")."""
    return [[text, lang.split("-")[0]] for text, lang in page.evaluate("window.__said")]


def big_enough(page: Page, selector: str) -> None:
    """Every visible target at least 64 by 64 CSS px, and on the screen."""
    for box in [el.bounding_box() for el in page.locator(selector).all() if el.is_visible()]:
        assert box and box["width"] >= 64 and box["height"] >= 64, f"{selector} too small: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def entries_of(member: FamilyMember) -> list[Entry]:
    db_session().rollback()
    return list(db_session().scalars(select(Entry).where(Entry.member_id == member.id).order_by(Entry.id)))


def scores_of(member: FamilyMember) -> list[tuple[int, str | None]]:
    db_session().rollback()
    return [(s.score, s.way) for s in db_session().scalars(select(WorryScore).where(WorryScore.member_id == member.id))]


def test_a_6_year_old_taps_a_feeling_and_scores_a_worry_on_the_faces_scale(touch_page, six, worry, checked):
    page = touch_page
    sign_in_member(page, six.user)
    checked(page)
    for key in ("feel", "worries", "houses", "draw", "meeting", "talk"):
        assert page.locator(f"#tile-{key}").is_visible()
    big_enough(page, ".picture-tile > a, .say-tile, .way-switch button, #quick-exit, .site-nav a, .site-nav button")
    # Each tile's words are said when its speaker is tapped.
    page.get_by_role("button", name="Hear “Draw it”").tap()
    assert said(page)[-1] == ["Draw it", "en"]

    page.locator("#tile-feel").tap()
    page.wait_for_url("**/my/pictures/feel")
    checked(page)
    # One question a screen, spoken when it opens, in the page's language, and again when asked.
    assert page.locator("#q-feeling").is_visible() and not page.locator("#q-help").is_visible()
    assert said(page) == [["How do you feel?", "en"]]
    page.locator("#q-feeling ~ [data-say-again]").tap()
    assert said(page) == [["How do you feel?", "en"], ["How do you feel?", "en"]]
    big_enough(page, ".pick label, .step-nav button, .say-again, .breadcrumb a")
    page.get_by_role("radio", name="Happy").tap()
    assert ["Happy", "en"] in said(page), "the chosen picture's word is said"
    page.get_by_role("button", name="Next").tap()
    assert page.locator("#q-help").is_visible() and not page.locator("#q-feeling").is_visible()
    assert ["Is the help working for you?", "en"] in said(page)
    checked(page)
    page.get_by_role("radio", name="A bit").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Send").tap()
    [entry] = entries_of(six)
    assert (entry.kind, entry.feeling, entry.answers.get("help_working"), entry.way) == ("plan_going", "happy", "a_bit", "picture")
    # Told aloud that it went, with a big way back to the pictures.
    assert ["Sent! Thank you for telling us.", "en"] in said(page)
    checked(page)
    big_enough(page, ".picture-home")
    with page.expect_navigation():
        page.locator(".picture-home").tap()
    page.locator("#tile-worries").tap()
    page.wait_for_url("**/my/pictures/worries")
    checked(page)
    page.get_by_role("link", name="Loud voices at home").tap()
    page.wait_for_url(f"**/my/pictures/worries/{worry.id}")
    checked(page)
    # Both ends pictured with the worry's own words.
    assert page.get_by_text("0 means: It is very scary").is_visible() and page.get_by_text("10 means: Home feels calm").is_visible()
    big_enough(page, ".pick-face label")
    page.get_by_role("radio", name="3", exact=True).tap()
    page.get_by_role("button", name="Next").tap()
    checked(page)
    page.get_by_role("checkbox", name="Pat").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Send").tap()
    assert scores_of(six) == [(3, "picture")]
    helped = entries_of(six)[-1]
    assert helped.kind == "worries" and helped.answers.get("what_would_help") == "Pat"


def test_the_same_by_keyboard_alone(keyboard_page, six, worry):
    page = keyboard_page
    sign_in_member(page, six.user)
    tab_to(page, "#tile-feel")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The question has the focus, so a switch or the Tab key starts from it.
    assert page.evaluate("document.activeElement.id") == "q-feeling"
    tab_to(page, "input[name=feeling]")
    page.keyboard.press("Space")
    # Enter on a picture goes on to the next question; it does not send half the answers.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q-help" and entries_of(six) == []
    tab_to(page, "[data-back]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q-feeling"
    assert page.eval_on_selector("input[name=feeling]:checked", "(r) => r.value") == "happy", "going back keeps the answer"
    tab_to(page, "[data-next]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q-help"
    tab_to(page, "input[name=help_working]")
    page.keyboard.press("Space")
    tab_to(page, "input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    [entry] = entries_of(six)
    assert entry.feeling == "happy" and entry.answers.get("help_working") == "yes" and entry.way == "picture"

    page.goto("/home")
    tab_to(page, "#tile-worries")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, ".worry-list a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=score]")
    page.keyboard.press("Space")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert page.eval_on_selector("input[name=score]:checked", "(r) => r.value") == "6"
    tab_to(page, "[data-next]")
    page.keyboard.press("Enter")
    tab_to(page, "input[name=who]")
    page.keyboard.press("Space")
    tab_to(page, "input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert scores_of(six) == [(6, "picture")]


def test_arabic_screens_are_right_to_left_spoken_in_arabic_and_clean_for_axe(phones, app, worry, checked):
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker", name="Will"))
    child = factories.member(family, "young_person", name="Lina", age_band="5-7", language="ar")
    # The worker's English, not translated yet: shown as English, and said with an English voice.
    arabic_worry = Worry(family_id=family.id, wording="Loud voices at home", meaning_0="It is very scary", meaning_10="Home feels calm")
    arabic_worry.applies_to = [WorryMember(member_id=child.id)]
    db_session().add(arabic_worry)
    db_session().commit()
    context = phones.new("ar")
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    sign_in_member(page, child.user)
    checked(page, rtl=True)
    # The drawing where direction matters is mirrored.
    assert page.eval_on_selector("#tile-draw img", "(i) => getComputedStyle(i).transform") != "none"
    for path in ("/my/pictures/feel", "/my/pictures/worries", f"/my/pictures/worries/{arabic_worry.id}", "/my/pictures/meeting", "/my/pictures/talk",
                 "/my/draw", "/my/three-houses"):
        page.goto(path)
        checked(page, rtl=True)
    page.goto(f"/my/pictures/worries/{arabic_worry.id}")
    spoken = said(page)
    assert spoken[0][1] == "ar" and ["Loud voices at home", "en"] in spoken and ["It is very scary", "en"] in spoken, spoken
    page.goto("/my/pictures/feel")
    assert any(lang == "ar" for _text, lang in said(page)), said(page)
    page.get_by_role("button", name="التالي").click()
    checked(page, rtl=True)


def test_bigger_text_and_calmer_colours_by_keyboard_and_still_clean(keyboard_page, six, checked):
    page = keyboard_page
    sign_in_member(page, six.user)
    page.goto("/settings")
    tab_to(page, "#bigger_text")
    page.keyboard.press("Space")
    tab_to(page, "#calmer_colours")
    page.keyboard.press("Space")
    tab_to(page, "form[action$='/my/look'] [type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert {"bigger-text", "calmer-colours"} <= set(page.evaluate("document.documentElement.className").split())
    page.goto("/home")
    checked(page)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    # Bigger text and calmer colours reach the usual pages too, still clean and never wider than the phone.
    for path in ("/my/pictures/feel", "/my/views", "/my/views/new/meeting", "/my/worries", "/my/photos", "/my/safety-plan", "/settings"):
        page.goto(path)
        checked(page)


def test_offline_the_answers_stay_on_the_screen_and_the_child_hears_why(touch_page, six, checked):
    page = touch_page
    sign_in_member(page, six.user)
    page.goto("/my/pictures/talk")
    page.get_by_role("radio", name="Yes").tap()
    page.context.set_offline(True)
    try:
        page.get_by_role("button", name="Send").tap()
        notice = page.locator("[data-picture-offline]")
        notice.wait_for(state="visible")
        assert page.url.endswith("/my/pictures/talk")
        assert page.eval_on_selector("input[name=safe_now]:checked", "(r) => r.value") == "yes"
        assert [notice.inner_text().strip(), "en"] in said(page)
    finally:
        page.context.set_offline(False)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").tap()
    [entry] = entries_of(six)
    assert entry.kind == "talk" and entry.urgent and entry.answers.get("safe_now") == "yes"


def test_the_child_switches_to_words_and_back_to_pictures(touch_page, six, checked):
    page = touch_page
    sign_in_member(page, six.user)
    with page.expect_navigation():
        page.get_by_role("button", name="Use words instead").tap()
    assert page.locator("#tile-feel").count() == 0
    checked(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Use pictures").tap()
    assert page.locator("#tile-feel").is_visible()
