"""The billing pages: a clinician books and sees their invoices; the treasurer keeps rooms and
rates, makes the month's drafts, issues them and records a payment."""


import asyncio

from backend import i18n
from tests.billing.helpers import cancel_in_database, connect_stripe, future_day, make_coop, past_booking
from tests.billing.test_invoices import drafts, issued_invoice, run
from tests.clock import at, last_month, month_of, today
from tests.conftest import sign_in


def month_in_french(month: str) -> str:
    with i18n.using("fr_CA"):
        return i18n.format_month(month)  # "novembre 2026": pages name months in words


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
    assert "09 h 00 – 10 h 30" in (await client.get(f"{base}/")).text  # its start and its end (the end read "00")
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

    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    month = month_of(last_month())
    ran = await post_form(client, f"{base}/invoice-runs", {"month": month})
    assert ran.status_code == 200 and "1" in ran.text
    [draft] = (await client.get(f"{coop.api}/invoices", params={"month": month}, headers=coop.treasurer)).json()
    issued = await post_form(client, f"{base}/invoices/{draft['id']}/issue", {})
    assert issued.status_code in (302, 303)
    page = await client.get(f"{base}/invoices", params={"month": month})
    invoice = (await client.get(f"{coop.api}/invoices/{draft['id']}", headers=coop.treasurer)).json()
    assert invoice["number"] in page.text
    paid = await post_form(client, f"{base}/invoices/{draft['id']}/payments", {"amount": "10.00", "method": "cheque", "received_on": today().isoformat(), "reference": "Chèque 7"})
    assert paid.status_code in (302, 303)
    too_much = await post_form(client, f"{base}/invoices/{draft['id']}/payments", {"amount": "100000", "method": "cash", "received_on": today().isoformat()})
    assert too_much.status_code == 422
    after = (await client.get(f"{coop.api}/invoices/{draft['id']}", headers=coop.treasurer)).json()
    assert (after["paid_cents"], after["payment_state"]) == (1000, "partly_paid")
    pdf = await client.get(f"{coop.api}/invoices/{draft['id']}/pdf")  # the page's link, with the session cookie
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_the_treasurer_sends_again_credits_and_closes_the_month_from_the_pages(client, database, make_tenant, mailbox):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    listing = await client.get(f"{base}/invoices", params={"month": invoice["month"]})
    assert "Envoyer de nouveau" in listing.text and "Émettre la note de crédit" in listing.text and f"Fermer {month_in_french(invoice['month'])}" in listing.text
    sent = await post_form(client, f"{base}/invoices/{invoice['id']}/send", {})
    assert sent.status_code in (302, 303)
    assert len(await mailbox.received_by(coop.account["email"])) == 2
    assert f"Document {invoice['number']} envoyé de nouveau." in (await client.get(sent.headers["location"])).text

    too_much = await post_form(client, f"{base}/invoices/{invoice['id']}/credit-notes", {"amount": "1000,00", "reason": "Erreur"})
    assert too_much.status_code == 422 and 'role="alert"' in too_much.text
    credited = await post_form(client, f"{base}/invoices/{invoice['id']}/credit-notes", {"amount": "10,00", "reason": "Geste"})
    assert credited.status_code in (302, 303)
    documents = (await client.get(f"{coop.api}/invoices", headers=coop.treasurer)).json()
    [note] = [d for d in documents if d["kind"] == "credit_note"]
    assert note["subtotal_cents"] == -1000
    assert f"Note de crédit {note['number']} émise et envoyée par courriel." in (await client.get(credited.headers["location"])).text

    statement = await client.get(f"{base}/clinicians/{coop.account['id']}/statement")
    assert statement.status_code == 200 and invoice["number"] in statement.text and "Note de crédit" in statement.text and "Solde dû" in statement.text

    bad_month = await post_form(client, f"{base}/months/close", {"month": "2027-13"})
    assert bad_month.status_code == 422
    closed = await post_form(client, f"{base}/months/close", {"month": invoice["month"]})
    assert closed.status_code in (302, 303)
    assert "Ce mois est fermé." in (await client.get(f"{base}/invoices", params={"month": invoice["month"]})).text
    again = await post_form(client, f"{base}/months/close", {"month": invoice["month"]})
    assert again.status_code == 409


