"""Parents comment on their assessment: per section and overall, until the worker closes comments."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from webapp.assessments.models import Assessment, AssessmentComment
from webapp.audit.models import AuditEvent
from webapp.db import db_session

from . import factories
from .helpers import signed_in, text


@pytest.fixture
def shared(app, world) -> dict[str, Any]:
    """An assessment with two sections, shared with the family's parent only."""
    worker = signed_in(app, world["worker_a"])
    family = world["family"]
    created = worker.submit(f"/staff/families/{family.id}/assessments", {"title": "Family assessment, November"})
    assert created.status_code == 302
    url = created.headers["Location"]
    saved = worker.submit(url, {
        "title": "Family assessment, November",
        "sections-0-heading": "Home life",
        "sections-0-body": "Mornings are calmer. Arguments still happen at night.",
        "sections-1-heading": "School",
        "sections-1-body": "Sam is going to school most days.",
        "shared_with": [str(world["parent"].id)],
    })
    assert saved.status_code == 302, text(saved)
    assessment = db_session().scalars(select(Assessment)).one()
    return {"worker": worker, "url": url, "assessment": assessment, "sections": [s.id for s in assessment.sections]}


def comment_count() -> int:
    return db_session().scalar(select(func.count(AssessmentComment.id))) or 0


def test_the_chosen_parent_reads_the_assessment_and_comments_per_section_and_overall(app, world, shared):
    parent = signed_in(app, world["parent"].user)
    assert "My assessment" in text(parent.get("/home"))
    page = parent.get(f"/my/assessments/{shared['assessment'].id}")
    assert "Mornings are calmer." in text(page)
    home_life, school = shared["sections"]
    response = parent.submit(f"/my/assessments/{shared['assessment'].id}", {
        f"agree-{home_life}": "partly", f"text-{home_life}": "Nights are better since we made a rota.",
        f"agree-{school}": "yes", f"text-{school}": "",
        "agree-0": "yes", "text-0": "Thank you for listening.",
    })
    assert response.status_code == 302
    comments = db_session().scalars(select(AssessmentComment).order_by(AssessmentComment.section_key)).all()
    assert [(c.section_key, c.agree, c.text) for c in comments] == [
        (0, "yes", "Thank you for listening."),
        (home_life, "partly", "Nights are better since we made a rota."),
        (school, "yes", ""),
    ]
    worker_page = text(shared["worker"].get(shared["url"]))
    assert "Nights are better since we made a rota." in worker_page
    assert worker_page.index("Mornings are calmer.") < worker_page.index("Nights are better") < worker_page.index("Sam is going to school")


def test_a_comment_is_saved_as_it_is_written_and_can_be_changed(app, world, shared):
    parent = signed_in(app, world["parent"].user)
    url = f"/my/assessments/{shared['assessment'].id}"
    token = parent.csrf_token(url)
    home_life = shared["sections"][0]
    for words in ("First thoughts", "Second thoughts, better"):
        response = parent.post(url + "/comment", data=json.dumps({"section": home_life, "agree": "no", "text": words}),
                               headers={"X-CSRFToken": token, "Content-Type": "application/json"})
        assert response.status_code == 200
        assert response.get_json()["saved_at"]
    assert comment_count() == 1
    assert "Second thoughts, better" in text(parent.get(url))


def test_closing_the_comments_stops_changes_and_says_so(app, world, shared):
    parent = signed_in(app, world["parent"].user)
    url = f"/my/assessments/{shared['assessment'].id}"
    parent.submit(url, {"agree-0": "yes", "text-0": "All good."})
    assert shared["worker"].submit(shared["url"] + "/close", page=shared["url"]).status_code == 302
    refused = parent.submit(url, {"agree-0": "no", "text-0": "Changed my mind."})
    assert refused.status_code == 400
    assert "closed the comments" in text(refused)
    token = parent.csrf_token(url)
    by_script = parent.post(url + "/comment", data=json.dumps({"section": None, "agree": "no", "text": "Again"}),
                            headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert by_script.status_code == 400
    saved = db_session().scalars(select(AssessmentComment)).one()
    assert (saved.agree, saved.text) == ("yes", "All good.")
    assert "All good." in text(parent.get(url)), "what they wrote can still be read"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"agree-0": "maybe"}, "Please choose Yes, Partly or No."),
        ({"text-0": "x" * 5001}, "Please write at most 5000 characters."),
    ],
)
def test_bad_comments_are_refused_with_a_message_and_nothing_is_stored(app, world, shared, data, message):
    parent = signed_in(app, world["parent"].user)
    response = parent.submit(f"/my/assessments/{shared['assessment'].id}", data)
    assert response.status_code == 400
    assert message in text(response)
    assert comment_count() == 0


