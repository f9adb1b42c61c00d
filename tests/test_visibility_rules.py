"""The visibility rules of policy.py outside plans, each tried by someone it should stop.

Reviews are their family's staff's only; a meeting message goes to a young person only; a manager
changes and lists only their own team's staff; a restricted member is asked for no worry scores
and told of no plan. Every refusal is a 404, the same as a record that does not exist.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from webapp import policy
from webapp.auth.models import User
from webapp.db import db_session
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.reviews.models import DRAFT, MeetingMessage, Review
from webapp.worries import services as worries
from webapp.worries.models import Worry, WorryMember

from . import factories
from .helpers import signed_in, text

REVIEW_PAGES = ("", "/print", "/review.pdf", "/review.docx", "/text")


@pytest.fixture
def review(app: Flask, world: dict[str, Any]) -> Review:
    """A review of the test family (team A, led by worker A)."""
    row = Review(
        family_id=world["family"].id,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        status=DRAFT,
        analysis={},
        created_by_id=world["worker_a"].id,
    )
    db_session().add(row)
    db_session().commit()
    return row


# --- Reviews: policy.review_or_404


@pytest.mark.parametrize("who", ["other_worker_a", "worker_b", "manager_b"])
@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_staff_not_on_the_family_cannot_open_its_review_by_id(app, world, review, who, page):
    assert signed_in(app, world[who]).get(f"/staff/reviews/{review.id}{page}").status_code == 404


@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_the_familys_worker_and_manager_open_its_review(app, world, review, page):
    for who in ("worker_a", "manager_a"):
        assert signed_in(app, world[who]).get(f"/staff/reviews/{review.id}{page}").status_code == 200, who


def test_a_worker_cannot_change_another_familys_review_and_the_refusal_is_logged(app, world, review, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    intruder = signed_in(app, world["other_worker_a"])
    response = intruder.submit(f"/staff/reviews/{review.id}", {"summary": "Not mine"}, page="/staff/")
    assert response.status_code == 404
    db_session().refresh(review)
    assert review.analysis == {}
    assert any(r.getMessage().startswith("refused") and f'record="review:{review.id}"' in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_a_review_is_refused_as_itself_before_its_family_is_read(app, world, review, page, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    assert signed_in(app, world["worker_b"]).get(f"/staff/reviews/{review.id}{page}").status_code == 404
    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert len(refused) == 1 and f'record="review:{review.id}"' in refused[0]


def test_a_family_member_cannot_open_a_review(app, world, review):
    for who in ("child", "parent"):
        assert signed_in(app, world[who].user).get(f"/staff/reviews/{review.id}").status_code == 404, who


# --- Meeting messages: policy.meeting_member_or_404


def test_a_meeting_message_cannot_be_written_to_a_parent(app, world):
    worker = signed_in(app, world["worker_a"])
    parent = world["parent"]
    assert worker.get(f"/staff/members/{parent.id}/meeting-message").status_code == 404
    sent = worker.submit(f"/staff/members/{parent.id}/meeting-message", {"body": "For a parent"}, page="/staff/")
    assert sent.status_code == 404
    assert db_session().scalar(select(func.count(MeetingMessage.id))) == 0


def test_a_meeting_message_cannot_be_written_to_another_familys_young_person(app, world):
    worker = signed_in(app, world["worker_a"])
    other = world["other_child"]
    assert worker.get(f"/staff/members/{other.id}/meeting-message").status_code == 404
    assert worker.get(f"/staff/members/{world['child'].id}/meeting-message").status_code == 200


# --- Staff accounts: policy.team_staff, policy.may_set_up_totp


def test_a_manager_lists_only_their_own_teams_staff(app, world):
    page = text(signed_in(app, world["manager_a"]).get("/staff/people"))
    assert "Worker A" in page and "Other worker A" in page
    assert "Worker B" not in page and "Manager B" not in page


def test_a_manager_cannot_disable_a_family_account(app, world):
    child_user = world["child"].user
    manager = signed_in(app, world["manager_a"])
    assert manager.submit(f"/staff/people/{child_user.id}/disable", page="/staff/").status_code == 404
    assert db_session().get_one(User, child_user.id).disabled_at is None


def test_a_worker_cannot_open_the_staff_accounts_page(app, world):
    assert signed_in(app, world["worker_a"]).get("/staff/people").status_code == 404


def test_a_family_member_cannot_set_up_two_step_sign_in(app, world):
    child_user = world["child"].user
    assert signed_in(app, child_user).get("/staff/totp").status_code == 404
    db_session().refresh(child_user)
    assert not child_user.totp_secret


# --- Worries: policy.worry_scorers, policy.shows_scores_of


def test_a_member_restricted_after_being_chosen_is_not_listed_to_score_a_worry(app, world):
    parent = world["parent"]
    worry = Worry(family_id=world["family"].id, wording="Money worries", meaning_0="0", meaning_10="10", applies_to=[WorryMember(member_id=parent.id)])
    db_session().add(worry)
    parent.restricted = True
    db_session().commit()
    page = text(signed_in(app, world["worker_a"]).get(f"/staff/families/{world['family'].id}/worries"))
    assert "Money worries" in page
    assert "Parent" not in page.split("Money worries", 1)[1].split("Add a worry", 1)[0]


def test_scores_given_before_being_restricted_stay_for_the_worker(app, world):
    parent = world["parent"]
    worry = Worry(family_id=world["family"].id, wording="Money worries", meaning_0="0", meaning_10="10", applies_to=[WorryMember(member_id=parent.id)])
    db_session().add(worry)
    db_session().commit()
    worries.record_score(parent, worry, 3, "", "en")
    parent.restricted = True
    db_session().commit()
    page = text(signed_in(app, world["worker_a"]).get(f"/staff/families/{world['family'].id}/worries"))
    assert "Parent" in page.split("Money worries", 1)[1]


def test_policy_shows_a_restricted_members_scores_only_when_there_are_some(app, world):
    restricted = world["restricted_parent"]
    assert not policy.shows_scores_of(restricted, has_scores=False)
    assert policy.shows_scores_of(restricted, has_scores=True)
    assert policy.shows_scores_of(world["parent"], has_scores=False)


# --- Home: a restricted member is told of no plan (policy.plan_notice_kinds)

PLAN_NOTICE = "Your plan has changed. Have a look."
SAFETY_NOTICE = "Your safety plan has changed. Have a look."


def test_a_restricted_member_is_not_told_the_family_plan_changed(app, world):
    restricted = world["restricted_parent"]
    notifications.notify(restricted.user.id, NotificationKind.PLAN_PUBLISHED)
    db_session().commit()
    assert PLAN_NOTICE not in text(signed_in(app, restricted.user).get("/home"))


def test_a_member_who_may_read_the_plan_is_told_it_changed(app, world):
    for who in ("parent", "child"):
        notifications.notify(world[who].user.id, NotificationKind.PLAN_PUBLISHED)
    notifications.notify(world["child"].user.id, NotificationKind.SAFETY_PLAN_PUBLISHED)
    db_session().commit()
    assert PLAN_NOTICE in text(signed_in(app, world["parent"].user).get("/home"))
    page = text(signed_in(app, world["child"].user).get("/home"))
    assert PLAN_NOTICE in page and SAFETY_NOTICE in page


def test_a_worker_cannot_ask_a_restricted_member_to_score_a_worry(app, world):
    family = world["family"]
    restricted = world["restricted_parent"]
    worker = signed_in(app, world["worker_a"])
    url = f"/staff/families/{family.id}/worries"
    assert "Absent parent" not in text(worker.get(url))
    fields = {"wording": "Money worries", "meaning_0": "0", "meaning_10": "10", "members": [restricted.id]}
    assert worker.submit(url, fields).status_code == 400
    assert db_session().scalar(select(func.count(WorryMember.worry_id)).where(WorryMember.member_id == restricted.id)) == 0


# --- New families: policy.creator_joins_family


def test_a_worker_who_makes_a_family_for_another_lead_can_still_open_it(app, world):
    worker = signed_in(app, world["worker_a"])
    lead = world["other_worker_a"]
    response = worker.submit("/staff/families/new", {"name": "The New family", "lead_worker": lead.id})
    assert response.status_code == 302
    family_url = response.headers["Location"]
    assert worker.get(family_url).status_code == 200
    assert signed_in(app, lead).get(family_url).status_code == 200
    assert signed_in(app, world["worker_b"]).get(family_url).status_code == 404


# --- Home tiles: each page is offered only to those policy.py lets open it.

TILES = {"plan": "/my/plan", "safety_plan": "/my/safety-plan", "assessments": "/my/assessments", "shared": "/my/shared"}
# fmt: off
OFFERED = {
    "child":             {"plan", "safety_plan", "shared"},
    "parent":            {"plan", "assessments", "shared"},
    "restricted_parent": set(),
}
# fmt: on


@pytest.mark.parametrize("who", list(OFFERED))
def test_the_home_page_offers_only_the_pages_a_member_may_open(app, world, who):
    browser = signed_in(app, world[who].user)
    page = browser.get("/home").get_data(as_text=True)
    offered = {tile for tile, url in TILES.items() if f'href="{url}"' in page}
    assert offered == OFFERED[who]


# --- The family page: each member's buttons are those policy.py allows.


@pytest.mark.parametrize("who", ["worker_a", "manager_a"])
def test_the_family_page_offers_young_person_pages_for_young_people_and_erasing_to_the_manager(app, world, who):
    page = signed_in(app, world[who]).get(f"/staff/families/{world['family'].id}").get_data(as_text=True)
    for member, young in ((world["child"], True), (world["parent"], False)):
        for path in ("safety-plan", "meeting-sheet", "meeting-message"):
            assert (f'href="/staff/members/{member.id}/{path}"' in page) == young, (member.display_name, path)
        assert (f'href="/staff/members/{member.id}/erase"' in page) == (who == "manager_a")
    erase = signed_in(app, world[who]).get(f"/staff/members/{world['parent'].id}/erase")
    assert erase.status_code == (200 if who == "manager_a" else 404)


def test_another_teams_manager_cannot_erase_a_member(app, world):
    parent = world["parent"]
    assert signed_in(app, world["manager_b"]).get(f"/staff/members/{parent.id}/erase").status_code == 404


# --- Escalations: policy.escalation_managers


def test_only_the_familys_teams_managers_who_can_sign_in_are_told_of_an_escalation(app, world):
    disabled = factories.staff(world["team_a"], "manager", name="Left manager A")
    disabled.disabled_at = disabled.created_at
    db_session().commit()
    told = db_session().scalars(policy.escalation_managers(world["family"])).all()
    assert [user.display_name for user in told] == ["Manager A"]


def test_only_staff_on_the_family_may_translate_its_words_or_add_english_beside_a_members(app, world):
    """The translation rules, tried by everyone they should stop: another team, another of the team's workers,
    a parent and a young person of the family itself (who can see their own entry, but may not put words to it)."""
    from webapp.entries.models import Entry

    family, child = world["family"], world["child"]
    entry = Entry(member_id=child.id, family_id=family.id, kind="good_news", language="pl", answers={"what_happened": "Gol!"})
    db_session().add(entry)
    db_session().commit()
    for allowed in (world["worker_a"], world["manager_a"]):
        assert policy.may_translate_for_family(allowed, family) and policy.may_translate_entry(allowed, entry)
    refused: list[Any] = [world["worker_b"], world["manager_b"], world["other_worker_a"], world["parent"].user, child.user]
    for user in refused:
        assert not policy.may_translate_for_family(user, family), user.display_name
        assert not policy.may_translate_entry(user, entry), user.display_name
    assert policy.can_see_entry(child.user, entry), "the child sees their own entry, and still may not translate it"
