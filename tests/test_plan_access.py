"""Who reads which part of a published plan and safety plan: every family member against every part, written out by hand.

Each rule of policy.py about plans is tried here by someone it should stop: a restricted member,
a member a section or the actions are hidden from, a parent asking for a young person's page.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from webapp import policy
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.notifications.models import Notification
from webapp.plans import services
from webapp.plans.models import SafetyPlanVersion
from webapp.plans.records import Mapping, NewAction, PlanContent, PlanSection, PlanWording, SafetyRows
from webapp.worries.models import Worry, WorryMember

from . import factories
from .helpers import signed_in, text

# Each part of the plan has words of its own, so a page shows exactly which parts it holds.
PARTS = {
    "worried_yp": "Grown-ups shout sometimes.",
    "worried_parent": "Arguments at night are loud.",
    "well_yp": "You go to football with Gran.",
    "well_parent": "Gran takes the children to football.",
    "action_adult": "Pat attends the Triple P programme.",
    "action_yp": "Mum goes to a class on Mondays.",
    "worry_children": "Shouting at night",
    "worry_parent": "Money worries",
    "danger_worker": "Risk of physical harm to the children if night-time conflict escalates.",
    "danger_yp": "You could get hurt if grown-ups fight.",
    "danger_parent": "The children could be hurt if arguments turn physical.",
    "goal_yp": "Grown-ups talk calmly.",
    "goal_parent": "Disagreements are settled calmly, away from the children.",
    # The voice of the child: the older child's private words and shared words, the young child's private
    # words the worker said the family may read, and a restricted child's shared words.
    "quote_private": "I hide under my duvet",
    "quote_shared": "We had pizza together",
    "quote_ticked": "I miss Dad",
    "quote_restricted": "I stay at Nan's now",
}
SAFE_PERSON = "Auntie Jo next door"

# fmt: off
# Hidden: "what we are worried about" from the young child, "what is working well" from the parent,
# the actions from the older child, the danger statements and safety goals from the young child.
# The worker's own wording of a danger statement is never on a family page.
SEES: dict[str, Any] = {
    "child":             {"worried_yp", "well_yp", "worry_children", "danger_yp", "goal_yp", "quote_private", "quote_shared", "quote_ticked"},
    "young_child":       {"well_yp", "action_yp", "quote_shared", "quote_ticked"},
    "parent":            {"worried_parent", "action_adult", "worry_parent", "danger_parent", "goal_parent", "quote_shared", "quote_ticked"},
    "restricted_parent": 404,
    "restricted_child":  404,
    "other_child":       set(),
}
SAFETY_PLAN_PAGE: dict[str, Any] = {
    "child":             "their plan",
    "young_child":       "numbers only",
    "parent":            404,
    "restricted_parent": 404,
    "restricted_child":  "numbers only",
    "other_child":       "numbers only",
}
# fmt: on


def quoted(member: Any, words: str, *, shared: bool) -> Entry:
    entry = Entry(member_id=member.id, family_id=member.family_id, kind="good_news", language="en", shared_with_family=shared)
    entry.answers = {"what_happened": words}
    db_session().add(entry)
    db_session().flush()
    return entry


@pytest.fixture
def published(app: Flask, world: dict[str, Any]) -> dict[str, Any]:
    """A published plan with a part hidden from each of three members, and a safety plan for the older child and the restricted child."""
    family, worker = world["family"], world["worker_a"]
    child, young, parent = world["child"], world["young_child"], world["parent"]
    restricted_child = factories.member(family, "young_person", name="Restricted child", restricted=True)
    for wording, members in ((PARTS["worry_children"], (child, young, restricted_child)), (PARTS["worry_parent"], (parent,))):
        db_session().add(Worry(family_id=family.id, wording=wording, meaning_0="0", meaning_10="10",
                               applies_to=[WorryMember(member_id=m.id) for m in members]))
    sections = {key: PlanSection() for key in PlanContent().sections}
    sections["worried_about"] = PlanSection(PARTS["worried_yp"], PARTS["worried_parent"], hidden_from=[young.id])
    sections["working_well"] = PlanSection(PARTS["well_yp"], PARTS["well_parent"], hidden_from=[parent.id])
    said = {
        key: quoted(member, PARTS[key], shared=shared)
        for key, member, shared in (("quote_private", child, False), ("quote_shared", child, True),
                                    ("quote_ticked", young, False), ("quote_restricted", restricted_child, True))
    }
    pair = {"danger": PARTS["danger_worker"], "danger_young_person": PARTS["danger_yp"], "danger_parent": PARTS["danger_parent"],
            "goal": "", "goal_young_person": PARTS["goal_yp"], "goal_parent": PARTS["goal_parent"]}

    def plan_wording(**voice: Any) -> PlanWording:
        return PlanWording(sections, actions_hidden_from=[child.id], next_review=None, next_taf=None,
                           mapping=Mapping(), pairs=[("", pair)], pairs_hidden_from=[young.id], **voice)

    change = services.DraftChange(
        wording=plan_wording(voice_add=[e.id for e in said.values()]),
        new_action=NewAction(what=PARTS["action_adult"], what_young_person=PARTS["action_yp"], who="Pat", by_when=None),
    )
    draft = services.change_draft(family, worker.id, change)
    quotes = {q.words: q.id for q in PlanContent.from_json(draft.content).voice}
    # Ticked for the restricted child too: the rule still keeps their words from the family.
    ticked = [quotes[PARTS["quote_ticked"]], quotes[PARTS["quote_restricted"]]]
    draft = services.change_draft(family, worker.id, services.DraftChange(wording=plan_wording(voice_family_may_read=ticked)))
    assert len(PlanContent.from_json(draft.content).pairs) == 1
    services.publish(draft, worker.id)
    for member in (child, restricted_child):
        rows = SafetyRows(safe_people=[("", SAFE_PERSON, "07700 900123")], rules=[], safe_places=[])
        services.publish_safety_plan(services.save_safety_plan(member, worker.id, rows, offline_allowed=True), worker.id)
        member.safety_plan_offline_chosen = True
    db_session().commit()
    return {**world, "restricted_child": restricted_child}


@pytest.mark.parametrize("who", list(SEES))
def test_each_member_reads_only_the_parts_of_the_plan_meant_for_them(app, published, who):
    page = signed_in(app, published[who].user).get("/my/plan")
    expected = SEES[who]
    if expected == 404:
        assert page.status_code == 404
        shown: set[str] = set()
    else:
        assert page.status_code == 200
        shown = {part for part, words in PARTS.items() if words in text(page)}
    assert shown == (set() if expected == 404 else expected)


@pytest.mark.parametrize("who", list(SAFETY_PLAN_PAGE))
def test_only_a_young_person_has_a_safety_plan_page_and_only_an_unrestricted_one_reads_it(app, published, who):
    browser = signed_in(app, published[who].user)
    page = browser.get("/my/safety-plan")
    expected = SAFETY_PLAN_PAGE[who]
    if expected == 404:
        assert page.status_code == 404
        return
    assert page.status_code == 200
    assert "Childline" in text(page)
    assert (SAFE_PERSON in text(page)) == (expected == "their plan")
    # Kept on the phone only with a plan to read: never for a restricted child, whatever was chosen.
    assert ("data-keep-offline" in page.get_data(as_text=True)) == (expected == "their plan")


def test_a_member_who_may_not_read_plans_is_never_told_of_one(app, published):
    told = {
        n.user_id for n in db_session().scalars(select(Notification).where(Notification.kind.in_(["plan_published", "safety_plan_published"])))
    }
    assert published["restricted_parent"].user.id not in told and published["restricted_child"].user.id not in told
    assert {published[m].user.id for m in ("child", "young_child", "parent")} <= told


def test_staff_cannot_make_a_safety_plan_for_a_parent_by_any_url(app, published):
    worker = signed_in(app, published["worker_a"])
    parent = published["parent"]
    before = db_session().scalar(select(func.count()).select_from(SafetyPlanVersion))
    url = f"/staff/members/{parent.id}/safety-plan"
    assert worker.get(url).status_code == 404
    assert worker.submit(url, {"safe_people-0-name": SAFE_PERSON}, page="/staff/").status_code == 404
    worker.submit(f"{url}/publish", {"safe_people-0-name": SAFE_PERSON}, page="/staff/")
    assert db_session().scalar(select(func.count()).select_from(SafetyPlanVersion)) == before


def test_the_rules_give_a_restricted_member_nothing_even_when_asked_directly(app, published):
    restricted = published["restricted_parent"]
    content = PlanContent.from_json(services.latest_published(published["family"].id).content)  # type: ignore[union-attr]
    content.worries[1].members.append(restricted.id)
    assert not policy.may_read_plan(restricted) and not policy.may_be_told_of_plans(restricted)
    assert policy.plan_sections_for(content, restricted) == []
    assert policy.plan_worries_for(content, restricted) == []
    assert policy.plan_actions_for(content, restricted) == []
    assert policy.plan_pairs_for(content, restricted) == [] and policy.plan_quotes_for(content, restricted) == []
    assert policy.plan_quotes_for(content, published["restricted_child"]) == [], "not even their own words"
    assert not policy.may_read_safety_plan(published["restricted_child"]) and not policy.has_safety_plan(published["parent"])
