"""A young person's safety plan: written and published by the worker, read by that young person alone."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.plans.models import SafetyPlanVersion

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text

LOCAL_HELP = "0300 555 0199"
NOT_WRITTEN_YET = "Your worker hasn't written your safety plan yet. You can still use the numbers above."
KEEP_LABEL = "Keep my safety plan on this phone"
PLAN_CHANGED = "Your safety plan has changed. Have a look."

SAFETY_PLAN = {
    "safe_people-0-name": "Auntie Jo",
    "safe_people-0-how_to_reach": "07700 900123, she lives next door",
    "safe_people-1-name": "Mr Patel at school",
    "safe_people-1-how_to_reach": "Ask at the school office",
    "rules-0-when": "Mum and Dad start shouting",
    "rules-0-what": "I go to my room and text Auntie Jo",
    "rules-1-when": "Dad has been drinking",
    "rules-1-what": "Mum takes me to Gran's house",
    "safe_places-0-place": "Gran's house",
    "safe_places-1-place": "The library",
}
CONTENT = ("Auntie Jo", "07700 900123, she lives next door", "Mr Patel at school", "Mum and Dad start shouting",
           "I go to my room and text Auntie Jo", "Mum takes me to Gran's house", "The library")


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LOCAL_HELP_NUMBER": LOCAL_HELP}





def url(member: FamilyMember, rest: str = "") -> str:
    return f"/staff/members/{member.id}/safety-plan{rest}"


def save(worker: FormClient, member: FamilyMember, data: dict[str, Any] | None = None, **extra: Any) -> None:
    response = worker.submit(url(member), {**(SAFETY_PLAN if data is None else data), **extra})
    assert response.status_code == 302, text(response)[:2000]


def publish(worker: FormClient, member: FamilyMember) -> None:
    response = worker.submit(url(member, "/publish"), page=url(member))
    assert response.status_code == 302
    assert "The safety plan is published." in text(worker.get(response.headers["Location"]))


def words(page: str) -> str:
    """The page's words without its tags (the phone numbers are links)."""
    return re.sub(r"<[^>]+>", "", page)


def assert_emergency_numbers(page: str) -> None:
    page = words(page)
    assert "Call 999 in an emergency." in page
    assert "Childline: call 0800 1111." in page
    assert f"Out of hours: {LOCAL_HELP}" in page


def keep_box(page: str) -> str | None:
    match = re.search(r'<input[^>]*name="keep"[^>]*>', page)
    return match.group(0) if match else None


