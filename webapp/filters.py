"""Template filters for words on a page: isolated from the page's direction, phone numbers as links to call."""

from __future__ import annotations

import re

from flask import Flask
from markupsafe import Markup, escape

from webapp import clock

# A UK-style number inside free text ("07700 900123, she lives next door"): it starts with 0 or +,
# its digits may be grouped by spaces, hyphens or brackets.
_NUMBER_IN_TEXT = re.compile(r"(?<![\w+])(?:\+|\(?0)[\d() -]{6,20}\d(?!\w)")
# A text that is nothing but a number, however short ("999", "116 123").
_WHOLE_NUMBER = re.compile(r"\s*\+?[\d() -]*\d[\d() -]*\s*")


def tel_href(number: str) -> str:
    """The tel: address of a number as people write it: digits only, UK numbers in +44 form."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    if digits.startswith("0"):
        return f"tel:+44{digits[1:]}"
    return f"tel:{digits}"


def tel_link(number: str) -> Markup:
    """A number as a link that calls it; written left to right whatever the page's direction."""
    text = str(number).strip()
    return Markup('<a href="{}" dir="ltr" class="tel">{}</a>').format(tel_href(text), text)


def _looks_dialable(number: str, *, minimum: int) -> bool:
    return minimum <= len(re.sub(r"\D", "", number)) <= 15


def phone_links(text: str | None) -> Markup:
    """Free text, escaped, with the phone numbers in it as links; other text stays plain."""
    text = "" if text is None else str(text)
    if _WHOLE_NUMBER.fullmatch(text) and _looks_dialable(text, minimum=3):
        return tel_link(text)
    parts: list[Markup] = []
    last = 0
    for found in _NUMBER_IN_TEXT.finditer(text):
        number = found.group(0)
        if not _looks_dialable(number, minimum=10):
            continue
        parts.append(escape(text[last : found.start()]))
        parts.append(tel_link(number))
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def bdi(text: str | None, lang: str | None = None, direction: str | None = None) -> Markup:
    """A name, date or someone's words inside a line, kept in its own direction.

    Without it, English inside an Arabic line comes out jumbled, and a name holding a
    right-to-left override (U+202E) turns the rest of the line round.
    """
    if text is None or text == "":
        return Markup("")
    if lang and direction:
        return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(lang, direction, text)
    if lang:
        return Markup('<bdi lang="{}">{}</bdi>').format(lang, text)
    return Markup("<bdi>{}</bdi>").format(text)


def init_app(app: Flask) -> None:
    """`name | bdi`, `text | bdi(lang)`, `text | bdi(lang, dir)`; `number | tel` for a known number, `text | phone_links` for free text."""
    app.add_template_filter(bdi, "bdi")
    # Flask-Babel's filter of the same name, faster on a page that lists many dates (webapp/clock.py).
    app.add_template_filter(clock.format_datetime, "datetimeformat")
    app.add_template_filter(clock.format_date, "dateformat")
    app.add_template_filter(tel_link, "tel")
    app.add_template_filter(phone_links, "phone_links")
