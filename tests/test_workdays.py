"""Promises counted in working days leave out the bank holidays of the service's region."""

from __future__ import annotations

from datetime import UTC, date, datetime

import holidays
import pytest
import time_machine

from webapp import create_app, workdays
from webapp.entries import kinds
from webapp.workdays import add_working_days, working_days_between

from .helpers import signed_in, text
from .test_entries import send, sent_entry

ENGLAND = ("GB", "ENG")
SCOTLAND = ("GB", "SCT")
# Maundy Thursday 2026: Good Friday (3 April) and Easter Monday (6 April) are bank holidays in England.
BEFORE_EASTER = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert add_working_days(date(2026, 4, 2), 1, ENGLAND) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 2), 3, ENGLAND) == date(2026, 4, 9)
    # Scotland keeps Good Friday but not Easter Monday.
    assert add_working_days(date(2026, 4, 2), 3, SCOTLAND) == date(2026, 4, 8)
    # Christmas 2026: Friday the 25th, and Boxing Day (a Saturday) is made up on Monday the 28th.
    assert add_working_days(date(2026, 12, 24), 1, ENGLAND) == date(2026, 12, 29)
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31), ENGLAND) == 3


def test_a_child_sending_before_easter_is_promised_an_answer_after_the_bank_holidays(app, world):
    app.config["REPLY_WORKING_DAYS"] = 3
    with time_machine.travel(BEFORE_EASTER, tick=False):
        child = signed_in(app, world["child"].user)
        entry = sent_entry(send(child, "good_news", what_happened="We painted the fence"))
        assert entry.reply_due == date(2026, 4, 9)
        page = text(child.get(f"/my/views/{entry.id}"))
    assert "9 April 2026" in page


def test_the_region_comes_from_configuration(app, world):
    app.config.update(REPLY_WORKING_DAYS=3, HOLIDAYS_SUBDIVISION="SCT")
    with time_machine.travel(BEFORE_EASTER, tick=False):
        child = signed_in(app, world["child"].user)
        entry = sent_entry(send(child, "good_news", what_happened="We went to the park"))
    assert entry.reply_due == date(2026, 4, 8)


def test_a_complaint_says_bank_holidays_are_not_counted(app, world):
    with time_machine.travel(BEFORE_EASTER, tick=False):
        page = text(signed_in(app, world["child"].user).get(f"/my/views/new/{kinds.COMPLAINT}"))
    # Ten working days from Maundy Thursday, past Good Friday and Easter Monday.
    assert "The manager will answer you by Monday, 20 April 2026." in page
    assert "not counting weekends or bank holidays" in page


def test_a_region_the_calendar_does_not_know_stops_the_app_at_start(app_config):
    with pytest.raises(RuntimeError, match="HOLIDAYS_SUBDIVISION='XYZ'"):
        create_app({**app_config, "HOLIDAYS_SUBDIVISION": "XYZ"})


def test_the_default_region_is_one_the_calendar_knows():
    # A server started for England does not ask the package at start, so the package must know it.
    country, subdivision = workdays.DEFAULT_REGION
    assert subdivision in holidays.list_supported_countries()[country]
    assert date(2026, 12, 25) in workdays._bank_holidays(country, subdivision)
