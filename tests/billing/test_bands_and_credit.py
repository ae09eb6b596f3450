"""Evening and weekend rate bands (a booking crossing a band is billed in parts), check-in and
check-out where the tenant bills actual use, an overpayment kept as the clinician's credit and
applied to the next invoice, and refunds of a credit note through that credit."""

import datetime as dt
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.clock import now
from billing import rules
from tests.billing.helpers import add_clinician, make_coop, past_booking
from tests.billing.test_invoices import drafts, issued_invoice, run
from tests.billing.test_pages import post_form
from tests.clock import ZONE, at, last_month, month_of, today
from tests.conftest import sign_in

BASE = dt.datetime(2027, 3, 5, 0, 0)  # a Friday
uses = st.tuples(st.integers(0, 4 * 1440), st.integers(1, 3 * 1440)).map(lambda t: (BASE + dt.timedelta(minutes=t[0]), BASE + dt.timedelta(minutes=t[0] + t[1])))
evenings = st.integers(12, 22).map(lambda h: dt.time(h))
rate = rules.Rate(1, None, "office", "c", 4000, 15, rules.Rounding.UP, 60, dt.date(2020, 1, 1))


@settings(deadline=None)
@given(uses, evenings)
def test_band_parts_cover_the_use_once_each_in_its_band(use, evening):
    start, end = use
    parts = rules.band_parts(start, end, evening)
    assert parts[0][1] == start and parts[-1][2] == end
    assert all(a[2] == b[1] for a, b in pairwise(parts)) and all(a[0] != b[0] for a, b in pairwise(parts))
    for band, low, high in parts:
        assert low < high and rules.band_at(low, evening) == band == rules.band_at(high - dt.timedelta(minutes=1), evening)


@settings(deadline=None)
@given(st.lists(st.tuples(st.sampled_from(rules.BANDS), st.integers(1, 600)), min_size=1, max_size=6))
def test_with_a_standard_rate_only_a_use_costs_what_it_did_before_bands(parts):
    priced = rules.price_use(parts, {"standard": rate})
    assert len(priced) == 1
    assert (priced[0].billed_minutes, priced[0].amount_cents) == rate.charge_cents(sum(m for _, m in parts))


