"""The billing pages: a clinician books and sees their invoices; the treasurer keeps rooms and
rates, makes the month's drafts, issues them and records a payment."""

import datetime as dt

from tests.billing.helpers import future_day, make_coop, month_of, past_booking
from tests.billing.test_invoices import LAST_MONTH, at
from tests.conftest import sign_in


async def post_form(client, url: str, data: dict):
    return await client.post(url, data={**data, "_csrf_token": client.cookies["csrftoken"]})


async def test_a_clinician_books_a_room_from_the_page(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "clinician")
    home = await client.get(f"{base}/")
    assert home.status_code == 200 and "Bureau 1" in home.text
    day = future_day()
    outside = await post_form(client, f"{base}/bookings", {"room_id": coop.room["id"], "day": day.isoformat(), "start": "05:00", "end": "06:00"})
    assert outside.status_code == 422 and 'role="alert"' in outside.text
    booked = await post_form(client, f"{base}/bookings", {"room_id": coop.room["id"], "day": day.isoformat(), "start": "09:00", "end": "10:30"})
    assert booked.status_code in (302, 303)
    mine = (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json()
    assert len(mine) == 1 and mine[0]["status"] == "booked"
    taken = await post_form(client, f"{base}/bookings", {"room_id": coop.room["id"], "day": day.isoformat(), "start": "10:00", "end": "11:00"})
    assert taken.status_code == 409
    cancelled = await post_form(client, f"{base}/bookings/{mine[0]['id']}/cancel", {})
    assert cancelled.status_code in (302, 303)
    assert (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json()[0]["status"] == "cancelled"


async def test_the_treasurer_keeps_rooms_and_rates_runs_issues_and_records_a_payment(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    assert (await client.get(f"{base}/rooms")).status_code == 200
    room = await post_form(client, f"{base}/rooms", {"name": "Salle 2", "kind": "examination_room", "equipment": "Lit", "hours_mon": "08:00-17:00"})
    assert room.status_code in (302, 303)
    bad_rate = await post_form(client, f"{base}/rates", {"target": "kind:examination_room", "clinician_class": "psychologist", "hourly_cents": "beaucoup", "increment_minutes": "15", "valid_from": "2027-01-01"})
    assert bad_rate.status_code in (400, 422)
    rate = await post_form(client, f"{base}/rates", {"target": "kind:examination_room", "clinician_class": "psychologist", "hourly_cents": "45,50", "increment_minutes": "15", "rounding": "up", "minimum_minutes": "0", "valid_from": "2027-01-01"})
    assert rate.status_code in (302, 303)
    rates = (await client.get(f"{coop.api}/rates", headers=coop.treasurer)).json()
    assert any(r["hourly_cents"] == 4550 and r["room_kind"] == "examination_room" for r in rates)

    await past_booking(database, coop, at(LAST_MONTH, 9), at(LAST_MONTH, 10))
    month = month_of(LAST_MONTH)
    ran = await post_form(client, f"{base}/invoice-runs", {"month": month})
    assert ran.status_code == 200 and "1" in ran.text
    [draft] = (await client.get(f"{coop.api}/invoices", params={"month": month}, headers=coop.treasurer)).json()
    issued = await post_form(client, f"{base}/invoices/{draft['id']}/issue", {})
    assert issued.status_code in (302, 303)
    page = await client.get(f"{base}/invoices", params={"month": month})
    invoice = (await client.get(f"{coop.api}/invoices/{draft['id']}", headers=coop.treasurer)).json()
    assert invoice["number"] in page.text
    paid = await post_form(client, f"{base}/invoices/{draft['id']}/payments", {"amount": "10.00", "method": "cheque", "received_on": dt.date.today().isoformat(), "reference": "Chèque 7"})
    assert paid.status_code in (302, 303)
    too_much = await post_form(client, f"{base}/invoices/{draft['id']}/payments", {"amount": "100000", "method": "cash", "received_on": dt.date.today().isoformat()})
    assert too_much.status_code == 422
    after = (await client.get(f"{coop.api}/invoices/{draft['id']}", headers=coop.treasurer)).json()
    assert (after["paid_cents"], after["payment_state"]) == (1000, "partly_paid")
    pdf = await client.get(f"{coop.api}/invoices/{draft['id']}/pdf")  # the page's link, with the session cookie
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
