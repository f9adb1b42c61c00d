"""Days as the family and the worker see them: in the service's time zone (TIMEZONE), not in UTC."""

from __future__ import annotations

from datetime import date, datetime

from babel import dates
from flask_babel import get_locale, get_timezone, to_user_timezone

from webapp.db import utcnow


def local_day(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def local_today() -> date:
    return local_day(utcnow())


class ShortMoments:
    """Moments written as the `datetimeformat("short")` filter writes them, for a page that lists many.

    The filter looks up the reader's language, the time zone and the language's patterns for every
    date it writes; this looks them up once, when made (once per page), and then only applies them.
    """

    def __init__(self) -> None:
        locale = get_locale()
        assert locale is not None
        self._locale = locale
        self._zone = get_timezone()
        # As babel's format_datetime puts a "short" date and time together.
        self._frame = str(dates.get_datetime_format("short", locale=locale)).replace("'", "")
        self._date = dates.parse_pattern(dates.get_date_format("short", locale=locale))
        self._time = dates.parse_pattern(dates.get_time_format("short", locale=locale))

    def __call__(self, moment: datetime) -> str:
        local = moment.astimezone(self._zone)
        time, day = str(self._time.apply(local, self._locale)), str(self._date.apply(local, self._locale))
        return self._frame.replace("{0}", time).replace("{1}", day)
