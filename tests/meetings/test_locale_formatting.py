"""Meetings pages, notices and minutes write numbers, dates and hours as their readers do (Babel):
« lundi 10 mars 2031 à 19 h », 19 h 30, 66,7 %; in Finnish klo 19.00 and 66,7 %."""

import datetime as dt

from backend import i18n
from governance.meetings.labels import format_percent, meeting_time
from tests.meetings.support import meeting, secretary

EVENING = dt.datetime(2031, 3, 10, 23, 0, tzinfo=dt.UTC)  # 19 h in Montreal (daylight time)


def test_a_meetings_day_and_hour_in_each_language():
    shown = {}
    for language in ("fr_CA", "fi", "en_CA"):
        with i18n.using(language):
            shown[language] = (meeting_time(EVENING, "America/Montreal"), meeting_time(EVENING + dt.timedelta(minutes=30), "America/Montreal"))
    assert shown["fr_CA"] == ("lundi 10 mars 2031 à 19 h", "lundi 10 mars 2031 à 19 h 30")
    assert shown["fi"][0].startswith("maanantai 10. maaliskuuta 2031 klo 19.00")
    assert shown["en_CA"][0] == "Monday, March 10, 2031 at 7:00\u202fp.m." or shown["en_CA"][0].startswith("Monday, March 10, 2031 at 7:00")
    assert all("00 s" not in a and "Est" not in a for a, _ in shown.values())  # no seconds, no zone name


def test_a_percentage_in_each_language():
    written = {}
    for language in ("fr_CA", "fi", "en_CA"):
        with i18n.using(language):
            written[language] = format_percent(66.66666)
    assert written["fr_CA"].replace("\xa0", " ").replace("\u202f", " ") == "66,7 %"
    assert written["fi"].replace("\xa0", " ").replace("\u202f", " ") == "66,7 %"
    assert written["en_CA"] == "66.7%"


async def test_the_meeting_page_says_the_hour_in_words(client, make_tenant):
    world = await make_tenant()
    headers = await secretary(client, world)
    called = await meeting(client, world, headers, starts_at="2031-03-10T19:00:00")
    page = await client.get(f"/t/{world.tenant.slug}/meetings/{called['id']}", headers=headers)
    assert "lundi 10 mars 2031 à 19 h" in page.text
