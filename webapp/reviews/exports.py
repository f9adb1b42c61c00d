"""Writing a review out as PDF and DOCX, from the same laid-out record as the printable page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

from docx import Document
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.fonts import TTFFont

from webapp import fonts
from webapp.config import RTL_LANGUAGES
from webapp.db import db_session
from webapp.forms import clean_text
from webapp.photos.models import PhotoData
from webapp.reviews.record import Block, Heading, Record

PHOTO_WIDTH_MM = 60


def _thumbnail(block: Block) -> bytes | None:
    """The small copy of a photo in the review (a JPEG), unless the photo has since been erased."""
    if block.photo_id is None:
        return None
    data = db_session().get(PhotoData, block.photo_id)
    return data.thumbnail if data is not None else None


def _printable(record: Record) -> Record:
    """The record without control characters, which XML cannot hold, even in words stored before they were cleaned."""
    return Record(
        title=clean_text(record.title),
        subtitle=clean_text(record.subtitle),
        headings=[
            Heading(heading.key, clean_text(heading.title), [
                replace(block, text=clean_text(block.text), rows=tuple(tuple(clean_text(cell) for cell in row) for row in block.rows))
                for block in heading.blocks
            ])
            for heading in record.headings
        ],
        language=record.language,
    )


# Scripts that need shaping: Hebrew, Arabic (and Urdu), Syriac, Thaana, the Indic scripts
# (Gurmukhi for Panjabi among them), and the Arabic presentation forms.
_SHAPED = re.compile("[\u0590-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")


def _needs_shaping(text: str) -> bool:
    return _SHAPED.search(text) is not None


def _one_font_lines(doc: FPDF, text: str, width: float, widths: dict[tuple[int, str], float] | None = None) -> list[str] | None:
    """The text broken at spaces into lines no wider than width (mm) in the document's current font,
    as multi_cell breaks it; None when the text needs another font for a character, or a word is
    wider than a line (multi_cell then does the work).

    fpdf2's multi_cell measures a line again for every character it adds to it, and looks for each
    character in every fallback font: for a review of thousands of items nearly all of the PDF's
    time. Text in one font needs neither, so it is measured a word at a time and written a line at a time.
    `widths` keeps each word's width in a font, for a document that writes the same words many times.
    """
    font = doc.current_font
    if not isinstance(font, TTFFont):
        return None
    if not set(map(ord, text.replace("\n", ""))) <= font.cmap.keys():
        return None
    width_of = font.cw.__getitem__
    scale = doc.font_size_pt * 0.001 / doc.k
    space = width_of(32) * scale
    known = {} if widths is None else widths
    lines = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        line_width = 0.0
        for word in paragraph.split(" "):
            units = known.get((font.i, word))
            if units is None:
                units = known[(font.i, word)] = sum(map(width_of, map(ord, word)))
            word_width = units * scale
            if word_width > width:
                return None
            if line and line_width + space + word_width > width:
                lines.append(" ".join(line))
                line, line_width = [word], word_width
            else:
                line_width += (space if line else 0) + word_width
                line.append(word)
        lines.append(" ".join(line))
    return lines


def _fits_one_line_of_one_font(doc: FPDF, text: str, width: float) -> bool:
    """Shaped text that the current font writes alone and that fits on one line: shaped once, as one cell.

    (multi_cell shapes a line again for every character it adds to it.)
    """
    font = doc.current_font
    if not isinstance(font, TTFFont) or "\n" in text or not set(map(ord, text)) <= font.cmap.keys():
        return False
    return doc.get_string_width(text) <= width


def _write_lines(doc: FPDF, lines: list[str], line_height: float, indent: float) -> None:
    """Left-aligned lines of one font, each where `cell(0, line_height, line, new_x="LMARGIN", new_y="NEXT")`
    would write it (after the cell's inner margin, on the baseline a cell centres its text on), breaking
    the page as a cell would. A cell lays its text out again as styled runs: for the thousands of
    lines of a long review, most of the PDF's time.
    """
    x = doc.l_margin + indent + doc.c_margin
    for line in lines:
        if doc.will_page_break(line_height):
            doc.add_page(same=True)
        doc.text(x, doc.y + 0.5 * line_height + 0.3 * doc.font_size, line)
        doc.set_y(doc.y + line_height)  # and x back to the left margin, as new_x="LMARGIN" leaves it


def pdf(record: Record) -> bytes:
    """An A4 PDF with embedded fonts for every language offered, Arabic and Urdu shaped right to left."""
    record = _printable(record)
    language = record.language
    doc = FPDF(format="A4")
    doc.set_title(record.title)
    doc.set_creator("Family Voice")
    fonts.add_to_pdf(doc)
    doc.set_margins(18, 18, 18)
    doc.set_auto_page_break(True, margin=18)
    doc.add_page()

    # The font last set (language, style, size, shaping) and its line height: most blocks are written in the
    # font of the one before.
    font_set: tuple[str | None, str, float, bool] | None = None
    line_height = 0.0
    widths: dict[tuple[int, str], float] = {}

    def write(text: str, block_language: str | None, style: str, size: float, indent: float = 0) -> None:
        nonlocal font_set, line_height
        right_to_left = (block_language or "") in RTL_LANGUAGES
        shaped = _needs_shaping(text)
        if font_set != (block_language, style, size, shaped):
            font_set = (block_language, style, size, shaped)
            line_height = fonts.use_in_pdf(doc, block_language, style, size, shaped, fallbacks=False)
        printed = fonts.pdf_text(text, block_language)
        width = doc.epw - indent - 2 * doc.c_margin
        if shaped:
            lines = [printed] if _fits_one_line_of_one_font(doc, printed, width) else None
        else:
            lines = None if right_to_left else _one_font_lines(doc, printed, width, widths)
        if lines is None:
            fonts.use_fallbacks_in_pdf(doc, block_language)
            font_set = None  # the fallbacks are on: the next block sets its font again
            doc.set_x(doc.l_margin + indent)
            doc.multi_cell(0, line_height, printed, align="R" if right_to_left else "L", new_x="LMARGIN", new_y="NEXT")
            return
        if shaped:
            doc.set_x(doc.l_margin + indent)
            doc.cell(0, line_height, lines[0], align="R" if right_to_left else "L", new_x="LMARGIN", new_y="NEXT")
        else:
            _write_lines(doc, lines, line_height, indent)

    write(record.title, language, "B", 16)
    doc.set_text_color(80, 80, 80)
    write(record.subtitle, language, "", 9)
    doc.set_text_color(0, 0, 0)
    for heading in record.headings:
        doc.ln(4)
        write(heading.title, language, "B", 13)
        for block in heading.blocks:
            # A family member's words are in their own language; names, dates and captions in the page's.
            block_language = block.language or language
            thumbnail = _thumbnail(block)
            if thumbnail is not None:
                doc.image(io.BytesIO(thumbnail), x=doc.l_margin, w=PHOTO_WIDTH_MM)
            if block.style == "table":
                write(block.text, language, "B", 10)
                for row in block.rows:
                    # One line a row: the date, the score, the distance from the baseline, then the person's own words.
                    write(" · ".join(cell for cell in row if cell), language, "", 9, indent=6)
                continue
            grey = block.style == "meta"
            if grey:
                doc.set_text_color(80, 80, 80)
            write(
                block.text,
                block_language,
                "B" if block.style == "person" else "",
                9 if block.style == "meta" else 11,
                indent=6 if block.style in ("quote", "english") else 0,
            )
            if grey:
                doc.set_text_color(0, 0, 0)
    return fonts.write_pdf(doc)


def docx(record: Record) -> bytes:
    """A Word document with the same headings and words, right to left where the words are.

    Each run names a font for its script and its language, so Word and LibreOffice write it with
    letters that exist and lay Arabic and Urdu out right to left.
    """
    record = _printable(record)
    language = record.language
    document = Document()
    document.core_properties.title = record.title
    document.core_properties.author = "Family Voice"
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    fonts.use_in_docx_style(style)

    def paragraph(text: str, block_language: str | None, heading: int | None = None, **looks: Any) -> Paragraph:
        added = document.add_heading("", level=heading) if heading else document.add_paragraph()
        # Words in a right-to-left language sit at the right edge.
        fonts.use_in_docx_paragraph(added, text, block_language)
        fonts.add_to_docx(added, text, block_language, **looks)
        return added

    paragraph(record.title, language, heading=1)
    paragraph(record.subtitle, language, size=9)
    for heading in record.headings:
        paragraph(heading.title, language, heading=2)
        for block in heading.blocks:
            # A family member's words are in their own language; names, dates and captions in the page's.
            block_language = block.language or language
            thumbnail = _thumbnail(block)
            if thumbnail is not None:
                document.add_picture(io.BytesIO(thumbnail), width=Mm(PHOTO_WIDTH_MM))
            if block.style == "person":
                paragraph(block.text, block_language, bold=True)
            elif block.style == "table":
                paragraph(block.text, language, bold=True, size=10)
                table = document.add_table(rows=0, cols=len(block.rows[0]) if block.rows else 1)
                table.style = "Table Grid"
                for number, row in enumerate(block.rows):
                    cells = table.add_row().cells
                    for cell, text in zip(cells, row, strict=False):
                        fonts.add_to_docx(cell.paragraphs[0], text, language, bold=number == 0, size=9)
            elif block.style == "meta":
                paragraph(block.text, block_language, size=9, color=RGBColor(0x50, 0x50, 0x50))
            elif block.style == "quote":
                paragraph(block.text, block_language, italic=True).paragraph_format.left_indent = Pt(14)
            elif block.style == "english":
                # The interpreter's English, under the family member's own words.
                paragraph(block.text, block_language).paragraph_format.left_indent = Pt(14)
            else:
                paragraph(block.text, block_language)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
