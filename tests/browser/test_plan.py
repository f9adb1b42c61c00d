"""A young person reads their family plan on a small phone, in English and in Arabic."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale, format_date, gettext
from playwright.sync_api import Page

from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.plans import services
from webapp.plans.records import PlanContent
from webapp.worries.models import Worry, WorryMember

from .. import factories
from .conftest import PHONE
from .steps import follow, sign_in_member

pytestmark = pytest.mark.browser

WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "worried_about": ("Sometimes there is shouting at home at night.", "Arguments between the adults at night frighten the children."),
        "working_well": ("You go to school every day. Well done!", "School attendance is now good."),
        "needs_to_happen": ("Home should feel calm in the evenings.", "Evenings at home are calm and the children feel safe."),
        "worry": "Shouting at home at night",
        "action": "Sam goes to football club on Tuesdays",
    },
    "ar": {
        "worried_about": ("أحيانا يكون هناك صراخ في البيت ليلا.", "الخلافات بين الكبار ليلا تخيف الأطفال."),
        "working_well": ("أنت تذهب إلى المدرسة كل يوم. أحسنت!", "الحضور المدرسي جيد الآن."),
        "needs_to_happen": ("يجب أن يكون البيت هادئا في المساء.", "المساء في البيت هادئ ويشعر الأطفال بالأمان."),
        "worry": "الصراخ في البيت ليلا",
        "action": "يذهب سامي إلى نادي كرة القدم يوم الثلاثاء",
    },
}
NEXT_REVIEW = "2026-12-14"


def translated(language: str, message: str, **values: str) -> str:
    with force_locale(language):
        return gettext(message, **values)


def young_person_with_a_plan(language: str) -> tuple[FamilyMember, FamilyMember]:
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    child = factories.member(family, "young_person", name="سامي" if language == "ar" else "Sam", language=language)
    parent = factories.member(family, "parent", name="Parent", language=language)
    words = WORDS[language]
    worry = Worry(family_id=family.id, wording=words["worry"], meaning_0="0", meaning_10="10", created_by_id=worker.id)
    worry.applies_to = [WorryMember(member_id=child.id)]
    db_session().add(worry)
    draft = services.draft(family, worker.id)
    content = PlanContent().to_json()
    for key in ("worried_about", "working_well", "needs_to_happen"):
        content["sections"][key].update(young_person=words[key][0], parent=words[key][1])
    content["actions"] = [{"what": words["action"], "who": "Sam", "by_when": "2026-12-01", "progress": []}]
    content["next_review"] = NEXT_REVIEW
    services.save_draft(draft, PlanContent.from_json(content))
    services.publish(draft, worker.id)
    db_session().commit()
    return child, parent


@pytest.mark.parametrize("language", ["en", "ar"])
def test_young_person_reads_their_plan_on_a_small_phone(language, app, context, page: Page, checked: Callable[..., None]):
    context.add_init_script(
        """window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = (utterance) => window.__spoken.push({lang: utterance.lang, text: utterance.text});
          window.speechSynthesis.cancel = () => {};
        }"""
    )
    child, _parent = young_person_with_a_plan(language)
    words = WORDS[language]
    assert page.viewport_size == PHONE
    sign_in_member(page, child.user)
    follow(page, page.get_by_role("link", name=translated(language, "My plan")).first)
    assert page.url.endswith("/my/plan")
    checked(page, rtl=language == "ar")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing scrolls sideways"

    main = page.locator("main")
    content = main.inner_text()
    for key in ("worried_about", "working_well", "needs_to_happen"):
        assert words[key][0] in content, key
        assert words[key][1] not in content, "the parent version is not the young person's"
    assert words["worry"] in content and words["action"] in content
    assert main.locator(".plan-part h2 .plan-icon").count() >= 4, "an icon for each heading"
    with force_locale("ar" if language == "ar" else "en_GB"):
        assert format_date(date.fromisoformat(NEXT_REVIEW), "full") in content, "dates in the page's language"

    page.get_by_role("button", name=translated(language, "Read it to me")).click()
    spoken = page.evaluate("window.__spoken")
    # Each block in its own language: the page's words in the page's, the worker's untranslated words in English.
    page_lang = "ar" if language == "ar" else "en-GB"
    assert spoken[0]["lang"] == page_lang and {s["lang"] for s in spoken} <= {page_lang, "en"}
    if language == "en":
        assert len(spoken) == 1, "one language, one reading"
    assert words["working_well"][0] in " ".join(s["text"] for s in spoken)
    checked(page, rtl=language == "ar")


def test_read_it_to_me_says_the_words_and_skips_every_emoji(app, context, page: Page):
    context.add_init_script(
        """window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);
          window.speechSynthesis.cancel = () => {};
        }"""
    )
    child, _parent = young_person_with_a_plan("en")
    version = services.latest_published(child.family_id)
    assert version is not None
    content = copy.deepcopy(version.content)
    # Workers write emoji too, with skin tones and joined ones: none of them is read out.
    content["sections"]["working_well"]["young_person"] = "You go to school every day. 🎉 Well done! 👍🏽 Your family ❤️ 👨‍👩‍👧 is proud."
    version.content = content
    db_session().commit()
    sign_in_member(page, child.user)
    page.goto("/my/plan")
    page.get_by_role("button", name="Read it to me").click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1
    text = spoken[0]
    assert not page.evaluate("(text) => /[\\p{Extended_Pictographic}\\u{1F3FB}-\\u{1F3FF}\\uFE0F\\u200D]/u.test(text)", text), text
    for words in ("Important dates", "What is going well", "You go to school every day.", "Well done!", "Your family", "is proud.", WORDS["en"]["action"]):
        assert words in text, words
