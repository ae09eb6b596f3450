"""Bookings and their billing across the changes of clocks (America/Montreal; the rules also in
Europe/Helsinki): a weekly series keeps its wall-clock hours, a time the clocks skip is refused,
and a use across the night of a change is billed for the time it really lasted."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from billing import rules
from tests.billing.helpers import EVERY_DAY, make_coop, past_booking
from tests.billing.test_invoices import drafts, run
from tests.billing.test_pages import post_form
from tests.clock import ZONE, next_clock_change
from tests.conftest import sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")
NIGHT_AND_DAY = {day: "00:00-23:59" for day in EVERY_DAY}


def _wall(moment: str) -> tuple[str, str]:
    local = dt.datetime.fromisoformat(moment).astimezone(ZONE)
    return local.strftime("%A"), local.strftime("%H:%M")


async def test_a_weekly_series_across_the_change_keeps_its_hours_on_the_clock(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    change = next_clock_change(forward=True)
    first = change - dt.timedelta(days=change.weekday() + 7) + dt.timedelta(days=1)  # the Tuesday a week before the change's week
    body = {"room_id": coop.room["id"], "starts_at": f"{first}T09:00:00", "ends_at": f"{first}T12:00:00", "rrule": "FREQ=WEEKLY;COUNT=3"}
    result = await client.post(f"{coop.api}/series", json=body, headers=coop.clinician)
    assert result.status_code == 201, result.text
    booked = result.json()["booked"]
    assert len(booked) == 3 and result.json()["clashes"] == []
    assert {(_wall(b["starts_at"]), _wall(b["ends_at"])) for b in booked} == {(("Tuesday", "09:00"), ("Tuesday", "12:00"))}
    utc_hours = [dt.datetime.fromisoformat(b["starts_at"]).astimezone(dt.UTC).hour for b in booked]
    assert utc_hours == [14, 14, 13]  # 9:00 EST, then 9:00 EDT


async def test_a_time_the_clocks_skip_is_refused_and_a_series_reports_it(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    night = await client.post(f"{coop.api}/rooms", json={"name": "Salle de garde", "kind": "office", "opening_hours": NIGHT_AND_DAY}, headers=coop.treasurer)
    change = next_clock_change(forward=True)
    skipped = {"room_id": night.json()["id"], "starts_at": f"{change}T02:30:00", "ends_at": f"{change}T05:00:00"}
    refused = await client.post(f"{coop.api}/bookings", json=skipped, headers=coop.clinician)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "starts_at", refused.text
    week_before = change - dt.timedelta(days=7)
    series = await client.post(f"{coop.api}/series", json={**skipped, "starts_at": f"{week_before}T02:30:00", "ends_at": f"{week_before}T05:00:00", "rrule": "FREQ=WEEKLY;COUNT=2"}, headers=coop.clinician)
    assert series.status_code == 201, series.text
    assert len(series.json()["booked"]) == 1 and len(series.json()["clashes"]) == 1
    assert "heure d’été" in series.json()["clashes"][0]["reason"]  # the tenant speaks French
    across = await client.post(f"{coop.api}/bookings", json={**skipped, "starts_at": f"{change}T01:00:00", "ends_at": f"{change}T04:00:00"}, headers=coop.clinician)
    assert across.status_code == 201, across.text
    start, end = (dt.datetime.fromisoformat(across.json()[k]) for k in ("starts_at", "ends_at"))
    assert end - start == dt.timedelta(hours=2)  # 1:00 to 4:00 on the night the clocks go forward


async def test_the_booking_page_says_the_time_does_not_exist_by_its_field(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    night = await client.post(f"{coop.api}/rooms", json={"name": "Salle de garde", "kind": "office", "opening_hours": NIGHT_AND_DAY}, headers=coop.treasurer)
    await sign_in(client, coop.world, "clinician")
    change = next_clock_change(forward=True)
    refused = await post_form(client, f"/t/{coop.world.tenant.slug}/billing/bookings", {"room_id": night.json()["id"], "day": change.isoformat(), "start": "02:30", "end": "04:00"})
    assert refused.status_code == 422 and "text/html" in refused.headers["content-type"]
    assert 'href="#f-start">Début</a>' in refused.text and "heure sautée au passage à l’heure d’été" in refused.text
    assert (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json() == []


async def test_a_night_use_across_each_change_is_billed_for_the_hours_it_lasted(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, hourly_cents=6000)
    spring, autumn = dt.date(2026, 3, 8), dt.date(2026, 11, 1)  # Montreal's changes of 2026, both past
    for day in (spring, autumn):
        start = dt.datetime.combine(day, dt.time(0), ZONE).astimezone(dt.UTC)
        end = dt.datetime.combine(day, dt.time(4), ZONE).astimezone(dt.UTC)
        await past_booking(database, coop, start, end)
    for month, hours in (("2026-03", 3), ("2026-11", 5)):
        assert (await run(client, coop, month)).status_code == 200
        [draft] = await drafts(client, coop, month)
        assert sum(line["minutes"] for line in draft["lines"]) == hours * 60, draft["lines"]
        assert draft["subtotal_cents"] == hours * 6000


nights = st.sampled_from([(ZONE, dt.date(2027, 3, 14)), (ZONE, dt.date(2027, 11, 7)), (HELSINKI, dt.date(2027, 3, 28)), (HELSINKI, dt.date(2027, 10, 31))])


@given(nights, st.integers(0, 180), st.integers(1, 12 * 60), st.integers(12, 22))
def test_the_parts_of_a_use_add_up_to_its_real_length_across_a_change(night, after_eleven, minutes, evening):
    zone, day = night
    start = (dt.datetime.combine(day - dt.timedelta(days=1), dt.time(23), zone).astimezone(dt.UTC) + dt.timedelta(minutes=after_eleven))
    end = start + dt.timedelta(minutes=minutes)
    parts = rules.band_parts(start.astimezone(zone), end.astimezone(zone), dt.time(evening))
    assert sum(rules.elapsed_minutes(low, high) for _, low, high in parts) == minutes
    assert all(rules.elapsed_minutes(low, high) > 0 for _, low, high in parts)
