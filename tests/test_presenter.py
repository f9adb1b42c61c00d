"""One entry reads the same everywhere: the staff page, the family's page, "My data", a review and the API."""

from __future__ import annotations

import html
import io
import json
import zipfile
from typing import Any

from sqlalchemy import event

from webapp.api import tokens
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.entries.presenter import present, present_all
from webapp.photos.models import Photo

from . import factories
from .helpers import signed_in, text

# clock, family and worker are fixtures
from .review_steps import clock, family, send_entry, start_review, text_blocks, utc, worker

WORDS = "The bus to school is scary"


def _worry_entry(app: Any, member: Any) -> Entry:
    return send_entry(app, member, utc(6, 3), "worries", what_worries=WORDS, how_much="a_lot", feeling="worried")


def test_an_entry_is_presented_with_its_title_feeling_and_labelled_answers(app, world):
    entry = _worry_entry(app, world["child"])
    with app.test_request_context():
        shown = present(entry)
    assert shown.title == "My worries"
    assert shown.feeling is not None and (shown.feeling.key, shown.feeling.emoji, shown.feeling.word) == ("worried", "😟", "Worried")
    assert [(a.question, a.answer, a.typed) for a in shown.answers] == [
        ("What is worrying you?", WORDS, True),
        ("How much does it worry you?", "A lot", False),
    ]
    assert (shown.language, shown.direction, shown.language_name) == ("en", "ltr", "English")
    assert dict(shown.raw_answers) == {"what_worries": WORDS, "how_much": "a_lot"}
    assert shown.photos == () and not shown.pressed_only


def test_a_safety_score_entry_reads_as_sentences_and_an_unknown_feeling_as_itself(app, world):
    member = world["child"]
    entry = Entry(member_id=member.id, family_id=member.family_id, kind="safety_score", language="ar", urgent=True,
                  feeling="gone", answers={"worry": "Shouting", "score": "0", "one_point_higher": "Quiet evenings"})
    db_session().add(entry)
    db_session().flush()
    with app.test_request_context():
        shown = present(entry)
    assert shown.title == "Safety worry scored 0"
    assert shown.direction == "rtl"
    assert [a.sentence for a in shown.answers] == ["Worry: Shouting", "Score: 0 out of 10", "What would make it one point higher: Quiet evenings"]
    assert shown.feeling is not None and shown.feeling.word == "gone"


def test_photos_of_many_entries_load_in_one_query(app, world):
    member = world["child"]
    entries = [Entry(member_id=member.id, family_id=member.family_id, kind="good_news", language="en", answers={"what_happened": str(n)}) for n in range(5)]
    db_session().add_all(entries)
    db_session().flush()
    for entry in entries:
        db_session().add(Photo(member_id=member.id, family_id=member.family_id, entry_id=entry.id, caption=f"Photo {entry.id}", width=4, height=3))
    db_session().flush()
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    engine = db_session().get_bind()
    event.listen(engine, "before_cursor_execute", listen)
    try:
        with app.test_request_context():
            shown = present_all(entries)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len([s for s in statements if "photos" in s]) == 1
    assert [[p.caption for p in s.photos] for s in shown] == [[f"Photo {e.id}"] for e in entries]


def test_the_same_entry_reads_the_same_on_every_page_and_download(app, world, worker, family):
    child = world["child"]
    entry = _worry_entry(app, child)
    entry.shared_with_family = True
    db_session().commit()
    labels = ("What is worrying you?", WORDS, "How much does it worry you?", "A lot")

    staff_page = html.unescape(text(worker.get(f"/staff/entries/{entry.id}")))
    own_page = html.unescape(text(signed_in(app, child.user).get(f"/my/views/{entry.id}")))
    shared_page = html.unescape(text(signed_in(app, world["parent"].user).get(f"/my/views/{entry.id}")))
    for page in (staff_page, own_page, shared_page):
        assert "My worries" in page and "Feeling: Worried" in page
        assert all(words in page for words in labels), page

    response = signed_in(app, child.user).get("/my/data")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    data = json.loads(archive.read("data.json"))["entries"][0]
    assert data["title"] == "My worries" and data["feeling"] == "😟 Worried"
    assert [(a["question"], a["answer"]) for a in data["answers"]] == [(labels[0], labels[1]), (labels[2], labels[3])]
    index = html.unescape(archive.read("index.html").decode())
    assert all(words in index for words in labels)

    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": [f"entry-{entry.id}"]}).status_code == 302
    printable = html.unescape(text(worker.get(url + "/print")))
    pasted = "\n".join(block for _heading, block in text_blocks(worker, url))
    for review_text in (printable, pasted):
        assert "My worries" in review_text
        assert "What is worrying you? “The bus to school is scary”" in review_text
        assert "How much does it worry you? “A lot”" in review_text

    _token, secret = tokens.create(world["team_a"].id, "Case system", world["manager_a"].id)
    db_session().commit()
    api = app.test_client().get("/api/v1/entries", headers={"Authorization": f"Bearer {secret}"}).get_json()
    sent = next(item for item in api["data"] if item["id"] == entry.id)
    assert sent["kind"] == "worries" and sent["feeling"] == "worried"
    assert sent["answers"] == {"what_worries": WORDS, "how_much": "a_lot"}
