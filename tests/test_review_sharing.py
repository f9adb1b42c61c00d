"""After a review is final the family receives it in plain language: what happened at the review, what changed in
the plan and their own scores then and now, in their version and language, within REVIEW_SHARE_WORKING_DAYS working
days (bank holidays not counted), and they can comment on it. The worker sees due and overdue, and the comments."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from sqlalchemy import create_engine, select

from webapp.db import db_session
from webapp.families.models import Family
from webapp.notifications.models import Notification, NotificationKind
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.plans.records import Action, PlanContent
from webapp.reviews import record, sharing
from webapp.reviews.models import FINAL, Review, ReviewComment, ReviewShare
from webapp.translations_content import services as translated
from webapp.worries.models import Worry, WorryMember, WorryScore

from . import factories
from .helpers import signed_in, text
from .old_rows import OldRows
from .test_cli_commands import fresh_database
from .test_data_protection import download
from .test_plan_records import migrate, revision_before

# Made final on Wednesday 16 December 2026: ten working days later, past Christmas, Boxing Day (kept on Monday
# 28th) and New Year's Day, is Monday 4 January 2027 (it would be 30 December without the bank holidays).
FINALISED = datetime(2026, 12, 16, 12, 0, tzinfo=UTC)
STARTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 12, 17, 9, 0, tzinfo=UTC), tick=False):
        yield


def words(response: Any) -> str:
    """The page's words alone, as read: no tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response))).replace(" :", ":")


def publish(family: Family, number: int, when: datetime, content: PlanContent) -> None:
    db_session().add(PlanVersion(family_id=family.id, number=number, status=PUBLISHED, content=content.to_json(), published_at=when))
    db_session().commit()


def final_review(family: Family, world: dict[str, Any]) -> Review:
    review = Review(family_id=family.id, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), status=FINAL,
                    analysis={"actions_next_steps": "Keep the morning routine"}, created_by_id=world["worker_a"].id,
                    created_at=STARTED, finalised_at=FINALISED)
    db_session().add(review)
    db_session().commit()
    return review


def test_the_due_day_counts_working_days_past_the_bank_holidays(app, world):
    review = final_review(world["family"], world)
    assert sharing.due_day(review) == date(2027, 1, 4)
    app.config["REVIEW_SHARE_WORKING_DAYS"] = 3
    assert sharing.due_day(review) == date(2026, 12, 21)
    app.config["REVIEW_SHARE_WORKING_DAYS"] = 10
    assert sharing.state_of(review, None, date(2027, 1, 4)) == sharing.ShareState(sharing.DUE, date(2027, 1, 4))
    assert sharing.state_of(review, None, date(2027, 1, 5)) == sharing.ShareState(sharing.OVERDUE, date(2027, 1, 4))
    # Not final yet: nothing is due.
    review.finalised_at, review.status = None, "submitted"
    assert sharing.due_day(review) is None and sharing.state_of(review, None) is None


def test_the_worker_and_the_team_see_due_then_overdue_then_shared(app, world):
    review = final_review(world["family"], world)
    with time_machine.travel(datetime(2027, 1, 4, 16, 0, tzinfo=UTC), tick=False):
        worker, manager = signed_in(app, world["worker_a"]), signed_in(app, world["manager_a"])
        assert "Share with the family by 4 Jan 2027" in text(worker.get(f"/staff/reviews/{review.id}"))
        assert "Share with the family by 4 Jan 2027" in text(manager.get("/staff/team"))
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        worker, manager = signed_in(app, world["worker_a"]), signed_in(app, world["manager_a"])
        assert "Sharing with the family overdue: due 4 Jan 2027" in text(worker.get(f"/staff/reviews/{review.id}"))
        assert "Sharing with the family overdue: due 4 Jan 2027" in text(manager.get("/staff/team"))
        url = f"/staff/reviews/{review.id}/for-the-family"
        shared = worker.submit(url, {"happened_young_person": "We met and said well done", "happened_parent": "We agreed the plan",
                                     "plan_changes_young_person": "", "plan_changes_parent": "", "share": "y"})
        assert shared.status_code == 302
        assert "Shared with the family on 5 Jan 2027" in text(worker.get(f"/staff/reviews/{review.id}"))
        assert "Sharing with the family" not in text(manager.get("/staff/team"))


def test_the_draft_says_what_changed_in_the_plan_between_the_review_starting_and_its_sign_off(app, world):
    family = world["family"]
    before = PlanContent(actions=[Action(id="a1", what="Walk to school together", who="Mum", by_when=None),
                                  Action(id="a2", what="Bedtime at nine", who="Dad", by_when=None)])
    before.sections["working_well"].parent = "Mornings are calmer"
    publish(family, 1, datetime(2026, 11, 20, tzinfo=UTC), before)
    after = PlanContent(actions=[Action(id="a1", what="Walk to school together", who="Mum", by_when=None),
                                 Action(id="a3", what="Football on Saturdays", who="Jo", by_when=None)])
    after.sections["working_well"].parent = "Mornings and evenings are calmer"
    publish(family, 2, datetime(2026, 12, 10, tzinfo=UTC), after)
    review = final_review(family, world)
    with app.test_request_context():
        changes = sharing.plan_changes(review)
    assert changes.added == ["Football on Saturdays"] and changes.done == ["Bedtime at nine"]
    assert changes.sections == {"young_person": [], "parent": ["What is going well"]}
    page = words(signed_in(app, world["worker_a"]).get(f"/staff/reviews/{review.id}/for-the-family"))
    assert "New: Football on Saturdays" in page and "Done: Bedtime at nine" in page
    assert "Changed in the parent version: What is going well" in page
    # The draft for the worker to rewrite, from the review's record.
    assert "New in the plan: Football on Saturdays." in page and "Keep the morning routine" in page


