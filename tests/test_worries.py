"""The worry scale: workers add worries, members score them 0-10 and see their history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.worries.models import Worry, WorryMember, WorryScore

from .helpers import signed_in, text

WHOLE_NUMBER = "Please choose a whole number from 0 to 10."


def worker_worry(family: Any, wording: str, *members: Any, is_safety: bool = False) -> Worry:
    worry = Worry(
        family_id=family.id,
        wording=wording,
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        is_safety=is_safety,
    )
    worry.applies_to = [WorryMember(member_id=member.id) for member in members]
    db_session().add(worry)
    db_session().commit()
    return worry


def scores_of(worry: Worry, member: Any) -> list[int]:
    return list(
        db_session().scalars(
            select(WorryScore.score)
            .where(WorryScore.worry_id == worry.id, WorryScore.member_id == member.id)
            .order_by(WorryScore.created_at, WorryScore.id)
        )
    )


def table_scores(html: str) -> list[int]:
    """The scores column of each scores table on the page, in the order shown."""
    tables = re.findall(r'<table class="table scores-table">(.*?)</table>', html, re.S)
    return [int(score) for table in tables for score in re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td>", table)]


def score(browser: Any, worry: Worry, value: Any, one_point_higher: str = "") -> Any:
    data = {"one_point_higher": one_point_higher}
    if value is not None:
        data["score"] = value
    return browser.submit(f"/my/worries/{worry.id}", data)


@pytest.fixture
def worker(app, world):
    return signed_in(app, world["worker_a"])


# --- Adding worries.


def test_the_add_worry_form_offers_the_plain_default_ends_of_the_scale(worker, world):
    page = text(worker.get(f"/staff/families/{world['family'].id}/worries"))
    assert 'value="I am really worried about this"' in page
    assert 'value="This is working well, no worries"' in page


def test_a_worker_adds_a_worry_and_chooses_who_scores_it(app, worker, world):
    family = world["family"]
    response = worker.submit(
        f"/staff/families/{family.id}/worries",
        {
            "wording": "Mum and Dad shouting at home",
            "danger_statement": "Children's services are worried that the children hear loud arguments.",
            "meaning_0": "The shouting happens every day",
            "meaning_10": "Nobody shouts at home",
            "members": [world["child"].id, world["parent"].id],
        },
    )
    assert response.status_code == 302
    worry = db_session().scalars(select(Worry)).one()
    assert worry.wording == "Mum and Dad shouting at home"
    assert worry.owner_member_id is None
    assert {link.member_id for link in worry.applies_to} == {world["child"].id, world["parent"].id}

    child = signed_in(app, world["child"].user)
    assert "Mum and Dad shouting at home" in text(child.get("/my/worries"))
    page = text(child.get(f"/my/worries/{worry.id}"))
    assert "The shouting happens every day" in page and "Nobody shouts at home" in page
    assert "Children's services are worried" not in page, "the professional wording is for staff"

    young_child = signed_in(app, world["young_child"].user)
    assert "Mum and Dad shouting at home" not in text(young_child.get("/my/worries"))
    assert young_child.get(f"/my/worries/{worry.id}").status_code == 404


def test_a_worker_must_choose_at_least_one_person(worker, world):
    response = worker.submit(
        f"/staff/families/{world['family'].id}/worries",
        {"wording": "School attendance", "meaning_0": "Never at school", "meaning_10": "At school every day"},
    )
    assert response.status_code == 400
    assert "Please choose at least one person." in text(response)
    assert db_session().scalar(select(func.count(Worry.id))) == 0


def test_a_worker_cannot_give_a_worry_to_someone_in_another_family(worker, world):
    response = worker.submit(
        f"/staff/families/{world['family'].id}/worries",
        {"wording": "School attendance", "meaning_0": "Never at school", "meaning_10": "At school every day", "members": [world["other_child"].id]},
    )
    assert response.status_code == 400
    assert db_session().scalar(select(func.count(Worry.id))) == 0


def test_a_restricted_member_is_not_offered_and_cannot_be_chosen_to_score_a_worry(worker, world):
    restricted = world["restricted_parent"]
    form = worker.get(f"/staff/families/{world['family'].id}/worries").get_data(as_text=True)
    assert f'value="{world["child"].id}"' in form
    assert f'name="members" type="checkbox" value="{restricted.id}"' not in form and f'value="{restricted.id}"' not in form
    response = worker.submit(
        f"/staff/families/{world['family'].id}/worries",
        {"wording": "Contact visits", "meaning_0": "Scary", "meaning_10": "Fine", "members": [world["child"].id, restricted.id]},
    )
    assert response.status_code == 400
    assert db_session().scalar(select(func.count(Worry.id))) == 0


def test_someone_restricted_after_being_chosen_is_not_shown_as_waiting_to_score(app, worker, world):
    worry = worker_worry(world["family"], "Contact visits", world["restricted_parent"], world["child"])
    page = worker.get(f"/staff/families/{world['family'].id}/worries").get_data(as_text=True)
    people = re.findall(r'<div class="person-scores">\s*<h3>([^<]+)</h3>', page)
    assert people == [world["child"].display_name]
    edit = worker.get(f"/staff/worries/{worry.id}/edit").get_data(as_text=True)
    assert f'value="{world["restricted_parent"].id}"' not in edit


def test_a_member_sees_the_worries_that_apply_to_them_and_their_own(app, world):
    for_child = worker_worry(world["family"], "Getting to school on time", world["child"])
    for_parent = worker_worry(world["family"], "Mornings are a rush", world["parent"])
    child = signed_in(app, world["child"].user)
    response = child.submit("/my/worries/new", {"wording": "Being picked on at the bus stop"}, page="/my/worries")
    own = db_session().scalars(select(Worry).where(Worry.owner_member_id == world["child"].id)).one()
    assert response.headers["Location"] == f"/my/worries/{own.id}"

    page = text(child.get("/my/worries"))
    assert "Getting to school on time" in page
    assert "Being picked on at the bus stop" in page
    assert "Mornings are a rush" not in page
    assert child.get(f"/my/worries/{for_parent.id}").status_code == 404

    parent = signed_in(app, world["parent"].user)
    page = text(parent.get("/my/worries"))
    assert "Mornings are a rush" in page
    assert "Being picked on at the bus stop" not in page and "Getting to school on time" not in page
    assert parent.get(f"/my/worries/{own.id}").status_code == 404
    assert parent.get(f"/my/worries/{for_child.id}").status_code == 404


def test_a_restricted_member_never_sees_the_workers_worries_even_if_chosen(app, world):
    worry = worker_worry(world["family"], "Contact visits", world["restricted_parent"], world["parent"])
    restricted = signed_in(app, world["restricted_parent"].user)
    assert "Contact visits" not in text(restricted.get("/my/worries"))
    assert restricted.get(f"/my/worries/{worry.id}").status_code == 404
    assert score(restricted, worry, "5").status_code == 404
    assert scores_of(worry, world["restricted_parent"]) == []
    # Their own worries still work.
    restricted.submit("/my/worries/new", {"wording": "Seeing my children"}, page="/my/worries")
    own = db_session().scalars(select(Worry).where(Worry.owner_member_id == world["restricted_parent"].id)).one()
    assert score(restricted, own, "3").status_code == 302
    assert scores_of(own, world["restricted_parent"]) == [3]


def test_an_own_worry_needs_words(app, world):
    child = signed_in(app, world["child"].user)
    response = child.submit("/my/worries/new", {"wording": "   "}, page="/my/worries")
    assert response.status_code == 400
    assert "Please write your worry." in text(response)
    assert db_session().scalar(select(func.count(Worry.id))) == 0


def test_another_familys_worry_is_404_for_a_member(app, world):
    theirs = worker_worry(world["other_family"], "Their private worry", world["other_child"])
    child = signed_in(app, world["child"].user)
    assert child.get(f"/my/worries/{theirs.id}").status_code == 404
    assert score(child, theirs, "4").status_code == 404
    assert "Their private worry" not in text(child.get("/my/worries"))
    assert db_session().scalar(select(func.count(WorryScore.id))) == 0


def test_staff_of_another_family_or_team_get_404_on_the_familys_worries(app, world):
    worker_worry(world["family"], "Getting to school on time", world["child"])
    for name in ("other_worker_a", "worker_b", "manager_b"):
        browser = signed_in(app, world[name])
        assert browser.get(f"/staff/families/{world['family'].id}/worries").status_code == 404, name
    assert signed_in(app, world["manager_a"]).get(f"/staff/families/{world['family'].id}/worries").status_code == 200


# --- Scoring.


def test_the_score_is_a_plain_radio_group_from_0_to_10_with_its_ends_spelled_out(app, world):
    worry = worker_worry(world["family"], "Getting to school on time", world["child"])
    page = signed_in(app, world["child"].user).get(f"/my/worries/{worry.id}").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', page)
    assert [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios] == [str(n) for n in range(11)]  # type: ignore[union-attr]
    assert all('name="score"' in radio for radio in radios)
    assert "I am really worried about this" in page
    assert "This is working well, no worries" in page
    assert "What would make it one point higher?" in page


def test_every_whole_number_from_0_to_10_is_accepted(app, world):
    worry = worker_worry(world["family"], "Getting to school on time", world["child"])
    child = signed_in(app, world["child"].user)
    for value in range(11):
        response = score(child, worry, str(value))
        assert response.status_code == 302, value
    assert scores_of(worry, world["child"]) == list(range(11))
    assert "Your score is saved. Thank you." in text(child.get(f"/my/worries/{worry.id}"))


@pytest.mark.parametrize("value", ["-1", "11", "5.5", "five", "", " ", "1e1", "0x5", "²", "٣", "05", "1" * 5000, None])
def test_anything_but_a_whole_number_from_0_to_10_is_refused_and_nothing_stored(app, world, value):
    worry = worker_worry(world["family"], "Getting to school on time", world["child"])
    child = signed_in(app, world["child"].user)
    response = score(child, worry, value, one_point_higher="Should not be kept")
    assert response.status_code == 400
    assert WHOLE_NUMBER in text(response)
    assert db_session().scalar(select(func.count(WorryScore.id))) == 0


def test_the_history_page_shows_a_chart_and_a_table_of_the_scores_in_order(app, world):
    worry = worker_worry(world["family"], "Getting to school on time", world["child"])
    child = signed_in(app, world["child"].user)
    assert "No scores yet" in text(child.get(f"/my/worries/{worry.id}"))
    for value in ("3", "7", "5"):
        score(child, worry, value, one_point_higher=f"Answer after {value}")
    page = child.get(f"/my/worries/{worry.id}").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert svg is not None
    assert svg.group(0).count("<circle") == 3, "one dot per score"
    assert 'role="img"' in svg.group(0)
    assert table_scores(page) == [3, 7, 5]
    assert "Answer after 7" in page


def test_what_would_make_it_higher_is_kept_as_typed_and_shown_escaped(app, world):
    worry = worker_worry(world["family"], "Getting to school on time", world["child"])
    child = signed_in(app, world["child"].user)
    score(child, worry, "4", one_point_higher="<script>alert('hi')</script> a lift")
    stored = db_session().scalars(select(WorryScore)).one()
    assert stored.one_point_higher == "<script>alert('hi')</script> a lift"
    page = child.get(f"/my/worries/{worry.id}").get_data(as_text=True)
    assert "<script>alert('hi')</script>" not in page
    assert "&lt;script&gt;alert(" in page


def test_a_member_sees_only_their_own_history(app, world):
    worry = worker_worry(world["family"], "Mornings", world["child"], world["parent"])
    score(signed_in(app, world["parent"].user), worry, "9")
    child = signed_in(app, world["child"].user)
    score(child, worry, "2")
    assert table_scores(child.get(f"/my/worries/{worry.id}").get_data(as_text=True)) == [2]


def test_the_worker_sees_every_members_history_side_by_side(app, worker, world):
    worry = worker_worry(world["family"], "Mornings", world["child"], world["parent"])
    child = signed_in(app, world["child"].user)
    parent = signed_in(app, world["parent"].user)
    for value in ("2", "4"):
        score(child, worry, value)
    for value in ("8", "6", "9"):
        score(parent, worry, value)
    page = worker.get(f"/staff/families/{world['family'].id}/worries").get_data(as_text=True)
    people = re.findall(r'<div class="person-scores">\s*<h3>([^<]+)</h3>(.*?)</table>', page, re.S)
    by_name = {name: body for name, body in people}
    assert set(by_name) == {"Child", "Parent"}
    assert table_scores(by_name["Child"] + "</table>") == [2, 4]
    assert table_scores(by_name["Parent"] + "</table>") == [8, 6, 9]
    assert "<svg" in by_name["Child"] and "<svg" in by_name["Parent"]
    assert by_name["Child"].count("<circle") == 2 and by_name["Parent"].count("<circle") == 3


def test_a_members_own_worry_shows_on_the_workers_page_with_their_scores(app, worker, world):
    child = signed_in(app, world["child"].user)
    child.submit("/my/worries/new", {"wording": "Being picked on at the bus stop"}, page="/my/worries")
    own = db_session().scalars(select(Worry)).one()
    score(child, own, "1")
    page = text(worker.get(f"/staff/families/{world['family'].id}/worries"))
    assert "Being picked on at the bus stop" in page
    assert "Added by the family member" in page


def test_a_zero_on_an_ordinary_worry_is_just_a_score(app, world):
    worry = worker_worry(world["family"], "Tidy bedroom", world["child"])
    response = score(signed_in(app, world["child"].user), worry, "0")
    assert response.headers["Location"] == f"/my/worries/{worry.id}"
    assert scores_of(worry, world["child"]) == [0]
    assert db_session().scalar(select(func.count(Entry.id))) == 0
