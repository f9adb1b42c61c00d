"""A young person reads their safety plan on a small phone, in English and in Arabic, and may keep it offline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import BrowserContext, Page

from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.plans import services

from .. import factories
from .conftest import PHONE, LiveServer
from .steps import sign_in_member, sign_out, submit

pytestmark = pytest.mark.browser

LOCAL_HELP = "0300 555 0199"
PLANS: dict[str, dict[str, Any]] = {
    "en": {
        "safe_people": [{"name": "Auntie Jo", "how_to_reach": "07700 900123"}, {"name": "Mr Patel at school", "how_to_reach": "Ask at the office"}],
        "rules": [{"when": "Mum and Dad start shouting", "what": "I go to my room and text Auntie Jo"}],
        "safe_places": ["Gran's house", "The library"],
    },
    "ar": {
        "safe_people": [{"name": "خالتي سارة", "how_to_reach": "07700 900123"}, {"name": "الأستاذ أحمد في المدرسة", "how_to_reach": "اسأل في مكتب المدرسة"}],
        "rules": [{"when": "عندما يبدأ الصراخ في البيت", "what": "أذهب إلى غرفتي وأرسل رسالة إلى خالتي سارة"}],
        "safe_places": ["بيت جدتي", "المكتبة"],
    },
}
# Reads what the browser keeps in Cache Storage: {cache name: [paths]}.
CACHED_PATHS = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    found[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
  }
  return found;
}"""


def translated(language: str, message: str, **values: str) -> str:
    with force_locale(language):
        return gettext(message, **values)


def young_person_with_a_safety_plan(language: str, *, keep_offline: bool = False) -> FamilyMember:
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    member = factories.member(family, "young_person", name="ليلى" if language == "ar" else "Sam", language=language)
    member.safety_plan_offline_allowed = keep_offline
    member.safety_plan_offline_chosen = keep_offline
    draft = services.safety_draft(member, worker.id)
    draft.content = PLANS[language]
    services.publish_safety_plan(draft, worker.id)
    db_session().commit()
    return member


def wait_until(page: Page, async_check: str) -> None:
    """Poll in the page until an async check (the body of an async function) comes true."""
    page.evaluate("window.__fvCheck = undefined")
    page.wait_for_function(
        """() => {
          if (window.__fvCheck === true) return true;
          if (window.__fvCheck !== "running") {
            window.__fvCheck = "running";
            (async () => {%s})().then((ok) => { window.__fvCheck = ok === true; }, () => { window.__fvCheck = false; });
          }
          return false;
        }"""
        % async_check,
        polling=50,
    )


HAS_PRIVATE_COPY = """
  for (const name of await caches.keys()) {
    if (!name.startsWith("fv-private-")) continue;
    const cache = await caches.open(name);
    if (await cache.match("/my/safety-plan")) return true;
  }
  return false;
"""
NO_PRIVATE_CACHE = "return !(await caches.keys()).some((name) => name.startsWith('fv-private-'));"
STATIC_CACHE_READY = """
  for (const name of await caches.keys()) {
    if (name.startsWith("fv-static-") && await (await caches.open(name)).match("/offline")) return true;
  }
  return false;
"""


def private_caches(page: Page) -> dict[str, list[str]]:
    return {name: paths for name, paths in page.evaluate(CACHED_PATHS).items() if name.startswith("fv-private-")}


@pytest.fixture
def local_help(live_server: LiveServer) -> str:
    live_server.app.config["LOCAL_HELP_NUMBER"] = LOCAL_HELP
    return LOCAL_HELP


@pytest.fixture
def speech_recorder(context: BrowserContext) -> BrowserContext:
    """The browser's speech, replaced by a recorder: the test hears what would be said, and in which language."""
    context.add_init_script(
        """window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = (utterance) => window.__spoken.push({lang: utterance.lang, text: utterance.text});
          window.speechSynthesis.cancel = () => {};
        }"""
    )
    return context


