"""A grandmother in the family's safety network reads her part of the family safety plan in Panjabi on a small
phone and says "I have read it and I agree"; the worker sees the day she agreed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask_babel import force_locale, format_date, gettext
from playwright.sync_api import Page

from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.plans.family_safety import FamilyRule, FamilySafetyPlanContent, NetworkPerson, TimelineStep
from webapp.plans.models import PUBLISHED, FamilySafetyPlanVersion, PlanVersion
from webapp.plans.records import Action, PlanContent

from .. import factories
from .steps import sign_in_member, sign_in_staff, sign_out, submit

pytestmark = pytest.mark.browser

NANI_STEP = "Nani collects Zosia from school on Tuesdays"
NANI_RULE = "Mum phones Nani and the children sleep at Nani's house"
NANI_ACTION = "Nani walks Zosia to swimming on Saturdays"
OTHER_RULE = "The neighbour knocks on the door and asks if all is well"
FAMILY_ACTION = "Mum goes to the parenting course on Mondays"


def translated(language: str, message: str, **values: str) -> str:
    with force_locale(language):
        return gettext(message, **values)


def family_with_a_safety_plan() -> tuple[Family, FamilyMember, FamilyMember]:
    """A Polish-reading mum, Nani (a grandmother reading Panjabi) in the network, and the plans naming her."""
    team = factories.team()
    worker = factories.staff(team, "worker", name="Will Worker")
    family = factories.family(team, worker)
    mum = factories.member(family, "parent", name="Kasia", language="pl")
    nani = factories.member(family, "network", name="ਨਾਨੀ", language="pa")
    content = FamilySafetyPlanContent(
        network=[
            NetworkPerson(id="p1", name="ਨਾਨੀ", relationship="Grandmother", member_id=nani.id),
            NetworkPerson(id="p2", name="Mr Nowak", relationship="Neighbour"),
        ],
        timeline=[TimelineStep(id="t1", week="Week 1", task=NANI_STEP, people=["p1"])],
        rules=[
            FamilyRule(id="r1", when="If Dad has been drinking", who_does_what=NANI_RULE, people=["p1"]),
            FamilyRule(id="r2", when="If the lights are off", who_does_what=OTHER_RULE, people=["p2"]),
        ],
    )
    plan = PlanContent(actions=[
        Action(id="a1", what=NANI_ACTION, who="Nani", by_when=date(2026, 6, 6), people=[nani.id]),
        Action(id="a2", what=FAMILY_ACTION, who="Kasia", by_when=None),
    ])
    db_session().add_all([
        FamilySafetyPlanVersion(family_id=family.id, number=1, status=PUBLISHED, content=content.to_json(), published_at=utcnow()),
        PlanVersion(family_id=family.id, number=1, status=PUBLISHED, content=plan.to_json(), published_at=utcnow()),
    ])
    db_session().commit()
    return family, mum, nani


def test_a_polish_mum_reads_the_family_safety_plan_and_a_grandmother_in_the_network_agrees_in_panjabi(
    app, page: Page, checked: Callable[..., None]
):
    family, mum, nani = family_with_a_safety_plan()
    # Mum reads the whole plan in Polish: every rule, whoever it names, and the button to agree in Polish.
    sign_in_member(page, mum.user)
    page.goto("/my/family-safety-plan")
    checked(page)
    assert page.evaluate("document.documentElement.lang") == "pl"
    assert page.get_by_role("heading", level=1).inner_text() == translated("pl", "Family safety plan")
    plan = page.locator("main").inner_text()
    assert NANI_RULE in plan and OTHER_RULE in plan and "Mr Nowak" in plan
    assert page.locator("section.agree button[type=submit]").inner_text() == translated("pl", "I have read it and I agree")
    sign_out(page)

    sign_in_member(page, nani.user)
    checked(page)
    assert page.evaluate("document.documentElement.lang") == "pa"
    main = page.locator("main")
    for words in (NANI_STEP, NANI_RULE, NANI_ACTION):
        assert main.get_by_text(words, exact=True).is_visible(), words
    body = main.inner_text()
    assert OTHER_RULE not in body and FAMILY_ACTION not in body and "Mr Nowak" not in body
    # Her menu offers only what she may open.
    assert page.locator("nav a[href='/my/views']").count() == 0

    submit(page, "section.agree button[type=submit]")
    assert page.url.endswith("/home")
    # The day she agreed, in her language.
    with force_locale("pa"):
        agreed_on = gettext("You agreed on %(date)s.", date=format_date(utcnow().date(), "long"))
    assert agreed_on in page.locator("section.agree").inner_text()
    assert page.locator("section.agree button[type=submit]").count() == 0
    checked(page)
    sign_out(page)

    worker = family.lead_worker
    sign_in_staff(page, worker)
    page.goto(f"/staff/families/{family.id}")
    assert "ਨਾਨੀ agreed to version 1 on " in page.locator("main").inner_text()