def test_a_section_of_another_assessment_is_refused(app, world, shared):
    family = world["family"]
    other = factories.staff(world["team_a"], "worker")
    del other
    second = shared["worker"].submit(f"/staff/families/{family.id}/assessments", {"title": "Another"})
    shared["worker"].submit(second.headers["Location"], {"title": "Another", "sections-0-heading": "Elsewhere", "sections-0-body": "x"})
    foreign_section = db_session().scalars(select(Assessment).where(Assessment.title == "Another")).one().sections[0].id
    parent = signed_in(app, world["parent"].user)
    url = f"/my/assessments/{shared['assessment'].id}"
    response = parent.post(url + "/comment", data=json.dumps({"section": foreign_section, "agree": "yes", "text": "hi"}),
                           headers={"X-CSRFToken": parent.csrf_token(url), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert comment_count() == 0


@pytest.mark.parametrize("who", ["child", "restricted_parent", "other_child", "young_child"])
def test_nobody_else_in_or_out_of_the_family_can_open_it(app, world, shared, who):
    browser = signed_in(app, world[who].user)
    url = f"/my/assessments/{shared['assessment'].id}"
    assert browser.get(url).status_code == 404
    assert "Mornings are calmer" not in text(browser.get("/my/assessments"))


def test_a_second_parent_not_chosen_cannot_open_it(app, world, shared):
    other_parent = factories.member(world["family"], "parent", name="Second parent")
    assert signed_in(app, other_parent.user).get(f"/my/assessments/{shared['assessment'].id}").status_code == 404


def test_restricted_members_are_never_offered_for_sharing(app, world, shared):
    page = text(shared["worker"].get(shared["url"]))
    assert "Absent parent" not in page
    refused = shared["worker"].submit(shared["url"], {"title": "T", "shared_with": [str(world["restricted_parent"].id)]})
    assert refused.status_code == 400


@pytest.mark.parametrize("who", ["worker_b", "manager_b", "other_worker_a"])
def test_staff_not_on_the_family_get_404(app, world, shared, who):
    browser = signed_in(app, world[who])
    assert browser.get(shared["url"]).status_code == 404
    assert browser.get(f"/staff/families/{world['family'].id}/assessments").status_code == 404


def test_staff_reading_the_comments_is_audited(app, world, shared):
    shared["worker"].get(shared["url"])
    events = db_session().scalars(select(AuditEvent).where(AuditEvent.action == "assessment_comments_viewed")).all()
    assert events and events[-1].actor_id == world["worker_a"].id


def test_comments_flow_into_a_review(app, world, shared):
    from webapp.clock import local_today

    parent = signed_in(app, world["parent"].user)
    parent.submit(f"/my/assessments/{shared['assessment'].id}", {"agree-0": "partly", "text-0": "Mostly right, but Dad works nights."})
    family = world["family"]
    started = shared["worker"].submit(f"/staff/families/{family.id}/reviews", {"period_start": "2020-01-01", "period_end": local_today().isoformat()})
    review_url = started.headers["Location"]
    page = text(shared["worker"].get(review_url))
    assert "Mostly right, but Dad works nights." in page
    comment_id = db_session().scalar(select(AssessmentComment.id))
    shared["worker"].submit(review_url, {"item": [f"comment-{comment_id}"]})
    assert "Mostly right, but Dad works nights." in text(shared["worker"].get(review_url + "/text"))


def _edit_rows(shared: dict[str, Any], rows: list[tuple[int | str, str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {"title": "Family assessment, November", "shared_with": [str(shared["assessment"].shares[0].member_id)]}
    for index, (section_id, heading, body) in enumerate(rows):
        data |= {f"sections-{index}-section_id": str(section_id), f"sections-{index}-heading": heading, f"sections-{index}-body": body}
    return data


def _parent_comments_on_home_life(app: Any, world: dict[str, Any], shared: dict[str, Any], agree: str, words: str) -> None:
    home_life = shared["sections"][0]
    parent = signed_in(app, world["parent"].user)
    response = parent.submit(f"/my/assessments/{shared['assessment'].id}", {f"agree-{home_life}": agree, f"text-{home_life}": words})
    assert response.status_code == 302


def test_a_parents_comment_stays_with_its_section_when_the_worker_moves_sections(app, world, shared):
    home_life, school = shared["sections"]
    _parent_comments_on_home_life(app, world, shared, "partly", "Nights are better.")
    moved = shared["worker"].submit(shared["url"], _edit_rows(shared, [
        (school, "School", "Sam is going to school most days."),
        (home_life, "Home life", "Mornings are calmer. Nights too, says mum."),
    ]))
    assert moved.status_code == 302
    db_session().expire_all()
    comment = db_session().scalars(select(AssessmentComment)).one()
    assert comment.section is not None
    assert comment.section.heading == "Home life"
    assert comment.section.body == "Mornings are calmer. Nights too, says mum."
    assert [s.heading for s in db_session().get_one(Assessment, shared["assessment"].id).sections] == ["School", "Home life"]
    page = text(shared["worker"].get(shared["url"]))
    assert page.index("Nights too, says mum.") < page.index("Nights are better.")


def test_a_section_a_parent_commented_on_cannot_be_removed(app, world, shared):
    home_life, school = shared["sections"]
    _parent_comments_on_home_life(app, world, shared, "no", "This is not how it is.")
    refused = shared["worker"].submit(shared["url"], _edit_rows(shared, [
        (home_life, "", ""),
        (school, "School", "Sam is going to school every day now."),
    ]))
    assert refused.status_code == 400
    assert "A parent has commented on “Home life”, so it can't be removed." in text(refused)
    db_session().expire_all()
    assessment = db_session().get_one(Assessment, shared["assessment"].id)
    assert [(s.heading, s.body) for s in assessment.sections] == [
        ("Home life", "Mornings are calmer. Arguments still happen at night."),
        ("School", "Sam is going to school most days."),
    ], "nothing changed"
    assert db_session().scalars(select(AssessmentComment)).one().text == "This is not how it is."
    # A section nobody commented on can still be removed.
    removed = shared["worker"].submit(shared["url"], _edit_rows(shared, [(home_life, "Home life", "Calmer."), (school, "", "")]))
    assert removed.status_code == 302
    db_session().expire_all()
    assert [s.heading for s in db_session().get_one(Assessment, shared["assessment"].id).sections] == ["Home life"]
    assert comment_count() == 1


def test_an_assessment_with_as_many_sections_as_allowed_still_opens(app, world, shared):
    rows = [(shared["sections"][0], "Home life", "Calmer.")] + [("", f"Part {n}", "Words.") for n in range(38)]
    assert shared["worker"].submit(shared["url"], _edit_rows(shared, rows)).status_code == 302
    page = shared["worker"].get(shared["url"])
    assert page.status_code == 200
    assert "Part 37" in text(page)


def test_closing_the_comments_keeps_the_summary_typed_since_the_last_save(app, world, shared):
    home_life = shared["sections"][0]
    typed = _edit_rows(shared, [(home_life, "Home life", "Typed just before closing."), (shared["sections"][1], "School", "Sam goes most days.")])
    response = shared["worker"].submit(shared["url"] + "/close", typed, page=shared["url"])
    assert response.status_code == 302
    page = text(shared["worker"].get(shared["url"]))
    assert "Comments are closed." in page and "Typed just before closing." in page
    parent = text(signed_in(app, world["parent"].user).get(f"/my/assessments/{shared['assessment'].id}"))
    assert "Typed just before closing." in parent
