"""Review quotes and entry answers as typed records: every shape ever stored is read, and the migration to the current one."""

from __future__ import annotations

import copy
import importlib.util
import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Table, create_engine, select

from webapp.auth.models import User
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.entries.records import SCHEMA_VERSION as ANSWERS_VERSION
from webapp.entries.records import EntryAnswers
from webapp.reviews import quotes
from webapp.reviews.models import Review, ReviewItem
from webapp.reviews.quotes import CommentQuote, EntryQuote, PhotoQuote, QuotedAnswer, WorryQuote

from . import factories
from .conftest import build_app
from .helpers import signed_in, text
from .old_rows import OldRows
from .review_steps import text_blocks
from .test_api import bearer, make_token
from .test_cli_commands import fresh_database
from .test_plan_records import migrate

MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "20261202_0011_typed_review_quotes_and_answers.py"

# --- Entry answers and review quotes as they were stored before they had a version.

GOOD_NEWS = {"what_happened": "We won the match", "who_with": "My friend Jo"}
MEETING = {"meeting_type": "taf", "going_well": "Szkoła idzie lepiej", "attend": "go"}
SAFETY_SCORE = {"worry": "Shouting at home", "score": "0", "one_point_higher": "If nobody shouted"}

# Since answers carried their line.
GOOD_NEWS_QUOTE = {
    "kind": "good_news", "title": "Good news", "language": "en", "created_at": "2026-06-02T12:00:00+00:00", "feeling": "happy",
    "answers": [
        {"question": "What good thing happened?", "answer": "We won the match", "sentence": "What good thing happened? “We won the match”"},
        {"question": "Who were you with?", "answer": "My friend Jo", "sentence": "Who were you with? “My friend Jo”"},
    ],
}
# The first reviews: questions and chosen answers in words, no line.
MEETING_QUOTE = {
    "kind": "meeting", "title": "Get ready for my meeting", "language": "pl", "created_at": "2026-06-05T12:00:00+00:00", "feeling": None,
    "answers": [
        {"question": "Which meeting is it?", "answer": "TAF meeting (Team Around the Family)"},
        {"question": "What is going well?", "answer": "Szkoła idzie lepiej"},
        {"question": "Do you want to go to the meeting?", "answer": "I want to go"},
    ],
}
# The first reviews: a safety score's answers under their question keys.
SAFETY_SCORE_QUOTE = {
    "kind": "safety_score", "title": "Safety worry scored 0", "language": "en", "created_at": "2026-06-08T12:00:00+00:00", "feeling": None,
    "answers": [{"question": "worry", "answer": "Shouting at home"}, {"question": "score", "answer": "0"}, {"question": "one_point_higher", "answer": "If nobody shouted"}],
}
WORRY_QUOTE = {
    "worry": "Shouting at night", "danger_statement": "Dad shouts when he drinks", "first": 3, "first_at": "2026-06-03T12:00:00+00:00",
    "latest": 6, "latest_at": "2026-06-20T12:00:00+00:00", "change": 3,
}
COMMENT_QUOTE = {
    "id": 5, "member_id": 0, "assessment_title": "Early help assessment", "section_heading": "Home life", "agree": "partly",
    "agree_label": "Partly", "text": "Mornings are calmer now", "language": "en", "updated_at": "2026-06-10T12:00:00+00:00",
}
PHOTO_QUOTE = {"caption": "My cat Biscuit", "created_at": "2026-06-12T12:00:00+00:00", "photo_id": 99}

SAFETY_SENTENCES = ["Worry: Shouting at home", "Score: 0 out of 10", "What would make it one point higher: If nobody shouted"]
MEETING_SENTENCES = [
    "Which meeting is it? “TAF meeting (Team Around the Family)”",
    "What is going well? “Szkoła idzie lepiej”",
    "Do you want to go to the meeting? “I want to go”",
]


def the_migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0011", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- Entry answers.


