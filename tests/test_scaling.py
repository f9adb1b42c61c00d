"""Scaling as the Signs of Safety template asks: each person scores each worry about each child it concerns,
the worker records their own, a professional's and a network member's scores, and everybody sees the distance
travelled from the baseline (the first score since the plan started)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.worries import services
from webapp.worries.models import Worry, WorryChild, WorryMember, WorryScore

from .helpers import signed_in, text
from .test_cli_commands import fresh_database


def shouting(world: dict[str, Any], *scorers: Any, children: tuple[Any, ...] = ()) -> Worry:
    worry = Worry(family_id=world["family"].id, wording="Shouting at home", meaning_0="Shouting every day", meaning_10="Nobody shouts")
    worry.applies_to = [WorryMember(member_id=m.id) for m in scorers]
    worry.concerns = [WorryChild(member_id=c.id) for c in children]
    db_session().add(worry)
    db_session().commit()
    return worry


def about(worry: Worry, scorer: Any, child: Any) -> list[int]:
    return list(db_session().scalars(
        select(WorryScore.score).where(WorryScore.worry_id == worry.id, WorryScore.member_id == scorer.id, WorryScore.about_member_id == child.id)
        .order_by(WorryScore.id)
    ))


def score_count() -> int:
    return db_session().scalar(select(func.count(WorryScore.id))) or 0


@pytest.fixture
def worker(app, world):
    return signed_in(app, world["worker_a"])


def test_a_parent_scores_one_worry_about_each_of_two_children_separately(app, world):
    sam, alex, parent = world["child"], world["young_child"], world["parent"]
    worry = shouting(world, parent, sam, children=(sam, alex))
    browser = signed_in(app, parent.user)
    cards = text(browser.get("/my/worries"))
    assert "About Child" in cards and "About Young child" in cards, "one card per child"

    page = browser.get(f"/my/worries/{worry.id}").get_data(as_text=True)
    assert "Who is this score about?" in page
    assert browser.submit(f"/my/worries/{worry.id}?about={sam.id}", {"about": str(sam.id), "score": "3", "what_makes_it": "Rows at bedtime"}).status_code == 302
    assert browser.submit(f"/my/worries/{worry.id}?about={alex.id}", {"about": str(alex.id), "score": "6"}).status_code == 302
    browser.submit(f"/my/worries/{worry.id}?about={sam.id}", {"about": str(sam.id), "score": "5"})
    assert about(worry, parent, sam) == [3, 5] and about(worry, parent, alex) == [6]
    assert db_session().scalars(select(WorryScore.what_makes_it).where(WorryScore.score == 3)).one() == "Rows at bedtime"

    # Each child's history on its own page: Sam's two scores, Alex's one.
    sam_page = browser.get(f"/my/worries/{worry.id}?about={sam.id}").get_data(as_text=True)
    assert re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td>", sam_page) == ["3", "5"]
    assert "Rows at bedtime" in sam_page


def test_without_saying_which_child_nothing_is_stored_and_the_page_says_why(app, world):
    sam, alex, parent = world["child"], world["young_child"], world["parent"]
    worry = shouting(world, parent, children=(sam, alex))
    browser = signed_in(app, parent.user)
    response = browser.submit(f"/my/worries/{worry.id}", {"score": "4", "one_point_higher": "Calmer evenings"})
    assert response.status_code == 400
    assert "Please choose who this score is about." in text(response)
    assert "Calmer evenings" in text(response), "what they typed is shown back"
    assert score_count() == 0


def test_a_member_cannot_score_about_a_child_the_worry_does_not_concern_or_in_another_family(app, world):
    sam, alex, parent = world["child"], world["young_child"], world["parent"]
    worry = shouting(world, parent, children=(sam, alex))
    browser = signed_in(app, parent.user)
    other = world["other_child"]
    assert browser.get(f"/my/worries/{worry.id}?about={other.id}").status_code == 404
    response = browser.submit(f"/my/worries/{worry.id}?about={other.id}", {"about": str(other.id), "score": "4"}, page=f"/my/worries/{worry.id}")
    assert response.status_code in (400, 404)
    response = browser.submit(f"/my/worries/{worry.id}", {"about": str(parent.id), "score": "4"})
    assert response.status_code == 400 and "Please choose who this score is about." in text(response)
    theirs = Worry(family_id=world["other_family"].id, wording="Their worry", meaning_0="0", meaning_10="10",
                   applies_to=[WorryMember(member_id=other.id)], concerns=[WorryChild(member_id=other.id)])
    db_session().add(theirs)
    db_session().commit()
    assert browser.submit(f"/my/worries/{theirs.id}?about={other.id}", {"about": str(other.id), "score": "4"}, page=f"/my/worries/{worry.id}").status_code == 404
    assert score_count() == 0


def test_a_young_person_the_worry_is_about_scores_it_about_themselves(app, world):
    sam, alex = world["child"], world["young_child"]
    worry = shouting(world, sam, children=(sam, alex))
    browser = signed_in(app, sam.user)
    page = browser.get(f"/my/worries/{worry.id}").get_data(as_text=True)
    assert "Who is this score about?" not in page
    assert browser.submit(f"/my/worries/{worry.id}", {"score": "7"}).status_code == 302
    assert about(worry, sam, sam) == [7] and about(worry, sam, alex) == []


def test_a_parent_is_never_asked_to_score_about_a_restricted_child(app, world):
    sam, parent = world["child"], world["parent"]
    sam.restricted = True
    worry = shouting(world, parent, children=(sam, world["young_child"]))
    browser = signed_in(app, parent.user)
    page = browser.get(f"/my/worries/{worry.id}").get_data(as_text=True)
    assert "Who is this score about?" not in page and "Child" not in re.sub(r"Young child", "", text(browser.get("/my/worries")))
    assert browser.get(f"/my/worries/{worry.id}?about={sam.id}").status_code in (200, 404)
    browser.submit(f"/my/worries/{worry.id}", {"score": "5", "about": str(sam.id)})
    assert about(worry, parent, sam) == []


def test_the_worker_records_a_grandparents_score_with_name_role_and_date(app, world, worker):
    sam, alex = world["child"], world["young_child"]
    worry = shouting(world, world["parent"], children=(sam, alex))
    url = f"/staff/worries/{worry.id}/scores/new"
    form = {"kind": "network", "name": "Gran Rose", "role": "Grandmother", "given_on": "2026-11-20", "about": str(alex.id),
            "score": "6", "what_makes_it": "Alex stays at mine on Saturdays", "one_point_higher": "Alex tells me about school",
            "client_id": "gran-score-1"}
    assert worker.submit(url, {**form, "name": ""}).status_code == 400
    assert worker.submit(url, {**form, "about": str(world["other_child"].id)}).status_code == 400
    assert score_count() == 0
    response = worker.submit(url, form)
    assert response.status_code == 302
    worker.submit(url, form)  # the same form sent twice is one score
    stored = db_session().scalars(select(WorryScore)).one()
    assert (stored.member_id, stored.about_member_id, stored.scorer_kind, stored.scorer_name, stored.scorer_role, stored.given_on,
            stored.recorded_by_id) == (None, alex.id, "network", "Gran Rose", "Grandmother", date(2026, 11, 20), world["worker_a"].id)

    page = text(worker.get(f"/staff/families/{world['family'].id}/worries"))
    assert "Gran Rose" in page and "Network: Grandmother" in page and "Alex stays at mine on Saturdays" in page

    # The worker's own score: their name, no need to type it.
    worker.submit(url, {**form, "kind": "worker", "name": "", "role": "", "about": str(sam.id), "score": "4", "client_id": "worker-score-1"})
    mine = db_session().scalars(select(WorryScore).where(WorryScore.scorer_kind == "worker")).one()
    assert mine.scorer_name == world["worker_a"].display_name and mine.about_member_id == sam.id

    rows = list(csv.reader(io.StringIO(worker.get(f"/staff/families/{world['family'].id}/worry-scores.csv").get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    gran = dict(zip(header, next(r for r in rows if r[0] == "Gran Rose"), strict=True))
    assert gran["about"] == "Young child" and gran["scorer kind"] == "network" and gran["scorer role"] == "Grandmother"
    assert gran["date"] == "2026-11-20" and gran["recorded by"] == world["worker_a"].display_name

    # A family member never sees the worker's or Gran's scores on their own page.
    parent_page = text(signed_in(app, world["parent"].user).get(f"/my/worries/{worry.id}?about={alex.id}"))
    assert "Alex stays at mine" not in parent_page and "Gran Rose" not in parent_page


def test_another_teams_worker_cannot_record_a_score(app, world):
    worry = shouting(world, world["parent"], children=(world["child"],))
    browser = signed_in(app, world["worker_b"])
    assert browser.get(f"/staff/worries/{worry.id}/scores/new").status_code == 404


def _score(worry: Worry, member: Any, child: Any, value: int, when: datetime) -> None:
    db_session().add(WorryScore(worry_id=worry.id, member_id=member.id, about_member_id=child.id, score=value, created_at=when))


def test_the_baseline_is_the_first_score_since_the_plan_started_and_the_distance_is_counted_from_it(app, world, worker):
    sam, parent = world["child"], world["parent"]
    worry = shouting(world, parent, children=(sam,))
    for day, value in ((1, 2), (10, 4), (20, 5), (30, 7)):
        _score(worry, parent, sam, value, datetime(2026, 10, day, 12, tzinfo=UTC))
    db_session().commit()
    # Before any plan: the first score is the baseline.
    [series] = services.worry_series(worry)
    assert (series.baseline.score, series.latest.score, series.distance) == (2, 7, 5)

    db_session().add(PlanVersion(family_id=world["family"].id, number=1, status=PUBLISHED, content={},
                                 published_at=datetime(2026, 10, 5, 9, tzinfo=UTC)))
    db_session().commit()
    [series] = services.worry_series(worry)
    assert (series.baseline.score, series.latest.score, series.distance) == (4, 7, 3)

    page = worker.get(f"/staff/families/{world['family'].id}/worries").get_data(as_text=True)
    assert "Distance travelled from the baseline: +3 (from 4 to 7)" in text(worker.get(f"/staff/families/{world['family'].id}/worries"))
    svg = re.search(r'<svg class="chart"[^>]*role="img"[^>]*>.*?</svg>', page, re.S)
    assert svg is not None and "chart-baseline" in svg.group(0) and svg.group(0).count("<circle") == 4
    table = re.search(r'<table class="table scores-table">.*?</table>', page, re.S)
    assert table is not None and "Baseline" in table.group(0) and "+3" in table.group(0) and "<caption>" in table.group(0)

    # The family member sees the same distance for their own scores.
    mine = text(signed_in(app, parent.user).get(f"/my/worries/{worry.id}"))
    assert "Since the start of the plan: from 4 to 7 (+3)." in mine


def test_the_review_and_its_exports_hold_each_persons_distance_travelled_about_each_child(app, world, worker):
    from .review_steps import default_start_and_end, start_review, text_blocks

    sam, alex, parent = world["child"], world["young_child"], world["parent"]
    worry = shouting(world, parent, children=(sam, alex))
    now = datetime.now(UTC)
    _score(worry, parent, sam, 3, now.replace(hour=0, minute=1))
    _score(worry, parent, sam, 6, now)
    _score(worry, parent, alex, 5, now)
    db_session().commit()
    url = start_review(worker, world["family"], *default_start_and_end(worker, world["family"]))
    blocks = dict(text_blocks(worker, url))
    scaling = blocks["Scaling: distance travelled from the baseline"]
    assert "Parent (Parent or carer) about Child: baseline 3" in scaling and "distance travelled +3" in scaling
    assert "Parent (Parent or carer) about Young child: baseline 5" in scaling
    printed = worker.get(f"{url}/print").get_data(as_text=True)
    assert printed.count('<svg class="chart"') == 2 and printed.count("scores-table") == 2
    import docx

    document = docx.Document(io.BytesIO(worker.get(f"{url}/review.docx").get_data()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Baseline" in cells and "+3" in cells


def test_the_migration_makes_every_old_score_a_score_about_every_child_the_worry_concerned(fresh_database):
    from sqlalchemy import create_engine

    from .old_rows import OldRows
    from .test_plan_records import migrate

    migrate(fresh_database, "upgrade", "0016")
    rows = OldRows(fresh_database)
    people = rows.family()
    family, parent, sam = people["family"], people["parent"], people["young_person"]
    alex = rows.add("family_members", family_id=family, display_name="Alex", role="young_person", age_band="8-10", preferred_language="en",
                    restricted=False)
    worker_worry = rows.add("worries", family_id=family, wording="Shouting", meaning_0="0", meaning_10="10", is_safety=True)
    rows.add_many("worry_members", [{"worry_id": worker_worry, "member_id": m} for m in (parent, sam, alex)])
    parents_own = rows.add("worries", family_id=family, wording="Money", meaning_0="0", meaning_10="10", owner_member_id=parent)
    sams_own = rows.add("worries", family_id=family, wording="The bus stop", meaning_0="0", meaning_10="10", owner_member_id=sam)
    lonely = rows.family()  # a family whose worry applies to the parent alone: no child to be about
    rows.add("family_members", family_id=lonely["family"], display_name="Gone", role="parent", age_band="adult", preferred_language="en",
             restricted=False)
    adults_only = rows.add("worries", family_id=lonely["family"], wording="Work", meaning_0="0", meaning_10="10")
    rows.add("worry_members", worry_id=adults_only, member_id=lonely["parent"])
    when = datetime(2026, 11, 1, 12, tzinfo=UTC)
    old = [
        {"worry_id": worker_worry, "member_id": parent, "score": 3, "one_point_higher": "Calmer nights", "language": "pl", "created_at": when,
         "client_id": "parent-score-1"},
        {"worry_id": worker_worry, "member_id": sam, "score": 0, "one_point_higher": "", "language": "en", "created_at": when},
        {"worry_id": parents_own, "member_id": parent, "score": 5, "one_point_higher": "A job", "language": "en", "created_at": when},
        {"worry_id": sams_own, "member_id": sam, "score": 6, "one_point_higher": "", "language": "en", "created_at": when, "way": "picture"},
        {"worry_id": adults_only, "member_id": lonely["parent"], "score": 7, "one_point_higher": "", "language": "en", "created_at": when},
    ]
    rows.add_many("worry_scores", old)
    rows.close()

    migrate(fresh_database, "upgrade", "0017")
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            children = set(connection.execute(select(WorryChild.worry_id, WorryChild.member_id)).all())
            after = connection.execute(select(
                WorryScore.worry_id, WorryScore.member_id, WorryScore.about_member_id, WorryScore.score, WorryScore.one_point_higher,
                WorryScore.language, WorryScore.scorer_kind, WorryScore.way, WorryScore.client_id,
            )).all()
    finally:
        engine.dispose()
    assert children == {(worker_worry, sam), (worker_worry, alex), (parents_own, sam), (parents_own, alex), (sams_own, sam)}
    assert sorted(after, key=repr) == sorted([
        (worker_worry, parent, sam, 3, "Calmer nights", "pl", "member", None, "parent-score-1"),
        (worker_worry, parent, alex, 3, "Calmer nights", "pl", "member", None, None),
        (worker_worry, sam, sam, 0, "", "en", "member", None, None),
        (worker_worry, sam, alex, 0, "", "en", "member", None, None),
        (parents_own, parent, sam, 5, "A job", "en", "member", None, None),
        (parents_own, parent, alex, 5, "A job", "en", "member", None, None),
        (sams_own, sam, sam, 6, "", "en", "member", "picture", None),
        (adults_only, lonely["parent"], None, 7, "", "en", "member", None, None),
    ], key=repr)

    migrate(fresh_database, "downgrade", "0016")
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            back = connection.execute(select(WorryScore.__table__.c.worry_id, WorryScore.__table__.c.member_id, WorryScore.__table__.c.score)).all()
    finally:
        engine.dispose()
    assert sorted(back) == sorted((r["worry_id"], r["member_id"], r["score"]) for r in old)


# Who may record a score, and who may score about which child: the answers written out by hand.
#                      record a score  about Child  about Young child  about Other child
SCORING_MATRIX: dict[str, tuple[int, int, int, int]] = {
    "parent":            (404, 200, 200, 404),
    "child":             (404, 200, 404, 404),  # the worry is about them: they score about themselves only
    "young_child":       (404, 404, 200, 404),
    "restricted_parent": (404, 404, 404, 404),  # a restricted member sees nothing of the worker's worries
    "other_child":       (404, 404, 404, 404),
    "worker_a":          (200, 404, 404, 404),  # a member's own pages are never staff's
    "other_worker_a":    (404, 404, 404, 404),
    "worker_b":          (404, 404, 404, 404),
    "manager_a":         (200, 404, 404, 404),
}


@pytest.mark.parametrize(("who", "expected"), SCORING_MATRIX.items(), ids=list(SCORING_MATRIX))
def test_who_may_record_a_score_and_score_about_which_child(app, world, who, expected):
    worry = shouting(world, world["parent"], world["child"], world["young_child"], world["restricted_parent"],
                     children=(world["child"], world["young_child"]))
    user = world[who] if who.startswith(("worker", "other_worker", "manager")) else world[who].user
    browser = signed_in(app, user)
    answers = (
        browser.get(f"/staff/worries/{worry.id}/scores/new").status_code,
        *(browser.get(f"/my/worries/{worry.id}?about={world[c].id}").status_code for c in ("child", "young_child", "other_child")),
    )
    assert answers == expected


def test_a_picture_led_child_scores_a_worry_about_their_brother_and_sister_one_screen_each(app, world):
    from . import factories

    six = factories.member(world["family"], "young_person", name="Sunny", age_band="5-7")
    sam, alex = world["child"], world["young_child"]
    worry = shouting(world, six, children=(sam, alex))
    browser = signed_in(app, six.user)
    tiles = text(browser.get("/my/pictures/worries"))
    assert tiles.count("Shouting at home") == 2 and "About Child" in tiles and "About Young child" in tiles
    assert browser.get(f"/my/pictures/worries/{worry.id}").status_code == 302, "first the tile: one child a screen"
    screen = text(browser.get(f"/my/pictures/worries/{worry.id}?about={alex.id}"))
    assert "About Young child" in screen and "About Child" not in screen.replace("About Young child", "")
    assert browser.submit(f"/my/pictures/worries/{worry.id}?about={alex.id}", {"score": "4"}).status_code == 302
    stored = db_session().scalars(select(WorryScore)).one()
    assert (stored.member_id, stored.about_member_id, stored.score, stored.way) == (six.id, alex.id, 4, "picture")
    assert browser.get(f"/my/pictures/worries/{worry.id}?about={six.id}").status_code == 404
