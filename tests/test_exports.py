"""Exports: a review as a printable page, PDF, DOCX and text to paste, and a family's worry scores as CSV.

Each lays the review out under the case-record headings, with the home-visit headings of
Appendix A of the practice standards, and each is written to the audit log.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import time_machine
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image
from sqlalchemy import select

from webapp.audit.models import AuditEvent
from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.families.models import Family
from webapp.photos.models import PhotoData
from webapp.reviews.models import Review, ReviewItem

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .review_steps import (  # clock, family and worker are fixtures
    HEADINGS,
    clock,
    family,
    family_worry,
    send_comment,
    send_entry,
    send_photo,
    send_score,
    shared_assessment,
    start_review,
    text_blocks,
    utc,
    worker,
)

ARABIC = "أنا سعيد في المدرسة"  # "I am happy at school"
POLISH = "Dzieci śpią lepiej, wieczory są spokojniejsze"  # "The children sleep better, evenings are calmer"
ANALYSIS = {
    "who_did_you_see": "Sam, Layla, Pat and Ewa at home",
    "purpose": "Review of the family plan before the TAF",
    "observed": "A calm home; the children played together.",
    "worker_analysis": "Evenings are calmer and the children say they feel safer.",
    "actions_next_steps": "Next TAF meeting on 14 July.",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"





@pytest.fixture
def review(app: Any, worker: FormClient, family: Family, world: dict[str, Any]) -> dict[str, Any]:
    """A saved review of June: two children's words (one in Arabic), two parents' (one in Polish), a worry."""
    sam = world["child"]
    layla = factories.member(family, "young_person", name="Layla", language="ar")
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    entries = [
        send_entry(app, sam, utc(6, 2), what_happened="I joined the choir"),
        send_entry(app, layla, utc(6, 3), what_happened=ARABIC),
        send_entry(app, world["parent"], utc(6, 4), "parent_views", going_well="Bedtimes are calmer"),
        send_entry(app, ewa, utc(6, 5), "parent_views", going_well=POLISH),
    ]
    shouting = family_worry(family, "Shouting at home", sam)
    send_score(app, sam, shouting, utc(6, 6), 3)
    send_score(app, sam, shouting, utc(6, 27), 7)
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    ticks = [f"entry-{e.id}" for e in entries] + [f"worry-{shouting.id}-{sam.id}"]
    saved = worker.submit(url, {"item": ticks, **ANALYSIS})
    assert saved.status_code == 302, text(saved)[:800]
    return {"url": url, "id": int(url.rsplit("/", 1)[1])}


def in_order(haystack: str, *needles: str) -> bool:
    """Each needle is there, each after the one before."""
    position = -1
    for needle in needles:
        position = haystack.find(needle, position + 1)
        if position < 0:
            return False
    return True


ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")


def reads_right_to_left(paragraph: Any) -> bool:
    """The paragraph sits at the right edge and its Arabic letters run right to left, in runs of their own.

    Starting with Arabic, it is a right-to-left paragraph, which starts at the right edge: Word reads
    an alignment of "right" there as the end of the line, the left edge, so none is set. Starting
    with Latin letters (a question in English), it is a left-to-right paragraph aligned right.
    """
    properties = paragraph._p.pPr
    bidi = properties is not None and properties.find(qn("w:bidi")) is not None
    runs = [(bool(ARABIC_LETTERS.search(run.text)), bool(run.font.rtl and run.font.complex_script)) for run in paragraph.runs]
    starts_arabic = bool(ARABIC_LETTERS.match(paragraph.text.lstrip("“\"( ")))
    at_right = (bidi and paragraph.alignment is None) if starts_arabic else (not bidi and paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT)
    return at_right and any(arabic for arabic, _ in runs) and all(arabic == rtl for arabic, rtl in runs)


def export_events() -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action.in_(["review_exported", "scores_exported"])).order_by(AuditEvent.id)
    return list(db_session().scalars(query))


# --- The printable page.


def sections(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(title), body) for title, body in re.findall(r"<section>\s*<h2>(.*?)</h2>(.*?)</section>", page, re.DOTALL)]


def test_the_printable_page_is_laid_out_under_the_case_record_headings(worker, review):
    response = worker.get(review["url"] + "/print")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Review: The Test family" in html.unescape(page)
    laid_out = dict(sections(page))
    assert [title for title, _ in sections(page)] == HEADINGS
    for key, heading in zip(ANALYSIS, ("Who did you see", "Purpose of visit", "What did you observe", "Worker analysis", "Actions and next steps"), strict=True):
        assert ANALYSIS[key] in html.unescape(laid_out[heading]), heading
    voice_of_child = html.unescape(laid_out["Voice of Child"])
    assert in_order(voice_of_child, "Child", "I joined the choir", "Shouting at home: 3 on 6 Jun 2026, 7 on 27 Jun 2026 (change +4)")
    assert in_order(voice_of_child, "Layla", "(written in العربية)", ARABIC)
    assert re.search(rf'<blockquote lang="ar" dir="auto">[^<]*{ARABIC}', laid_out["Voice of Child"])
    parents_view = html.unescape(laid_out["Parents view"])
    assert "Bedtimes are calmer" in parents_view and "(written in Polski)" in parents_view
    assert re.search(rf'<blockquote lang="pl" dir="auto">[^<]*{POLISH}', laid_out["Parents view"])
    for words in ("I joined the choir", ARABIC):
        assert words not in parents_view
    for words in ("Bedtimes are calmer", POLISH):
        assert words not in voice_of_child


def test_the_printable_page_prints_without_the_menu(worker, review):
    page = worker.get(review["url"] + "/print").get_data(as_text=True)
    assert re.search(r'<p class="no-print breadcrumb"><a href="[^"]+">Back to the review</a>', page)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheet
    with worker.get(stylesheet.group(1)) as served:
        css = served.get_data(as_text=True)
    rules = re.search(r"@media print \{(.*?)\n\}", css, re.DOTALL)
    assert rules, "no print stylesheet"
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", rules.group(1))
    assert hidden and {".site-nav", ".no-print", ".site-header"} <= {s.strip() for s in hidden.group(1).split(",")}


# --- Text to paste into the case management system.


def test_the_text_to_paste_is_one_block_per_heading_in_order(worker, review):
    blocks = text_blocks(worker, review["url"])
    assert [title for title, _ in blocks] == HEADINGS
    by_heading = dict(blocks)
    assert by_heading["Who did you see"] == ANALYSIS["who_did_you_see"]
    assert by_heading["Actions and next steps"] == ANALYSIS["actions_next_steps"]
    assert in_order(by_heading["Voice of Child"], "Child:", "“I joined the choir”", "(change +4)", "Layla:", f"“{ARABIC}”")
    assert in_order(by_heading["Parents view"], "Parent:", "“Bedtimes are calmer”", "Ewa:", "(written in Polski)", f"“{POLISH}”")
    page = worker.get(review["url"] + "/text").get_data(as_text=True)
    assert page.count("<textarea") == len(HEADINGS) and page.count("readonly") == len(HEADINGS)


def test_headings_with_nothing_under_them_say_so(worker, family):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    blocks = dict(text_blocks(worker, url))
    assert blocks["Voice of Child"] == "Nothing was imported under this heading."
    assert blocks["Worker analysis"] == "Not written yet."


# --- DOCX.


def test_the_docx_has_the_headings_in_order_and_each_persons_words_under_the_right_one(worker, review):
    response = worker.get(review["url"] + "/review.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert response.headers["Content-Disposition"] == f'attachment; filename="review-{review["id"]}.docx"'
    document = docx.Document(io.BytesIO(response.data))
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs if p.style and p.style.name == "Heading 1"] == ["Review: The Test family"]
    assert [p.text for p in paragraphs if p.style and p.style.name == "Heading 2"] == HEADINGS

    under: dict[str, list[Any]] = {}
    current = None
    for paragraph in paragraphs:
        if paragraph.style and paragraph.style.name == "Heading 2":
            current = paragraph.text
            under[current] = []
        elif current:
            under[current].append(paragraph)
    child_text = "\n".join(p.text for p in under["Voice of Child"])
    parent_text = "\n".join(p.text for p in under["Parents view"])
    assert in_order(child_text, "Child", "What good thing happened? “I joined the choir”", "Layla", f"“{ARABIC}”")
    assert in_order(parent_text, "Parent", "What is going well? “Bedtimes are calmer”", "Ewa", f"“{POLISH}”")
    assert "Bedtimes" not in child_text and "choir" not in parent_text
    assert [p.text for p in under["Worker analysis"]] == [ANALYSIS["worker_analysis"]]
    # The child's Arabic words read right to left; quotes are set apart from the worker's words.
    arabic = next(p for p in under["Voice of Child"] if ARABIC in p.text)
    assert reads_right_to_left(arabic)
    english = next(p for p in under["Voice of Child"] if "I joined the choir" in p.text)
    assert english.runs[0].italic and not reads_right_to_left(english) and english.alignment != WD_ALIGN_PARAGRAPH.RIGHT


# --- PDF.


def test_the_pdf_has_the_headings_in_order_and_keeps_arabic_and_polish_words(worker, review):
    response = worker.get(review["url"] + "/review.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="review-{review["id"]}.pdf"'
    assert response.data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert in_order(content, "Review: The Test family", *HEADINGS)
    voice_of_child = content[content.index("Voice of Child") : content.index("Parents view")]
    parents_view = content[content.index("Parents view") : content.index("Worker analysis")]
    assert "I joined the choir" in voice_of_child and ARABIC in voice_of_child
    assert "Bedtimes are calmer" in parents_view and POLISH in parents_view
    assert ANALYSIS["worker_analysis"] in content[content.index("Worker analysis") :]
    assert reader.metadata is not None and reader.metadata.title == "Review: The Test family"


# --- An Arabic comment on the assessment.


def test_a_parents_comment_keeps_its_language_in_the_exports(app, worker, family):
    amal = factories.member(family, "parent", name="Amal", language="ar")
    assessment, section = shared_assessment(family, amal)
    send_comment(app, amal, assessment, section, utc(6, 9), "الصباح أهدأ الآن")  # "Mornings are calmer now"
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    page = worker.get(url).get_data(as_text=True)
    keys = re.findall(r'value="(comment-\d+)"', page)
    assert len(keys) == 1
    assert re.search(r'<p class="text" lang="ar" dir="auto">الصباح أهدأ الآن</p>', page)
    worker.submit(url, {"item": keys})
    printable = dict(sections(worker.get(url + "/print").get_data(as_text=True)))
    assert re.search(r'<blockquote lang="ar" dir="auto">“الصباح أهدأ الآن”</blockquote>', printable["Parents view"])
    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    comment = next(p for p in document.paragraphs if "الصباح أهدأ الآن" in p.text)
    assert reads_right_to_left(comment)


# --- The audit log.


def test_every_export_is_written_to_the_audit_log(worker, review, family, world):
    for path in ("/print", "/review.pdf", "/review.docx", "/text"):
        assert worker.get(review["url"] + path).status_code == 200, path
    assert worker.get(f"/staff/families/{family.id}/worry-scores.csv").status_code == 200
    events = export_events()
    assert [(e.action, e.target) for e in events] == [
        ("review_exported", f"review:{review['id']}:print"),
        ("review_exported", f"review:{review['id']}:pdf"),
        ("review_exported", f"review:{review['id']}:docx"),
        ("review_exported", f"review:{review['id']}:text"),
        ("scores_exported", "csv"),
    ]
    assert {(e.actor_id, e.family_id) for e in events} == {(world["worker_a"].id, family.id)}
    assert all(e.at.date().isoformat() == "2026-06-30" for e in events)


# --- Worry scores as CSV.


def test_the_scores_csv_has_one_row_per_score_and_neutralises_formulas(app, worker, family, world):
    child, parent = world["child"], world["parent"]
    child.display_name = '=HYPERLINK("http://evil.example","Sam")'
    db_session().commit()
    shouting = family_worry(family, "Shouting at home", child, parent)
    school = family_worry(family, "+1 day at school each week", child)
    send_score(app, child, shouting, utc(5, 4, 8), 2)
    send_score(app, parent, shouting, utc(5, 31, 23, 30), 5)  # 00:30 on 1 June in the UK
    send_score(app, child, school, utc(6, 10, 16), 6)
    send_score(app, child, shouting, utc(6, 29, 19), 8)
    elsewhere = family_worry(world["other_family"], "Not this family's", world["other_child"])
    send_score(app, world["other_child"], elsewhere, utc(6, 1), 4)

    response = worker.get(f"/staff/families/{family.id}/worry-scores.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="worry-scores-family-{family.id}.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    sam = "'=HYPERLINK(\"http://evil.example\",\"Sam\")"
    # The first five columns are the ones the distance-travelled tool has always read; whom each score is about and who gave it follow.
    assert rows[0][5:] == ["about", "scorer kind", "scorer role", "recorded by", "what makes it this number", "what would make it one point higher"]
    assert [row[:5] for row in rows] == [
        ["member", "worry", "score", "date", "done together with"],
        [sam, "Shouting at home", "2", "2026-05-04", ""],
        ["Parent", "Shouting at home", "5", "2026-06-01", ""],
        [sam, "'+1 day at school each week", "6", "2026-06-10", ""],
        [sam, "Shouting at home", "8", "2026-06-29", ""],
    ]


# --- Nobody else exports.


@pytest.mark.parametrize("who", ["worker_b", "manager_b", "other_worker_a"])
def test_staff_not_on_the_family_get_404_for_every_export(app, review, family, world, who):
    outsider = signed_in(app, world[who])
    for path in ("/print", "/review.pdf", "/review.docx", "/text"):
        response = outsider.get(review["url"] + path)
        assert response.status_code == 404, path
        assert not response.data.startswith((b"%PDF", b"PK")), path
    assert outsider.get(f"/staff/families/{family.id}/worry-scores.csv").status_code == 404
    assert export_events() == []


def test_a_photo_in_the_review_is_shown_in_the_printable_page_the_docx_and_the_pdf(app, worker, family, world):
    photo = send_photo(app, world["child"], utc(6, 8), "Baking a cake with Gran")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": [f"photo-{photo.id}"], **ANALYSIS}).status_code == 302
    thumbnail = db_session().get_one(PhotoData, photo.id).thumbnail

    page = worker.get(url + "/print").get_data(as_text=True)
    voice = dict(sections(page))["Voice of Child"]
    assert f'src="/photos/{photo.id}/thumbnail"' in voice and "Baking a cake with Gran" in voice

    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    pictures = [shape for shape in document.inline_shapes]
    assert len(pictures) == 1
    embedded = [rel.target_part.blob for rel in document.part.rels.values() if rel.reltype.endswith("/image")]
    assert embedded == [thumbnail]

    reader = pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data))
    images = [image for pdf_page in reader.pages for image in pdf_page.images]
    assert len(images) == 1
    assert Image.open(io.BytesIO(images[0].data)).size == Image.open(io.BytesIO(thumbnail)).size
    assert "Baking a cake with Gran" in "\n".join(p.extract_text() for p in reader.pages)


# --- Every answer in words: the questions of every kind of entry, and a safety score.


def recorded_entry_fields() -> dict[str, set[str]]:
    """The answers the code itself writes into entries (not through a form), by kind, read from the source.

    Each call like entries.build(member, kinds.SAFETY_SCORE, {"worry": ..., ...}) (or create) gives a kind and its fields.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(Path(kinds.__file__).resolve().parent.parent.rglob("*.py")):
        for call in (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)):
            if not (isinstance(call.func, ast.Attribute) and call.func.attr in ("build", "create") and len(call.args) >= 3):
                continue
            kind, answers = call.args[1], call.args[2]
            if isinstance(kind, ast.Attribute) and isinstance(kind.value, ast.Name) and kind.value.id == "kinds" and isinstance(answers, ast.Dict):
                key = getattr(kinds, kind.attr)
                found.setdefault(key, set()).update(str(k.value) for k in answers.keys if isinstance(k, ast.Constant))
    return found


