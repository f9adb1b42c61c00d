"""Small helpers shared by the feature forms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _
from wtforms import DateField
from wtforms.fields.choices import SelectChoice

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


MAX_PAGE = 100_000


def page_number() -> int:
    """The ?page= of a paged list: a whole number from 1 (anything else is page 1), never past MAX_PAGE."""
    return min(MAX_PAGE, max(1, request.args.get("page", 1, type=int) or 1))


def with_blank_rows(rows: list[dict[str, Any]], blanks: int, maximum: int) -> list[dict[str, Any]]:
    """Saved rows and a few empty ones to fill in, never more rows than the list field allows."""
    return rows + [{}] * min(blanks, max(0, maximum - len(rows)))


class DayField(DateField):
    """A day from a date picker, with our own words when what came is not a date or is out of any plausible range."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please give a date like 2026-11-22.")) from error
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(_("Please give a date between %(first)s and %(last)s.", first=FIRST_DAY.year, last=LAST_DAY.year))
