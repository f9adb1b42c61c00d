"""The family plan: workers draft and publish it; each family member reads the version written for them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from sqlalchemy import func, select

from webapp.db import db_session, utcnow
from webapp.plans.models import DRAFT, PlanVersion
from webapp.plans.sections import SECTIONS
from webapp.worries.models import Worry, WorryScore

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text

NOT_SHARED_YET = "Your worker hasn't shared your plan yet."
PLAN_CHANGED = "Your plan has changed. Have a look."

CHILD_WORRY_TEXT = "Mum and Dad shout a lot at night. You find it hard to sleep."
PARENT_WORRY_TEXT = "Arguments at night are keeping the children awake before school."
CHILD_WELL_TEXT = "You go to football every Saturday with Gran."
PARENT_WELL_TEXT = "Gran takes the children to football every Saturday."
CHILD_CONTINGENCY = "If the shouting starts again, you can go to Gran's house."
PARENT_CONTINGENCY = "If there is another argument at night, the children stay with Gran."





def plan_url(family: Any, rest: str = "") -> str:
    return f"/staff/families/{family.id}/plan{rest}"


def plan_form(**fields: Any) -> dict[str, Any]:
    """The whole plan form as the page sends it, with every text box present."""
    data: dict[str, Any] = {f"{s.key}__{v}": "" for s in SECTIONS for v in ("young_person", "parent")}
    data.update(fields)
    return data


def save(worker: FormClient, family: Any, **fields: Any) -> None:
    response = worker.submit(plan_url(family), plan_form(**fields))
    assert response.status_code == 302, text(response)[:2000]


def action_id(family: Any, position: int) -> str:
    """The id of the action at a position in the plan as the editor shows it (the draft, else the published plan)."""
    db_session().rollback()
    versions = db_session().scalars(select(PlanVersion).where(PlanVersion.family_id == family.id).order_by(PlanVersion.number.desc()))
    return str(next(iter(versions)).content["actions"][position]["id"])


def publish(worker: FormClient, family: Any) -> None:
    response = worker.submit(plan_url(family, "/publish"), page=plan_url(family))
    assert response.status_code == 302
    assert "The plan is published" in text(worker.get(response.headers["Location"]))


def full_plan(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "worried_about__young_person": CHILD_WORRY_TEXT,
        "worried_about__parent": PARENT_WORRY_TEXT,
        "working_well__young_person": CHILD_WELL_TEXT,
        "working_well__parent": PARENT_WELL_TEXT,
        "contingency__young_person": CHILD_CONTINGENCY,
        "contingency__parent": PARENT_CONTINGENCY,
        # The worker keeps the "what if" part from the older child for now.
        "contingency__hidden": [str(world["child"].id)],
    }


@pytest.fixture
def worker(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def test_families_see_nothing_until_the_worker_publishes(app, world, worker):
    family = world["family"]
    save(worker, family, **full_plan(world))
    assert "Draft saved. The family will see it when you publish it." in text(worker.get(plan_url(family)))

    for who in ("child", "parent"):
        member = signed_in(app, world[who].user)
        page = member.get("/my/plan")
        assert page.status_code == 200
        assert NOT_SHARED_YET in text(page)
        for secret in (CHILD_WORRY_TEXT, PARENT_WORRY_TEXT, CHILD_WELL_TEXT, PARENT_WELL_TEXT):
            assert secret not in text(page)
        assert PLAN_CHANGED not in text(member.get("/home"))


def test_each_member_reads_the_version_written_for_them(app, world, worker):
    family = world["family"]
    worker.submit(
        f"/staff/families/{family.id}/worries",
        {
            "wording": "Shouting at home at night",
            "danger_statement": "Children's services are worried that the children are exposed to verbal conflict between the parents.",
            "meaning_0": "Shouting every night",
            "meaning_10": "Calm evenings at home",
            "members": [str(world["child"].id), str(world["young_child"].id), str(world["parent"].id)],
        },
    )
    save(worker, family, **full_plan(world))
    publish(worker, family)

    child = text(signed_in(app, world["child"].user).get("/my/plan"))
    assert CHILD_WORRY_TEXT in child and CHILD_WELL_TEXT in child
    assert "Shouting at home at night" in child
    for not_for_the_child in (PARENT_WORRY_TEXT, PARENT_WELL_TEXT, PARENT_CONTINGENCY, "verbal conflict"):
        assert not_for_the_child not in child
    assert CHILD_CONTINGENCY not in child, "the section hidden from this child"
    assert "What if things go wrong?" not in child

    young_child = text(signed_in(app, world["young_child"].user).get("/my/plan"))
    assert CHILD_WORRY_TEXT in young_child and CHILD_CONTINGENCY in young_child, "hidden from the older child only"
    assert PARENT_CONTINGENCY not in young_child

    parent = text(signed_in(app, world["parent"].user).get("/my/plan"))
    assert PARENT_WORRY_TEXT in parent and PARENT_WELL_TEXT in parent and PARENT_CONTINGENCY in parent
    for not_for_the_parent in (CHILD_WORRY_TEXT, CHILD_WELL_TEXT, CHILD_CONTINGENCY, "verbal conflict"):
        assert not_for_the_parent not in parent

    # The worker sees both versions and the danger statement.
    staff_page = text(worker.get(plan_url(family)))
    for everything in (CHILD_WORRY_TEXT, PARENT_WORRY_TEXT, CHILD_CONTINGENCY, "verbal conflict"):
        assert everything in staff_page


def test_plan_page_has_a_heading_with_an_icon_per_part_and_a_read_aloud_button(app, world, worker):
    save(worker, world["family"], **full_plan(world))
    publish(worker, world["family"])
    page = signed_in(app, world["young_child"].user).get("/my/plan").get_data(as_text=True)
    headings = re.findall(r"<h2>(.*?)</h2>", page, re.S)
    assert len(headings) == 3
    assert all('class="plan-icon" aria-hidden="true"' in heading for heading in headings)
    # The button shows only when the browser can speak; the page makes sense without it.
    assert re.search(r'<button type="button" class="secondary read-aloud" data-read-aloud-button hidden', page)
    assert "js/readaloud.js" in page


def test_restricted_parent_sees_nothing_of_the_plan(app, world, worker):
    save(worker, world["family"], **full_plan(world))
    publish(worker, world["family"])
    restricted = signed_in(app, world["restricted_parent"].user)
    assert restricted.get("/my/plan").status_code == 404
    home = text(restricted.get("/home"))
    assert "Hello Absent parent" in home
    assert 'href="/my/plan"' not in home
    assert "My plan" not in home
    assert PLAN_CHANGED not in home


@pytest.mark.parametrize("outsider", ["worker_b", "manager_b", "other_worker_a", "child", "other_child"])
def test_people_outside_the_family_get_404_on_every_staff_plan_url(app, world, worker, outsider):
    family = world["family"]
    save(worker, family, **full_plan(world))
    worker.submit(plan_url(family, "/actions"), {"what": "Go to the GP", "who": "Mum", "by_when": "2026-05-01"}, page=plan_url(family))
    publish(worker, family)
    save(worker, family, working_well__young_person="A newer draft.")

    first = action_id(family, 0)
    user = world[outsider] if outsider in ("worker_b", "manager_b", "other_worker_a") else world[outsider].user
    browser = signed_in(app, user)
    token_page = "/staff/" if user.is_staff else "/home"
    for url in (plan_url(family), plan_url(family, "/versions"), plan_url(family, "/versions/1"), plan_url(family, "/versions/2")):
        assert browser.get(url).status_code == 404, url
    posts = {
        plan_url(family): plan_form(working_well__young_person="Changed by someone else."),
        plan_url(family, "/actions"): {"what": "Something else", "who": "Nobody", "by_when": "2026-06-01"},
        plan_url(family, f"/actions/{first}/progress"): {f"progress-{first}-text": "Not their update"},
        plan_url(family, f"/actions/{first}/remove"): {},
        plan_url(family, "/publish"): {},
    }
    for url, data in posts.items():
        assert browser.submit(url, data, page=token_page).status_code == 404, url

    # Nothing they sent changed the plan: one published version, and the worker's draft as it was.
    versions = db_session().scalars(select(PlanVersion).where(PlanVersion.family_id == family.id).order_by(PlanVersion.number)).all()
    assert [v.status for v in versions] == ["published", DRAFT]
    assert versions[1].content["sections"]["working_well"]["young_person"] == "A newer draft."
    assert [a["what"] for a in versions[1].content["actions"]] == ["Go to the GP"]
    assert versions[1].content["actions"][0]["progress"] == []


def test_a_member_of_another_family_reads_only_their_own_familys_plan(app, world, worker):
    save(worker, world["family"], **full_plan(world))
    publish(worker, world["family"])
    other = signed_in(app, world["other_child"].user)
    page = other.get("/my/plan")
    assert page.status_code == 200
    assert NOT_SHARED_YET in text(page)
    assert CHILD_WORRY_TEXT not in text(page)
    assert PLAN_CHANGED not in text(other.get("/home"))


def test_staff_cannot_open_the_family_pages_of_a_plan(app, world, worker):
    assert worker.get("/my/plan").status_code == 404
    assert worker.get("/my/safety-plan").status_code == 404


def test_draft_changes_wait_for_the_next_publish_and_old_versions_are_kept(app, world, worker):
    family = world["family"]
    save(worker, family, working_well__young_person="First: you walk to school with your friend.")
    publish(worker, family)
    save(worker, family, working_well__young_person="Second: you go to the youth club on Fridays.")

    child = signed_in(app, world["child"].user)
    page = text(child.get("/my/plan"))
    assert "First: you walk to school" in page
    assert "Second:" not in page

    publish(worker, family)
    page = text(child.get("/my/plan"))
    assert "Second: you go to the youth club on Fridays." in page
    assert "First:" not in page

    versions = text(worker.get(plan_url(family, "/versions")))
    assert "Version 1" in versions and "Version 2" in versions
    old = worker.get(plan_url(family, "/versions/1"))
    assert old.status_code == 200
    assert "First: you walk to school with your friend." in text(old)
    assert "Second:" not in text(old)
    assert "Second: you go to the youth club on Fridays." in text(worker.get(plan_url(family, "/versions/2")))
    assert worker.get(plan_url(family, "/versions/3")).status_code == 404


def test_publishing_tells_each_member_their_plan_changed_until_they_open_it(app, world, worker):
    family = world["family"]
    save(worker, family, working_well__young_person="You are doing well.", working_well__parent="Things are going well.")
    child = signed_in(app, world["child"].user)
    parent = signed_in(app, world["parent"].user)
    assert PLAN_CHANGED not in text(child.get("/home"))

    publish(worker, family)
    assert text(child.get("/home")).count(PLAN_CHANGED) == 1
    assert PLAN_CHANGED in text(parent.get("/home"))

    child.get("/my/plan")
    assert PLAN_CHANGED not in text(child.get("/home"))
    assert PLAN_CHANGED in text(parent.get("/home")), "the parent has not opened it yet"

    # Two more publishes still make one line, and it goes once the plan is read.
    save(worker, family, working_well__young_person="You are doing really well.")
    publish(worker, family)
    save(worker, family, working_well__young_person="You are doing brilliantly.")
    publish(worker, family)
    assert text(parent.get("/home")).count(PLAN_CHANGED) == 1
    parent.get("/my/plan")
    assert PLAN_CHANGED not in text(parent.get("/home"))


def test_actions_with_dated_progress_updates(app, world, worker):
    family = world["family"]
    add = worker.submit(plan_url(family, "/actions"), {"what": "Book a GP appointment for Sam", "who": "Mum", "by_when": "2026-03-20"}, page=plan_url(family))
    assert add.status_code == 302
    worker.submit(plan_url(family, "/actions"), {"what": "Find a homework club", "who": "School", "by_when": "2026-04-30"}, page=plan_url(family))
    first, second = action_id(family, 0), action_id(family, 1)
    worker.submit(plan_url(family, f"/actions/{first}/progress"), {f"progress-{first}-text": "Mum rang the surgery."}, page=plan_url(family))
    worker.submit(plan_url(family, f"/actions/{first}/progress"), {f"progress-{first}-text": "Appointment booked for Tuesday."}, page=plan_url(family))
    today = format_date(utcnow().date(), "medium", locale="en_GB")

    staff_page = text(worker.get(plan_url(family)))
    assert "Book a GP appointment for Sam" in staff_page
    assert "Who: Mum" in staff_page and "By: 20 March 2026" in staff_page
    assert f"{today}: Mum rang the surgery." in staff_page
    assert f"{today}: Appointment booked for Tuesday." in staff_page

    # An action that is not going to happen is removed from the draft.
    worker.submit(plan_url(family, f"/actions/{second}/remove"), page=plan_url(family))
    assert "Find a homework club" not in text(worker.get(plan_url(family)))

    publish(worker, family)
    parent = text(signed_in(app, world["parent"].user).get("/my/plan"))
    assert "Book a GP appointment for Sam" in parent
    assert "Who: Mum · By: 20 March 2026" in parent
    assert "Latest news: Appointment booked for Tuesday." in parent
    assert "Find a homework club" not in parent


def test_actions_can_be_hidden_from_a_member(app, world, worker):
    family = world["family"]
    worker.submit(plan_url(family, "/actions"), {"what": "Parenting course on Mondays", "who": "Dad", "by_when": "2026-05-04"}, page=plan_url(family))
    save(worker, family, working_well__young_person="Well done.", working_well__parent="Well done.", actions_hidden=[str(world["child"].id)])
    publish(worker, family)
    assert "Parenting course on Mondays" not in text(signed_in(app, world["child"].user).get("/my/plan"))
    assert "Parenting course on Mondays" in text(signed_in(app, world["parent"].user).get("/my/plan"))


def test_hiding_what_we_are_worried_about_hides_its_worries_too(app, world, worker):
    family = world["family"]
    worker.submit(
        f"/staff/families/{family.id}/worries",
        {"wording": "Shouting at home at night", "meaning_0": "Every night", "meaning_10": "Calm evenings",
         "members": [str(world["child"].id), str(world["parent"].id)]},
    )
    save(worker, family, **{**full_plan(world), "worried_about__hidden": [str(world["child"].id)]})
    publish(worker, family)
    child = text(signed_in(app, world["child"].user).get("/my/plan"))
    assert CHILD_WORRY_TEXT not in child and "Shouting at home at night" not in child
    assert CHILD_WELL_TEXT in child
    parent = text(signed_in(app, world["parent"].user).get("/my/plan"))
    assert PARENT_WORRY_TEXT in parent and "Shouting at home at night" in parent


def test_an_action_can_have_words_for_the_young_people_and_each_reads_their_own(app, world, worker):
    family = world["family"]
    worker.submit(plan_url(family, "/actions"), {
        "what": "Mum and Dad will attend the Triple P parenting programme",
        "what_young_person": "Mum and Dad go to a class on Mondays to help with arguments",
        "who": "Mum and Dad", "by_when": "2026-05-04",
    }, page=plan_url(family))
    worker.submit(plan_url(family, "/actions"), {"what": "Sam joins the football club", "who": "Sam", "by_when": "2026-05-11"}, page=plan_url(family))
    save(worker, family, working_well__young_person="Well done.", working_well__parent="Well done.")
    publish(worker, family)
    child = text(signed_in(app, world["child"].user).get("/my/plan"))
    assert "Mum and Dad go to a class on Mondays" in child and "Triple P" not in child
    assert "Sam joins the football club" in child, "no young person's words: the one wording"
    parent = text(signed_in(app, world["parent"].user).get("/my/plan"))
    assert "Triple P parenting programme" in parent and "a class on Mondays" not in parent
    staff = text(worker.get(plan_url(family)))
    assert "Triple P" in staff and "Young people read: Mum and Dad go to a class on Mondays" in staff


def test_a_bad_action_is_refused_with_a_message_and_adds_nothing(app, world, worker):
    family = world["family"]
    response = worker.submit(plan_url(family, "/actions"), {"what": "Go to the dentist", "who": "", "by_when": "2026-02-30"}, page=plan_url(family))
    page = text(response)
    assert response.status_code == 400
    assert "Please say who will do it." in page
    assert 'value="Go to the dentist"' in page, "what the worker typed is kept in the form"
    assert "Go to the dentist" not in text(worker.get(plan_url(family))), "and no action was added"
    assert worker.submit(plan_url(family, "/actions/nosuch/progress"), {"progress-nosuch-text": "No such action"}, page=plan_url(family)).status_code == 404


def draft_content(family: Any) -> dict[str, Any]:
    db_session().rollback()
    draft = db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == DRAFT))
    assert draft is not None
    return draft.content


def test_adding_an_action_keeps_everything_typed_in_the_plan(app, world, worker):
    family = world["family"]
    typed = plan_form(**full_plan(world), next_review="2026-12-14",
                      what="Book a GP appointment for Sam", who="Mum", by_when="2026-03-20")
    response = worker.submit(plan_url(family, "/actions"), typed, page=plan_url(family))
    assert response.status_code == 302
    page = text(worker.get(response.headers["Location"]))
    assert "Action added to the draft." in page
    for words in (CHILD_WORRY_TEXT, PARENT_WORRY_TEXT, CHILD_WELL_TEXT, PARENT_WELL_TEXT, CHILD_CONTINGENCY, 'value="2026-12-14"'):
        assert words in page, words
    assert "Book a GP appointment for Sam" in page and 'value="Book a GP appointment for Sam"' not in page, "a new empty action follows"
    content = draft_content(family)
    assert content["sections"]["contingency"]["hidden_from"] == [world["child"].id]
    assert [a["what"] for a in content["actions"]] == ["Book a GP appointment for Sam"]


def test_an_unfinished_action_is_shown_again_with_everything_typed_and_nothing_is_saved(app, world, worker):
    family = world["family"]
    typed = plan_form(**full_plan(world), what="Go to the dentist", who="", by_when="2026-04-01")
    response = worker.submit(plan_url(family, "/actions"), typed, page=plan_url(family))
    assert response.status_code == 400
    page = text(response)
    assert "Please say who will do it." in page
    assert CHILD_WORRY_TEXT in page and PARENT_CONTINGENCY in page and 'value="Go to the dentist"' in page
    assert db_session().scalar(select(func.count(PlanVersion.id)).where(PlanVersion.family_id == family.id)) == 0


def test_progress_updates_and_removing_an_action_keep_everything_typed(app, world, worker):
    family = world["family"]
    worker.submit(plan_url(family, "/actions"), {"what": "Book a GP appointment", "who": "Mum", "by_when": "2026-03-20"}, page=plan_url(family))
    worker.submit(plan_url(family, "/actions"), {"what": "Find a homework club", "who": "School", "by_when": "2026-04-30"}, page=plan_url(family))

    first, second = action_id(family, 0), action_id(family, 1)
    typed = plan_form(**full_plan(world), **{f"progress-{first}-text": "Mum rang the surgery."})
    assert worker.submit(plan_url(family, f"/actions/{first}/progress"), typed, page=plan_url(family)).status_code == 302
    content = draft_content(family)
    assert content["sections"]["worried_about"]["young_person"] == CHILD_WORRY_TEXT
    assert [p["text"] for p in content["actions"][0]["progress"]] == ["Mum rang the surgery."]

    typed = plan_form(**{**full_plan(world), "working_well__parent": "Typed just now."})
    assert worker.submit(plan_url(family, f"/actions/{second}/remove"), typed, page=plan_url(family)).status_code == 302
    content = draft_content(family)
    assert content["sections"]["working_well"]["parent"] == "Typed just now."
    assert [a["what"] for a in content["actions"]] == ["Book a GP appointment"]

    # An empty update is asked for again, with the typed words still there.
    response = worker.submit(plan_url(family, f"/actions/{first}/progress"), plan_form(working_well__parent="Typed again."), page=plan_url(family))
    assert response.status_code == 400
    assert "Please write the update." in text(response) and "Typed again." in text(response)


def test_saving_the_draft_also_keeps_a_typed_action_and_update(app, world, worker):
    family = world["family"]
    worker.submit(plan_url(family, "/actions"), {"what": "Book a GP appointment", "who": "Mum", "by_when": "2026-03-20"}, page=plan_url(family))
    typed = plan_form(**full_plan(world), what="Find a homework club", who="School", by_when="2026-04-30",
                      **{f"progress-{action_id(family, 0)}-text": "Appointment on Tuesday."})
    response = worker.submit(plan_url(family), typed)
    assert response.status_code == 302
    content = draft_content(family)
    assert content["sections"]["working_well"]["young_person"] == CHILD_WELL_TEXT
    assert [a["what"] for a in content["actions"]] == ["Book a GP appointment", "Find a homework club"]
    assert [p["text"] for p in content["actions"][0]["progress"]] == ["Appointment on Tuesday."]


def test_publishing_publishes_the_words_typed_since_the_last_save(app, world, worker):
    family = world["family"]
    save(worker, family, **full_plan(world))
    typed = plan_form(**{**full_plan(world), "working_well__parent": "Typed just before publishing."})
    response = worker.submit(plan_url(family, "/publish"), typed, page=plan_url(family))
    assert response.status_code == 302
    assert "The plan is published" in text(worker.get(response.headers["Location"]))
    assert "Typed just before publishing." in text(signed_in(app, world["parent"].user).get("/my/plan"))


@pytest.mark.parametrize(
    "language,locale",
    [("pl", "pl"), ("ar", "ar"), ("en", "en_GB")],
)
def test_plan_dates_follow_the_members_language(app, world, worker, language, locale):
    family = world["family"]
    member = factories.member(family, "parent", name="Ola", language=language)
    review, taf = date(2026, 11, 22), date(2026, 10, 5)
    save(worker, family, working_well__parent="Good.", next_review=review.isoformat(), next_taf=taf.isoformat())
    publish(worker, family)
    page = text(signed_in(app, member.user).get("/my/plan"))
    assert format_date(review, "full", locale=locale) in page
    assert format_date(taf, "full", locale=locale) in page
    if language == "pl":
        assert "listopada" in page and "października" in page
    if language == "en":
        assert "Sunday, 22 November 2026" in page


def test_worries_written_before_the_plan_are_the_ones_members_score(app, world, worker):
    family = world["family"]
    added = worker.submit(
        f"/staff/families/{family.id}/worries",
        {
            "wording": "Sam misses school on Mondays",
            "danger_statement": "The school is worried that Sam's attendance is 72% and falling.",
            "meaning_0": "I miss school every Monday",
            "meaning_10": "I go to school every day",
            "is_safety": "y",
            "members": [str(world["child"].id), str(world["parent"].id)],
        },
    )
    assert added.status_code == 302
    worry = db_session().scalars(select(Worry).where(Worry.family_id == family.id)).one()

    # The plan carries it over, with its danger statement for the worker only.
    staff_page = text(worker.get(plan_url(family)))
    assert "Sam misses school on Mondays" in staff_page
    assert "Danger statement: The school is worried that Sam's attendance is 72% and falling." in staff_page
    assert "0 = I miss school every Monday" in staff_page and "10 = I go to school every day" in staff_page
    assert "Safety worry" in staff_page

    save(worker, family, worried_about__young_person="Going to school is hard on Mondays.")
    publish(worker, family)

    child = signed_in(app, world["child"].user)
    link = f'href="/my/worries/{worry.id}"'
    plan = child.get("/my/plan").get_data(as_text=True)
    assert link in plan and "Sam misses school on Mondays" in plan
    assert "72%" not in plan
    assert link in child.get("/my/worries").get_data(as_text=True)
    assert "Sam misses school on Mondays" not in text(signed_in(app, world["young_child"].user).get("/my/plan")), "not one of theirs"

    # Scoring from the plan's link scores that same worry.
    score_page = text(child.get(f"/my/worries/{worry.id}"))
    assert "I miss school every Monday" in score_page
    assert child.submit(f"/my/worries/{worry.id}", {"score": "6"}).status_code == 302
    scores = db_session().scalars(select(WorryScore)).all()
    assert [(s.worry_id, s.member_id, s.score) for s in scores] == [(worry.id, world["child"].id, 6)]
    assert "Your last score: 6 out of 10" in text(child.get("/my/worries"))
    assert db_session().scalar(select(func.count()).select_from(Worry)) == 1

    # The worker changes its words from the plan; the next published plan has them, same worry.
    changed = worker.submit(
        f"/staff/worries/{worry.id}/edit",
        {"wording": "Sam finds Mondays at school hard", "danger_statement": "", "meaning_0": "Really hard", "meaning_10": "Fine",
         "members": [str(world["child"].id)]},
    )
    assert changed.headers["Location"].endswith(plan_url(family))
    save(worker, family, worried_about__young_person="Going to school is hard on Mondays.")
    publish(worker, family)
    plan = child.get("/my/plan").get_data(as_text=True)
    assert "Sam finds Mondays at school hard" in plan and link in plan
    assert "Your last score: 6 out of 10" in text(child.get("/my/worries"))


HARD = (
    "The practitioner will coordinate multidisciplinary interventions addressing parental substance misuse, "
    "domestic abuse and educational attendance concerns, ensuring comprehensive safeguarding arrangements."
)
EASY = "You like football. Gran takes you on Saturday. That is good."


def test_the_meter_shows_reading_age_and_long_sentences_but_never_blocks(app, world, worker):
    family = world["family"]
    page = worker.get(plan_url(family)).get_data(as_text=True)
    meters = re.findall(r'data-meter-for="([^"]+)"', page)
    pairs = [f"pairs-{n}-{part}_{v}" for n in (0, 1) for part in ("danger", "goal") for v in ("young_person", "parent")]
    sections = [f"{s.key}__{v}" for s in SECTIONS for v in ("young_person", "parent")]
    assert meters == pairs + sections + ["what", "what_young_person"], "a meter beside each family-facing text"
    worry_form = worker.get(f"/staff/families/{family.id}/worries").get_data(as_text=True)
    assert re.findall(r'data-meter-for="([^"]+)"', worry_form) == ["wording", "meaning_0", "meaning_10"]
    assert "js/plainlanguage.js" in worry_form

    save(worker, family, working_well__young_person=HARD, working_well__parent=EASY)
    page = text(worker.get(plan_url(family)))
    ages = [int(age) for age in re.findall(r"Reading age about (\d+)", page)]
    assert len(ages) == 2
    hard_age, easy_age = ages
    assert hard_age > 9
    assert easy_age <= 9
    assert f"<mark>{HARD}</mark>" in page
    assert page.count("<mark>") == 1

    # Hard words still save and publish: the meter guides, it never blocks.
    publish(worker, family)
    assert HARD in text(signed_in(app, world["child"].user).get("/my/plan"))


def test_the_live_meter_answers_in_json(app, world, worker):
    token = worker.csrf_token(plan_url(world["family"]))
    hard = worker.post("/staff/plain-language", json={"text": f"{HARD} {EASY}"}, headers={"X-CSRFToken": token})
    assert hard.status_code == 200
    assert hard.json["reading_age"] > 9
    assert hard.json["long_sentences"] == [HARD]
    easy = worker.post("/staff/plain-language", json={"text": EASY}, headers={"X-CSRFToken": token}).json
    assert easy["reading_age"] <= 9 and easy["long_sentences"] == []
    empty = worker.post("/staff/plain-language", json={"text": ""}, headers={"X-CSRFToken": token}).json
    assert empty["reading_age"] is None and empty["long_sentences"] == []

    child = signed_in(app, world["child"].user)
    child_token = child.csrf_token("/home")
    assert child.post("/staff/plain-language", json={"text": EASY}, headers={"X-CSRFToken": child_token}).status_code == 404


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"working_well__hidden": ["not-a-number"]}, "is not on this page any more"),
        ({"working_well__hidden": ["999999"]}, "is not on this page any more"),
        ({"actions_hidden": ["1; DROP TABLE"]}, "is not on this page any more"),
        ({"next_review": "2026-13-45"}, "Please give a date like 2026-11-22."),
        ({"next_taf": "tomorrow"}, "Please give a date like 2026-11-22."),
        ({"next_taf": "9999-12-31"}, "Please give a date between 2000 and 2099."),
        ({"bottom_lines__parent": "x" * 5001}, "Field cannot be longer than 5000 characters."),
    ],
    ids=["hidden-not-a-number", "hidden-not-in-family", "actions-hidden-not-a-number", "impossible-date", "not-a-date", "year-9999", "too-long"],
)
def test_bad_plan_input_gets_a_message_and_changes_nothing(app, world, worker, bad, message):
    family = world["family"]
    save(worker, family, working_well__young_person="Kept as it was.", next_review="2026-06-01")
    assert "Draft saved" in text(worker.get(plan_url(family))), "the browser follows to the saved page"
    before = db_session().scalars(select(PlanVersion).where(PlanVersion.family_id == family.id)).one()
    saved_content, saved_at = before.content, before.updated_at

    response = worker.submit(plan_url(family), plan_form(working_well__young_person="Changed?", **bad))
    assert response.status_code == 400
    page = text(response)
    assert message.lower() in page.lower()
    assert 'class="error"' in response.get_data(as_text=True)
    assert "Draft saved" not in page

    after = db_session().scalars(select(PlanVersion).where(PlanVersion.family_id == family.id)).one()
    assert after.content == saved_content
    assert after.updated_at == saved_at
    assert "Kept as it was." in text(worker.get(plan_url(family)))


def draft_actions(family: Any) -> list[tuple[str, list[str]]]:
    return [(a["what"], [p["text"] for p in a["progress"]]) for a in draft_content(family)["actions"]]


def test_a_page_left_open_changes_the_action_it_shows_even_after_another_worker_removed_one(app, world, worker):
    family = world["family"]
    for what in ("Book a GP appointment", "Find a homework club", "Join the football club"):
        worker.submit(plan_url(family, "/actions"), {"what": what, "who": "Mum", "by_when": "2026-03-20"}, page=plan_url(family))
    # Worker A opens the plan; the manager opens it too and removes the first action.
    page_a = worker.get(plan_url(family)).get_data(as_text=True)
    removes = re.findall(r'formaction="([^"]*/actions/[^"/]+/remove)"', page_a)
    updates = re.findall(r'formaction="([^"]*/actions/([^"/]+)/progress)"', page_a)
    assert len(removes) == len(updates) == 3
    manager = signed_in(app, world["manager_a"])
    manager_removes = re.findall(r'formaction="([^"]*/remove)"', manager.get(plan_url(family)).get_data(as_text=True))
    assert manager.submit(manager_removes[0], page=plan_url(family)).status_code == 302

    # From the page A still has open: an update on the homework club, then removing it. That action, and only that one.
    url, homework = updates[1]
    assert worker.submit(url, {f"progress-{homework}-text": "School sent the list."}, page=plan_url(family)).status_code == 302
    assert draft_actions(family) == [("Find a homework club", ["School sent the list."]), ("Join the football club", [])]
    assert worker.submit(removes[1], page=plan_url(family)).status_code == 302
    assert draft_actions(family) == [("Join the football club", [])]

    # A button for an action that is gone says so, keeps what was typed and changes nothing.
    gone = updates[0][1]
    typed = plan_form(working_well__parent="Typed on the old page.", **{f"progress-{gone}-text": "An update for the GP"})
    for stale in (removes[0], updates[0][0], removes[1], plan_url(family)):
        response = worker.submit(stale, typed, page=plan_url(family))
        assert response.status_code == 404
        page = text(response)
        assert "That action is no longer in the plan: someone may have removed it." in page
        assert "Typed on the old page." in page and "Join the football club" in page
    assert draft_actions(family) == [("Join the football club", [])]
    assert draft_content(family)["sections"]["working_well"]["parent"] == ""