def test_answers_written_now_read_back_the_same_and_equal_the_answers_given():
    answers = EntryAnswers.of({"what_happened": "We won", "score": 7, "left_out": None})
    assert answers == {"what_happened": "We won", "score": "7"}, "words kept, numbers as text, a missing answer is none"
    assert answers.to_json() == {"schema_version": ANSWERS_VERSION, "values": {"what_happened": "We won", "score": "7"}}
    assert EntryAnswers.from_json(answers.to_json()) == answers
    assert list(EntryAnswers.from_json(answers.to_json())) == ["what_happened", "score"], "in the order they were given"
    assert EntryAnswers.of(answers) is answers


def test_answers_stored_before_they_had_a_version_are_read():
    assert EntryAnswers.from_json(copy.deepcopy(SAFETY_SCORE)) == SAFETY_SCORE
    assert EntryAnswers.from_json({"what_happened": "We won", "odd": 3})["odd"] == "3"
    nothings: tuple[Any, ...] = (None, [], "words", {}, {"schema_version": 2, "values": "not a mapping"})
    for nothing in nothings:
        assert EntryAnswers.from_json(nothing) == {}


def test_an_entry_keeps_its_answers_in_the_current_shape_and_reads_any(app, world):
    child = factories.member(world["family"])
    entry = Entry(member_id=child.id, family_id=child.family_id, kind="good_news", language="en", answers=GOOD_NEWS)
    db_session().add(entry)
    db_session().commit()
    assert entry.answers_json == {"schema_version": ANSWERS_VERSION, "values": GOOD_NEWS}
    assert entry.answers == GOOD_NEWS and entry.answers["who_with"] == "My friend Jo"
    entry.answers_json = copy.deepcopy(MEETING)  # as stored before the version
    assert entry.answers == MEETING
    empty = Entry(member_id=child.id, family_id=child.family_id, kind="talk", language="en", urgent=True)
    db_session().add(empty)
    db_session().commit()
    assert empty.answers_json == {"schema_version": ANSWERS_VERSION, "values": {}} and empty.answers == {}


# --- Review quotes.


def test_every_quote_written_now_reads_back_the_same():
    moment = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)
    written: list[quotes.Quote] = [
        EntryQuote("good_news", "Good news", "ar", moment, "happy", (QuotedAnswer("What good thing happened?", "فزنا", "What good thing happened? “فزنا”"),)),
        WorryQuote("Shouting at night", None, 3, moment, 6, moment),
        CommentQuote(5, 7, "Early help assessment", "", None, "", "All of it", "pl", moment),
        PhotoQuote("", moment, 99),
    ]
    for quote in written:
        stored = quote.to_json()
        assert stored["schema_version"] == quotes.SCHEMA_VERSION
        assert quotes.from_json(quote.source, stored) == quote
        assert quotes.from_json(quote.source, stored).to_json() == stored  # type: ignore[union-attr]
    assert written[1].to_json()["change"] == 3


