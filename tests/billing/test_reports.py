"""The room report: occupancy, hours open but unbooked and revenue per room and month (rules,
property-tested), its JSON and its page with SVG charts."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from billing import rules
from tests.billing.helpers import EVERY_DAY, past_booking
from tests.billing.test_invoices import issued_invoice
from tests.clock import at, last_month, month_of, today
from tests.conftest import sign_in

FIRST = dt.date(2027, 2, 1)
FOLLOWING = dt.date(2027, 3, 1)
WEEKDAYS_ONLY = {**{d: "08:00-17:00" for d in rules.WEEKDAYS[:5]}, "sat": None, "sun": None}
times = st.tuples(st.integers(-2 * 1440, 30 * 1440), st.integers(1, 2 * 1440)).map(
    lambda t: (dt.datetime.combine(FIRST, dt.time()) + dt.timedelta(minutes=t[0]), dt.datetime.combine(FIRST, dt.time()) + dt.timedelta(minutes=t[0] + t[1]))
)
hours = st.one_of(st.none(), st.tuples(st.integers(0, 22), st.integers(1, 23)).filter(lambda h: h[0] < h[1]).map(lambda h: f"{h[0]:02d}:00-{h[1]:02d}:00"))
opening = st.fixed_dictionaries({day: hours for day in rules.WEEKDAYS})


@settings(deadline=None)
@given(opening, st.lists(times, max_size=12))
def test_booked_hours_never_exceed_open_hours_and_overlaps_count_once(opening_hours, intervals):
    open_ = rules.open_minutes_in(opening_hours, FIRST, FOLLOWING)
    booked = rules.booked_minutes_in(opening_hours, FIRST, FOLLOWING, intervals)
    assert 0 <= booked <= open_
    assert rules.booked_minutes_in(opening_hours, FIRST, FOLLOWING, intervals + intervals) == booked
    row = rules.RoomMonth("r", "2027-02", open_, booked, 0)
    assert row.unbooked_minutes + row.booked_minutes == open_ and 0 <= row.occupancy_percent <= 100


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 27), st.integers(8, 16)), unique=True, max_size=40))
def test_separate_bookings_inside_the_hours_add_up_exactly(slots):
    intervals = [(dt.datetime.combine(FIRST + dt.timedelta(days=d), dt.time(h)), dt.datetime.combine(FIRST + dt.timedelta(days=d), dt.time(h, 45))) for d, h in slots]
    open_on = {(d, h) for d, h in slots if (FIRST + dt.timedelta(days=d)).weekday() < 5}
    assert rules.booked_minutes_in(WEEKDAYS_ONLY, FIRST, FOLLOWING, intervals) == 45 * len(open_on)


def test_a_month_of_open_hours_and_the_months_of_a_period():
    assert rules.open_minutes_in(WEEKDAYS_ONLY, FIRST, FOLLOWING) == 20 * 9 * 60  # February 2027: 20 weekdays
    late = (dt.datetime(2027, 1, 31, 16), dt.datetime(2027, 2, 1, 9, 30))  # only the part in February, inside the hours
    assert rules.booked_minutes_in(WEEKDAYS_ONLY, FIRST, FOLLOWING, [late]) == 90
    assert rules.months_between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert rules.room_month("r", WEEKDAYS_ONLY, "2027-02", [], 0).occupancy_percent == 0.0


async def test_the_report_gives_occupancy_unbooked_hours_and_revenue_per_room(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)  # 9:00-10:30 last month, billed 90 min at 40 $/h
    await past_booking(database, coop, at(last_month(), 13), at(last_month(), 14), status="cancelled")  # not counted
    await past_booking(database, coop, at(last_month(), 15), at(last_month(), 16), status="no_show", fee=100)  # held: counted
    month = month_of(last_month())
    url = f"{coop.api}/reports/rooms"
    assert (await client.get(url, params={"from": month}, headers=coop.clinician)).status_code == 403
    report = await client.get(url, params={"from": month, "to": month}, headers=coop.treasurer)
    assert report.status_code == 200, report.text
    body = report.json()
    [row] = body["rows"]
    first, following = rules.month_bounds(month)
    open_minutes = (following - first).days * 15 * 60  # open every day 07:00-22:00
    assert (row["room_name"], row["month"], row["open_minutes"], row["booked_minutes"]) == ("Bureau 1", month, open_minutes, 150)
    assert row["unbooked_minutes"] == open_minutes - 150 and row["occupancy_percent"] == round(15000 / open_minutes, 1)
    assert row["revenue_cents"] == invoice["subtotal_cents"] == 6000 and body["totals"][0]["revenue_cents"] == 6000
    # A full credit note takes the revenue back; a credit of an amount is shown apart.
    await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Geste", "amount_cents": 500}, headers=coop.treasurer)
    this_month = month_of(today())
    after = (await client.get(url, params={"from": month, "to": this_month}, headers=coop.treasurer)).json()
    assert after["unattributed_cents"] == -500 and len(after["rows"]) == len(rules.months_between(month, this_month))
    assert (await client.get(url, params={"from": "2027-05", "to": "2027-01"}, headers=coop.treasurer)).status_code == 422
    assert (await client.get(url, params={"from": "2020-01", "to": "2027-01"}, headers=coop.treasurer)).status_code == 422
    assert (await client.get(url, params={"from": "2027-1"}, headers=coop.treasurer)).status_code == 400

    await sign_in(client, coop.world, "treasurer")
    page = await client.get(f"/t/{coop.world.tenant.slug}/billing/reports/", params={"from": month, "to": month})
    assert page.status_code == 200
    assert page.text.count("<svg") == 3 and "Bureau 1" in page.text and "60,00" in page.text
    refused = await client.get(f"/t/{coop.world.tenant.slug}/billing/reports/", params={"from": "2027-05", "to": "2027-01"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert EVERY_DAY["mon"] == "07:00-22:00"