@pytest.mark.parametrize("language", ["en", "ar"])
def test_young_person_reads_their_safety_plan_on_a_small_phone(language, app, speech_recorder, page, local_help, checked: Callable[..., None]):
    member = young_person_with_a_safety_plan(language)
    plan = PLANS[language]
    assert page.viewport_size == PHONE == {"width": 360, "height": 740}

    sign_in_member(page, member.user)
    page.goto("/my/safety-plan")
    checked(page, rtl=language == "ar")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == (
        ["ar", "rtl"] if language == "ar" else ["en-GB", "ltr"]
    )
    assert page.get_by_role("heading", level=1).inner_text() == translated(language, "My safety plan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    main = page.locator("main")
    for person in plan["safe_people"]:
        assert main.get_by_text(person["name"], exact=True).is_visible()
        assert main.get_by_text(person["how_to_reach"], exact=True).is_visible()
    assert main.get_by_text(plan["rules"][0]["what"], exact=True).is_visible()
    for place in plan["safe_places"]:
        assert main.get_by_text(place, exact=True).is_visible()
    emergency = page.locator(".emergency").inner_text()
    assert "999" in emergency and "0800 1111" in emergency and LOCAL_HELP in emergency
    assert translated(language, "Out of hours: %(number)s", number=LOCAL_HELP) in emergency

    # Read it to me: shown because this browser can speak; it reads the plan in the page's language.
    button = page.get_by_role("button", name=translated(language, "Read it to me"))
    assert button.is_visible()
    button.click()
    spoken = page.evaluate("window.__spoken")
    # Each block in its own language: the page's words in the page's, the worker's untranslated words in English.
    page_lang = "ar" if language == "ar" else "en-GB"
    assert spoken[0]["lang"] == page_lang and {s["lang"] for s in spoken} <= {page_lang, "en"}
    said = " ".join(s["text"] for s in spoken)
    assert plan["safe_people"][0]["name"] in said and "0800 1111" in said
    # Only words: the headings are read, their decorative icons (🚨 🤝 📋 🏡) are not.
    assert translated(language, "My safe people") in said
    assert not page.evaluate("(text) => /\\p{Extended_Pictographic}/u.test(text)", said), said
    assert page.get_by_role("button", name=translated(language, "Stop reading")).get_attribute("aria-pressed") == "true"
    checked(page, rtl=language == "ar")


def test_read_it_to_me_is_hidden_where_the_browser_cannot_speak(app, context, local_help):
    member = young_person_with_a_safety_plan("en")
    context.add_init_script("delete window.speechSynthesis;")
    page = context.new_page()
    sign_in_member(page, member.user)
    page.goto("/my/safety-plan")
    page.wait_for_load_state("load")
    assert page.evaluate("'speechSynthesis' in window") is False
    assert page.locator("[data-read-aloud-button]").is_hidden()
    assert page.get_by_text("Auntie Jo", exact=True).is_visible()


def test_a_safety_plan_kept_on_the_phone_reads_offline_until_sign_out(app, context, page, local_help, checked):
    member = young_person_with_a_safety_plan("en", keep_offline=True)
    sign_in_member(page, member.user)
    page.goto("/my/safety-plan")
    assert page.locator("[data-keep-offline]").count() == 1
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, HAS_PRIVATE_COPY)
    kept = private_caches(page)
    assert len(kept) == 1
    [(name, paths)] = kept.items()
    assert name.startswith("fv-private-") and paths == ["/my/safety-plan"]

    # No connection: the kept copy opens, with the plan and the numbers.
    context.set_offline(True)
    page.goto("/home")
    assert page.get_by_role("heading", level=1).inner_text() == translated("en", "You are offline"), "only the safety plan is kept"
    page.goto("/my/safety-plan")
    assert page.get_by_role("heading", level=1).inner_text() == "My safety plan"
    assert page.get_by_text("Auntie Jo", exact=True).is_visible()
    assert "0800 1111" in page.locator(".emergency").inner_text()
    checked(page)

    # Back online, signing out takes it off the phone.
    context.set_offline(False)
    page.goto("/home")
    sign_out(page)
    assert private_caches(page) == {}


def test_without_both_choices_nothing_is_kept(app, page, local_help):
    member = young_person_with_a_safety_plan("en")
    sign_in_member(page, member.user)
    page.goto("/my/safety-plan")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, STATIC_CACHE_READY)
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator("[data-keep-offline]").count() == 0
    assert private_caches(page) == {}

    # The worker allows it and the young person ticks it: kept. Unticked again: removed at once.
    member.safety_plan_offline_allowed = True
    db_session().commit()
    page.reload()
    page.check("#keep")
    submit(page, "form.notice [type=submit]")
    wait_until(page, HAS_PRIVATE_COPY)
    page.uncheck("#keep")
    submit(page, "form.notice [type=submit]")
    assert page.locator("[data-keep-offline]").count() == 0
    wait_until(page, NO_PRIVATE_CACHE)
    assert private_caches(page) == {}


def test_a_kept_copy_goes_from_the_phone_on_the_next_page_once_the_worker_withdraws_it(app, page, local_help):
    member = young_person_with_a_safety_plan("en", keep_offline=True)
    sign_in_member(page, member.user)
    page.goto("/my/safety-plan")
    wait_until(page, HAS_PRIVATE_COPY)
    page.goto("/home")
    page.wait_for_load_state("load")
    assert len(private_caches(page)) == 1, "still allowed: other pages leave it alone"

    member.safety_plan_offline_allowed = False  # the worker unticks "let them keep it"
    db_session().commit()
    page.goto("/my/worries")
    wait_until(page, NO_PRIVATE_CACHE)
    assert private_caches(page) == {}


def test_another_person_signing_in_on_the_same_phone_removes_the_kept_copy(app, browser, live_server, local_help):
    member = young_person_with_a_safety_plan("en", keep_offline=True)
    sister = factories.member(member.family, "young_person", name="Amy")
    db_session().commit()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in_member(page, member.user)
        page.goto("/my/safety-plan")
        wait_until(page, HAS_PRIVATE_COPY)
        context.clear_cookies()  # the session is gone (timed out) without signing out
        sign_in_member(page, sister.user)
        wait_until(page, NO_PRIVATE_CACHE)
        assert private_caches(page) == {}
    finally:
        context.close()
