"""Reviews import the family's voice for a period; exports lay it out under the case-record headings."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import docx
import pytest
from sqlalchemy import func, select

from webapp.audit.models import AuditEvent
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.reviews.models import Review, ReviewItem
from webapp.reviews.services import default_period
from webapp.worries.models import Worry, WorryMember, WorryScore

from .helpers import signed_in, text

HEADINGS = [
    "Who did you see",
    "Purpose of visit",
    "What did you observe",
    "Voice of Child",
    "Parents view",
    "Worker analysis",
    "Actions and next steps",
]


def at(days_ago: int) -> datetime:
    return utcnow() - timedelta(days=days_ago)


def entry(member: Any, days_ago: int, words: str, *, kind: str = "good_news", language: str = "en", **answers: str) -> Entry:
    row = Entry(member_id=member.id, family_id=member.family_id, kind=kind, language=language,
                answers=answers or {"what_happened": words}, created_at=at(days_ago))
    db_session().add(row)
    db_session().commit()
    return row


def start_review(worker: Any, family: Any, start: date, end: date) -> str:
    response = worker.submit(f"/staff/families/{family.id}/reviews", {"period_start": start.isoformat(), "period_end": end.isoformat()})
    assert response.status_code == 302, text(response)
    return response.headers["Location"]


@pytest.fixture
def worker(app, world):
    return signed_in(app, world["worker_a"])


def test_the_default_period_starts_after_the_last_review_or_when_the_plan_started(app, world):
    family = world["family"]
    assert default_period(family) == (family.created_at.date(), utcnow().date())
    db_session().add(PlanVersion(family_id=family.id, number=1, status=PUBLISHED, content={}, published_at=at(30)))
    db_session().commit()
    assert default_period(family)[0] == at(30).date()
    db_session().add(Review(family_id=family.id, period_start=at(30).date(), period_end=at(10).date(), status="final"))
    db_session().commit()
    assert default_period(family)[0] == at(10).date() + timedelta(days=1)


def test_gathering_shows_each_members_words_in_the_period_with_their_language(worker, world):
    family = world["family"]
    entry(world["child"], 40, "Too early to count")
    entry(world["child"], 5, "I got a certificate")
    entry(world["parent"], 3, "Mamy spokojniejsze wieczory", kind="parent_views", language="pl", going_well="Mamy spokojniejsze wieczory")
    url = start_review(worker, family, at(20).date(), utcnow().date())
    page = text(worker.get(url))
    assert "I got a certificate" in page and "Mamy spokojniejsze wieczory" in page
    assert "Too early to count" not in page
    assert "written in Polski" in page


def test_distance_travelled_shows_first_and_latest_score_per_person(worker, world):
    family = world["family"]
    worry = Worry(family_id=family.id, wording="Shouting at home", meaning_0="0", meaning_10="10",
                  applies_to=[WorryMember(member_id=world["child"].id)])
    db_session().add(worry)
    db_session().flush()
    for days_ago, score in ((15, 3), (8, 5), (2, 7)):
        db_session().add(WorryScore(worry_id=worry.id, member_id=world["child"].id, score=score, created_at=at(days_ago)))
    db_session().commit()
    url = start_review(worker, family, at(20).date(), utcnow().date())
    page = text(worker.get(url))
    assert "first 3, latest 7 (change +4)" in page


def test_only_ticked_items_are_imported_and_saving_again_replaces_them(worker, world):
    family = world["family"]
    kept = entry(world["child"], 2, "Keep this one")
    dropped = entry(world["child"], 1, "Not this one")
    url = start_review(worker, family, at(10).date(), utcnow().date())
    worker.submit(url, {"item": [f"entry-{kept.id}"], "worker_analysis": "Sam is more settled."})
    record = text(worker.get(url + "/text"))
    assert "Keep this one" in record and "Not this one" not in record and "Sam is more settled." in record
    worker.submit(url, {"item": [f"entry-{dropped.id}"]})
    assert [i.source_id for i in db_session().scalars(select(ReviewItem))] == [dropped.id]


def test_imported_entries_say_used_in_review_to_staff_only(app, worker, world):
    used = entry(world["child"], 2, "Used words")
    url = start_review(worker, world["family"], at(10).date(), utcnow().date())
    worker.submit(url, {"item": [f"entry-{used.id}"]})
    assert "Used in review on" in text(worker.get(f"/staff/entries/{used.id}"))
    child = signed_in(app, world["child"].user)
    assert "Used in review" not in text(child.get(f"/my/views/{used.id}"))


def test_a_final_review_cannot_be_changed(worker, world):
    url = start_review(worker, world["family"], at(10).date(), utcnow().date())
    worker.submit(url, {"worker_analysis": "First words"})
    worker.submit(url + "/finalise", page=url)
    response = worker.submit(url, {"worker_analysis": "Changed later"}, page=url)
    assert "can't be changed" in text(worker.get(response.headers["Location"]))
    assert db_session().scalar(select(Review)).analysis["worker_analysis"] == "First words"


@pytest.mark.parametrize(
    "start,end,message",
    [
        ("2026-05-10", "2026-05-01", "The last day can't be before the first day."),
        ("2026-05-01", (date.today() + timedelta(days=3)).isoformat(), "The period can't end in the future."),
        ("next week", "2026-05-01", "Please give the first day of the period."),
    ],
)
def test_a_bad_period_is_refused_and_no_review_is_made(worker, world, start, end, message):
    response = worker.submit(f"/staff/families/{world['family'].id}/reviews", {"period_start": start, "period_end": end})
    assert response.status_code == 400
    assert message in text(response)
    assert db_session().scalar(select(func.count(Review.id))) == 0


def test_exports_are_laid_out_under_the_case_record_headings(worker, world):
    family = world["family"]
    child_words = entry(world["child"], 2, "أنا سعيد في المدرسة", language="ar")
    parent_words = entry(world["parent"], 2, "", kind="parent_views", going_well="Bedtimes are calmer")
    url = start_review(worker, family, at(10).date(), utcnow().date())
    worker.submit(url, {"item": [f"entry-{child_words.id}", f"entry-{parent_words.id}"], "who_did_you_see": "Sam and Pat at home"})

    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == HEADINGS
    body = "\n".join(p.text for p in document.paragraphs)
    assert body.index("Voice of Child") < body.index("أنا سعيد في المدرسة") < body.index("Parents view") < body.index("Bedtimes are calmer")

    pdf = worker.get(url + "/review.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"

    page = text(worker.get(url + "/print"))
    assert [page.index(h) for h in HEADINGS] == sorted(page.index(h) for h in HEADINGS)

    blocks = text(worker.get(url + "/text"))
    assert blocks.count("<textarea") == len(HEADINGS)
    assert "Sam and Pat at home" in blocks

    actions = {e.target.rsplit(":", 1)[-1] for e in db_session().scalars(select(AuditEvent).where(AuditEvent.action == "review_exported"))}
    assert actions == {"docx", "pdf", "print", "text"}


def test_the_scores_csv_has_one_row_per_score_and_neutralises_formulas(worker, world):
    family = world["family"]
    world["child"].display_name = "=HYPERLINK(\"x\")"
    worry = Worry(family_id=family.id, wording="Sleep", meaning_0="0", meaning_10="10")
    db_session().add(worry)
    db_session().flush()
    db_session().add_all([WorryScore(worry_id=worry.id, member_id=world["child"].id, score=s, created_at=datetime(2026, 11, d, tzinfo=UTC)) for d, s in ((2, 4), (9, 6))])
    db_session().commit()
    response = worker.get(f"/staff/families/{family.id}/worry-scores.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows == [["member", "worry", "score", "date"], ["'=HYPERLINK(\"x\")", "Sleep", "4", "2026-11-02"], ["'=HYPERLINK(\"x\")", "Sleep", "6", "2026-11-09"]]
    assert db_session().scalar(select(AuditEvent).where(AuditEvent.action == "scores_exported")) is not None


def test_the_meeting_sheet_shows_the_latest_get_ready_answers(worker, world):
    child = world["child"]
    assert "hasn't filled in" in text(worker.get(f"/staff/members/{child.id}/meeting-sheet"))
    entry(child, 9, "", kind="meeting", going_well="Old answer")
    entry(child, 1, "", kind="meeting", going_well="Football is going well", attend="worker_speaks")
    sheet = text(worker.get(f"/staff/members/{child.id}/meeting-sheet"))
    assert "Football is going well" in sheet and "I want my worker to speak for me" in sheet and "Old answer" not in sheet


def test_what_happened_at_my_meeting_reaches_only_that_young_person(app, worker, world):
    child, sibling, parent = world["child"], world["young_child"], world["parent"]
    assert worker.submit(f"/staff/members/{child.id}/meeting-message", {"body": ""}).status_code == 400
    worker.submit(f"/staff/members/{child.id}/meeting-message", {"body": "We agreed you can see Dad on Saturdays."})
    assert "We agreed you can see Dad on Saturdays." in text(signed_in(app, child.user).get("/home"))
    assert "We agreed" not in text(signed_in(app, sibling.user).get("/home"))
    assert "We agreed" not in text(signed_in(app, parent.user).get("/home"))
    assert worker.get(f"/staff/members/{parent.id}/meeting-message").status_code == 404


@pytest.mark.parametrize("who", ["worker_b", "manager_b", "other_worker_a", "child", "parent"])
def test_nobody_outside_the_family_reaches_any_review_page(app, world, who):
    worker = signed_in(app, world["worker_a"])
    url = start_review(worker, world["family"], at(10).date(), utcnow().date())
    user = world[who] if who in ("worker_b", "manager_b", "other_worker_a") else world[who].user
    outsider = signed_in(app, user)
    for path in ("", "/print", "/review.pdf", "/review.docx", "/text"):
        assert outsider.get(url + path).status_code == 404, path
    family = world["family"].id
    for path in (f"/staff/families/{family}/reviews", f"/staff/families/{family}/worry-scores.csv", f"/staff/members/{world['child'].id}/meeting-sheet"):
        assert outsider.get(path).status_code == 404, path
