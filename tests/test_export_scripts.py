"""Every language offered comes back out of a review's PDF and DOCX as it was written.

A family whose members write in English, Polish, Romanian, Portuguese, Arabic, Urdu, Panjabi and
Ukrainian: the PDF embeds a font with the letters of each script (Arabic and Urdu shaped and right to
left, Gurmukhi with its conjuncts), and the text read back out of it has each sentence whole, in the
order it was written. The DOCX names a font for each script and runs Arabic and Urdu right to left.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from flask_babel import force_locale, gettext

from webapp import fonts
from webapp.config import LANGUAGES
from webapp.db import db_session
from webapp.families.models import Family
from webapp.reviews import exports
from webapp.reviews.record import Block, Heading, Record

from . import factories
from .conftest import FormClient
from .review_steps import (  # clock, family and worker are fixtures
    clock,
    family,
    send_entry,
    start_review,
    utc,
    worker,
)
from .test_exports import reads_right_to_left

# "I feel safe at home now", or near it, in each language offered, with the letters each script
# needs: Polish ą ę ś, Romanian ă î ș ț (comma below), Portuguese ç ã, Ukrainian ї й є, Gurmukhi's
# conjuncts and tippi, Urdu's own letters (ٹ ں ے ہ) and Arabic's lam-alef.
SENTENCES = {
    "en": "I feel safer at home now and I sleep well",
    "pl": "Czuję się bezpieczniej w domu, śpię spokojnie",
    "ro": "Mă simt în siguranță acasă și dorm bine în fiecare seară",
    "pt": "Sinto-me mais segura em casa e a situação está melhor",
    "ar": "أشعر بالأمان في البيت الآن وأنام جيدا",
    "ur": "میں اب گھر میں محفوظ محسوس کرتا ہوں اور ٹھیک سے سوتا ہوں",
    "pa": "ਮੈਂ ਹੁਣ ਘਰ ਵਿੱਚ ਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਕਰਦਾ ਹਾਂ ਅਤੇ ਚੰਗੀ ਤਰ੍ਹਾਂ ਸੌਂਦਾ ਹਾਂ",
    "uk": "Я почуваюся вдома в безпеці, їжу й добре сплю є",
}
# The font that writes each language's letters in the PDF.
PDF_FONT = {"ar": "NotoNaskhArabic", "ur": "NotoNastaliqUrdu", "pa": "NotoSansGurmukhi"}
# Letters only that language's sentence has: Arabic's yeh and alef with hamza, Urdu's own letters.
SCRIPT = {"ar": "[أي]", "ur": "[ٹںےہھ]", "pa": r"[\u0a00-\u0a7f]", "uk": r"[\u0400-\u04ff]", "ro": r"[ăîșț]", "pl": r"[ąęś]", "pt": r"[çã]"}


@pytest.fixture
def review(app: Any, worker: FormClient, family: Family) -> dict[str, Any]:
    """A saved review of June with one person's good news in each language, children and parents."""
    ticks = []
    for number, (language, sentence) in enumerate(SENTENCES.items()):
        member = factories.member(family, "young_person" if number % 2 else "parent", name=f"Person {language}", language=language)
        entry = send_entry(app, member, utc(6, 2 + number), what_happened=sentence)
        ticks.append(f"entry-{entry.id}")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": ticks}).status_code == 302
    return {"url": url}