@pytest.fixture
def worker(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def test_worker_writes_and_publishes_and_the_young_person_reads_it(app, world, worker):
    child_member = world["child"]
    child = signed_in(app, child_member.user)

    # Nothing written yet: the numbers, always, and a plain message.
    page = text(child.get("/my/safety-plan"))
    assert_emergency_numbers(page)
    assert NOT_WRITTEN_YET in page

    form = text(worker.get(url(child_member)))
    assert "Safety plan for Child" in form and "Not published yet." in form
    save(worker, child_member)
    assert "Draft saved. Child will see it when you publish it." in text(worker.get(url(child_member)))

    page = text(child.get("/my/safety-plan"))
    assert NOT_WRITTEN_YET in page, "a draft is not shown"
    for written in CONTENT:
        assert written not in page
    assert PLAN_CHANGED not in text(child.get("/home"))

    publish(worker, child_member)
    assert PLAN_CHANGED in text(child.get("/home"))
    page = text(child.get("/my/safety-plan"))
    assert_emergency_numbers(page)
    for heading in ("My safe people", "My plan rules", "Places I feel safe"):
        assert heading in page
    for written in CONTENT:
        assert written in words(page)
    assert "When: Mum and Dad start shouting" in page
    assert NOT_WRITTEN_YET not in page
    assert PLAN_CHANGED not in text(child.get("/home")), "opening the plan clears the notice"


def test_changes_wait_for_the_next_publish(app, world, worker):
    child_member = world["child"]
    save(worker, child_member)
    publish(worker, child_member)
    changed = {**SAFETY_PLAN, "safe_people-0-name": "Uncle Ray", "safe_people-0-how_to_reach": "07700 900456"}
    save(worker, child_member, changed)

    child = signed_in(app, child_member.user)
    page = text(child.get("/my/safety-plan"))
    assert "Auntie Jo" in page.split("My plan rules")[0] and "Uncle Ray" not in page
    publish(worker, child_member)
    page = text(child.get("/my/safety-plan"))
    assert "Uncle Ray" in page and "07700 900456" in page
    numbers = db_session().scalars(select(SafetyPlanVersion.number).where(SafetyPlanVersion.member_id == child_member.id)).all()
    assert sorted(numbers) == [1, 2], "the older version is kept"


def test_only_that_young_person_sees_their_safety_plan(app, world, worker):
    save(worker, world["child"])
    publish(worker, world["child"])

    # Another young person in the family: their own page, without this plan.
    sibling = signed_in(app, world["young_child"].user)
    page = text(sibling.get("/my/safety-plan"))
    assert_emergency_numbers(page)
    assert NOT_WRITTEN_YET in page
    for written in CONTENT:
        assert written not in page
    assert PLAN_CHANGED not in text(sibling.get("/home"))

    # Parents, restricted or not, have no safety plan page and are not told about it.
    for who in ("parent", "restricted_parent"):
        parent = signed_in(app, world[who].user)
        assert parent.get("/my/safety-plan").status_code == 404
        home = text(parent.get("/home"))
        assert 'href="/my/safety-plan"' not in home and PLAN_CHANGED not in home

    # A young person in another family.
    other = text(signed_in(app, world["other_child"].user).get("/my/safety-plan"))
    assert NOT_WRITTEN_YET in other and "Auntie Jo" not in other


def test_a_restricted_young_person_sees_only_the_numbers(app, world, worker):
    restricted = factories.member(world["family"], "young_person", name="Restricted teen", restricted=True)
    save(worker, restricted)
    publish(worker, restricted)
    browser = signed_in(app, restricted.user)
    page = text(browser.get("/my/safety-plan"))
    assert_emergency_numbers(page)
    assert "Auntie Jo" not in page
    assert PLAN_CHANGED not in text(browser.get("/home")), "not told of a plan they cannot read"


def test_a_safety_plan_cannot_be_made_for_a_parent(app, world, worker):
    parent = world["parent"]
    assert worker.get(url(parent)).status_code == 404
    assert worker.submit(url(parent), SAFETY_PLAN, page=url(world["child"])).status_code == 404
    worker.submit(url(parent, "/publish"), page=url(world["child"]))
    assert db_session().scalar(select(func.count()).select_from(SafetyPlanVersion)) == 0


@pytest.mark.parametrize("outsider", ["worker_b", "manager_b", "other_worker_a", "parent", "other_child"])
def test_people_outside_the_family_get_404_on_the_staff_safety_plan_urls(app, world, worker, outsider):
    child_member = world["child"]
    save(worker, child_member)
    user = world[outsider] if outsider in ("worker_b", "manager_b", "other_worker_a") else world[outsider].user
    browser = signed_in(app, user)
    token_page = "/staff/" if user.is_staff else "/home"
    assert browser.get(url(child_member)).status_code == 404
    assert browser.submit(url(child_member), {**SAFETY_PLAN, "safe_people-0-name": "Someone else", "offline_allowed": "y"}, page=token_page).status_code == 404
    assert browser.submit(url(child_member, "/publish"), page=token_page).status_code == 404

    version = db_session().scalars(select(SafetyPlanVersion)).one()
    assert version.status == "draft"
    assert version.content["safe_people"][0]["name"] == "Auntie Jo"
    db_session().refresh(child_member)
    assert child_member.safety_plan_offline_allowed is False


def test_bad_safety_plan_input_gets_a_message_and_changes_nothing(app, world, worker):
    child_member = world["child"]
    save(worker, child_member)
    response = worker.submit(url(child_member), {**SAFETY_PLAN, "safe_people-0-name": "A" * 121, "offline_allowed": "y"})
    assert response.status_code == 400
    assert "Field cannot be longer than 120 characters." in text(response)
    version = db_session().scalars(select(SafetyPlanVersion)).one()
    assert version.content["safe_people"][0]["name"] == "Auntie Jo"
    db_session().refresh(child_member)
    assert child_member.safety_plan_offline_allowed is False


def test_keeping_it_on_the_phone_is_offered_only_when_the_worker_allows_it(app, world, worker):
    child_member = world["child"]
    save(worker, child_member)
    publish(worker, child_member)
    child = signed_in(app, child_member.user)

    page = child.get("/my/safety-plan").get_data(as_text=True)
    assert KEEP_LABEL not in page and keep_box(page) is None
    assert "data-keep-offline" not in page

    # Asking anyway changes nothing.
    refused = child.submit("/my/safety-plan", {"keep": "y"})
    assert refused.status_code == 200
    assert "data-keep-offline" not in refused.get_data(as_text=True)
    db_session().refresh(child_member)
    assert child_member.safety_plan_offline_chosen is False

    # The worker allows it: the choice appears, not ticked.
    save(worker, child_member, offline_allowed="y")
    db_session().refresh(child_member)
    assert child_member.safety_plan_offline_allowed is True
    page = child.get("/my/safety-plan").get_data(as_text=True)
    assert KEEP_LABEL in page
    box = keep_box(page)
    assert box is not None and "checked" not in box
    assert "data-keep-offline" not in page, "off until the young person chooses it too"

    chosen = child.submit("/my/safety-plan", {"keep": "y"})
    assert chosen.status_code == 302
    page = child.get("/my/safety-plan").get_data(as_text=True)
    assert "Your safety plan will stay on this phone until you sign out." in html.unescape(page)
    assert "checked" in (keep_box(page) or "")
    assert "data-keep-offline" in page

    # The young person changes their mind.
    child.submit("/my/safety-plan", {})
    page = child.get("/my/safety-plan").get_data(as_text=True)
    assert "Your safety plan will not be kept on this phone." in html.unescape(page)
    assert "data-keep-offline" not in page

    # Chosen again, then the worker takes the permission back: the choice goes with it.
    child.submit("/my/safety-plan", {"keep": "y"})
    save(worker, child_member)
    page = child.get("/my/safety-plan").get_data(as_text=True)
    assert "data-keep-offline" not in page and keep_box(page) is None
    db_session().refresh(child_member)
    assert child_member.safety_plan_offline_chosen is False


def test_nothing_is_kept_offline_before_a_plan_is_published(app, world, worker):
    child_member = world["child"]
    save(worker, child_member, offline_allowed="y")
    child = signed_in(app, child_member.user)
    page = child.get("/my/safety-plan").get_data(as_text=True)
    assert keep_box(page) is None and "data-keep-offline" not in page


def test_a_safety_plan_with_as_many_rows_as_allowed_still_opens_for_editing(app, world, worker):
    child_member = world["child"]
    full = {f"safe_people-{n}-name": f"Person {n}" for n in range(20)} | {f"safe_people-{n}-how_to_reach": "0161 000 0000" for n in range(20)}
    full |= {f"safe_places-{n}-place": f"Place {n}" for n in range(19)}
    save(worker, child_member, full)
    page = worker.get(url(child_member))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="Person 19"' in html and 'name="safe_people-20-name"' not in html, "full: no empty row offered"
    assert 'value="Place 18"' in html and 'name="safe_places-19-place"' in html and 'name="safe_places-20-place"' not in html


def test_publishing_publishes_the_words_typed_since_the_last_save(app, world, worker):
    child = world["child"]
    save(worker, child)
    typed = {**SAFETY_PLAN, "safe_places-2-place": "The youth club, typed just before publishing"}
    response = worker.submit(url(child, "/publish"), typed, page=url(child))
    assert response.status_code == 302
    assert "The safety plan is published." in text(worker.get(response.headers["Location"]))
    assert "The youth club, typed just before publishing" in text(signed_in(app, child.user).get("/my/safety-plan"))


def test_publishing_with_a_mistake_shows_the_editor_again_with_every_word(app, world, worker):
    child = world["child"]
    save(worker, child)
    typed = {**SAFETY_PLAN, "safe_people-0-name": "Auntie Jo, changed", "safe_places-2-place": "x" * 201}
    response = worker.submit(url(child, "/publish"), typed, page=url(child))
    assert response.status_code == 400
    assert "Auntie Jo, changed" in text(response)
    assert NOT_WRITTEN_YET in text(signed_in(app, child.user).get("/my/safety-plan")), "nothing was published"
