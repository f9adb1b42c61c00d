"""The fonts every PDF and DOCX export writes with, one setup for all of them.

Noto Sans writes Latin (English, Polish, Romanian, Portuguese) and Cyrillic (Ukrainian); Noto Naskh
Arabic writes Arabic; Noto Nastaliq Urdu writes Urdu; Noto Sans Gurmukhi writes Panjabi; DejaVu Sans
writes the symbols none of them has. The files, their versions and licences: README.md beside this.

In a PDF each run of text is written in the font of its block's language, and any character that
font lacks in the first of the others that has it (fpdf2's fallback fonts). Reading and measuring a
font file is slow, so each file is read once per process and every document gets its own light copy
(a document's copy keeps which glyphs it used, and is cut down to those when the PDF is written).
"""

from __future__ import annotations

import copy
import io
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import uharfbuzz as hb
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import PDFResourceType
from fpdf.fonts import HarfBuzzFont, SubsetMap, TTFFont
from fpdf.output import OutputProducer

from webapp.config import RTL_LANGUAGES

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: str
    bold: str | None
    # How much taller than Noto Sans a line of this script must be for its tall and deep letters.
    line_spacing: float = 1.0
    # Its space is too narrow for words in other scripts beside its own (Nastaliq's is an eighth of
    # an em, Latin's a quarter).
    narrow_space: bool = False


