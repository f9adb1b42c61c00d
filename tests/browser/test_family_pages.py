"""Every family page, for each kind of family member and in every language, on a 360 px phone:
nothing scrolls sideways, every target is big enough to tap, the page and every block in it read
the right way, and axe finds nothing."""

from __future__ import annotations

import functools
import io
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page

from webapp.assessments.models import Assessment, AssessmentSection, AssessmentShare
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import FamilyMember
from webapp.photos import processing
from webapp.photos import services as photo_services
from webapp.plans import family_safety_services
from webapp.plans import services as plan_services
from webapp.plans.records import PlanContent
from webapp.reviews.models import FINAL, MeetingMessage, Review, ReviewComment, ReviewShare
from webapp.worries import services as worry_services
from webapp.worries.models import Worry, WorryMember

from .. import factories
from .conftest import _SCREENSHOTS, PHONE, Phones, _axe_violations, _shot_numbers
from .steps import sign_in_member

pytestmark = pytest.mark.browser

# WCAG 2.5.5 (AAA) target size, the bar for family pages.
TARGET = 44
# What a family member can tap: links, buttons, tick boxes and radios (their label counts when
# it is tied to them), file buttons and the summaries that open a details box.
MEASURE_PAGE = """() => {
  const tappable = 'a[href], button, input[type=submit], input[type=checkbox], input[type=radio], input[type=file], summary';
  const small = [];
  for (const el of document.querySelectorAll(tappable)) {
    if (el.closest('.skip-link, .visually-hidden, [hidden]') || getComputedStyle(el).visibility === 'hidden') continue;
    const boxes = [el.getBoundingClientRect()];
    if (el.labels) for (const label of el.labels) boxes.push(label.getBoundingClientRect());
    const shown = boxes.filter((r) => r.width > 1 && r.height > 1);
    if (!shown.length) continue;  // not rendered: inside a closed details box, or display: none
    if (shown.some((r) => r.width >= %(target)d - 0.5 && r.height >= %(target)d - 0.5)) continue;
    const best = shown.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    const name = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || el.id || '').trim().slice(0, 40);
    small.push(`${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${name}" ${Math.round(best.width)}x${Math.round(best.height)}`);
  }
  return {width: document.documentElement.scrollWidth, small};
}""" % {"target": TARGET}
# Long words push tiles and cards wider than the phone unless they may break.
LONG_WORD = "Najprawdopodobniejszymiśmy-bezkonkurencyjnościami"


@dataclass
class Family:
    members: dict[str, FamilyMember]
    pages: dict[str, list[str]]


@functools.cache
def processed_photo() -> processing.ProcessedPhoto:
    """A photo as the app keeps it, cleaned once for the run: every family member's entry carries a copy."""
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 120, 160)).save(buffer, "JPEG")
    return processing.process(buffer.getvalue())


