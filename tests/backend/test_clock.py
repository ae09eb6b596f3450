"""The service's clock: a wall-clock time typed without an offset is read in the tenant's zone;
the hour the clocks skip is refused, the hour they repeat is read as its first pass."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.clock import exists_locally, local_date, to_utc
from backend.errors import Invalid

ZONES = ("America/Montreal", "Europe/Helsinki")
wall_clock = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2030, 12, 31))


@given(wall_clock, st.sampled_from(ZONES))
def test_a_wall_clock_time_that_exists_shows_again_on_the_clock(moment, zone):
    if not exists_locally(moment, ZoneInfo(zone)):
        with pytest.raises(Invalid):
            to_utc(moment, zone, field="starts_at")
        return
    instant = to_utc(moment, zone, field="starts_at")
    assert instant.tzinfo == dt.UTC and instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == moment


@pytest.mark.parametrize(("zone", "skipped", "repeated"), [
    ("America/Montreal", dt.datetime(2027, 3, 14, 2, 30), dt.datetime(2027, 11, 7, 1, 30)),
    ("Europe/Helsinki", dt.datetime(2027, 3, 28, 3, 30), dt.datetime(2027, 10, 31, 3, 30)),
])
def test_the_skipped_hour_is_refused_and_the_repeated_hour_is_its_first_pass(zone, skipped, repeated):
    with pytest.raises(Invalid) as refused:
        to_utc(skipped, zone, field="starts_at")
    assert refused.value.status == 422 and [e.field for e in refused.value.errors] == ["starts_at"]
    first = to_utc(repeated, zone, field="starts_at")
    assert to_utc(repeated.replace(tzinfo=ZoneInfo(zone), fold=1), zone, field="starts_at") - first == dt.timedelta(hours=1)
    assert to_utc(skipped - dt.timedelta(hours=1), zone, field="starts_at") + dt.timedelta(hours=1) == to_utc(skipped + dt.timedelta(hours=1), zone, field="starts_at")
    offset = to_utc(dt.datetime(2027, 1, 5, 9), zone, field="starts_at")
    assert to_utc(dt.datetime(2027, 1, 5, 9, tzinfo=ZoneInfo(zone)), "Asia/Tokyo", field="starts_at") == offset  # an offset given wins


def test_an_instant_falls_on_the_tenants_day_not_the_utc_one():
    new_years_eve = dt.datetime(2027, 1, 1, 4, 30, tzinfo=dt.UTC)  # 23:30 in Montreal, 06:30 in Helsinki
    assert local_date(new_years_eve, "America/Montreal") == dt.date(2026, 12, 31)
    assert local_date(new_years_eve, "Europe/Helsinki") == dt.date(2027, 1, 1)