async def test_codes_are_shown_as_translated_names(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    await sign_in(client, coop.world, "treasurer")
    rooms = await client.get(f"/t/{coop.world.tenant.slug}/billing/rooms")
    assert rooms.status_code == 200
    for name in ("<td>Bureau</td>", "<td>Médecin de famille</td>", "arrondi à la hausse", "Tous les locaux de type Bureau"):
        assert name in rooms.text, name


async def test_a_clinician_reads_their_statement_and_pays_by_card_only_when_stripe_is_set_up(client, database, make_tenant, stripe_enabled):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "clinician")
    home = await client.get(f"{base}/")
    assert "Payer par carte" not in home.text and f"{base}/statement" in home.text
    statement = await client.get(f"{base}/statement")
    assert statement.status_code == 200 and invoice["number"] in statement.text
    refused = await post_form(client, f"{base}/invoices/{invoice['id']}/pay", {})
    assert refused.status_code == 409
    await connect_stripe(client, coop.api, coop.treasurer)  # the treasurer's page: test_card_payment_pages.py
    assert "Payer par carte" in (await client.get(f"{base}/")).text
    # The page carries the PaymentIntent for Stripe.js; Stripe.js itself (js.stripe.com) cannot
    # load here, so the card entry is tested through the API against localstripe (test_stripe.py).
    paying = await post_form(client, f"{base}/invoices/{invoice['id']}/pay", {})
    assert paying.status_code == 200 and "pk_test_solidaire" in paying.text
    [pending] = (await client.get(f"{coop.api}/invoices/{invoice['id']}/payments", headers=coop.clinician)).json()
    assert pending["status"] == "pending" and pending["amount_cents"] == invoice["total_cents"] and pending["reference"] in paying.text


async def invoice_then_cancel(client, database, make_tenant):
    """An issued invoice of two one-hour bookings at $40; then one of them cancelled, 50 % owed."""
    coop = await make_coop(client, make_tenant, hourly_cents=4000)
    booking_id = await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await past_booking(database, coop, at(last_month(), 13), at(last_month(), 14))
    assert (await run(client, coop)).status_code == 200
    [draft] = await drafts(client, coop)
    invoice = (await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)).json()
    assert invoice["subtotal_cents"] == 8000
    await cancel_in_database(database, coop, booking_id, fee=50)
    return coop, invoice, booking_id


async def test_a_booking_cancelled_after_its_invoice_is_proposed_for_a_credit_note_issued_from_the_page(client, database, make_tenant):
    coop, invoice, booking_id = await invoice_then_cancel(client, database, make_tenant)

    # The next run says so; the API lists what is due: $40.00 billed, less the 50 % fee.
    assert (await run(client, coop)).json()["credits_due"] == 1
    [due] = (await client.get(f"{coop.api}/credits-due", headers=coop.treasurer)).json()
    assert (due["invoice_id"], due["booking_id"], due["number"], due["credit_cents"]) == (invoice["id"], str(booking_id), invoice["number"], 2000)

    await sign_in(client, coop.world, "treasurer")
    page_url = f"/t/{coop.world.tenant.slug}/billing/invoices?month={month_of(last_month())}"
    shown = await client.get(page_url)
    assert "Notes de crédit à émettre" in shown.text and invoice["number"] in shown.text and "20,00" in shown.text
    form = {"booking_id": due["booking_id"], "reason": "Réservation annulée après facturation"}
    issued = await post_form(client, f"/t/{coop.world.tenant.slug}/billing/invoices/{invoice['id']}/credit-notes", form)
    assert issued.status_code in (302, 303), issued.text
    notes = [i for i in (await client.get(f"{coop.api}/invoices", params={"kind": "credit_note"}, headers=coop.treasurer)).json() if i["credited_invoice_id"] == invoice["id"]]
    assert [(n["subtotal_cents"], n["lines"][0]["booking_id"]) for n in notes] == [(-2000, str(booking_id))]
    assert "Notes de crédit à émettre" not in (await client.get(page_url)).text
    assert (await client.get(f"{coop.api}/credits-due", headers=coop.treasurer)).json() == []
    # Posted twice (a double click, a second tab): nothing more is credited.
    again = await post_form(client, f"/t/{coop.world.tenant.slug}/billing/invoices/{invoice['id']}/credit-notes", form)
    assert again.status_code == 409 and "rien" in again.text
    api_again = await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Encore", "booking_id": due["booking_id"]}, headers=coop.treasurer)
    assert api_again.status_code == 409


async def test_a_cancelled_bookings_credit_posted_ten_times_at_once_is_issued_once(client, database, make_tenant):
    coop, invoice, booking_id = await invoice_then_cancel(client, database, make_tenant)
    url = f"{coop.api}/invoices/{invoice['id']}/credit-notes"
    answers = await asyncio.gather(*(client.post(url, json={"reason": "Annulée", "booking_id": str(booking_id)}, headers=coop.treasurer) for _ in range(10)))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9, [a.text for a in answers]
    notes = [i for i in (await client.get(f"{coop.api}/invoices", headers=coop.treasurer)).json() if i["credited_invoice_id"] == invoice["id"]]
    assert [n["subtotal_cents"] for n in notes] == [-2000]
