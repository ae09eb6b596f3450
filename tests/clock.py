"""Dates and times as the service takes them, for every test: the tenant's local date and wall
clock, never the machine's UTC date (America/Montreal is 4 to 5 hours behind UTC, so in its
evening the UTC date is already tomorrow, and on the first of a month already next month).

Every tenant the tests make lives in ZONE. Each helper reads the clock when it is called, never
when a module is imported, so a run that crosses midnight stays right. `./dev test` runs once
under libfaketime to prove the suite does not depend on the hour (see the README)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from backend.clock import local_today

ZONE = ZoneInfo("America/Montreal")


def today() -> dt.date:
    """The tenants' today, as `TenantInfo.today()` gives it to the service."""
    return local_today(ZONE.key)


def in_days(days: int, hour: int = 19) -> str:
    """A local time (no offset: the organisation's time zone) `days` from the tenants' today."""
    day = today() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """The UTC instant of a local wall-clock time."""
    return dt.datetime.combine(day, dt.time(hour, minute), ZONE).astimezone(dt.UTC)


def local(day: dt.date, hour: int, minute: int = 0) -> str:
    """A local wall-clock time with its offset, as a client sends it."""
    return dt.datetime.combine(day, dt.time(hour, minute), ZONE).isoformat()


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_month(day_of_month: int = 10) -> dt.date:
    """A day of the month before the tenants' current month (a day every month has)."""
    return (today().replace(day=1) - dt.timedelta(days=1)).replace(day=day_of_month)


def weeks_ahead(weeks: int, weekday: int = 1) -> dt.date:
    """The first `weekday` (Monday 0) on or after `weeks` weeks from today: never today, never past."""
    day = today() + dt.timedelta(weeks=weeks)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def days_in_one_year(first: int, count: int) -> int:
    """The smallest offset from `first` on such that `count` consecutive days from today + offset
    fall in one calendar year (numbers per year, such as resolution numbers, then share a year)."""
    offset = first
    while (today() + dt.timedelta(days=offset)).year != (today() + dt.timedelta(days=offset + count - 1)).year:
        offset += 1
    return offset


def next_clock_change(*, forward: bool, zone: ZoneInfo = ZONE) -> dt.date:
    """The local date of the zone's next change of clocks after today (forward: to summer time)."""
    day = today()
    for _ in range(400):
        day += dt.timedelta(days=1)
        before, after = (dt.datetime.combine(d, dt.time(12), zone).utcoffset() for d in (day - dt.timedelta(days=1), day))
        if before != after and (after > before) == forward:
            return day
    raise AssertionError(f"{zone.key} does not change its clocks")
