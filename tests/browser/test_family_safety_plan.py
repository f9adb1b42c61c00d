"""A Polish parent reads the family safety plan on a small phone: the translated parts in Polish, the rest in
English with a note, and "Read it to me" reads each part in its own language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import BrowserContext, Page

from webapp.db import db_session, utcnow
from webapp.plans import family_safety_services
from webapp.translations_content import rules
from webapp.translations_content import services as translated
from webapp.translations_content.models import TextTranslation

from .. import factories
from .conftest import PHONE
from .steps import sign_in_member

pytestmark = pytest.mark.browser

TASK = "Gran takes Sam to school every day"
TASK_PL = "Babcia codziennie zaprowadza Sama do szkoły"
RULE = "Pat rings Gran and the children go to her house"


@pytest.fixture
def speech_recorder(context: BrowserContext) -> BrowserContext:
    context.add_init_script(
        """window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = (utterance) => window.__spoken.push({lang: utterance.lang, text: utterance.text});
          window.speechSynthesis.cancel = () => {};
        }"""
    )
    return context


def test_a_polish_parent_reads_the_family_safety_plan_on_a_small_phone(app, speech_recorder, page: Page, checked: Callable[..., None]):
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    pat = factories.member(family, "parent", name="Pat", language="pl")
    draft = family_safety_services.draft(family, worker.id)
    draft.content = {
        "network": [{"id": "gran", "name": "Babcia Ewa", "relationship": "Grandmother", "how_to_reach": "07700 900123"}],
        "rules": [{"id": "r1", "when": "An argument starts late at night", "who_does_what": RULE, "people": ["gran"]}],
        "tasks": [{"id": "t1", "what": TASK, "who": "Gran", "people": ["gran"],
                   "progress": [{"id": "p1", "date": "2026-11-20", "text": "On time all week."}]}],
    }
    family_safety_services.publish(draft, worker.id)
    now = utcnow()
    db_session().add(TextTranslation(family_id=family.id, block=translated.family_safety_block("t1", "what"), language="pl", text=TASK_PL,
                                     source_hash=rules.source_hash(TASK), translated_by_id=worker.id, created_at=now, updated_at=now))
    db_session().commit()
    assert page.viewport_size == PHONE

    sign_in_member(page, pat.user)
    page.goto("/my/family-safety-plan")
    checked(page)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["pl", "ltr"]
    with force_locale("pl"):
        heading = gettext("Family safety plan")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    main = page.locator("main")
    assert main.locator('[lang="pl"]', has_text=TASK_PL).is_visible()
    assert main.get_by_text(TASK, exact=True).count() == 0
    english = main.locator('[lang="en"]', has_text=RULE)
    assert english.is_visible() and english.get_attribute("dir") == "ltr"
    assert main.locator(".not-translated").first.is_visible()

    page.get_by_role("button", name=gettext_pl("Read it to me")).click()
    spoken = page.evaluate("window.__spoken")
    assert any(s["lang"].startswith("pl") and TASK_PL in s["text"] for s in spoken), spoken
    assert any(s["lang"].startswith("en") and RULE in s["text"] for s in spoken)


def gettext_pl(message: str) -> str:
    with force_locale("pl"):
        return gettext(message)


def test_read_it_to_me_says_the_phone_has_no_polish_voice_and_reads_only_the_english(app, context: BrowserContext, page: Page):
    """On a phone with an English voice only, the Polish parts are not read with the English voice: the note beside the
    button says, in Polish, that this phone has no voice for Polish, and only the parts in English are read."""
    context.add_init_script(
        """window.__spoken = [];
        if (window.speechSynthesis) {
          window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
          window.speechSynthesis.getVoices = () => [{lang: "en-GB", name: "English", voiceURI: "en-GB", default: true, localService: true}];
          window.speechSynthesis.speak = (utterance) => window.__spoken.push({lang: utterance.lang, text: utterance.text});
          window.speechSynthesis.cancel = () => {};
        }"""
    )
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    pat = factories.member(family, "parent", name="Pat", language="pl")
    draft = family_safety_services.draft(family, worker.id)
    draft.content = {
        "rules": [{"id": "r1", "when": "An argument starts late at night", "who_does_what": RULE}],
        "tasks": [{"id": "t1", "what": TASK, "who": "Gran"}],
    }
    family_safety_services.publish(draft, worker.id)
    now = utcnow()
    db_session().add(TextTranslation(family_id=family.id, block=translated.family_safety_block("t1", "what"), language="pl", text=TASK_PL,
                                     source_hash=rules.source_hash(TASK), translated_by_id=worker.id, created_at=now, updated_at=now))
    db_session().commit()

    sign_in_member(page, pat.user)
    page.goto("/my/family-safety-plan")
    with force_locale("pl"):
        no_voice = gettext("This phone has no voice for %(language)s, so the parts in it are not read out.", language="polski")
    note = page.locator("[data-read-aloud-note]")
    assert note.is_visible() and note.inner_text() == no_voice, "said before anything is read"
    page.get_by_role("button", name=gettext_pl("Read it to me")).click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and all(s["lang"].startswith("en") for s in spoken), spoken
    assert any(RULE in s["text"] for s in spoken)
    assert not any(TASK_PL in s["text"] for s in spoken), "Polish is never read with the English voice"
    assert note.inner_text() == no_voice
