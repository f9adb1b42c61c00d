"""Network members: a grandparent, neighbour or family friend added to the family with an activation code,
who reads only the parts of the family safety plan and the plan's actions that name them, and says
"I have read it and I agree" (once per version, with the date). Every other family page is a 404 for them."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from babel.support import Translations
from flask import Flask
from sqlalchemy import select

from webapp import policy
from webapp.db import db_session, utcnow
from webapp.entries import services as entries
from webapp.families.models import FamilyMember
from webapp.notifications.models import Notification, NotificationKind
from webapp.plans.family_safety import FamilyRule, FamilySafetyPlanContent, NetworkPerson, SafetyTask, TimelineStep
from webapp.plans.models import DRAFT, PUBLISHED, FamilySafetyPlanVersion, PlanVersion, SafetyPlanAgreement
from webapp.plans.records import Action, PlanContent
from webapp.reviews import services as reviews

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text

# Nani reads Urdu: what her pages say, in her language.
URDU = Translations.load("translations", ["ur"])
PANJABI = Translations.load("translations", ["pa"])


def ur(words: str) -> str:
    return str(URDU.gettext(words)).split("%(")[0]


CODE_PATTERN = re.compile(r'data-testid="activation-link">https?://[^/]+(/activate/[A-Z2-9]+)<')
PASSWORD = "amber-willow-garden"

NANI_STEP = "Week 1: Nani collects the children from school on Tuesdays"
NANI_RULE_WHEN = "If Dad has been drinking"
NANI_RULE = "Mum phones Nani and the children sleep at Nani's house"
NANI_TASK = "Nani keeps a spare key and a phone charger"
NANI_ACTION = "Nani walks Sam to football on Saturdays"
NEIGHBOUR_STEP = "Week 2: Mrs Lee checks the lights are on at 9pm"
NEIGHBOUR_RULE = "Mrs Lee knocks on the door and asks if all is well"
NEIGHBOUR_TASK = "Mrs Lee has the worker's number on her fridge"
NEIGHBOUR_ACTION = "Mrs Lee is told when the family goes away"
FAMILY_ACTION = "Mum goes to the parenting course on Mondays"
FAMILY_ONLY_STEP = "Week 3: the family meets the worker at home"


@pytest.fixture
def network(app: Flask, world: dict[str, Any]) -> dict[str, Any]:
    """Nani (grandmother, Urdu) and Mrs Lee (neighbour) as network members, a published family safety plan
    naming each of them in different rows, and a published family plan with an action for each."""
    family = world["family"]
    nani = factories.member(family, "network", name="Nani", language="ur")
    neighbour = factories.member(family, "network", name="Mrs Lee")
    content = FamilySafetyPlanContent(
        network=[
            NetworkPerson(id="p-nani", name="Nani", relationship="Grandmother", member_id=nani.id),
            NetworkPerson(id="p-lee", name="Mrs Lee", relationship="Neighbour", how_to_reach="07700 900123", member_id=neighbour.id),
        ],
        timeline=[
            TimelineStep(id="t1", week="Week 1", task=NANI_STEP, people=["p-nani"]),
            TimelineStep(id="t2", week="Week 2", task=NEIGHBOUR_STEP, people=["p-lee"]),
            TimelineStep(id="t3", week="Week 3", task=FAMILY_ONLY_STEP),
        ],
        rules=[
            FamilyRule(id="r1", when=NANI_RULE_WHEN, who_does_what=NANI_RULE, people=["p-nani"]),
            FamilyRule(id="r2", when="If the lights are off", who_does_what=NEIGHBOUR_RULE, people=["p-lee"]),
        ],
        tasks=[
            SafetyTask(id="s1", what=NANI_TASK, who="Nani", by_when=date(2026, 3, 1), people=["p-nani"]),
            SafetyTask(id="s2", what=NEIGHBOUR_TASK, who="Mrs Lee", people=["p-lee"]),
        ],
    )
    version = FamilySafetyPlanVersion(
        family_id=family.id, number=1, status=PUBLISHED, content=content.to_json(), published_at=utcnow()
    )
    plan = PlanContent(actions=[
        Action(id="a1", what=NANI_ACTION, who="Nani", by_when=date(2026, 4, 4), people=[nani.id]),
        Action(id="a2", what=NEIGHBOUR_ACTION, who="Mrs Lee", by_when=None, people=[neighbour.id]),
        Action(id="a3", what=FAMILY_ACTION, who="Mum", by_when=None),
    ])
    plan_version = PlanVersion(family_id=family.id, number=1, status=PUBLISHED, content=plan.to_json(), published_at=utcnow())
    db_session().add_all([version, plan_version])
    db_session().commit()
    return {"nani": nani, "neighbour": neighbour, "version": version, "plan": plan_version}


def worker_browser(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


# --- The worker adds a network member, and they get in with an activation code.


def test_a_worker_adds_a_grandmother_as_a_network_member_who_activates_and_signs_in(app, world):
    family = world["family"]
    worker = worker_browser(app, world)
    form = worker.get(f"/staff/families/{family.id}/members/new")
    assert "Network member" in text(form) and "Relationship to the family" in text(form)
    added = worker.submit(f"/staff/families/{family.id}/members/new", {
        "display_name": "Nani", "role": "network", "age_band": "adult", "preferred_language": "pa", "relationship": "Grandmother",
    })
    assert added.status_code == 302
    nani = db_session().scalar(select(FamilyMember).where(FamilyMember.display_name == "Nani"))
    assert nani is not None and (nani.role, nani.age_band, nani.preferred_language) == ("network", "adult", "pa")
    # The relationship is kept where the plan's people are: on Nani's own line of the family safety plan (a draft).
    draft = db_session().scalar(select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family.id))
    assert draft is not None and draft.status == DRAFT
    person = FamilySafetyPlanContent.from_json(draft.content).person_for_member(nani.id)
    assert person is not None and (person.name, person.relationship) == ("Nani", "Grandmother")
    page = text(worker.get(f"/staff/families/{family.id}"))
    assert "Network member (Grandmother)" in page
    assert "Do it together with Nani" not in page, "a network member has nothing to send together"
    # Changing her relationship changes the same line, not a second one.
    worker.submit(f"/staff/members/{nani.id}/edit", {
        "display_name": "Nani", "role": "network", "age_band": "adult", "preferred_language": "pa", "relationship": "Grandmother (Mum's side)",
    })
    db_session().expire_all()
    content = FamilySafetyPlanContent.from_json(db_session().get_one(FamilySafetyPlanVersion, draft.id).content)
    assert [(p.name, p.relationship) for p in content.network] == [("Nani", "Grandmother (Mum's side)")]
    assert "Grandmother (Mum's side)" in text(worker.get(f"/staff/members/{nani.id}/edit"))

    code_page = worker.submit(f"/staff/members/{nani.id}/code", page=f"/staff/families/{family.id}")
    link = CODE_PATTERN.search(code_page.get_data(as_text=True))
    assert link is not None
    browser: FormClient = app.test_client()
    notice = browser.get(link.group(1))
    assert notice.status_code == 200 and 'lang="pa"' in notice.get_data(as_text=True), "in the language her worker noted"
    assert browser.submit(link.group(1), {"agree": "y"}).status_code == 302
    done = browser.submit(f"{link.group(1)}/account", {"username": "nani.k", "password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/home"
    db_session().refresh(nani)
    assert nani.user is not None and nani.user.role == "network" and nani.activated_at is not None
    home = browser.get("/home")
    welcome = "You are in this family's safety network. Here is your part of their safety plan, and what you are asked to do."
    assert home.status_code == 200 and str(PANJABI.gettext(welcome)) in text(home)
    assert browser.get("/my/views").status_code == 404

    # She signs in again like a parent, with her username and password.
    again: FormClient = app.test_client()
    signed = again.submit("/signin", {"login": "nani.k", "password": PASSWORD})
    assert signed.status_code == 302
    assert again.get("/home").status_code == 200


@pytest.mark.parametrize(
    "form,message",
    [
        ({"age_band": "14-15", "relationship": "Cousin"}, "A network member is a grown-up. Please choose Adult."),
        ({"age_band": "adult", "relationship": "  "}, "Please say how they are related to the family"),
    ],
)
def test_a_network_member_form_with_mistakes_says_what_to_fix_and_adds_nobody(app, world, form, message):
    family = world["family"]
    before = len(family.members)
    response = worker_browser(app, world).submit(
        f"/staff/families/{family.id}/members/new", {"display_name": "Nani", "role": "network", "preferred_language": "ur", **form}
    )
    assert response.status_code == 400 and message in text(response)
    db_session().refresh(family)
    assert len(family.members) == before
    assert db_session().scalar(select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family.id)) is None


# --- What a network member reads.


def test_a_network_member_reads_only_the_parts_and_actions_that_name_them(app, world, network):
    nani = signed_in(app, network["nani"].user)
    page = nani.get("/home")
    assert page.status_code == 200
    body = text(page)
    for words in (NANI_STEP, NANI_RULE_WHEN, NANI_RULE, NANI_TASK, NANI_ACTION, "Grandmother"):
        assert words in body, words
    for words in (NEIGHBOUR_STEP, NEIGHBOUR_RULE, NEIGHBOUR_TASK, NEIGHBOUR_ACTION, "07700 900123", FAMILY_ACTION, FAMILY_ONLY_STEP, "Mrs Lee"):
        assert words not in body, words
    assert 'lang="ur"' in page.get_data(as_text=True), "her home is in her language"
    assert "tel:999" in page.get_data(as_text=True) and 'id="quick-exit"' in page.get_data(as_text=True)

    lee = text(signed_in(app, network["neighbour"].user).get("/home"))
    assert NEIGHBOUR_ACTION in lee and NEIGHBOUR_RULE in lee
    assert NANI_ACTION not in lee and NANI_RULE not in lee and "Nani" not in lee


def test_an_action_is_read_in_the_network_members_language_where_translated(app, world, network):
    from webapp.translations_content import services as translated

    translated.save(world["family"], translated.action_block("a1", "text"), "ur", "نانی ہفتے کو سام کو فٹ بال لے جاتی ہیں", NANI_ACTION, world["worker_a"].id)
    db_session().commit()
    body = text(signed_in(app, network["nani"].user).get("/home"))
    assert "نانی ہفتے کو سام کو فٹ بال لے جاتی ہیں" in body and NANI_ACTION not in body


def test_a_network_member_named_nowhere_reads_nothing_of_the_plan(app, world, network):
    friend = factories.member(world["family"], "network", name="Family friend")
    body = text(signed_in(app, friend.user).get("/home"))
    assert "hasn't named you in the family's safety plan yet" in body, "in English, the language she reads"
    for words in (NANI_STEP, NEIGHBOUR_STEP, NANI_ACTION, FAMILY_ACTION, FAMILY_ONLY_STEP):
        assert words not in body
    assert "I have read it and I agree" not in body


# Every page a young person or parent may open, tried by a network member: each is a 404.
CLOSED_PAGES = [
    "/my/plan", "/my/safety-plan", "/my/views", "/my/views/new/good_news", "/my/views/new/talk", "/my/views/{entry}",
    "/my/worries", "/my/worries/{worry}", "/my/photos", "/photos/{photo}", "/photos/{photo}/thumbnail", "/my/shared",
    "/my/assessments", "/my/draw", "/my/three-houses", "/my/token", "/my/pictures/feel", "/my/pictures/worries",
    "/my/pictures/talk", "/my/pictures/meeting", "/my/pictures/worries/{worry}",
    "POST /my/outbox", "POST /my/way", "POST /my/worries/new", "POST /my/views/new/good_news",
    "POST /my/photos", "POST /my/worries/{worry}", "/staff/families/{family}", "/staff/", "/together/leave",
]


def test_every_other_family_page_is_not_found_for_a_network_member(app, world, network):
    from webapp.photos import services as photos
    from webapp.photos.processing import process
    from webapp.worries.models import Worry, WorryMember

    from .test_access_matrix import jpeg_bytes

    parent = world["parent"]
    entry, _ = entries.create(parent, "parent_views", {"going_well": "Shared words from Mum"}, feeling=None, language="en")
    entry.shared_with_family = True
    photo = photos.store(parent, process(jpeg_bytes()), "Mum's photo", entry_id=entry.id)
    worry = Worry(family_id=world["family"].id, wording="Shouting", meaning_0="0", meaning_10="10",
                  applies_to=[WorryMember(member_id=network["nani"].id), WorryMember(member_id=parent.id)])
    db_session().add(worry)
    db_session().commit()
    ids = {"entry": entry.id, "photo": photo.id, "worry": worry.id, "family": world["family"].id}
    nani = signed_in(app, network["nani"].user)
    for template in CLOSED_PAGES:
        method, _, path = template.rpartition(" ")
        url = path.format(**ids)
        response = nani.submit(url, page="/settings") if method == "POST" else nani.get(url)
        assert response.status_code == 404, url
        assert "Shared words from Mum" not in text(response)
    # What stays open: home, settings, language, My data, Quick exit and sign-out.
    assert nani.get("/home").status_code == 200
    assert nani.get("/settings").status_code == 200
    data = nani.get("/my/data")
    assert data.status_code == 200
    data.close()
    # Bigger text is a setting like any other: hers to choose.
    assert nani.submit("/my/look", {"bigger_text": "y"}, page="/settings").status_code == 302
    db_session().refresh(network["nani"])
    assert network["nani"].bigger_text
    assert nani.submit("/quick-exit", page="/home").status_code != 404
    # The worry names her, but a network member scores nothing here (the worker records their score).
    from webapp.worries.models import WorryScore

    assert db_session().scalars(select(WorryScore).where(WorryScore.worry_id == worry.id)).all() == []


def test_a_network_member_is_never_counted_as_a_young_person_or_parent(app, world, network):
    family = world["family"]
    db_session().refresh(family)
    nani = network["nani"]
    assert nani not in policy.worry_scorers(family)
    assert nani not in policy.shareable_members(family)
    assert nani not in policy.helper_members(world["child"])
    assert not policy.may_read_plan(nani) and not policy.has_safety_plan(nani) and not policy.may_read_assessments(nani)
    assert not policy.uses_pictures(nani) and policy.entry_kind_for(nani, "good_news") is None
    assert not policy.may_receive_meeting_message(nani) and not policy.may_do_together(world["worker_a"], nani)
    assert policy.plan_notice_kinds(nani) == [NotificationKind.FAMILY_SAFETY_PLAN_PUBLISHED], "only the safety plan's notice"
    with app.test_request_context():
        gathered = [v.member.display_name for v in reviews.gather(family, date(2020, 1, 1), date(2030, 1, 1))]
    assert gathered == [m.display_name for m in family.members if m.role != "network"]
    # Publishing the family plan tells the young people and parents, not the network.
    from .test_plans import save

    worker = worker_browser(app, world)
    save(worker, family, working_well__parent="Well done.")
    assert worker.submit(f"/staff/families/{family.id}/plan/publish", page=f"/staff/families/{family.id}/plan").status_code == 302
    told = {n.user_id for n in db_session().scalars(select(Notification))}
    assert world["parent"].user_id in told and nani.user_id not in told


# --- Naming network members in the family plan's actions.


def test_the_worker_names_network_members_in_an_action_and_only_they_read_it(app, world, network):
    family = world["family"]
    worker = worker_browser(app, world)
    url = f"/staff/families/{family.id}/plan"
    editor = text(worker.get(url))
    assert "Network members who read this action" in editor
    added = worker.submit(f"{url}/actions", {
        "what": "Nani has Sam for tea on Wednesdays", "who": "Nani", "by_when": "2026-05-06",
        "people": [str(network["nani"].id)],
    }, page=url)
    assert added.status_code == 302
    draft = db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == DRAFT))
    assert draft is not None
    content = PlanContent.from_json(draft.content)
    assert content.actions[-1].people == [network["nani"].id]
    # Ticking boxes on the saved actions: Mrs Lee on a1; a parent's id sent by a tampered page is not kept.
    from .test_plans import plan_form

    saved = worker.submit(url, plan_form(**{
        "action-people-drawn": ["a1", "a3"],
        "action-people-a1": [str(network["neighbour"].id), str(world["parent"].id)],
    }))
    assert saved.status_code == 302
    db_session().expire_all()
    content = PlanContent.from_json(db_session().get_one(PlanVersion, draft.id).content)
    people = {a.id: a.people for a in content.actions}
    assert people["a1"] == [network["neighbour"].id] and people["a3"] == [] and people["a2"] == [network["neighbour"].id]
    assert worker.submit(f"{url}/publish", page=url).status_code == 302
    nani = text(signed_in(app, network["nani"].user).get("/home"))
    assert "Nani has Sam for tea on Wednesdays" in nani and NANI_ACTION not in nani
    lee = text(signed_in(app, network["neighbour"].user).get("/home"))
    assert NANI_ACTION in lee and "Nani has Sam for tea" not in lee
    parent = text(signed_in(app, world["parent"].user).get("/my/plan"))
    assert NANI_ACTION in parent and "Nani has Sam for tea on Wednesdays" in parent


def test_an_action_saved_before_people_could_be_named_names_nobody():
    old = {"id": "0badcafe", "what": "Group", "who": "Pat", "by_when": "2026-03-20", "progress": []}
    action = PlanContent.from_json({"schema_version": 3, "actions": [old]}).actions[0]
    assert action.people == []
    assert "people" not in action.to_json(), "an action naming nobody is stored as it always was"


# --- "I have read it and I agree".


def agree(browser: FormClient, version_id: int, back: str = "home") -> Any:
    return browser.submit("/my/family-safety-plan/agree", {"version_id": str(version_id), "back": back}, page="/home")


def test_a_network_member_agrees_once_with_the_date_and_the_worker_sees_it(app, world, network, time_machine):
    time_machine.move_to(datetime(2026, 3, 9, 10, 0, tzinfo=UTC), tick=False)
    nani = signed_in(app, network["nani"].user)
    version = network["version"]
    assert ur("I have read it and I agree") in text(nani.get("/home"))
    response = agree(nani, version.id)
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    home = text(nani.get("/home"))
    assert ur("You agreed on %(date)s.") in home and ur("I have read it and I agree") not in home
    rows = db_session().scalars(select(SafetyPlanAgreement)).all()
    assert [(r.version_id, r.member_id, r.agreed_at) for r in rows] == [(version.id, network["nani"].id, datetime(2026, 3, 9, 10, 0, tzinfo=UTC))]

    # A second press (a page left open, a double tap) changes nothing.
    time_machine.move_to(datetime(2026, 3, 9, 10, 5, tzinfo=UTC), tick=False)
    assert agree(nani, version.id).status_code == 302
    db_session().expire_all()
    again = db_session().scalars(select(SafetyPlanAgreement)).all()
    assert [(r.id, r.agreed_at) for r in again] == [(rows[0].id, datetime(2026, 3, 9, 10, 0, tzinfo=UTC))]

    staff = text(worker_browser(app, world).get(f"/staff/families/{world['family'].id}"))
    assert "Nani agreed to version 1 on 9 March 2026" in staff

    # Her agreement is part of her data, like everything else kept about her.
    download = nani.get("/my/data")
    with zipfile.ZipFile(io.BytesIO(download.get_data())) as archive:
        data = json.loads(archive.read("data.json"))
    download.close()
    assert data["family_safety_plan_agreements"] == [{"version": 1, "agreed_at": "2026-03-09T10:00:00+00:00"}]


def test_agreeing_to_a_version_that_is_no_longer_the_latest_says_so_and_records_nothing(app, world, network):
    version = network["version"]
    newer = FamilySafetyPlanVersion(
        family_id=world["family"].id, number=2, status=PUBLISHED, content=version.content, published_at=utcnow() + timedelta(minutes=1)
    )
    db_session().add(newer)
    db_session().commit()
    nani = signed_in(app, network["nani"].user)
    response = agree(nani, version.id)
    assert response.status_code == 302
    changed = "The safety plan changed since you opened it. Please read the new version, then say if you agree."
    assert ur(changed) in text(nani.get("/home"))
    assert db_session().scalars(select(SafetyPlanAgreement)).all() == []


def test_only_parents_and_network_members_agree_and_only_to_their_own_familys_published_plan(app, world, network):
    version = network["version"]
    other = FamilySafetyPlanVersion(family_id=world["other_family"].id, number=1, status=PUBLISHED, content={}, published_at=utcnow())
    draft = FamilySafetyPlanVersion(family_id=world["family"].id, number=2, status=DRAFT, content=version.content)
    db_session().add_all([other, draft])
    db_session().commit()
    nani = signed_in(app, network["nani"].user)
    for bad in (other.id, draft.id, 999999, 2**40):
        assert agree(nani, bad).status_code == 404, bad
    assert agree(signed_in(app, world["child"].user), version.id).status_code == 404
    assert agree(signed_in(app, world["restricted_parent"].user), version.id).status_code == 404
    assert agree(signed_in(app, world["parent"].user), version.id, back="plan").status_code == 302
    assert [r.member_id for r in db_session().scalars(select(SafetyPlanAgreement))] == [world["parent"].id]
    # A form without its version says what went wrong and records nothing more.
    broken = nani.submit("/my/family-safety-plan/agree", {"version_id": "abc"}, page="/home")
    broken_message = "Something went wrong. Please read the plan again, then press the button."
    assert broken.status_code == 302 and ur(broken_message) in text(nani.get("/home"))
    assert len(db_session().scalars(select(SafetyPlanAgreement)).all()) == 1