def a_family_with_everything() -> Family:
    """A family whose members have sent, scored, been replied to and been given plans: every page has something on it."""
    team = factories.team()
    worker = factories.staff(team, "worker", name="Jo Worker")
    family = factories.family(team, worker, name="The Kowalski family")
    members = {
        "young person 14": factories.member(family, "young_person", name="Zofia", age_band="14-15"),
        "young person 8": factories.member(family, "young_person", name="Kacper", age_band="8-10"),
        "parent": factories.member(family, "parent", name="Anna Kowalska"),
        "young person 6": factories.member(family, "young_person", name="Ola", age_band="5-7"),
    }
    # Gran is in the family's safety network: named in the safety plan's rows and in one action.
    gran = factories.member(family, "network", name="Babcia Ewa")
    worry = Worry(family_id=family.id, wording=f"Shouting at home at night {LONG_WORD}", meaning_0="I am really worried about this",
                  meaning_10="This is working well, no worries", is_safety=True, created_by_id=worker.id)
    worry.applies_to = [WorryMember(member_id=m.id) for m in members.values()]
    db_session().add(worry)
    draft = plan_services.draft(family, worker.id)
    content = PlanContent().to_json()
    for key in ("worried_about", "working_well", "needs_to_happen"):
        content["sections"][key].update(young_person=f"It is going well. {LONG_WORD}.", parent="Evenings are calmer.")
    content["actions"] = [{"what": f"Football club on Tuesdays {LONG_WORD}", "who": "Zofia", "by_when": "2026-12-01",
                           "progress": [{"text": "Went twice.", "at": "2026-11-20"}]},
                          {"what": f"Gran walks Zofia to football {LONG_WORD}", "who": "Gran", "by_when": "2026-12-01", "people": [gran.id]}]
    content["next_review"] = "2026-12-14"
    content["next_taf"] = "2026-12-10"
    plan_services.save_draft(draft, PlanContent.from_json(content))
    plan_services.publish(draft, worker.id)
    family_safety = family_safety_services.draft(family, worker.id)
    family_safety.content = {
        "network": [{"id": "gran", "name": "Babcia Ewa", "relationship": "Grandmother", "how_to_reach": "07700 900123", "member_id": gran.id}],
        "timeline": [{"id": "w1", "week": "Week 1", "task": f"Gran has the children on Tuesdays {LONG_WORD}", "people": ["gran"]}],
        "rules": [{"id": "r1", "when": "An argument starts", "who_does_what": "Everyone goes to Gran's", "people": ["gran"]}],
        "tasks": [{"id": "t1", "what": f"School run {LONG_WORD}", "who": "Gran", "by_when": "2026-12-18", "people": ["gran"],
                   "progress": [{"id": "p1", "date": "2026-11-20", "text": "On time all week."}], "completed_on": "2026-11-27"}],
    }
    family_safety_services.publish(family_safety, worker.id)
    pages: dict[str, list[str]] = {}
    # The youngest uses the picture-led way: a home of picture tiles and one question a screen.
    pages["young person 6"] = ["/home", "/my/pictures/feel", "/my/pictures/worries", f"/my/pictures/worries/{worry.id}",
                               "/my/pictures/meeting", "/my/pictures/talk", "/my/draw", "/my/three-houses", "/settings"]
    for role, member in members.items():
        if role == "young person 6":
            continue
        member_pages = ["/home", "/my/views", "/my/worries", f"/my/worries/{worry.id}", "/my/photos", "/my/shared", "/settings", "/offline"]
        member_pages += [f"/my/views/new/{kind.key}" for kind in kinds.kinds_for(member.role)]
        entry = Entry(member_id=member.id, family_id=family.id, kind="good_news", language="en", shared_with_family=member.is_young_person,
                      answers={"what_happened": f"It is going. {LONG_WORD} https://example.org/a/very/long/address/without/any/spaces/in/it"},
                      created_at=utcnow() - timedelta(days=1), read_at=utcnow())
        db_session().add(entry)
        db_session().flush()
        db_session().add(EntryReply(entry_id=entry.id, author_id=worker.id, body=f"Well done! {LONG_WORD}"))
        photo_services.store(member, processed_photo(), f"Our walk {LONG_WORD}", entry_id=entry.id)
        worry_services.record_score(member, worry, 4, f"Less shouting {LONG_WORD}", "en")
        member_pages.append(f"/my/views/{entry.id}")
        if member.is_young_person:
            safety = plan_services.safety_draft(member, worker.id)
            safety.content = {"safe_people": [{"name": "Auntie Jo", "how_to_reach": "07700 900123"}],
                              "rules": [{"when": "Mum and Dad start shouting", "what": f"I go to my room {LONG_WORD}"}],
                              "safe_places": ["Gran's house"]}
            plan_services.publish_safety_plan(safety, worker.id)
            db_session().add(MeetingMessage(member_id=member.id, body=f"We agreed on football. {LONG_WORD}", created_by_id=worker.id))
            member_pages += ["/my/plan", "/my/safety-plan", "/my/draw", "/my/three-houses"]
        else:
            assessment = Assessment(family_id=family.id, title=f"Early help assessment {LONG_WORD}", created_by_id=worker.id)
            assessment.sections = [AssessmentSection(position=0, heading="Family life", body=f"The family is close. {LONG_WORD}")]
            db_session().add(assessment)
            db_session().flush()
            db_session().add(AssessmentShare(assessment_id=assessment.id, member_id=member.id))
            member_pages += ["/my/plan", "/my/assessments", f"/my/assessments/{assessment.id}", "/my/family-safety-plan"]
        pages[role] = member_pages
    # A final review shared with the family in plain language, with a comment from the young person.
    review = Review(family_id=family.id, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31), status=FINAL, analysis={},
                    finalised_at=utcnow() - timedelta(days=3))
    db_session().add(review)
    db_session().flush()
    db_session().add(ReviewShare(review_id=review.id, happened_young_person=f"We said well done. {LONG_WORD}",
                                 happened_parent=f"We agreed the plan. {LONG_WORD}", plan_changes_parent="Football is new.",
                                 shared_at=utcnow() - timedelta(days=1)))
    db_session().add(ReviewComment(review_id=review.id, member_id=members["young person 14"].id, body=f"I liked it {LONG_WORD}", language="en"))
    for role in ("young person 14", "young person 8", "parent"):
        pages[role].append(f"/my/reviews/{review.id}")
    db_session().commit()
    shared = [p for p in pages["young person 14"] if re.fullmatch(r"/my/views/\d+", p)]
    pages["parent"] += shared  # a child's entry shared with the family
    members["network"] = gran
    pages["network"] = ["/home", "/my/family-safety-plan", "/settings", "/offline"]
    return Family(members, pages)