def test_a_booking_from_four_to_six_on_a_weekday_is_billed_an_hour_at_each_rate():
    evening = rules.Rate(2, None, "office", "c", 6000, 15, rules.Rounding.UP, 0, dt.date(2020, 1, 1), band="evening")
    tuesday = dt.datetime(2027, 3, 9, 16)
    parts = rules.band_parts(tuesday, tuesday + dt.timedelta(hours=2), dt.time(17))
    priced = rules.price_use([(band, int((b - a).total_seconds() // 60)) for band, a, b in parts], {"standard": rate, "evening": evening})
    assert [(p.band, p.billed_minutes, p.amount_cents) for p in priced] == [("standard", 60, 4000), ("evening", 60, 6000)]
    short = rules.price_use([("standard", 10), ("evening", 10)], {"standard": rate, "evening": evening})
    assert [(p.billed_minutes, p.amount_cents) for p in short] == [(45, 3000), (15, 1500)]  # the minimum of 60 on the first part


def weekday_in_last_month(weekday: int) -> dt.date:
    first = last_month().replace(day=1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


async def test_the_run_bills_a_booking_crossing_into_the_evening_in_two_lines(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, hourly_cents=4000)
    evening = await client.post(f"{coop.api}/rates", json={"room_kind": "office", "clinician_class": "family_physician", "hourly_cents": 6000, "band": "evening", "valid_from": "2020-01-01"}, headers=coop.treasurer)
    assert evening.status_code == 201 and evening.json()["band"] == "evening"
    assert len((await client.get(f"{coop.api}/rates", headers=coop.treasurer)).json()) == 2  # the evening rate did not end the standard one
    tuesday, saturday = weekday_in_last_month(1), weekday_in_last_month(5)
    await past_booking(database, coop, at(tuesday, 16), at(tuesday, 18))
    await past_booking(database, coop, at(saturday, 10), at(saturday, 11))  # no weekend rate: the standard one
    assert (await run(client, coop)).json()["unpriced"] == []
    [draft] = await drafts(client, coop)
    by_day = {}
    for line in draft["lines"]:
        by_day.setdefault(line["occurred_on"], []).append((line["minutes"], line["hourly_cents"], line["amount_cents"]))
    assert by_day[tuesday.isoformat()] == [(60, 4000, 4000), (60, 6000, 6000)]
    assert by_day[saturday.isoformat()] == [(60, 4000, 4000)]
    evening_line = next(l for l in draft["lines"] if l["hourly_cents"] == 6000)
    assert "17:00–18:00 (soir)" in evening_line["description"]
    settings = (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json()
    assert (await client.put(f"{coop.api}/settings", json={**settings, "evening_from": "25:00"}, headers=coop.treasurer)).status_code == 400


async def test_actual_use_is_billed_from_check_in_to_check_out(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, hourly_cents=6000)
    start = now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    await past_booking(database, coop, start, start + dt.timedelta(hours=2))
    [booking] = (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json()
    url = f"{coop.api}/bookings/{booking['id']}"
    _, other = await add_clinician(client, database, coop, "Dre Autre")
    assert (await client.post(f"{url}/check-in", headers=other)).status_code == 404
    assert (await client.post(f"{url}/check-out", headers=coop.clinician)).status_code == 409  # not checked in
    checked_in = await client.post(f"{url}/check-in", headers=coop.clinician)
    assert checked_in.status_code == 200 and checked_in.json()["checked_in_at"]
    assert (await client.post(f"{url}/check-in", headers=coop.clinician)).status_code == 409
    out = await client.post(f"{url}/check-out", headers=coop.clinician)
    assert out.status_code == 200 and out.json()["checked_out_at"] > out.json()["checked_in_at"]
    assert (await client.post(f"{url}/check-out", headers=coop.clinician)).status_code == 409
    month = month_of(start.astimezone(ZONE).date())
    await run(client, coop, month)
    [as_booked] = await drafts(client, coop, month)
    assert as_booked["lines"][0]["minutes"] == 120  # the tenant bills bookings as booked
    settings = (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json()
    await client.put(f"{coop.api}/settings", json={**settings, "bill_actual_use": True}, headers=coop.treasurer)
    await run(client, coop, month)
    [actual] = await drafts(client, coop, month)
    assert actual["lines"][0]["minutes"] == 15 and actual["lines"][0]["amount_cents"] == 1500  # a minute or two, rounded up to 15


async def test_an_overpayment_is_kept_as_credit_and_pays_the_next_invoice(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    pay = f"{coop.api}/invoices/{invoice['id']}/payments"
    body = {"amount_cents": invoice["total_cents"] + 500, "method": "cheque", "received_on": today().isoformat(), "reference": "Chèque 7"}
    refused = await client.post(pay, json=body, headers=coop.treasurer)
    assert refused.status_code == 422
    kept = await client.post(pay, json={**body, "keep_excess_as_credit": True}, headers=coop.treasurer)
    assert kept.status_code == 201 and (kept.json()["amount_cents"], kept.json()["credit_cents"]) == (invoice["total_cents"], 500)
    credit = (await client.get(f"{coop.api}/clinicians/{coop.account['id']}/credit", headers=coop.treasurer)).json()
    assert credit["balance_cents"] == 500 and [m["kind"] for m in credit["movements"]] == ["overpayment"]
    statement = (await client.get(f"{coop.api}/statement", headers=coop.clinician)).json()
    assert statement["balance_cents"] == -500
    # The next invoice is paid by the credit first.
    await past_booking(database, coop, at(last_month(), 13), at(last_month(), 14))
    await run(client, coop)
    [draft] = await drafts(client, coop)
    issued = (await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)).json()
    assert (issued["paid_cents"], issued["balance_cents"]) == (500, issued["total_cents"] - 500)
    assert (await client.get(f"{coop.api}/clinicians/{coop.account['id']}/credit", headers=coop.treasurer)).json()["balance_cents"] == 0
    statement = (await client.get(f"{coop.api}/statement", headers=coop.clinician)).json()
    assert statement["balance_cents"] == issued["balance_cents"]
    journal = (await client.get(f"{coop.api}/journal.csv", params={"month": month_of(today())}, headers=coop.treasurer)).text
    assert ",2400," in journal and "5.00" in journal


async def test_a_credit_note_on_a_paid_invoice_becomes_credit_that_can_be_refunded(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    await client.post(f"{coop.api}/invoices/{invoice['id']}/payments", json={"amount_cents": invoice["total_cents"], "method": "transfer", "received_on": today().isoformat()}, headers=coop.treasurer)
    note = (await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Erreur de salle", "amount_cents": 1000}, headers=coop.treasurer)).json()
    after = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.treasurer)).json()
    assert after["balance_cents"] == 0 and after["payment_state"] == "paid"
    credit_url = f"{coop.api}/clinicians/{coop.account['id']}/credit"
    assert (await client.get(credit_url, headers=coop.treasurer)).json()["balance_cents"] == -note["total_cents"]
    refunds = f"{coop.api}/clinicians/{coop.account['id']}/refunds"
    too_much = await client.post(refunds, json={"amount_cents": -note["total_cents"] + 1, "method": "cheque", "paid_on": today().isoformat()}, headers=coop.treasurer)
    assert too_much.status_code == 422 and too_much.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(refunds, json={"amount_cents": 100, "method": "cheque", "paid_on": today().isoformat()}, headers=coop.clinician)).status_code == 403
    refunded = await client.post(refunds, json={"amount_cents": -note["total_cents"], "method": "cheque", "paid_on": today().isoformat(), "reference": "Chèque 88"}, headers=coop.treasurer)
    assert refunded.status_code == 201 and refunded.json()["balance_cents"] == 0
    statement = (await client.get(f"{coop.api}/statement", headers=coop.clinician)).json()
    assert statement["balance_cents"] == 0 and statement["lines"][-1]["kind"] == "refund"


async def test_the_treasurer_keeps_an_overpayment_and_refunds_it_from_the_pages(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    amount = f"{(invoice['total_cents'] + 2500) / 100:.2f}".replace(".", ",")
    form = {"amount": amount, "method": "cheque", "received_on": today().isoformat(), "reference": "Chèque 9"}
    assert (await post_form(client, f"{base}/invoices/{invoice['id']}/payments", form)).status_code == 422
    kept = await post_form(client, f"{base}/invoices/{invoice['id']}/payments", {**form, "keep_excess_as_credit": "1"})
    assert kept.status_code in (302, 303)
    statement = await client.get(f"{base}/clinicians/{coop.account['id']}/statement")
    assert "25,00" in statement.text and f'action="{base}/clinicians/{coop.account["id"]}/refunds"' in statement.text
    too_much = await post_form(client, f"{base}/clinicians/{coop.account['id']}/refunds", {"amount": "30,00", "method": "cheque", "paid_on": today().isoformat()})
    assert too_much.status_code == 422 and 'role="alert"' in too_much.text
    refunded = await post_form(client, f"{base}/clinicians/{coop.account['id']}/refunds", {"amount": "25,00", "method": "transfer", "paid_on": today().isoformat()})
    assert refunded.status_code in (302, 303)
    assert (await client.get(f"{coop.api}/clinicians/{coop.account['id']}/credit", headers=coop.treasurer)).json()["balance_cents"] == 0
    await sign_in(client, coop.world, "clinician")
    own = await client.get(f"{base}/statement")
    assert own.status_code == 200 and "/refunds" not in own.text


async def test_a_clinician_checks_in_and_out_from_the_page(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    settings = (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json()
    await client.put(f"{coop.api}/settings", json={**settings, "bill_actual_use": True}, headers=coop.treasurer)
    start = now().replace(second=0, microsecond=0) + dt.timedelta(minutes=20)
    await past_booking(database, coop, start, start + dt.timedelta(hours=1))
    [booking] = (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json()
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "clinician")
    home = await client.get(f"{base}/")
    assert f'action="{base}/bookings/{booking["id"]}/check-in"' in home.text
    assert (await post_form(client, f"{base}/bookings/{booking['id']}/check-in", {})).status_code in (302, 303)
    home = await client.get(f"{base}/")
    assert f'action="{base}/bookings/{booking["id"]}/check-out"' in home.text
    assert (await post_form(client, f"{base}/bookings/{booking['id']}/check-in", {})).status_code == 409
    assert (await post_form(client, f"{base}/bookings/{booking['id']}/check-out", {})).status_code in (302, 303)
    done = (await client.get(f"{coop.api}/bookings/{booking['id']}", headers=coop.clinician)).json()
    assert done["checked_in_at"] and done["checked_out_at"]