def test_every_field_of_every_kind_of_entry_has_words(app):
    made_by_code = recorded_entry_fields()
    assert kinds.SAFETY_SCORE in made_by_code, "the search finds the entry a safety score makes"
    for kind_key, fields in made_by_code.items():
        assert kind_key in kinds.BY_KEY, f"{kind_key} is not a kind of entry"
        assert fields <= {question.key for question in kinds.BY_KEY[kind_key].questions}, kind_key
    with app.test_request_context():
        for kind in kinds.BY_KEY.values():
            assert str(kind.title).strip() and str(kind.title) != kind.key
            answers = {}
            for question in kind.questions:
                assert str(question.label).strip() and str(question.label) != question.key, (kind.key, question.key)
                for value, label in question.choices:
                    assert str(label).strip() and str(label) != value, (kind.key, question.key, value)
                answers[question.key] = question.choices[0][0] if question.choices else "3" if question.kind == "score" else "Words"
            shown = kinds.shown_answers(kind.key, answers)
            assert [answer.key for answer in shown] == [question.key for question in kind.questions]
            for answer in shown:
                assert answer.question != answer.key and answer.sentence != f"{answer.key} “{answer.answer}”", (kind.key, answer.key)


SAFETY_SENTENCES = ["Worry: Shouting at home", "Score: 0 out of 10", "What would make it one point higher: If nobody shouted"]