def share_review(app: Any, world: dict[str, Any], review: Review, **words: str) -> Any:
    form = {"happened_young_person": "We said well done to you", "happened_parent": "We agreed the plan with you",
            "plan_changes_young_person": "Football is new", "plan_changes_parent": "Football on Saturdays was added", "share": "y"}
    return signed_in(app, world["worker_a"]).submit(f"/staff/reviews/{review.id}/for-the-family", form | words)


def test_shared_each_young_person_and_parent_reads_their_version_and_is_told(app, world):
    family = world["family"]
    network = factories.member(family, "network", name="Grandmother")
    review = final_review(family, world)
    worry = Worry(family_id=family.id, wording="Shouting at night", meaning_0="0", meaning_10="10",
                  applies_to=[WorryMember(member_id=world["child"].id)])
    db_session().add(worry)
    db_session().flush()
    for score, when in ((3, datetime(2026, 10, 1, tzinfo=UTC)), (7, datetime(2026, 12, 10, tzinfo=UTC)), (9, datetime(2026, 12, 17, tzinfo=UTC))):
        db_session().add(WorryScore(worry_id=worry.id, member_id=world["child"].id, score=score, created_at=when))
    db_session().commit()
    # Saved but not shared: nobody in the family can open it yet.
    saved = signed_in(app, world["worker_a"]).submit(f"/staff/reviews/{review.id}/for-the-family", {
        "happened_young_person": "We said well done to you", "happened_parent": "", "plan_changes_young_person": "",
        "plan_changes_parent": "", "save": "y"})
    assert saved.status_code == 302
    assert signed_in(app, world["child"].user).get(f"/my/reviews/{review.id}").status_code == 404
    assert share_review(app, world, review).status_code == 302
    told = db_session().scalars(select(Notification.user_id).where(Notification.kind == NotificationKind.REVIEW_SHARED)).all()
    assert sorted(told) == sorted([world["child"].user.id, world["young_child"].user.id, world["parent"].user.id])
    assert network.user is not None
    assert network.user.id not in told and world["restricted_parent"].user.id not in told

    child = signed_in(app, world["child"].user)
    assert "What happened at your review is ready to read." in text(child.get("/home"))
    page = text(child.get(f"/my/reviews/{review.id}"))
    assert "We said well done to you" in page and "Football is new" in page and "We agreed the plan" not in page
    # Their own scores: the baseline since the plan (before any plan: the first) and the latest by the sign-off.
    assert "Shouting at night" in page and "3" in page and "7" in page and "9" not in page.split("My scores then and now")[1].split("Tell your worker")[0]
    assert "What happened at your review is ready to read." not in text(child.get("/home"))
    parent_page = text(signed_in(app, world["parent"].user).get(f"/my/reviews/{review.id}"))
    assert "We agreed the plan with you" in parent_page and "We said well done" not in parent_page
    # Shared once: the words can't be changed afterwards.
    again = share_review(app, world, review, happened_parent="Changed afterwards")
    assert again.status_code == 302
    assert db_session().scalars(select(ReviewShare)).one().happened_parent == "We agreed the plan with you"


def test_sharing_needs_what_happened_and_a_review_that_is_final(app, world):
    review = final_review(world["family"], world)
    refused = share_review(app, world, review, happened_young_person="", happened_parent="")
    assert refused.status_code == 400 and "Please write what happened at the review before you share it." in text(refused)
    assert db_session().scalars(select(ReviewShare)).all() == []
    draft = Review(family_id=world["family"].id, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), status="draft", analysis={})
    db_session().add(draft)
    db_session().commit()
    assert signed_in(app, world["worker_a"]).get(f"/staff/reviews/{draft.id}/for-the-family").status_code == 404


def test_each_block_is_translatable_and_read_in_the_members_language_with_a_note_where_it_is_not(app, world):
    family = world["family"]
    child = factories.member(family, "young_person", name="Kasia", language="pl")
    review = final_review(family, world)
    share_review(app, world, review)
    with app.test_request_context():
        blocks = {block.ref: block for block in translated.family_blocks(family)}
    ref = f"review-share:{review.id}:happened:young_person"
    assert blocks[ref].languages == ["pl"] and blocks[ref].needs_work
    assert blocks[f"review-share:{review.id}:happened:parent"].languages == []
    translated.save(family, ref, "pl", "Powiedzieliśmy ci: dobra robota", "We said well done to you", world["worker_a"].id)
    db_session().commit()
    page = signed_in(app, child.user).get(f"/my/reviews/{review.id}")
    body = page.get_data(as_text=True)
    assert 'lang="pl"' in body and "Powiedzieliśmy ci: dobra robota" in body
    # "What changed" is not translated yet: in English, with a note in Polish.
    assert "Football is new" in body and 'class="meta not-translated"' in body
    assert "review-share" in text(signed_in(app, world["worker_a"]).get(f"/staff/families/{family.id}/translations"))