def test_quotes_stored_before_they_had_a_version_are_read():
    good_news = quotes.from_json("entry", copy.deepcopy(GOOD_NEWS_QUOTE))
    assert isinstance(good_news, EntryQuote)
    assert (good_news.kind, good_news.title, good_news.language, good_news.feeling) == ("good_news", "Good news", "en", "happy")
    assert good_news.created_at == datetime(2026, 6, 2, 12, 0, tzinfo=UTC)
    assert good_news.to_json() == {"schema_version": quotes.SCHEMA_VERSION, **GOOD_NEWS_QUOTE}

    meeting = quotes.from_json("entry", copy.deepcopy(MEETING_QUOTE))
    assert isinstance(meeting, EntryQuote)
    assert [a.sentence for a in meeting.answers] == MEETING_SENTENCES, "an answer without its line reads as its question and the answer"
    assert meeting.answers[0].answer == "TAF meeting (Team Around the Family)"

    safety = quotes.from_json("entry", copy.deepcopy(SAFETY_SCORE_QUOTE))
    assert isinstance(safety, EntryQuote)
    assert [a.sentence for a in safety.answers] == SAFETY_SENTENCES, "a safety score's answers under their keys read as sentences"
    assert [a.question for a in safety.answers] == ["Worry", "Score", "What would make it one point higher?"]

    worry = quotes.from_json("worry", copy.deepcopy(WORRY_QUOTE))
    assert isinstance(worry, WorryQuote) and (worry.first, worry.latest, worry.change) == (3, 6, 3)
    assert worry.to_json() == {"schema_version": quotes.SCHEMA_VERSION, **WORRY_QUOTE}
    comment = quotes.from_json("comment", copy.deepcopy(COMMENT_QUOTE))
    assert isinstance(comment, CommentQuote) and (comment.agreement, comment.text) == ("Partly", "Mornings are calmer now")
    assert comment.to_json() == {"schema_version": quotes.SCHEMA_VERSION, **COMMENT_QUOTE}
    photo = quotes.from_json("photo", copy.deepcopy(PHOTO_QUOTE))
    assert isinstance(photo, PhotoQuote) and photo.to_json() == {"schema_version": quotes.SCHEMA_VERSION, **PHOTO_QUOTE}


def test_the_api_gives_a_quote_stored_in_an_old_shape_in_the_current_one(app, world):
    child = factories.member(world["family"])
    review = Review(family_id=world["family"].id, period_start=date(2026, 6, 1), period_end=date(2026, 6, 30), status="final")
    review.items = [ReviewItem(member_id=child.id, source="entry", source_id=1, quote=copy.deepcopy(MEETING_QUOTE))]
    db_session().add(review)
    db_session().commit()
    response = app.test_client().get(f"/api/v1/families/{world['family'].id}/reviews", headers=bearer(make_token(world)))
    [item] = response.get_json()["data"][0]["items"]
    assert item["quote"]["schema_version"] == quotes.SCHEMA_VERSION
    assert [a["sentence"] for a in item["quote"]["answers"]] == MEETING_SENTENCES
    assert item["quote"]["title"] == "Get ready for my meeting" and item["quote"]["created_at"] == MEETING_QUOTE["created_at"]


def test_a_quote_missing_its_words_or_with_odd_values_is_read_without_failing():
    for source in quotes.SOURCES:
        odd: tuple[Any, ...] = (None, {}, [], {"answers": "no list", "first": "3", "created_at": "not a date", "id": True})
        for nothing in odd:
            assert quotes.from_json(source, nothing) is not None
    bare = quotes.from_json("entry", {"title": "Good news"})
    assert isinstance(bare, EntryQuote) and (bare.title, bare.language, bare.created_at, bare.answers) == ("Good news", "en", None, ())
    assert quotes.from_json("assessment", {}) is None, "no review writes this source"
    # A quote with its version keeps what it says, even words that look like keys.
    keyed = {**SAFETY_SCORE_QUOTE, "schema_version": 2}
    assert [a.sentence for a in quotes.from_json("entry", keyed).answers] == ["worry “Shouting at home”", "score “0”", "one_point_higher “If nobody shouted”"]  # type: ignore[union-attr]


def test_the_migration_changes_nothing_it_already_changed():
    migration = the_migration()
    for answers in (GOOD_NEWS, {}, None):
        once = migration._answers_upgraded(copy.deepcopy(answers))
        assert migration._answers_upgraded(copy.deepcopy(once)) == once
        assert EntryAnswers.from_json(once) == EntryAnswers.from_json(answers)
    for source, quote in [("entry", GOOD_NEWS_QUOTE), ("entry", MEETING_QUOTE), ("entry", SAFETY_SCORE_QUOTE), ("worry", WORRY_QUOTE),
                          ("comment", COMMENT_QUOTE), ("photo", PHOTO_QUOTE)]:
        once = migration._quote_upgraded(source, copy.deepcopy(quote))
        assert migration._quote_upgraded(source, copy.deepcopy(once)) == once
        # What the migration writes is what the app reads from the old shape, and what it would write itself.
        assert quotes.from_json(source, once) == quotes.from_json(source, quote)
        assert quotes.from_json(source, once).to_json() == once  # type: ignore[union-attr]