def test_a_safety_score_reads_in_words_on_its_pages_in_the_review_and_in_every_export(app, world, family, worker):
    child = world["child"]
    worry = family_worry(family, "Shouting at home", child)
    worry.is_safety = True
    db_session().commit()
    with time_machine.travel(utc(6, 10), tick=False):
        browser = signed_in(app, child.user)
        sent = browser.submit(f"/my/worries/{worry.id}", {"score": "0", "one_point_higher": "If nobody shouted"})
    assert sent.status_code == 302
    entry = db_session().scalars(select(Entry).where(Entry.kind == kinds.SAFETY_SCORE)).one()
    browser = signed_in(app, child.user)

    def assert_in_words(page: str) -> None:
        shown = html.unescape(page)
        for words in ("<dt>Worry</dt>", "Shouting at home", "<dt>Score</dt>", "0 out of 10", "<dt>What would make it one point higher?</dt>", "If nobody shouted"):
            assert words in shown, words
        for key in ("worry", "score", "one_point_higher"):
            assert f"<dt>{key}</dt>" not in shown and "one_point_higher" not in shown, key

    def answers_block(page: str) -> str:
        match = re.search(r'<dl class="answers[^"]*"[^>]*>.*?</dl>', page, re.DOTALL)
        assert match, page[-3000:]
        return re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", "", match.group(0)))

    staff_page = worker.get(f"/staff/entries/{entry.id}")
    assert staff_page.status_code == 200, staff_page.status_code
    assert_in_words(answers_block(staff_page.get_data(as_text=True)))
    assert_in_words(answers_block(browser.get(f"/my/views/{entry.id}").get_data(as_text=True)))
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    picker = worker.get(url).get_data(as_text=True)
    assert_in_words(answers_block(picker[picker.index(f'id="item-entry-{entry.id}"') :]))

    saved = worker.submit(url, {"item": [f"entry-{entry.id}"], **ANALYSIS})
    assert saved.status_code == 302
    blocks = [block for _heading, block in text_blocks(worker, url)]
    assert any(in_order(block, *SAFETY_SENTENCES) for block in blocks), blocks
    printable = html.unescape(worker.get(url + "/print").get_data(as_text=True))
    assert in_order(printable, *SAFETY_SENTENCES)
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data)).pages)
    assert in_order(" ".join(pdf_text.split()), *SAFETY_SENTENCES)
    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    assert in_order("\n".join(paragraph.text for paragraph in document.paragraphs), *SAFETY_SENTENCES)

    downloaded_zip = browser.get("/my/data")
    archive = zipfile.ZipFile(io.BytesIO(downloaded_zip.data))
    downloaded_zip.close()  # as a server does: it closes the file the zip was written to
    [downloaded] = [e for e in json.loads(archive.read("data.json"))["entries"] if e["kind"] == kinds.SAFETY_SCORE]
    assert [(a["question"], a["answer"]) for a in downloaded["answers"]] == [
        ("Worry", "Shouting at home"), ("Score", "0 out of 10"), ("What would make it one point higher?", "If nobody shouted")
    ]
    assert "one_point_higher" not in archive.read("index.html").decode()


