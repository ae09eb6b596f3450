"""Dates and times as people read them, in each language."""

import datetime as dt

import pytest

from backend import i18n

EVENING = dt.datetime(2031, 3, 10, 22, 30, tzinfo=dt.UTC)  # 18:30 in Shawinigan


@pytest.mark.parametrize(("language", "medium", "long"), [
    ("fr_CA", "10 mars 2031, 18 h 30", "10 mars 2031, 18 h 30"),
    ("en_CA", "Mar 10, 2031, 6:30\u202fp.m.", "March 10, 2031, 6:30\u202fp.m."),
    ("fi", "10.3.2031 18.30", "10. maaliskuuta 2031 18.30"),
])
def test_a_meeting_time_shows_hours_and_minutes_in_the_tenants_zone(language, medium, long):
    with i18n.using(language):
        assert i18n.format_datetime(EVENING, "America/Montreal") == medium
        assert i18n.format_datetime(EVENING, "America/Montreal", "long") == long
        assert i18n.current_language() == language
    assert i18n.current_language() == i18n.DEFAULT_LANGUAGE


def test_a_date_read_as_text_from_sqlite_is_formatted_as_a_date():
    with i18n.using("fr_CA"):
        assert i18n.format_date("2026-12-03") == i18n.format_date(dt.date(2026, 12, 3)) == "3 déc. 2026"
        assert i18n.format_date(None) == ""


@pytest.mark.parametrize(("language", "morning", "midnight"), [("fr_CA", "08 h 00", "00 h 00"), ("en_CA", "8:00\u202fa.m.", "12:00\u202fa.m."), ("fi", "8.00", "0.00")])
def test_a_time_of_day_in_minutes_is_written_as_the_language_does(language, morning, midnight):
    with i18n.using(language):
        assert (i18n.format_minutes(8 * 60), i18n.format_minutes(24 * 60)) == (morning, midnight)
