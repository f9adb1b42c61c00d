"""Days as the family and the worker see them: in the service's time zone (TIMEZONE), not in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal, TypeVar

import flask_babel
from babel import dates
from flask import g, has_request_context
from flask_babel import get_locale, get_timezone, to_user_timezone

from webapp.db import utcnow


def local_day(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def local_today() -> date:
    return local_day(utcnow())

# The named formats whose patterns are looked up once a request: those the pages and records use.
MomentFormat = Literal["short", "medium"]
DayFormat = Literal["short", "medium", "long", "full"]
_MOMENT_FORMATS: dict[str | None, MomentFormat] = {"short": "short", "medium": "medium"}
_DAY_FORMATS: dict[str | None, DayFormat] = {"short": "short", "medium": "medium", "long": "long", "full": "full"}


class _Patterns:
    """The reader's language and the service's zone, looked up once (Babel looks them up, and parses the
    language's patterns, for every date it writes: a review's record writes thousands)."""

    def __init__(self) -> None:
        locale = get_locale()
        assert locale is not None
        self._locale = locale
        self._zone = get_timezone()

    def _local(self, moment: datetime) -> datetime:
        # Stored moments are UTC, as Flask-Babel takes a moment without a zone.
        return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(self._zone)


class Moments(_Patterns):
    """Moments written exactly as Flask-Babel's format_datetime writes them in a "short" or "medium" format."""

    def __init__(self, format: MomentFormat = "short") -> None:
        super().__init__()
        # As babel's format_datetime puts a date and a time of this format together.
        self._frame = str(dates.get_datetime_format(format, locale=self._locale)).replace("'", "")
        self._date = dates.parse_pattern(dates.get_date_format(format, locale=self._locale))
        self._time = dates.parse_pattern(dates.get_time_format(format, locale=self._locale))

    def __call__(self, moment: datetime) -> str:
        local = self._local(moment)
        time, day = str(self._time.apply(local, self._locale)), str(self._date.apply(local, self._locale))
        return self._frame.replace("{0}", time).replace("{1}", day)


class Days(_Patterns):
    """Days written exactly as Flask-Babel's format_date writes them (a moment as its day in the service's zone)."""

    def __init__(self, format: DayFormat = "medium") -> None:
        super().__init__()
        self._pattern = dates.parse_pattern(dates.get_date_format(format, locale=self._locale))
        # Each day written once a request: a review's record writes the same few days thousands of times.
        self._written: dict[date, str] = {}

    def __call__(self, day: date) -> str:
        the_day = self._local(day).date() if isinstance(day, datetime) else day
        written = self._written.get(the_day)
        if written is None:
            written = self._written[the_day] = str(self._pattern.apply(the_day, self._locale))
        return written


_Writer = TypeVar("_Writer", Moments, Days)


def _for_request(kind: type[_Writer], format: str) -> _Writer:
    """The request's writer of one kind and format, for the page's language and zone (a forced locale gets its own)."""
    cache: dict[tuple[type, str, str, str], _Writer] = g.setdefault("fv_date_patterns", {})
    key = (kind, str(get_locale()), str(get_timezone()), format)
    writer = cache.get(key)
    if writer is None:
        writer = cache[key] = kind(format)  # type: ignore[arg-type]
    return writer


def moments(format: MomentFormat = "short") -> Moments:
    """The request's writer of moments in a named format: what format_datetime writes, for a page that writes many
    without finding the writer for each."""
    return _for_request(Moments, format)


def days(format: DayFormat = "medium") -> Days:
    """The request's writer of days in a named format: what format_date writes, for a record that writes many
    without finding the writer for each."""
    return _for_request(Days, format)


def format_datetime(moment: datetime | None = None, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's format_datetime (and the `datetimeformat` filter), with the "short" and "medium" patterns looked
    up once a request."""
    known = _MOMENT_FORMATS.get(format)
    if moment is None or known is None or not rebase or not has_request_context():
        return str(flask_babel.format_datetime(moment, format, rebase))
    return moments(known)(moment)


def format_date(day: date | None = None, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's format_date (and the `dateformat` filter), with the named patterns looked up once a request."""
    known = _DAY_FORMATS.get(format)
    if day is None or known is None or not rebase or not has_request_context():
        return str(flask_babel.format_date(day, format, rebase))
    return days(known)(day)