def test_a_safety_score_imported_before_its_answers_had_words_still_exports_as_sentences(app, world, family, worker):
    # How a review kept a safety score's answers until they had words: under their keys.
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    review = db_session().get_one(Review, int(url.rsplit("/", 1)[1]))
    quote = {
        "kind": kinds.SAFETY_SCORE, "title": "Safety worry scored 0", "language": "en", "created_at": utc(6, 10).isoformat(), "feeling": None,
        "answers": [{"question": "worry", "answer": "Shouting at home"}, {"question": "score", "answer": "0"}, {"question": "one_point_higher", "answer": "If nobody shouted"}],
    }
    review.items.append(ReviewItem(member_id=world["child"].id, source="entry", source_id=1, quote=quote))
    db_session().commit()
    blocks = "\n".join(block for _heading, block in text_blocks(worker, url))
    assert in_order(blocks, *SAFETY_SENTENCES)
    assert "one_point_higher" not in blocks


def test_the_pdfs_own_line_writer_puts_every_line_where_a_cell_would_across_page_breaks(app):
    """A long review's lines are written without fpdf2's cell layout (its slowest part): the same words land
    at the same places, in the same colour, on the same pages."""
    from fpdf import FPDF

    from webapp import fonts
    from webapp.reviews.exports import _write_lines

    def drawn(use_cells: bool) -> list[tuple[int, float, float, str]]:
        doc = FPDF(format="A4")
        fonts.add_to_pdf(doc)
        doc.set_margins(18, 18, 18)
        doc.set_auto_page_break(True, margin=18)
        doc.add_page()
        for number in range(150):  # three pages and more
            size = 9 if number % 3 else 11
            line_height = fonts.use_in_pdf(doc, "en", "B" if number % 5 == 0 else "", size, False, fallbacks=False)
            doc.set_text_color(80, 80, 80) if number % 2 else doc.set_text_color(0, 0, 0)
            line, indent = f"Line {number}: Zoë's words, (brackets) and \\ backslash", 6 if number % 4 else 0
            if use_cells:
                doc.set_x(doc.l_margin + indent)
                doc.cell(0, line_height, line, align="L", new_x="LMARGIN", new_y="NEXT")
            else:
                _write_lines(doc, [line], line_height, indent)
        found: list[tuple[int, float, float, str]] = []
        reader = pypdf.PdfReader(io.BytesIO(bytes(doc.output())))
        for page_number, page in enumerate(reader.pages):

            def seen(text: str, cm: list[float], tm: list[float], *_: object, page_number: int = page_number) -> None:
                if text.strip():
                    found.append((page_number, round(tm[4] * cm[0] + cm[4], 1), round(tm[5] * cm[3] + cm[5], 1), text))

            page.extract_text(visitor_text=seen)
        return found

    by_cells, by_lines = drawn(True), drawn(False)
    assert len({page for page, *_ in by_cells}) >= 3
    assert len(by_lines) == len(by_cells) == 150
    assert by_lines == by_cells