SANS = FontFamily("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
NASKH = FontFamily("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", 1.25)
NASTALIQ = FontFamily("Noto Nastaliq Urdu", "NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf", 1.6, narrow_space=True)
GURMUKHI = FontFamily("Noto Sans Gurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", 1.15)
# Only for the odd symbol (an arrow, a star, a tick), so bold symbols are written in the regular.
SYMBOLS = FontFamily("DejaVu Sans", "DejaVuSans.ttf", None)
FAMILIES = (SANS, NASKH, NASTALIQ, GURMUKHI, SYMBOLS)

# The family that writes each language's own script; every other language is written in Noto Sans.
_BY_LANGUAGE = {"ar": NASKH, "ur": NASTALIQ, "pa": GURMUKHI}

# The language of a run as Word and LibreOffice name it (for spelling, hyphenation and shaping).
LANGUAGE_TAGS = {
    "en": "en-GB",
    "pl": "pl-PL",
    "ro": "ro-RO",
    "pt": "pt-PT",
    "uk": "uk-UA",
    "ar": "ar-SA",
    "ur": "ur-PK",
    "pa": "pa-IN",
}


def family_for(language: str | None) -> FontFamily:
    """The family that writes a language's own script."""
    return _BY_LANGUAGE.get(language or "", SANS)


def fallbacks_for(language: str | None) -> list[FontFamily]:
    """The families for characters the language's own family lacks, the likeliest first.

    Urdu words met in another language's text (a language's name, say) are written in Naskh, which
    has every Arabic-script letter; only Urdu's own blocks are written in Nastaliq.
    """
    own = family_for(language)
    return [family for family in (SANS, NASKH, GURMUKHI, SYMBOLS) if family != own]


# --- PDF (fpdf2)

_lock = threading.Lock()
_read: dict[str, tuple[bytes, TTFFont, hb.Face]] = {}

# Tables fpdf2 leaves out of the fonts it embeds: text is shaped by HarfBuzz from the font file
# before that, so a document's copy can drop them at once and spare reading them to cut them out.
_LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS")


def _key(family: FontFamily, style: str) -> str:
    # fpdf2 keys a font by its family in lower case and its style.
    return family.name.lower() + style


def _template(family: FontFamily, style: str) -> tuple[bytes, TTFFont, hb.Face]:
    """The font file's bytes, fpdf2's reading of it (widths, character map) and HarfBuzz's, once per process."""
    key = _key(family, style)
    with _lock:
        if key not in _read:
            path = FOLDER / (family.bold if style == "B" and family.bold else family.regular)
            data = path.read_bytes()
            scratch = FPDF()
            scratch.add_font(family.name, style, str(path))
            font = scratch.fonts[key]
            assert isinstance(font, TTFFont)
            font.ttfont.close()  # every document reads its own copy of the file, from the bytes
            _read[key] = (data, font, hb.Face(hb.Blob(data)))
        return _read[key]


def _copy_for(doc: FPDF, family: FontFamily, style: str) -> TTFFont:
    """A document's own copy: shared widths, character map and HarfBuzz face; its own glyph list and font file.

    Nothing a document changes is shared, so exports running at once in threads do not mix.

    Writing the PDF cuts the font file down to the glyphs used, in place, so each document reads its
    own from the bytes in memory (lazily: only the tables it touches). HarfBuzz's font holds a size
    while it shapes, so each document has its own, on the shared face.
    """
    data, template, face = _template(family, style)
    font = copy.copy(template)
    font.i = len(doc.fonts) + 1
    font.desc = copy.copy(template.desc)  # writing the PDF numbers it as one of the document's objects
    font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    for tag in _LAYOUT_TABLES:
        if tag in font.ttfont:
            del font.ttfont[tag]
    font._hbfont = HarfBuzzFont(face)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    return font


def add_to_pdf(doc: FPDF) -> None:
    """Give a document every export font, without reading a font file again."""
    for family in FAMILIES:
        for style in ("", "B") if family.bold else ("",):
            doc.fonts[_key(family, style)] = _copy_for(doc, family, style)


class _Output(OutputProducer):
    """fpdf2's writer, telling readers which glyphs carry no letters of their own.

    When shaping draws one letter as several glyphs (Nastaliq draws the dots apart from the letter),
    fpdf2 gives the letter to the first glyph and leaves the others out of the map from glyphs to
    text, so a reader copying or searching the text meets stray characters in the middle of words.
    Mapping those glyphs to no text gives the words back as they were written.
    """

    def _add_fonts(self, *args: Any, **kwargs: Any) -> dict[int, Any]:
        objects = super()._add_fonts(*args, **kwargs)
        for font in self.fpdf.fonts.values():
            if not isinstance(font, TTFFont) or font.color_font:
                continue
            silent = sorted(code for glyph, code in font.subset.items() if glyph is not None and not glyph.unicode)
            stream = getattr(objects.get(font.i), "to_unicode", None)
            if not silent or stream is None or stream.filter is not None:
                continue
            blocks = "".join(
                f"{len(chunk)} beginbfchar\n" + "".join(f"<{code:04X}> <>\n" for code in chunk) + "endbfchar\n"
                for chunk in (silent[start : start + 100] for start in range(0, len(silent), 100))
            )
            contents = stream.content_stream().replace(b"endcmap", blocks.encode("latin-1") + b"endcmap", 1)
            stream._contents = contents
            stream.length = len(contents)
        return objects


def write_pdf(doc: FPDF) -> bytes:
    """The finished PDF, embedding only the fonts its pages use."""
    used = {
        resource
        for (_, kind), resources in doc._resource_catalog.resources_per_page.items()
        if kind == PDFResourceType.FONT
        for resource in resources
    }
    for key, font in list(doc.fonts.items()):
        if font.i not in used:
            del doc.fonts[key]
    return bytes(doc.output(output_producer_class=_Output))


# A space between two letters of left-to-right scripts (a question in English in an Urdu block).
_SPACE_BETWEEN_LEFT_TO_RIGHT = re.compile(r"(?<=[^\W\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]) (?=[^\W\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])")


def pdf_text(text: str, language: str | None) -> str:
    """The text as the PDF writes it in the language's font.

    Words in Latin letters inside text written in a font with a narrow space (Nastaliq) are spaced
    with a four-per-em space, which fpdf2 breaks lines at like a space and Noto Sans draws as wide
    as its own space, so they do not run together. A reader copying the text gets that space back,
    which Unicode's compatibility normalisation (NFKC) reads as a plain space.
    """
    if not family_for(language).narrow_space:
        return text
    return _SPACE_BETWEEN_LEFT_TO_RIGHT.sub("\u2005", text)


def use_in_pdf(doc: FPDF, language: str | None, style: str, size: float, shaped: bool, *, fallbacks: bool = True) -> float:
    """Set the font for text in a language, with the others as fallbacks; returns the line height in mm.

    Shaping (joining Arabic letters, Gurmukhi's conjuncts, the direction of each run) is slow, so it
    is on only for text that needs it. Looking for each character in the fallback fonts is slow too:
    `fallbacks=False` leaves them out, for text the language's own font writes alone (see
    use_fallbacks_in_pdf).
    """
    own = family_for(language)
    doc.set_font(own.name, style, size)
    if fallbacks:
        use_fallbacks_in_pdf(doc, language)
    else:
        doc.set_fallback_fonts([])
    if shaped:
        # Each paragraph runs in the direction of its first letter, as on the printable page.
        doc.set_text_shaping(True, language=language or None)
    else:
        doc.set_text_shaping(False)
    return round(size * 0.545 * own.line_spacing, 1)


def use_fallbacks_in_pdf(doc: FPDF, language: str | None) -> None:
    """The other families as fallbacks for the characters the language's own font lacks."""
    doc.set_fallback_fonts([family.name for family in fallbacks_for(language)], exact_match=False)


# --- DOCX (python-docx)


def _set_attributes(element: BaseOxmlElement, **values: str) -> None:
    for name, value in values.items():
        element.set(qn(f"w:{name}"), value)


# The order the schema gives the properties of a run and of a paragraph, from those set here on
# (Word refuses a document whose properties are out of order).
_RUN_ORDER = (
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
_PARAGRAPH_ORDER = (
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _child(properties: CT_RPr | CT_PPr, tag: str) -> BaseOxmlElement:
    """The run's or paragraph's property, added where the schema puts it."""
    found = properties.find(qn(tag))
    if isinstance(found, BaseOxmlElement):
        return found
    added = cast(BaseOxmlElement, OxmlElement(tag))  # python-docx makes its own element classes
    order = _PARAGRAPH_ORDER if isinstance(properties, CT_PPr) else _RUN_ORDER
    properties.insert_element_before(added, *order[order.index(tag) + 1 :])
    return added


def use_in_docx_style(style: CharacterStyle) -> None:
    """Fonts for every kind of character in a style (the document's Normal one), as use_in_docx names them."""
    properties = style.element.get_or_add_rPr()
    _set_attributes(properties.get_or_add_rFonts(), ascii=SANS.name, hAnsi=SANS.name, eastAsia=SANS.name, cs=NASKH.name)
    if style.font.size is not None:
        _set_attributes(_child(properties, "w:szCs"), val=str(round(style.font.size.pt * 2)))


def use_in_docx_paragraph(paragraph: Paragraph, text: str, language: str | None) -> None:
    """Text whose first letter is right to left makes a right-to-left paragraph (w:bidi), as a page's
    dir="auto" does; other text in a right-to-left language is aligned right.

    In a right-to-left paragraph Word reads w:jc's left and right as start and end, so no alignment
    is set there: the paragraph's start is already its right edge.
    """
    if starts_right_to_left(text):
        _child(paragraph._p.get_or_add_pPr(), "w:bidi")
    elif (language or "") in RTL_LANGUAGES:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# Letters of the right-to-left scripts: Hebrew, Arabic (and Urdu), Syriac, Thaana, and the Arabic
# presentation forms.
_RIGHT_TO_LEFT = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def _is_right_to_left(character: str) -> bool:
    return any(low <= ord(character) <= high for low, high in _RIGHT_TO_LEFT)


def starts_right_to_left(text: str) -> bool:
    """The text's first letter is a right-to-left one (how a page's dir="auto" and fpdf2 choose a paragraph's direction)."""
    for character in text:
        if _is_right_to_left(character):
            return True
        if character.isalnum():
            return False
    return False


def _direction_runs(text: str) -> list[tuple[str, bool]]:
    """The text cut where it turns from right-to-left letters to others and back, each piece with its direction.

    Spaces and punctuation stay with the letters before them (at the start, with those after), but
    an opening quotation mark or bracket goes with the words it opens: words are never cut and a
    quotation mark stays beside its words.
    """
    pieces: list[tuple[str, bool]] = []
    current = ""
    direction: bool | None = None
    for character in text:
        if character.isalnum() or _is_right_to_left(character):
            this = _is_right_to_left(character)
            if direction is not None and this != direction:
                opening = len(current)
                while opening > 0 and unicodedata.category(current[opening - 1]) in ("Ps", "Pi"):
                    opening -= 1
                if current[:opening]:
                    pieces.append((current[:opening], direction))
                current = current[opening:]
            direction = this
        current += character
    if current:
        pieces.append((current, bool(direction)))
    return pieces


def add_to_docx(
    paragraph: Paragraph,
    text: str,
    language: str | None,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
) -> list[Run]:
    """Add the text as runs that name a font for each kind of character, their language and direction.

    Word and LibreOffice pick a run's font by the kind of character: w:ascii and w:hAnsi for Latin and
    Cyrillic, w:cs for the complex scripts (Arabic, Urdu and Gurmukhi), w:eastAsia for Chinese,
    Japanese and Korean. Right-to-left letters get runs of their own marked w:rtl and w:cs, so they
    are laid out right to left in the font for their script, while a name or a date in Latin letters
    beside them keeps its own font. Complex-script characters take their bold, italic and size from
    separate settings (w:bCs, w:iCs, w:szCs), which are set to match.
    """
    own = family_for(language)
    tag = LANGUAGE_TAGS.get(language or "")
    runs = []
    for piece, right_to_left in _direction_runs(text):
        run = paragraph.add_run(piece)
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        properties = run._element.get_or_add_rPr()
        _set_attributes(properties.get_or_add_rFonts(), ascii=SANS.name, hAnsi=SANS.name, eastAsia=SANS.name, cs=(own if own != SANS else NASKH).name)
        run.font.cs_bold = bold or None
        run.font.cs_italic = italic or None
        if size is not None:
            _set_attributes(_child(properties, "w:szCs"), val=str(round(size * 2)))
        if right_to_left:
            run.font.rtl = True
            run.font.complex_script = True
        if tag and own != SANS:
            _set_attributes(_child(properties, "w:lang"), bidi=tag)
        elif tag:
            _set_attributes(_child(properties, "w:lang"), val=tag)
        runs.append(run)
    return runs
