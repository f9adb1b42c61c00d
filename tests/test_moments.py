"""Dates on pages: the `datetimeformat` filter writes each moment exactly as Flask-Babel would, in every
language, while looking the language's patterns up once a page (an inbox lists 25 dates, a review hundreds)."""

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale, format_date, format_datetime

from webapp import clock
from webapp.config import LANGUAGES

# Summer time and winter time in the service's zone, an aware and a stored (naive, UTC) moment.
MOMENTS = [
    datetime(2026, 7, 14, 23, 30, tzinfo=UTC),
    datetime(2026, 12, 24, 8, 5),  # noqa: DTZ001
    datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_filter_writes_every_moment_as_flask_babel_does_in_every_language(app, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        for moment in MOMENTS:
            for pattern in ("short", "medium"):
                shown = render_template_string("{{ moment | datetimeformat(pattern) }}", moment=moment, pattern=pattern)
                assert shown == format_datetime(moment, pattern)
            # Formats it does not speed up are still Flask-Babel's own.
            assert render_template_string("{{ moment | datetimeformat('long') }}", moment=moment) == format_datetime(moment, "long")


def test_a_page_that_switches_language_gets_each_languages_own_dates(app):
    moment = datetime(2026, 7, 14, 23, 30, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = render_template_string("{{ moment | datetimeformat('medium') }}", moment=moment)
        with force_locale("pl"):
            polish = render_template_string("{{ moment | datetimeformat('medium') }}", moment=moment)
            assert polish == format_datetime(moment, "medium")
        assert english == format_datetime(moment, "medium") != polish
        assert "Jul" in english and "lip" in polish



@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_days_are_written_as_flask_babel_writes_them_in_every_language(app, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        for day in [*MOMENTS, date(2026, 2, 28)]:
            for pattern in ("short", "medium", "long", "full"):
                assert clock.format_date(day, pattern) == format_date(day, pattern)
                assert render_template_string("{{ day | dateformat(pattern) }}", day=day, pattern=pattern) == format_date(day, pattern)
        # A moment just before midnight in London in summer is the next day there.
        assert clock.format_date(datetime(2026, 7, 14, 23, 30, tzinfo=UTC), "short") == format_date(date(2026, 7, 15), "short")
