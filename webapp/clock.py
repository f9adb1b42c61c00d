"""Days as the family and the worker see them: in the service's time zone (TIMEZONE), not in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

import flask_babel
from babel import dates
from flask import g, has_request_context
from flask_babel import get_locale, get_timezone, to_user_timezone

from webapp.db import utcnow

# The formats Moments writes, the two the pages use.
MomentFormat = Literal["short", "medium"]
_FORMATS: dict[str | None, MomentFormat] = {"short": "short", "medium": "medium"}


def local_day(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def local_today() -> date:
    return local_day(utcnow())


class Moments:
    """Moments written as the `datetimeformat("short")` (or "medium") filter writes them, for a page that lists many.

    Babel looks up the reader's language, the time zone and the language's patterns for every date it
    writes; this looks them up once, when made, and then only applies them. `page_moments` keeps one
    per language, zone and format for the request, so the filter itself does the same.
    """

    def __init__(self, format: MomentFormat = "short") -> None:
        locale = get_locale()
        assert locale is not None
        self._locale = locale
        self._zone = get_timezone()
        # As babel's format_datetime puts a date and a time of this format together.
        self._frame = str(dates.get_datetime_format(format, locale=locale)).replace("'", "")
        self._date = dates.parse_pattern(dates.get_date_format(format, locale=locale))
        self._time = dates.parse_pattern(dates.get_time_format(format, locale=locale))

    def __call__(self, moment: datetime) -> str:
        if moment.tzinfo is None:  # stored moments are UTC, as Flask-Babel takes them
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(self._zone)
        time, day = str(self._time.apply(local, self._locale)), str(self._date.apply(local, self._locale))
        return self._frame.replace("{0}", time).replace("{1}", day)


def page_moments(format: MomentFormat) -> Moments:
    """The request's Moments for the page's language and zone (a forced locale gets its own)."""
    cache: dict[tuple[str, str, str], Moments] = g.setdefault("fv_moments", {})
    key = (str(get_locale()), str(get_timezone()), format)
    moments = cache.get(key)
    if moments is None:
        moments = cache[key] = Moments(format)
    return moments


DayFormat = Literal["short", "medium", "long", "full"]
_DAY_FORMATS: dict[str | None, DayFormat] = {"short": "short", "medium": "medium", "long": "long", "full": "full"}


class Days:
    """Days written as Flask-Babel's format_date writes them (a moment as its day in the service's zone),
    with the language's pattern looked up once: a review's record dates thousands of items."""

    def __init__(self, format: DayFormat = "medium") -> None:
        locale = get_locale()
        assert locale is not None
        self._locale = locale
        self._zone = get_timezone()
        self._pattern = dates.parse_pattern(dates.get_date_format(format, locale=locale))

    def __call__(self, day: date) -> str:
        if isinstance(day, datetime):
            day = (day if day.tzinfo is not None else day.replace(tzinfo=UTC)).astimezone(self._zone).date()
        return str(self._pattern.apply(day, self._locale))


def format_date(day: date | None = None, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's format_date, with the named patterns looked up once a request."""
    known = _DAY_FORMATS.get(format)
    if day is None or known is None or not rebase or not has_request_context():
        return str(flask_babel.format_date(day, format, rebase))
    cache: dict[tuple[str, str, str], Days] = g.setdefault("fv_days", {})
    key = (str(get_locale()), str(get_timezone()), known)
    days = cache.get(key)
    if days is None:
        days = cache[key] = Days(known)
    return days(day)


def format_datetime(moment: datetime | None = None, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's format_datetime, with the "short" and "medium" patterns looked up once a request."""
    return datetimeformat(moment, format, rebase)


def datetimeformat(moment: datetime | None = None, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's `datetimeformat` filter, with the "short" and "medium" patterns looked up once a page."""
    if moment is None or not rebase or not has_request_context():
        return str(flask_babel.format_datetime(moment, format, rebase))
    known = _FORMATS.get(format)  # the filter leaves any other format to Flask-Babel
    return page_moments(known)(moment) if known is not None else str(flask_babel.format_datetime(moment, format, rebase))
