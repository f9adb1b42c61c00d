"""Words and Pictures on a small phone: the worker ticks pictures beside the young people's words; the young person
sees each picture with its words and hears its name read with them, in English and in Arabic."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask_babel import force_locale, gettext
from PIL import Image
from playwright.sync_api import Page

from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.photos.processing import process
from webapp.plans import services
from webapp.plans.records import PictureRef, PlanContent

from .. import factories
from .conftest import PHONE
from .steps import sign_in_member, sign_in_staff, submit

pytestmark = pytest.mark.browser

WORDS = {"en": "Sometimes there is shouting at home at night.", "ar": "أحيانا يكون هناك صراخ في البيت ليلا."}
DRAWING_SAYS = "Gran's house"


def drawing() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 200)).save(out, "PNG")
    return out.getvalue()


def young_person_with_pictures(language: str) -> FamilyMember:
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    child = factories.member(family, "young_person", name="Sam", language=language)
    draft = services.draft(family, worker.id)
    content = PlanContent()
    content.sections["worried_about"].young_person = WORDS[language]
    content.sections["worried_about"].parent = "Arguments at night."
    uploaded = services.store_picture(family, worker.id, services.NewPicture(process(drawing(), long_side=services.PICTURE_SIDE), DRAWING_SAYS))
    content.sections["worried_about"].pictures = [PictureRef(shipped="home"), PictureRef(shipped="car"), PictureRef(uploaded=uploaded.id)]
    services.save_draft(draft, content)
    services.publish(draft, worker.id)
    db_session().commit()
    return child


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_young_person_sees_each_picture_with_its_words_and_hears_its_name(language, app, context, page: Page,
                                                                              checked: Callable[..., None]):
    context.add_init_script(
        """window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = (utterance) => window.__spoken.push({lang: utterance.lang, text: utterance.text});
          window.speechSynthesis.cancel = () => {};
        }"""
    )
    child = young_person_with_pictures(language)
    sign_in_member(page, child.user)
    page.goto("/my/plan")
    checked(page, rtl=language == "ar")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pictures = page.locator(".words-pictures img[data-read-alt]")
    assert pictures.count() == 3
    with force_locale(language):
        home, car = gettext("A home"), gettext("A car")
    assert [pictures.nth(i).get_attribute("alt") for i in range(3)] == [home, car, DRAWING_SAYS]
    assert all(pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(3)), "every picture loads"
    # Beside the words on a phone: the pictures first, then the words, in one block.
    words = page.locator(".words-pictures .text")
    assert words.inner_text().strip() == WORDS[language]
    # The car drives the way the page reads: mirrored right to left.
    mirrored = pictures.nth(1).evaluate("img => getComputedStyle(img).transform") != "none"
    assert mirrored == (language == "ar")

    page.locator("[data-read-aloud-button]").click()
    spoken = [s["text"] for s in page.evaluate("window.__spoken")]
    assert home in spoken and car in spoken and DRAWING_SAYS in spoken, spoken
    assert spoken.index(home) < spoken.index(car) < spoken.index(DRAWING_SAYS) < next(i for i, s in enumerate(spoken) if WORDS[language] in s)


def test_the_worker_ticks_pictures_beside_a_part_and_the_editor_stays_accessible(app, page: Page, checked: Callable[..., None]):
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    factories.member(family, "young_person", name="Sam")
    db_session().commit()
    sign_in_staff(page, worker)
    page.goto(f"/staff/families/{family.id}/plan")
    page.fill("#worried_about__young_person", WORDS["en"])
    chooser = page.locator("#section-worried_about details.pictures-chooser")
    chooser.locator("summary").click()
    chooser.get_by_label("A home").check()
    chooser.get_by_label("A worried face").check()
    checked(page)
    submit(page, "form.plan-form input[type=submit][name=submit]")
    assert "Draft saved" in page.locator("main").inner_text()
    saved = services.current_draft(family.id)
    assert saved is not None
    db_session().refresh(saved)
    assert PlanContent.from_json(saved.content).sections["worried_about"].pictures == [PictureRef(shipped="home"), PictureRef(shipped="worried")]