def visit(page: Page, path: str) -> dict[str, Any]:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.wait_for_load_state("load")
    # What is inside every details box (the photo button) is measured too: opened in one call to the page.
    page.evaluate("() => { for (const el of document.querySelectorAll('details')) el.open = true; }")
    if _SCREENSHOTS:
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
        page.screenshot(path=os.path.join(_SCREENSHOTS, f"{next(_shot_numbers):03d}-{name}.png"), full_page=True)
    measured: dict[str, Any] = page.evaluate(MEASURE_PAGE)
    return measured


@pytest.fixture
def family(app: Any) -> Family:
    return a_family_with_everything()


def set_language(member: FamilyMember, language: str) -> None:
    assert member.user
    member.user.locale = language
    db_session().commit()


# Each kind of family member (a young person, a parent, a network member and a young child who uses
# pictures) in each of the eight languages, so that every family page is opened in every language.
# The two older young people share their pages and take turns.
RUNS = [
    ("young person 14", "en"), ("young person 14", "ar"), ("young person 14", "uk"), ("young person 14", "ro"),
    ("young person 8", "pl"), ("young person 8", "ur"), ("young person 8", "pa"), ("young person 8", "pt"),
    ("parent", "en"), ("parent", "pl"), ("parent", "ro"), ("parent", "pt"),
    ("parent", "ar"), ("parent", "ur"), ("parent", "pa"), ("parent", "uk"),
    ("network", "en"), ("network", "pl"), ("network", "ro"), ("network", "pt"),
    ("network", "ar"), ("network", "ur"), ("network", "pa"), ("network", "uk"),
    ("young person 6", "en"), ("young person 6", "pl"), ("young person 6", "ro"), ("young person 6", "pt"),
    ("young person 6", "ar"), ("young person 6", "ur"), ("young person 6", "pa"), ("young person 6", "uk"),
]
RTL = {"ar", "ur"}
# Every element that names its language must say which way its text runs, and the right way: the
# language's own direction, or "auto" (words people typed, which may be in any script; <bdi> is
# "auto" unless told otherwise).
BLOCKS = """(rtl) => {
  const wrong = [];
  for (const el of document.querySelectorAll('body [lang]')) {
    const lang = el.getAttribute('lang').split('-')[0];
    const dir = el.getAttribute('dir') || (el.tagName === 'BDI' ? 'auto' : null);
    const expected = rtl.includes(lang) ? 'rtl' : 'ltr';
    if (lang && dir !== expected && dir !== 'auto') {
      wrong.push(`<${el.tagName.toLowerCase()} lang="${lang}" dir="${dir}">${(el.textContent || '').trim().slice(0, 30)}`);
    }
  }
  return wrong;
}"""


@pytest.mark.parametrize("role,language", RUNS, ids=[f"{language}-{role.replace(' ', '')}" for role, language in RUNS])
def test_every_family_page_in_every_language_fits_a_360_px_phone_reads_the_right_way_and_passes_axe(role, language, family: Family, phones: Phones):
    member = family.members[role]
    set_language(member, language)
    page = phones.new().new_page()
    sign_in_member(page, member.user)
    direction = "rtl" if language in RTL else "ltr"
    too_wide, too_small, wrong_way, violations = [], [], [], []
    for path in family.pages[role]:
        measured = visit(page, path)
        html = page.evaluate("({lang: document.documentElement.lang.split('-')[0], dir: document.documentElement.dir,"
                             " computed: getComputedStyle(document.body).direction})")
        if html != {"lang": language, "dir": direction, "computed": direction}:
            wrong_way.append(f"{path}: the page is {html}")
        wrong_way += [f"{path}: {block}" for block in page.evaluate(BLOCKS, sorted(RTL))]
        if measured["width"] > PHONE["width"]:
            too_wide.append(f"{path}: {measured['width']} px wide")
        too_small += [f"{path}: {target}" for target in measured["small"]]
        violations += [f"{path}: {v['id']} {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in _axe_violations(page)]
    problems = {
        "pages or blocks that read the wrong way": wrong_way,
        "pages that scroll sideways at 360 px": too_wide,
        f"targets under {TARGET}x{TARGET} px": too_small,
        "accessibility violations": violations,
    }
    assert not any(problems.values()), "\n".join(f"{title}:\n  " + "\n  ".join(found) for title, found in problems.items() if found)
