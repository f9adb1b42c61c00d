"""Days as the family and the worker see them: in the service's time zone (TIMEZONE), not in UTC."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import to_user_timezone

from webapp.db import utcnow


def local_day(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def local_today() -> date:
    return local_day(utcnow())