def test_the_family_comments_are_kept_with_date_and_language_and_are_in_the_record(app, world):
    family = world["family"]
    review = final_review(family, world)
    share_review(app, world, review)
    child = signed_in(app, world["child"].user)
    url = f"/my/reviews/{review.id}"
    empty = child.submit(url, {"body": "   "})
    assert empty.status_code == 400 and "Please write your comment." in text(empty)
    form = {"body": "I liked that we talked about football", "client_id": "c" * 32}
    assert child.submit(url, form).status_code == 302
    # The same form sent again keeps one comment; a second comment is kept too.
    child.submit(url, form)
    child.submit(url, {"body": "And the mornings are better"})
    comments = db_session().scalars(select(ReviewComment).order_by(ReviewComment.id)).all()
    assert [(c.body, c.language, c.member_id) for c in comments] == [
        ("I liked that we talked about football", "en", world["child"].id), ("And the mornings are better", "en", world["child"].id)]
    assert comments[0].created_at.date() == date(2026, 12, 17)
    assert "I liked that we talked about football" in text(child.get(url))
    # The parent sees only their own comments on their page.
    assert "football" not in text(signed_in(app, world["parent"].user).get(url))
    worker = signed_in(app, world["worker_a"])
    page = text(worker.get(f"/staff/reviews/{review.id}"))
    assert "The family's comments on the review" in page and "I liked that we talked about football" in page
    with app.test_request_context():
        blocks = dict(record.as_text_blocks(record.build(review, family)))
    assert "I liked that we talked about football" in blocks["The family's comments on the review"]
    assert "Child" in blocks["The family's comments on the review"]
    assert "I liked that we talked about football" in text(worker.get(f"/staff/reviews/{review.id}/text"))
    # Their comments are in their own copy of their data.
    archive = download(child)
    assert [c["text"] for c in json.loads(archive.read("data.json"))["review_comments"]] == [
        "I liked that we talked about football", "And the mornings are better"]
    assert "I liked that we talked about football" in archive.read("index.html").decode()
    # The family's chronology says it was shared and that Child commented, never what they wrote.
    chronology = text(worker.get(f"/staff/families/{family.id}/chronology"))
    assert "Shared a review with the family" in chronology and "Commented on their review" in chronology
    assert "football" not in chronology


def test_the_migration_adds_sharing_beside_the_reviews_already_kept_and_takes_it_away_again(fresh_database):
    before = revision_before("0024")
    migrate(fresh_database, "upgrade", before)
    rows = OldRows(fresh_database)
    people = rows.family()
    review = rows.add("reviews", family_id=people["family"], period_start=date(2026, 5, 1), period_end=date(2026, 5, 31), status="final",
                      analysis={}, created_at=STARTED, updated_at=FINALISED, finalised_at=FINALISED)
    rows.close()
    migrate(fresh_database, "upgrade", "0024")
    rows = OldRows(fresh_database)
    rows.add("review_shares", review_id=review, happened_young_person="We met", happened_parent="", plan_changes_young_person="",
             plan_changes_parent="", updated_at=FINALISED, shared_at=FINALISED)
    rows.add("review_comments", review_id=review, member_id=people["young_person"], body="Good", language="en", created_at=FINALISED)
    rows.close()
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(Review.id, Review.status)).all() == [(review, "final")]
            assert connection.execute(select(ReviewComment.body, ReviewComment.language)).all() == [("Good", "en")]
    finally:
        engine.dispose()
    migrate(fresh_database, "downgrade", before)
    engine = create_engine(fresh_database)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(Review.id)).all() == [(review,)]
    finally:
        engine.dispose()


def test_the_team_view_lists_the_latest_final_review_of_a_family_when_it_is_not_shared(app, world):
    family = world["family"]
    earlier = final_review(family, world)
    assert sharing.latest_not_shared([family.id]) == {family.id: (earlier, sharing.ShareState(sharing.DUE, date(2027, 1, 4)))}
    later = Review(family_id=family.id, period_start=date(2026, 12, 1), period_end=date(2026, 12, 16), status=FINAL, analysis={},
                   finalised_at=datetime(2026, 12, 17, 8, 0, tzinfo=UTC))
    db_session().add(later)
    db_session().commit()
    # The family hears of the latest review: the earlier one is no longer listed.
    assert [review.id for review, _state in sharing.latest_not_shared([family.id]).values()] == [later.id]
    db_session().add(ReviewShare(review_id=later.id, happened_parent="We met", shared_at=datetime(2026, 12, 17, 9, 0, tzinfo=UTC)))
    db_session().commit()
    assert sharing.latest_not_shared([family.id]) == {}
