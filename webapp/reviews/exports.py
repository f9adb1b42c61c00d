"""Writing a review out as PDF and DOCX, from the same laid-out record as the printable page."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF

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

FONTS = Path(__file__).resolve().parent / "fonts"


def _printable(record: Record) -> Record:
    """The record without control characters, which XML cannot hold, even in words stored before they were cleaned."""
    return Record(
        title=clean_text(record.title),
        subtitle=clean_text(record.subtitle),
        headings=[
            Heading(heading.key, clean_text(heading.title), [replace(block, text=clean_text(block.text)) for block in heading.blocks])
            for heading in record.headings
        ],
    )


# Scripts that need shaping: Hebrew, Arabic (and Urdu), Syriac, Thaana, the Indic scripts
# (Gurmukhi for Panjabi among them), and the Arabic presentation forms.
_SHAPED_RANGES = ((0x0590, 0x0DFF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def _needs_shaping(text: str) -> bool:
    return any(low <= ord(character) <= high for character in text for low, high in _SHAPED_RANGES)


def pdf(record: Record) -> bytes:
    """An A4 PDF with an embedded font that covers Polish and Arabic (shaped right to left)."""
    record = _printable(record)
    doc = FPDF(format="A4")
    doc.set_title(record.title)
    doc.set_creator("Family Voice")
    doc.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    doc.set_margins(18, 18, 18)
    doc.set_auto_page_break(True, margin=18)
    doc.add_page()
    doc.set_font("DejaVu", "B", 16)
    doc.multi_cell(0, 8, record.title, new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 9)
    doc.set_text_color(80, 80, 80)
    doc.multi_cell(0, 5, record.subtitle, new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    for heading in record.headings:
        doc.ln(4)
        doc.set_font("DejaVu", "B", 13)
        doc.multi_cell(0, 7, heading.title, new_x="LMARGIN", new_y="NEXT")
        for block in heading.blocks:
            right_to_left = (block.language or "") in RTL_LANGUAGES
            # Shaping (needed for Arabic script) is slow, so it is on only for text that needs it.
            doc.set_text_shaping(_needs_shaping(block.text))
            if block.style == "person":
                doc.set_font("DejaVu", "B", 11)
            elif block.style == "meta":
                doc.set_font("DejaVu", "", 9)
                doc.set_text_color(80, 80, 80)
            else:
                doc.set_font("DejaVu", "", 11)
            indent = 6 if block.style in ("quote", "english") else 0
            thumbnail = _thumbnail(block)
            if thumbnail is not None:
                doc.image(io.BytesIO(thumbnail), x=doc.l_margin, w=PHOTO_WIDTH_MM)
            doc.set_x(doc.l_margin + indent)
            doc.multi_cell(0, 6, block.text, align="R" if right_to_left else "L", new_x="LMARGIN", new_y="NEXT")
            doc.set_text_color(0, 0, 0)
    return bytes(doc.output())


def docx(record: Record) -> bytes:
    """A Word document with the same headings and words, right-aligned where the words are right to left."""
    record = _printable(record)
    document = Document()
    document.core_properties.title = record.title
    document.core_properties.author = "Family Voice"
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.add_heading(record.title, level=1)
    subtitle = document.add_paragraph(record.subtitle)
    subtitle.runs[0].font.size = Pt(9)
    for heading in record.headings:
        document.add_heading(heading.title, level=2)
        for block in heading.blocks:
            thumbnail = _thumbnail(block)
            if thumbnail is not None:
                document.add_picture(io.BytesIO(thumbnail), width=Mm(PHOTO_WIDTH_MM))
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            if block.style == "person":
                run.bold = True
            elif block.style == "meta":
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor(0x50, 0x50, 0x50)
            elif block.style == "quote":
                paragraph.paragraph_format.left_indent = Pt(14)
                run.italic = True
            elif block.style == "english":
                paragraph.paragraph_format.left_indent = Pt(14)
            if (block.language or "") in RTL_LANGUAGES:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run.font.rtl = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
