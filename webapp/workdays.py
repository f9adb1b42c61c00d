"""Working days: Monday to Friday, less the bank holidays of the region the service works in.

The region is `HOLIDAYS_COUNTRY` and `HOLIDAYS_SUBDIVISION` (England by default: "GB", "ENG"; the
`holidays` package knows Wales, Scotland and Northern Ireland as "WLS", "SCT", "NIR"). Promises to
a family (an answer to what they sent, to a complaint) and the service's own deadlines count in them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import current_app, has_app_context

if TYPE_CHECKING:
    import holidays

# England: the package knows it (tests/test_workdays.py checks), so a server started for it need not ask.
DEFAULT_REGION = ("GB", "ENG")


@lru_cache(maxsize=8)
def _bank_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # Imported here: loading the package reads every country's calendar (a tenth of a second), which
    # only pages counting working days need, not the start of a server.
    import holidays

    # Years are added as they are asked for (the package's expand), so one calendar serves every date.
    return holidays.country_holidays(country, subdiv=subdivision or None)


def check_region(country: str, subdivision: str | None) -> None:
    """Raise a plain error for a region the calendar does not know (called when the app starts)."""
    if (country, subdivision) == DEFAULT_REGION:
        return
    import holidays

    known = holidays.list_supported_countries()
    if country not in known or (subdivision and subdivision not in known[country]):
        raise RuntimeError(
            f"HOLIDAYS_COUNTRY={country!r} HOLIDAYS_SUBDIVISION={subdivision!r} is not a region the holidays package knows"
            f" (for GB: {', '.join(known.get('GB', []))})"
        )


def region() -> tuple[str, str | None]:
    """The configured region, or England outside a request (the demo data, the command line)."""
    if not has_app_context():
        return DEFAULT_REGION
    config = current_app.config
    return str(config.get("HOLIDAYS_COUNTRY") or DEFAULT_REGION[0]), config.get("HOLIDAYS_SUBDIVISION") or None


def is_working_day(day: date, where: tuple[str, str | None] | None = None) -> bool:
    country, subdivision = where or region()
    return day.weekday() < 5 and day not in _bank_holidays(country, subdivision)


def add_working_days(start: date, days: int, where: tuple[str, str | None] | None = None) -> date:
    """The date `days` working days after start (a bank holiday or a weekend is not counted)."""
    where = where or region()
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current, where):
            days -= 1
    return current


def working_days_between(start: date, end: date, where: tuple[str, str | None] | None = None) -> int:
    """How many working days after start, up to and including end (0 when end is not after start)."""
    where = where or region()
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n), where))
