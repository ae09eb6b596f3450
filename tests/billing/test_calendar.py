"""Week calendars: the placement of bookings on a week (pure, property-tested) and the pages of a
room and of a clinician, with who may see what."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from billing import rules
from tests.billing.helpers import add_clinician, book, future_day, make_coop
from tests.clock import ZONE, local
from tests.conftest import sign_in

MONDAY = dt.date(2027, 3, 8)  # the week of the spring DST change (Sunday 14 March)
moments = st.integers(-3 * 1440, 10 * 1440).map(lambda m: dt.datetime.combine(MONDAY, dt.time(), ZONE) + dt.timedelta(minutes=m))
spans = st.tuples(st.integers(0, 23), st.integers(1, 24)).filter(lambda s: s[0] < s[1]).map(lambda s: (s[0] * 60, s[1] * 60))


@settings(deadline=None)
@given(st.lists(st.tuples(moments, st.integers(1, 3 * 1440)), max_size=8), spans)
def test_blocks_stay_inside_the_days_and_hours_shown_and_add_up_to_the_time_shown(times, span):
    items = [(start, start + dt.timedelta(minutes=length), i) for i, (start, length) in enumerate(times)]
    blocks = rules.week_blocks(items, MONDAY, span)
    for block in blocks:
        assert 0 <= block.day < 7 and span[0] <= block.start_minute < block.end_minute <= span[1]
        assert block.top_percent >= 0 and block.height_percent > 0 and block.top_percent + block.height_percent <= 100.001
    assert blocks == sorted(blocks, key=lambda b: (b.day, b.start_minute, b.end_minute))
    for start, end, item in items:  # each item's blocks cover exactly its wall-clock minutes inside the week's shown hours
        expected = 0
        for day in range(7):
            midnight = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time())
            low, high = midnight + dt.timedelta(minutes=span[0]), midnight + dt.timedelta(minutes=span[1])
            a, b = max(low, start.replace(tzinfo=None)), min(high, end.replace(tzinfo=None))
            expected += max(0, int((b - a).total_seconds() // 60))
        assert sum(b.end_minute - b.start_minute for b in blocks if b.item == item) == expected


def test_a_booking_is_placed_at_its_wall_clock_time_and_split_at_midnight():
    nine = dt.datetime.combine(MONDAY + dt.timedelta(days=6), dt.time(9), ZONE)  # Sunday after the DST change
    late = dt.datetime.combine(MONDAY, dt.time(23), ZONE)
    [sunday] = rules.week_blocks([(nine, nine + dt.timedelta(hours=1), "a")], MONDAY, (8 * 60, 18 * 60))
    assert (sunday.day, sunday.start_minute, sunday.end_minute, sunday.top_percent, sunday.height_percent) == (6, 540, 600, 10.0, 10.0)
    night = rules.week_blocks([(late, late + dt.timedelta(hours=2), "b")], MONDAY, (0, 1440))
    assert [(b.day, b.start_minute, b.end_minute) for b in night] == [(0, 1380, 1440), (1, 0, 60)]
    assert rules.week_blocks([(late, late + dt.timedelta(hours=2), "b")], MONDAY, (7 * 60, 22 * 60)) == []
    assert rules.monday_of(dt.date(2027, 3, 14)) == MONDAY and rules.monday_of(MONDAY) == MONDAY
    assert rules.day_span(["08:30-17:15", None, "10:00-21:00"]) == (480, 1260) and rules.day_span([None]) == (420, 1320)


async def test_week_pages_show_the_bookings_to_whom_may_see_them(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    day = future_day(weeks=3, weekday=2)  # a Wednesday
    assert (await book(client, coop, day, 9, 11)).status_code == 201
    other, other_headers = await add_clinician(client, database, coop, "Dre Éloïse Tremblay")
    taken = await client.post(f"{coop.api}/bookings", json={"room_id": coop.room["id"], "starts_at": local(day, 14), "ends_at": local(day, 15, 30)}, headers=other_headers)
    assert taken.status_code == 201
    base = f"/t/{coop.world.tenant.slug}/billing/calendar"
    room_url = f"{base}/rooms/{coop.room['id']}"

    await sign_in(client, coop.world, "treasurer")
    index = await client.get(f"{base}/")
    assert index.status_code == 200 and room_url in index.text and f"{base}/clinicians/{other['id']}" in index.text
    week = await client.get(room_url, params={"week": day.isoformat()})
    assert week.status_code == 200
    assert "09 h 00–11 h 00" in week.text and "14 h 00–15 h 30" in week.text and "Dre Éloïse Tremblay" in week.text
    monday = rules.monday_of(day)
    assert f"week={monday - dt.timedelta(days=7)}" in week.text and f"week={monday + dt.timedelta(days=7)}" in week.text
    assert "<table>" in week.text and 'aria-hidden="true"' in week.text  # the blocks are drawn; the table is what is read
    empty = await client.get(room_url, params={"week": (day + dt.timedelta(days=7)).isoformat()})
    assert "09 h 00–11 h 00" not in empty.text
    assert (await client.get(room_url, params={"week": "2027-02-30"})).status_code == 400
    mine_for_treasurer = await client.get(f"{base}/clinicians/{other['id']}", params={"week": day.isoformat()})
    assert mine_for_treasurer.status_code == 200 and "14 h 00" in mine_for_treasurer.text and "09 h 00–11 h 00" not in mine_for_treasurer.text

    await sign_in(client, coop.world, "clinician")
    own = await client.get(f"{base}/clinicians/{coop.account['id']}", params={"week": day.isoformat()})
    assert own.status_code == 200 and "Bureau 1" in own.text and "09 h 00" in own.text
    assert (await client.get(f"{base}/clinicians/{other['id']}")).status_code == 404
    room_for_clinician = await client.get(room_url, params={"week": day.isoformat()})
    assert room_for_clinician.status_code == 200 and "14 h 00–15 h 30" in room_for_clinician.text
    assert "Dre Éloïse Tremblay" not in room_for_clinician.text  # another clinician's booking, without their name

    await sign_in(client, coop.world, "member")
    assert (await client.get(room_url)).status_code == 403


async def test_a_week_out_of_range_is_refused_clearly(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    await sign_in(client, coop.world, "treasurer")
    url = f"/t/{coop.world.tenant.slug}/billing/calendar/rooms/{coop.room['id']}"
    assert (await client.get(url, params={"week": "0001-01-01"})).status_code == 422
    assert (await client.get(url, params={"week": "9999-12-31"})).status_code == 422
    assert (await client.get(f"{coop.api}/reports/rooms", params={"from": "0000-01"}, headers=coop.treasurer)).status_code == 400
    assert (await client.post(f"{coop.api}/invoice-runs", json={"month": "9999-12"}, headers=coop.treasurer)).status_code == 400
