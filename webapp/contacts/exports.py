"""A family's chronology written out for the case record: CSV, and PDF and DOCX through the reviews' exports."""

from __future__ import annotations

import csv
import io

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.clock import format_datetime
from webapp.contacts.services import Line
from webapp.downloads import csv_safe
from webapp.families.models import Family
from webapp.reviews.record import Block, Heading, Record


def as_csv(lines: list[Line]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date and time", "kind", "who", "what", "details"])
    for line in lines:
        details = "\n".join(f"{heading}: {text}" for heading, text in line.details if text)
        writer.writerow(
            [line.at.isoformat(), csv_safe(line.kind_label), csv_safe(line.who), csv_safe(line.what), csv_safe(details)]
        )
    return out.getvalue().encode("utf-8-sig")


def record(family: Family, lines: list[Line], period: str) -> Record:
    """The chronology laid out as the reviews' exports write it: one block of small print, then the words."""
    blocks: list[Block] = []
    for line in lines:
        blocks.append(Block(f"{format_datetime(line.at, 'medium')} · {line.kind_label} · {line.who}", style="person"))
        blocks.append(Block(line.what))
        for heading, text in line.details:
            if text:
                blocks.append(Block(heading, style="meta"))
                # The worker's words are kept as written, in English.
                blocks.append(Block(text, style="quote", language="en"))
    if not blocks:
        # Translators: shown in a chronology export when nothing matches the chosen filters.
        blocks.append(Block(_("Nothing to show for these choices.")))
    # Translators: the title of an exported chronology of one family.
    title = _("Chronology: %(family)s", family=family.name)
    # Translators: the heading of the list of contacts and events, newest first.
    listing = Heading("chronology", _("Contacts and events, newest first"), blocks)
    return Record(title=title, subtitle=period, headings=[listing], language=str(get_locale() or "en"))


def pdf(family: Family, lines: list[Line], period: str) -> bytes:
    from webapp.reviews import exports  # the PDF and DOCX libraries load when a file is asked for, not at start

    return exports.pdf(record(family, lines, period))


def docx(family: Family, lines: list[Line], period: str) -> bytes:
    from webapp.reviews import exports

    return exports.docx(record(family, lines, period))