# --- The migration on a real database, with rows written before it.


def answers_of(page: str) -> list[str]:
    """Each list of questions and answers on a page, as a person reads it."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip() for block in re.findall(r'<dl class="answers[^"]*">(.*?)</dl>', page, re.DOTALL)]


def what_people_see(app: Any, rows: dict[str, Any]) -> dict[str, Any]:
    with app.app_context():
        worker = signed_in(app, db_session().get(User, rows["worker"]))
        child = signed_in(app, db_session().get(User, rows["child"]))
        seen: dict[str, Any] = {"review": text_blocks(worker, f"/staff/reviews/{rows['review']}")}
        seen["picker"] = answers_of(text(worker.get(f"/staff/reviews/{rows['review']}")))
        seen["meeting sheet"] = answers_of(text(worker.get(f"/staff/members/{rows['child member']}/meeting-sheet")))
        for name, entry_id in rows["entries"].items():
            seen[f"staff {name}"] = answers_of(text(worker.get(f"/staff/entries/{entry_id}")))
        for name in ("good_news", "meeting"):
            seen[f"own {name}"] = answers_of(text(child.get(f"/my/views/{rows['entries'][name]}")))
        db_session().close()
    app.extensions["db_engine"].dispose()
    return seen


def stored(database_url: str) -> tuple[dict[int, Any], dict[str, Any]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            answers: dict[int, Any] = dict(connection.execute(select(Entry.id, Entry.answers_json)).all())
            items = dict(connection.execute(select(ReviewItem.source, ReviewItem.quote).where(ReviewItem.source != "entry")).all())
            items["entries"] = [quote for (quote,) in connection.execute(select(ReviewItem.quote).where(ReviewItem.source == "entry").order_by(ReviewItem.id))]
    finally:
        engine.dispose()
    return answers, items


def test_the_migration_gives_quotes_and_answers_a_version_and_people_see_the_same_words(fresh_database):
    migrate(fresh_database, "upgrade", "0010")
    config = {"TESTING": True, "DATABASE_URL": fresh_database, "SECRET_KEY": "migration-test", "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": "localhost"}
    old = OldRows(fresh_database)
    ids = old.family()
    child, parent = ids["young_person"], ids["parent"]
    entries = {}
    for name, kind, language, given, day in [("good_news", "good_news", "en", GOOD_NEWS, 2), ("meeting", "meeting", "pl", MEETING, 5),
                                               ("safety_score", "safety_score", "en", SAFETY_SCORE, 8)]:
        # Written as the app wrote them before this change: the bare answers in the column.
        entries[name] = old.add("entries", member_id=child, family_id=ids["family"], kind=kind, language=language, answers=given,
                                urgent=kind == "safety_score", shared_with_family=False, created_at=datetime(2026, 6, day, 12, 0, tzinfo=UTC))
    # More than one batch of the migration's.
    old.add_many("entries", [
        {"member_id": parent, "family_id": ids["family"], "kind": "parent_views", "language": "en", "answers": {"going_well": f"Day {n}"},
         "urgent": False, "shared_with_family": False, "created_at": datetime(2026, 5, 1, 12, 0, tzinfo=UTC)}
        for n in range(1201)
    ])
    review = old.add("reviews", family_id=ids["family"], period_start=date(2026, 6, 1), period_end=date(2026, 6, 30), status="draft",
                     analysis={"observed": "A calm home"})
    old.add_many("review_items", [
        {"review_id": review, "member_id": child, "source": "entry", "source_id": entries["good_news"], "quote": copy.deepcopy(GOOD_NEWS_QUOTE)},
        {"review_id": review, "member_id": child, "source": "entry", "source_id": entries["meeting"], "quote": copy.deepcopy(MEETING_QUOTE)},
        {"review_id": review, "member_id": child, "source": "entry", "source_id": entries["safety_score"], "quote": copy.deepcopy(SAFETY_SCORE_QUOTE)},
        {"review_id": review, "member_id": child, "source": "worry", "source_id": 1, "quote": copy.deepcopy(WORRY_QUOTE)},
        {"review_id": review, "member_id": child, "source": "photo", "source_id": 99, "quote": copy.deepcopy(PHOTO_QUOTE)},
        {"review_id": review, "member_id": parent, "source": "comment", "source_id": 5, "quote": {**COMMENT_QUOTE, "member_id": parent}},
    ])
    old.close()
    rows = {"worker": ids["worker"], "child": ids["young_person user"], "child member": child, "review": review, "entries": entries}
    # What people see is read after the upgrade only: today's code expects today's tables, which a
    # database at 0010 lacks. The words it must show are spelled out below.

    migrate(fresh_database, "upgrade", "head")
    answers, items = stored(fresh_database)
    many = {answers.pop(entry_id)["values"]["going_well"] for entry_id in list(answers) if entry_id not in entries.values()}
    assert many == {f"Day {n}" for n in range(1201)}, "every row, batch after batch"
    assert answers == {
        entries["good_news"]: {"schema_version": ANSWERS_VERSION, "values": GOOD_NEWS},
        entries["meeting"]: {"schema_version": ANSWERS_VERSION, "values": MEETING},
        entries["safety_score"]: {"schema_version": ANSWERS_VERSION, "values": SAFETY_SCORE},
    }
    version = {"schema_version": quotes.SCHEMA_VERSION}
    good_news, meeting, safety = items["entries"]
    assert good_news == {**version, **GOOD_NEWS_QUOTE}, "every word kept"
    assert [a["sentence"] for a in meeting["answers"]] == MEETING_SENTENCES
    assert [{k: v for k, v in a.items() if k != "sentence"} for a in meeting["answers"]] == MEETING_QUOTE["answers"]
    assert [a["sentence"] for a in safety["answers"]] == SAFETY_SENTENCES
    assert items["worry"] == {**version, **WORRY_QUOTE} and items["photo"] == {**version, **PHOTO_QUOTE}
    assert items["comment"] == {**version, **COMMENT_QUOTE, "member_id": items["comment"]["member_id"]}

    after = what_people_see(build_app(config), rows)
    voice_of_child = dict(after["review"])["Voice of Child"]
    for line in [*SAFETY_SENTENCES, *MEETING_SENTENCES, "What good thing happened? “We won the match”", "(change +3)", "My cat Biscuit"]:
        assert line in voice_of_child
    assert "On the assessment, “Home life”: Partly" in dict(after["review"])["Parents view"]
    assert after["own good_news"] == ["What good thing happened? We won the match Who were you with? My friend Jo"]
    assert after["staff safety_score"] == ["Worry Shouting at home Score 0 out of 10 What would make it one point higher? If nobody shouted"]
    assert "Which meeting is it? TAF meeting (Team Around the Family)" in after["meeting sheet"][0]

    migrate(fresh_database, "downgrade", "0010")
    answers, items = stored(fresh_database)
    assert sorted(answers.pop(entry_id)["going_well"] for entry_id in list(answers) if entry_id not in entries.values()) == sorted(f"Day {n}" for n in range(1201))
    assert answers == {entries["good_news"]: GOOD_NEWS, entries["meeting"]: MEETING, entries["safety_score"]: SAFETY_SCORE}
    assert items["entries"][0] == GOOD_NEWS_QUOTE and items["worry"] == WORRY_QUOTE and items["photo"] == PHOTO_QUOTE
    assert "schema_version" not in items["entries"][2] and [a["sentence"] for a in items["entries"][2]["answers"]] == SAFETY_SENTENCES
