"""The service's clock: the instant in UTC (what is stored), and the local date and wall-clock
time of a tenant's time zone (what people see and type).

A local time typed without an offset can name no instant (the hour skipped when clocks go
forward, 2027-03-14 02:30 in Montreal) or two (the hour repeated when they go back, 2027-11-07
01:30): the first is refused, the second is read as the first of the two, as calendars do."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from backend.errors import FieldError, Invalid
from backend.i18n import N_


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today(timezone: str) -> dt.date:
    """Today in this time zone: what 'today' means to the people of a tenant."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def local_date(moment: dt.datetime, timezone: str) -> dt.date:
    """The day an instant falls on in this time zone (23:00 in Montreal on 31 December is already
    1 January in UTC)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def exists_locally(moment: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the clocks of this zone show this (naive) wall-clock time at some instant."""
    return moment.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == moment


def to_utc(moment: dt.datetime, timezone: str, *, field: str) -> dt.datetime:
    """A time with an offset, or a wall-clock time of the time zone without one, in UTC; a
    wall-clock time the clocks skip is refused, naming the field it was typed in."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC)
    zone = ZoneInfo(timezone)
    if not exists_locally(moment, zone):
        raise Invalid(
            N_("This time does not exist in the organisation's time zone: the clocks skip it when they go forward."),
            errors=[FieldError(field, N_("Choose a time outside the hour skipped when the clocks go forward."))],
        )
    return moment.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