def pdf_text_by_font(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The PDF's text as a reader copies it, and each piece of it with the font it is written in."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pieces: list[tuple[str, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if font is not None and text.strip():
            pieces.append((str(font["/BaseFont"]).split("+", 1)[-1], text))

    content = "\n".join(page.extract_text(visitor_text=visit) for page in reader.pages)
    return content, pieces


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Each font the pages use, and whether the font file itself is inside the PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"]).split("+", 1)[-1]] = "/FontFile2" in descriptor
    return found


def test_the_pdf_gives_back_every_languages_sentence_whole_in_a_font_with_its_letters(worker, review, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        response = worker.get(review["url"] + "/review.pdf")
    assert response.status_code == 200
    # No letter was left without a glyph.
    assert not [record for record in caplog.records if "missing" in record.getMessage()]

    content, pieces = pdf_text_by_font(response.data)
    for language, sentence in SENTENCES.items():
        # Whole, in the order it was written (Arabic and Urdu in logical order, not as laid out on the page).
        assert sentence in content, language
        assert f"(written in {LANGUAGES[language]})" in content
    # The question before each answer is whole too, its words spaced apart even beside Urdu's narrow
    # Nastaliq spaces (with a four-per-em space there, a plain space once normalised).
    assert unicodedata.normalize("NFKC", content).count("What good thing happened?") == len(SENTENCES)

    # Each script is written in its own font, one with its letters.
    for language, pattern in SCRIPT.items():
        written_in = {font for font, text in pieces if re.search(pattern, text)}
        assert written_in == {PDF_FONT.get(language, "NotoSans")}, language
    assert embedded_fonts(response.data) == {
        "NotoSans": True,
        "NotoSansBold": True,
        "NotoNaskhArabic": True,
        "NotoNastaliqUrdu": True,
        "NotoSansGurmukhi": True,
    }


def test_a_pdf_embeds_only_the_fonts_its_words_need(app, worker, family, world):
    entry = send_entry(app, world["child"], utc(6, 2), what_happened="I joined the choir")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    assert worker.submit(url, {"item": [f"entry-{entry.id}"]}).status_code == 302
    data = worker.get(url + "/review.pdf").data
    assert set(embedded_fonts(data)) == {"NotoSans", "NotoSansBold"}
    assert "I joined the choir" in pdf_text_by_font(data)[0]


def test_a_worker_reading_in_urdu_gets_urdu_headings_in_nastaliq_and_right_to_left(app, worker, review, world):
    world["worker_a"].locale = "ur"
    db_session().commit()
    with app.test_request_context(), force_locale("ur"):
        voice_of_child = gettext("Voice of Child")
    assert re.search(SCRIPT["ur"], voice_of_child)

    content, pieces = pdf_text_by_font(worker.get(review["url"] + "/review.pdf").data)
    assert voice_of_child in content
    assert {font for font, text in pieces if voice_of_child.split()[0] in text} == {"NotoNastaliqUrduBold"}
    for sentence in SENTENCES.values():
        assert sentence in content

    document = docx.Document(io.BytesIO(worker.get(review["url"] + "/review.docx").data))
    heading = next(p for p in document.paragraphs if p.text == voice_of_child)
    assert reads_right_to_left(heading)
    # The Polish words keep their own direction and font, in the Urdu page.
    polish = next(p for p in document.paragraphs if SENTENCES["pl"] in p.text)
    assert not any(run.font.rtl for run in polish.runs)


def run_fonts(run: Any) -> dict[str, str]:
    properties = run._element.rPr
    found = properties.find(qn("w:rFonts"))
    return {name: found.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "cs", "eastAsia")}


def run_language(run: Any) -> dict[str, str | None]:
    found = run._element.rPr.find(qn("w:lang"))
    return {"val": found.get(qn("w:val")), "bidi": found.get(qn("w:bidi"))}


def test_the_docx_names_a_font_for_each_script_and_runs_arabic_and_urdu_right_to_left(worker, review):
    document = docx.Document(io.BytesIO(worker.get(review["url"] + "/review.docx").data))
    paragraphs = {language: next(p for p in document.paragraphs if sentence in p.text) for language, sentence in SENTENCES.items()}
    for language, paragraph in paragraphs.items():
        # The question is in the worker's English; the answer in the person's own language.
        assert paragraph.text == f"What good thing happened? “{SENTENCES[language]}”"
        answer = next(run for run in paragraph.runs if SENTENCES[language].split()[0] in run.text)
        assert run_fonts(answer)["ascii"] == run_fonts(answer)["hAnsi"] == run_fonts(answer)["eastAsia"] == "Noto Sans"
        assert run_fonts(answer)["cs"] == {"ur": "Noto Nastaliq Urdu", "pa": "Noto Sans Gurmukhi"}.get(language, "Noto Naskh Arabic")
        assert answer.italic and answer.font.cs_italic
        if language in ("ar", "ur", "pa"):
            assert run_language(answer) == {"val": None, "bidi": fonts.LANGUAGE_TAGS[language]}
        else:
            assert run_language(answer) == {"val": fonts.LANGUAGE_TAGS[language], "bidi": None}
    for language in ("ar", "ur"):
        paragraph = paragraphs[language]
        assert reads_right_to_left(paragraph), language
        # The answer, with its quotation marks, is one right-to-left run; the English question is not.
        assert [(run.text, bool(run.font.rtl)) for run in paragraph.runs] == [
            ("What good thing happened? ", False),
            (f"“{SENTENCES[language]}”", True),
        ]
    for language in ("en", "pl", "ro", "pt", "uk", "pa"):
        assert not reads_right_to_left(paragraphs[language]) and not any(run.font.rtl for run in paragraphs[language].runs)


def test_font_files_are_read_once_however_many_exports(worker, review, monkeypatch):
    assert worker.get(review["url"] + "/review.pdf").status_code == 200
    # With the files out of reach, the next export still has every font.
    monkeypatch.setattr(fonts, "FOLDER", fonts.FOLDER / "not-there")
    again = worker.get(review["url"] + "/review.pdf")
    assert again.status_code == 200
    content, _ = pdf_text_by_font(again.data)
    assert all(sentence in content for sentence in SENTENCES.values())


def test_exports_written_at_the_same_time_each_come_out_whole():
    def write(language: str) -> tuple[str, str]:
        record = Record("Review", "Period", [Heading("voice_of_child", "Voice of Child", [Block(f"“{SENTENCES[language]}”", "quote", language)])], "en")
        return language, pdf_text_by_font(exports.pdf(record))[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        written = list(pool.map(write, list(SENTENCES) * 2))
    for language, content in written:
        assert SENTENCES[language] in content, language
        assert not any(sentence in content for other, sentence in SENTENCES.items() if other != language)


def test_every_font_shipped_has_its_licence_and_is_named_in_the_readme():
    readme = (fonts.FOLDER / "README.md").read_text()
    for font_family in fonts.FAMILIES:
        for file in filter(None, (font_family.regular, font_family.bold)):
            assert (fonts.FOLDER / file).is_file() and f"`{file}`" in readme
        licence = "LICENSE-DejaVu.txt" if font_family == fonts.SYMBOLS else f"LICENSE-OFL-{font_family.regular.split('-')[0]}.txt"
        assert (fonts.FOLDER / licence).is_file() and f"`{licence}`" in readme
