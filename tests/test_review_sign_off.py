"""A review is made final by the team manager's sign-off, never by the worker alone.

The worker submits it with a comment; a manager of the family's team signs it off with a comment
(final) or returns it with one (a draft again, to change and submit again). Every step, with who,
when and the comment, is kept and is in the review page, the printable page, the text to paste,
the PDF and the DOCX. Managers and the worker are told in the app.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import docx
import pypdf
from sqlalchemy import select

from webapp import policy
from webapp.db import db_session, utcnow
from webapp.notifications.models import Notification, NotificationKind
from webapp.reviews.models import Review, ReviewSignOff

from . import factories
from .helpers import signed_in, text
from .review_steps import (  # clock, family and worker are fixtures
    NOW,
    SIGN_OFF_COMMENT,
    SUBMIT_COMMENT,
    clock,
    decide,
    family,
    send_entry,
    start_review,
    submit_for_sign_off,
    text_blocks,
    ticked,
    utc,
    worker,
)
from .test_cli_commands import fresh_database


def the_review() -> Review:
    db_session().expire_all()
    return db_session().scalars(select(Review)).one()


def notices(user: Any) -> list[tuple[NotificationKind, int | None]]:
    rows = db_session().scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [(n.kind, n.review_id) for n in rows]


def steps(review: Review) -> list[tuple[str, str, str]]:
    return [(s.step, s.by.display_name, s.comment) for s in review.sign_offs]


def test_the_worker_submits_and_the_team_manager_signs_off_with_both_comments_in_every_export(app, worker, family, world):
    entry = send_entry(app, world["child"], utc(6, 2), what_happened="I joined the choir")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    worker.submit(url, {"item": [f"entry-{entry.id}"], "worker_analysis": "Calmer at home"})
    page = text(worker.get(url))
    assert "Send for sign-off" in page and "Not sent for sign-off yet." in page and "Make this review final" not in page

    sent = submit_for_sign_off(worker, url)
    assert sent.status_code == 302 and "Sent to the team manager for sign-off" in text(worker.get(sent.headers["Location"]))
    review = the_review()
    assert review.is_submitted and not review.is_final and review.finalised_at is None
    # Told: the family's team manager, and nobody else.
    assert notices(world["manager_a"]) == [(NotificationKind.REVIEW_SUBMITTED, review.id)]
    assert notices(world["manager_b"]) == [] and notices(world["worker_a"]) == []
    manager = signed_in(app, world["manager_a"])
    team = text(manager.get("/staff/team"))
    assert "Reviews waiting for you" in team and "Review of The Test family" in team and "Sent for sign-off by Worker A" in team
    assert "A review of The Test family is waiting for your sign-off" in text(manager.get("/staff/inbox"))
    # While it waits it can't be changed.
    refused = worker.submit(url, {"item": [], "worker_analysis": "Changed while waiting"})
    assert "waiting for the manager's sign-off and can't be changed" in text(worker.get(refused.headers["Location"]))
    assert the_review().analysis["worker_analysis"] == "Calmer at home" and len(the_review().items) == 1

    signed = decide(manager, url)
    assert signed.status_code == 302
    review = the_review()
    assert review.is_final and review.finalised_at == review.sign_offs[-1].at
    assert steps(review) == [("submitted", "Worker A", SUBMIT_COMMENT), ("signed_off", "Manager A", SIGN_OFF_COMMENT)]
    sent_at, signed_at = (s.at for s in review.sign_offs)
    assert NOW <= sent_at <= signed_at < NOW + timedelta(minutes=5)
    assert notices(world["worker_a"]) == [(NotificationKind.REVIEW_SIGNED_OFF, review.id)]
    assert "Your review of The Test family was signed off" in text(worker.get("/staff/inbox"))
    assert "No review is waiting for your sign-off." in text(manager.get("/staff/team"))
    assert "waiting for your sign-off" not in text(manager.get("/staff/inbox")), "the manager's notice is done"

    # In the review page and every export: who, when, and each comment.
    for path in (url, url + "/print"):
        page = text(worker.get(path))
        # Who and when, in UK time (the clock stands at 09:00 UTC, 10:00 in the UK).
        assert re.search(r"Sent for sign-off by Worker A, 30 Jun 2026, 10:0\d:\d\d", page), path
        assert re.search(r"Signed off by Manager A, 30 Jun 2026, 10:0\d:\d\d", page), path
        assert SUBMIT_COMMENT in page and SIGN_OFF_COMMENT in page, path
    oversight = dict(text_blocks(worker, url))["Management oversight"]
    assert oversight.index(SUBMIT_COMMENT) < oversight.index("Signed off by Manager A") < oversight.index(SIGN_OFF_COMMENT)
    pdf = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data)).pages)
    assert "Management oversight" in pdf and SIGN_OFF_COMMENT in " ".join(pdf.split()) and "Signed off by Manager A" in pdf
    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Management oversight" in paragraphs and SUBMIT_COMMENT in paragraphs and SIGN_OFF_COMMENT in paragraphs


def test_returned_to_the_worker_it_can_be_changed_and_sent_again_and_every_step_is_kept(app, worker, family, world):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    submit_for_sign_off(worker, url, "First go")
    manager = signed_in(app, world["manager_a"])
    returned = decide(manager, url, "Please add what Sam said about school.", button="send_back")
    assert "Returned to the worker" in text(manager.get(returned.headers["Location"]))
    review = the_review()
    assert review.is_editable and not review.is_final
    assert notices(world["worker_a"]) == [(NotificationKind.REVIEW_RETURNED, review.id)]
    assert "Your review of The Test family was returned to you" in text(worker.get("/staff/inbox"))
    page = text(worker.get(url))
    assert "Returned to the worker by Manager A" in page and "Please add what Sam said about school." in page
    assert worker.submit(url, {"item": [], "worker_analysis": "Sam says school is better"}).status_code == 302
    submit_for_sign_off(worker, url, "Added Sam's words")
    decide(manager, url, "Good. Signed off.")
    review = the_review()
    assert review.is_final and review.analysis["worker_analysis"] == "Sam says school is better"
    assert steps(review) == [
        ("submitted", "Worker A", "First go"),
        ("returned", "Manager A", "Please add what Sam said about school."),
        ("submitted", "Worker A", "Added Sam's words"),
        ("signed_off", "Manager A", "Good. Signed off."),
    ]


def test_opening_the_review_marks_its_notice_read(app, worker, family, world):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    submit_for_sign_off(worker, url)
    decide(signed_in(app, world["manager_a"]), url, "Not yet", button="send_back")
    assert "was returned to you" in text(worker.get("/staff/inbox"))
    worker.get(url)
    assert "was returned to you" not in text(worker.get("/staff/inbox"))


def test_without_a_comment_nothing_is_sent_or_signed_and_the_page_says_why(app, worker, family, world):
    entry = send_entry(app, world["child"], utc(6, 2), what_happened="I joined the choir")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    worker.submit(url, {"item": [f"entry-{entry.id}"], "worker_analysis": "Calmer at home"})
    refused = submit_for_sign_off(worker, url, "   ")
    assert refused.status_code == 400 and "Please write a comment for the manager." in text(refused)
    # The page shown again is the review as saved: what was ticked is still ticked.
    assert ticked(refused.get_data(as_text=True)) == {f"entry-{entry.id}"}
    review = the_review()
    assert review.is_editable and review.sign_offs == [] and notices(world["manager_a"]) == []

    submit_for_sign_off(worker, url, "Ready")
    manager = signed_in(app, world["manager_a"])
    for button in ("sign_off", "send_back"):
        blank = decide(manager, url, "", button=button)
        assert blank.status_code == 400 and "A review can't be signed off or returned without one." in text(blank)
    neither = manager.submit(url + "/sign-off", {"comment": "Which one?"}, page=url)
    assert neither.status_code == 400 and "Please choose to sign the review off or to return it." in text(neither)
    assert "Which one?" in text(neither), "what the manager wrote is shown again"
    review = the_review()
    assert review.is_submitted and [s.step for s in review.sign_offs] == ["submitted"]


def test_a_manager_cannot_sign_off_a_review_not_submitted_or_one_they_submitted_themselves(app, worker, family, world):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    manager = signed_in(app, world["manager_a"])
    early = decide(manager, url)
    assert "This review is not waiting for sign-off." in text(manager.get(early.headers["Location"]))
    assert the_review().is_editable and the_review().sign_offs == []

    # A manager who sends a review for sign-off can't be the one to sign it off: with no other manager
    # in the team it can't be sent at all.
    alone = submit_for_sign_off(manager, url, "Sent by the only manager")
    assert "Your team has no manager who can sign off this review." in text(manager.get(alone.headers["Location"]))
    assert the_review().is_editable and the_review().sign_offs == []
    second = factories.staff(world["team_a"], "manager", name="Second manager A")
    submit_for_sign_off(manager, url, "Sent by the manager")
    assert notices(second) == [(NotificationKind.REVIEW_SUBMITTED, the_review().id)] and notices(world["manager_a"]) == []
    own = decide(manager, url)
    assert "Another manager of the team has to sign it off." in text(manager.get(own.headers["Location"]))
    assert the_review().is_submitted
    assert "Another manager of the team has to sign it off." in text(manager.get(url))
    second_manager = signed_in(app, second)
    decide(second_manager, url, "Signed off by the other manager")
    review = the_review()
    assert review.is_final and steps(review)[-1] == ("signed_off", "Second manager A", "Signed off by the other manager")
    # Final: it can't be submitted or signed off again.
    again = submit_for_sign_off(worker, url, "Again")
    assert "This review is final and can't be changed." in text(worker.get(again.headers["Location"]))
    twice = decide(second_manager, url, "Twice")
    assert "This review is not waiting for sign-off." in text(second_manager.get(twice.headers["Location"]))
    assert [s.step for s in the_review().sign_offs] == ["submitted", "signed_off"]


def test_workers_co_workers_and_other_teams_get_404_and_nothing_changes(app, worker, family, world):
    co_worker = factories.staff(world["team_a"], "worker", name="Co worker A")
    factories.co_worker(family, co_worker)
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    submit_for_sign_off(worker, url)
    for user in (world["worker_a"], co_worker, world["other_worker_a"], world["manager_b"], world["worker_b"]):
        for button in ("sign_off", "send_back"):
            assert decide(signed_in(app, user), url, "Not mine to sign", button=button).status_code == 404, user.display_name
    page = worker.get(url).get_data(as_text=True)
    assert 'name="sign_off"' not in page, "the worker is not offered a sign-off"
    review = the_review()
    assert review.is_submitted and [s.step for s in review.sign_offs] == ["submitted"]
    assert not db_session().scalars(select(ReviewSignOff).where(ReviewSignOff.comment == "Not mine to sign")).all()


def test_with_no_manager_in_the_team_the_worker_is_told_and_nothing_is_sent(app, worker, family, world):
    from webapp.db import utcnow

    world["manager_a"].disabled_at = utcnow()
    db_session().commit()
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    refused = submit_for_sign_off(worker, url)
    assert "Your team has no manager who can sign off this review." in text(worker.get(refused.headers["Location"]))
    assert the_review().is_editable and the_review().sign_offs == []
    # A disabled manager can't sign in, and is not told either.
    assert notices(world["manager_a"]) == []
    assert re.search(r"Draft, last saved", text(worker.get(url)))


# --- The migration: reviews already final stay final, and nobody is recorded as having signed them off.


def test_the_migration_keeps_final_reviews_final_and_invents_no_sign_off(fresh_database):
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    from .old_rows import OldRows
    from .test_plan_records import migrate, revision_before

    migrate(fresh_database, "upgrade", revision_before("0020"))
    rows = OldRows(fresh_database)
    people = rows.family()
    finalised = utc(5, 20, 15)
    final = rows.add("reviews", family_id=people["family"], period_start=utc(4, 1).date(), period_end=utc(5, 1).date(), status="final",
                     analysis={"worker_analysis": "Made final alone, before sign-off"}, created_by_id=people["worker"], finalised_at=finalised)
    draft = rows.add("reviews", family_id=people["family"], period_start=utc(5, 2).date(), period_end=utc(6, 1).date(), status="draft",
                     analysis={}, created_by_id=people["worker"])
    rows.close()

    migrate(fresh_database, "upgrade", "0020")
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            statuses: dict[int, str] = {row[0]: row[1] for row in connection.execute(sql("SELECT id, status FROM reviews"))}
            assert statuses == {final: "final", draft: "draft"}
            assert connection.execute(sql("SELECT count(*) FROM review_sign_offs")).scalar() == 0
        with engine.begin() as connection:
            connection.execute(sql("UPDATE reviews SET status = 'submitted' WHERE id = :id"), {"id": draft})
            connection.execute(
                sql("INSERT INTO review_sign_offs (review_id, step, by_id, at, comment) VALUES (:r, 'submitted', :w, :at, 'Ready')"),
                {"r": draft, "w": people["worker"], "at": finalised},
            )
    finally:
        engine.dispose()

    # Back down: the review that was waiting is the worker's draft again; the final one is untouched.
    migrate(fresh_database, "downgrade", revision_before("0020"))
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            assert {row[0]: row[1] for row in connection.execute(sql("SELECT id, status FROM reviews"))} == {final: "final", draft: "draft"}
    finally:
        engine.dispose()


def test_whether_someone_manages_the_familys_team_agrees_with_who_reviews_are_sent_to(app, world):
    """`is_team_manager_of` decides from the user's own row what `escalation_managers` asks the database: the team's
    managers who can still sign in. A manager of another team, a manager who has left and the workers are not."""
    gone = factories.staff(world["team_a"], "manager", name="Former manager A")
    gone.disabled_at = utcnow()
    db_session().commit()
    people = [world[name] for name in ("manager_a", "manager_b", "worker_a", "other_worker_a", "worker_b")] + [gone]
    for each in (world["family"], world["other_family"], world["family_b"]):
        sent_to = {user.id for user in db_session().scalars(policy.escalation_managers(each))}
        assert {user.id for user in people if policy.is_team_manager_of(user, each)} == sent_to
    assert policy.is_team_manager_of(world["manager_a"], world["family"])
    assert not policy.is_team_manager_of(world["manager_b"], world["family"])
    assert not policy.is_team_manager_of(gone, world["family"])
