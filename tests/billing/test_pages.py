"""The billing pages: a clinician books and sees their invoices; the treasurer keeps rooms and
rates, makes the month's drafts, issues them and records a payment."""


import asyncio
import datetime as dt

from backend import i18n
from tests.billing.helpers import add_clinician, cancel_in_database, connect_stripe, future_day, make_coop, past_booking
from tests.billing.test_invoices import drafts, issued_invoice, run
from tests.clock import ZONE, at, last_month, local, month_of, today
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
    asked = {"room_id": coop.room["id"], "day": day.isoformat(), "start": "09:00", "end": "10:30"}
    # First the price (90 minutes at $40.00 an hour: $60.00, with GST and QST $68.99); nothing booked yet.
    quoted = await post_form(client, f"{base}/bookings", asked)
    assert quoted.status_code == 200 and "Confirmer la réservation" in quoted.text and "60,00" in quoted.text and "68,99" in quoted.text
    assert (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json() == []
    booked = await post_form(client, f"{base}/bookings", {**asked, "confirm": "yes"})
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
    # The invoice's own page: its credit note, its e-mails (the first and the one sent again), no payment.
    detail = await client.get(f"{base}/invoices/{invoice['id']}")
    assert detail.status_code == 200 and f"Facture {invoice['number']}" in detail.text and note["number"] in detail.text and "Geste" in detail.text
    assert detail.text.count(coop.account["email"]) >= 2 and "Aucun paiement pour l’instant." in detail.text
    assert f"Crédite la facture {invoice['number']}" in (await client.get(f"{base}/invoices/{note['id']}")).text

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


SETTINGS_FORM = {
    "legal_name": "Coopérative de santé X", "address": "1, rue Principale\nShawinigan (Québec) G9N 1A1", "gst_number": "812345678 RT0001",
    "qst_number": "1223456789 TQ0001", "gst_rate_pcm": "5", "qst_rate_pcm": "9,975", "payment_terms_days": "15", "reminder_days": "7, 30, 60",
    "free_cancellation_hours": "24", "late_fee_percent": "50", "no_show_percent": "100", "evening_from": "18:00", "bill_actual_use": "on",
}


async def test_the_treasurer_sets_the_billing_up_from_the_page_warned_until_invoices_carry_what_they_must(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    before = (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json()
    shown = await client.get(f"{base}/settings/")
    assert shown.status_code == 200 and "Numéro d’inscription à la TPS" in shown.text and 'class="alert alert-warning"' in shown.text
    assert "Compléter les paramètres de facturation" in (await client.get(f"{base}/invoices")).text

    # Every refusal at once, each next to its field, in words; nothing saved.
    refused = await post_form(client, f"{base}/settings/", {**SETTINGS_FORM, "late_fee_percent": "300", "payment_terms_days": "trente", "qst_rate_pcm": "beaucoup"})
    assert refused.status_code == 422
    for field in ("late_fee_percent", "payment_terms_days", "qst_rate_pcm"):
        assert f'id="f-{field}-error"' in refused.text, field
    assert "au plus 100" in refused.text and 'value="trente"' in refused.text  # the form as typed
    assert (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json() == before

    saved = await post_form(client, f"{base}/settings/", SETTINGS_FORM)
    assert saved.status_code in (302, 303), saved.text
    after = await client.get(saved.headers["location"])
    assert "Les paramètres ont été enregistrés" in after.text and 'class="alert alert-warning"' not in after.text and 'value="9,975"' in after.text
    settings = (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json()
    assert (settings["qst_rate_pcm"], settings["gst_rate_pcm"], settings["reminder_days"], settings["payment_terms_days"]) == (9975, 5000, [7, 30, 60], 15)
    assert (settings["bill_actual_use"], settings["evening_from"], settings["address"]) == (True, "18:00", SETTINGS_FORM["address"])
    assert "Compléter les paramètres de facturation" not in (await client.get(f"{base}/invoices")).text


async def test_a_room_is_changed_and_closed_from_the_page_with_choices_in_words(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    rooms = await client.get(f"{base}/rooms")
    assert '<option value="examination_room">Salle d&#39;examen</option>' in rooms.text and "Médecin de famille" in rooms.text and "lundi" in rooms.text
    form = {"name": "Bureau 1", "kind": "examination_room", "equipment": "ECG", **{f"hours_{d}": "09:00-17:00" for d in ("mon", "tue")}}
    closed = await post_form(client, f"{base}/rooms/{coop.room['id']}", form)  # "active" unticked: closed
    assert closed.status_code in (302, 303) and "La salle a été modifiée" in (await client.get(closed.headers["location"])).text
    room = (await client.get(f"{coop.api}/rooms/{coop.room['id']}", headers=coop.treasurer)).json()
    assert (room["kind"], room["active"], room["opening_hours"]["mon"], room["opening_hours"]["wed"]) == ("examination_room", False, "09:00-17:00", None)
    bad = await post_form(client, f"{base}/rooms/{coop.room['id']}", {**form, "name": "", "hours_mon": "9h", "active": "on"})
    assert bad.status_code == 422 and 'id="f-name-error"' in bad.text and "<details open>" in bad.text  # the room's form, open again
    assert (await client.get(f"{coop.api}/rooms/{coop.room['id']}", headers=coop.treasurer)).json()["name"] == "Bureau 1"


async def test_a_clinician_books_every_week_sees_the_clashes_moves_one_and_cancels_the_series_from_the_page(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    other, other_headers = await add_clinician(client, database, coop, "Dre Autre")
    base = f"/t/{coop.world.tenant.slug}/billing"
    first = future_day(weeks=3)
    taken = first + dt.timedelta(weeks=2)
    held = await client.post(f"{coop.api}/bookings", json={"room_id": coop.room["id"], "starts_at": local(taken, 9), "ends_at": local(taken, 11)}, headers=other_headers)
    assert held.status_code == 201, held.text

    await sign_in(client, coop.world, "clinician")
    home = await client.get(f"{base}/")
    assert "/public/billing/calendar/" in home.text and ".ics" in home.text  # the feed's address, to subscribe
    series = await post_form(client, f"{base}/bookings", {"room_id": coop.room["id"], "day": first.isoformat(), "start": "09:00", "end": "10:00", "weeks": "4", "confirm": "yes"})
    assert series.status_code == 200 and "3 semaines réservées." in series.text and "1 semaine n’a pas pu être réservée" in series.text
    mine = [b for b in (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json() if b["status"] == "booked"]
    assert len(mine) == 3 and len({b["series_id"] for b in mine}) == 1

    # Moved to a free hour of its day; into the other clinician's time, refused next to the form.
    moving = mine[0]
    refused = await post_form(client, f"{base}/bookings/{moving['id']}/move", {"room_id": coop.room["id"], "day": taken.isoformat(), "start": "10:00", "end": "11:00"})
    assert refused.status_code == 409 and "<details open>" in refused.text
    moved = await post_form(client, f"{base}/bookings/{moving['id']}/move", {"room_id": coop.room["id"], "day": first.isoformat(), "start": "14:00", "end": "15:00"})
    assert moved.status_code in (302, 303) and "La réservation a été déplacée." in (await client.get(moved.headers["location"])).text
    after = (await client.get(f"{coop.api}/bookings/{moving['id']}", headers=coop.clinician)).json()
    starts = dt.datetime.fromisoformat(after["starts_at"]).astimezone(ZONE)
    assert (starts.date(), starts.hour, after["status"]) == (first, 14, "booked")

    cancelled = await post_form(client, f"{base}/series/{moving['series_id']}/cancel", {})
    assert cancelled.status_code in (302, 303) and "Toutes les réservations à venir de la série ont été annulées." in (await client.get(cancelled.headers["location"])).text
    assert {b["status"] for b in (await client.get(f"{coop.api}/bookings", headers=coop.clinician)).json()} == {"cancelled"}
    assert (await client.get(f"{coop.api}/bookings/{held.json()['id']}", headers=other_headers)).json()["status"] == "booked"  # not theirs


def soon_within_the_hours() -> dt.datetime:
    """The next whole hour, at least an hour from now, when the test room is open (7 to 22 h):
    within the policy's 48 hours, whatever the hour the tests run."""
    moment = (dt.datetime.now(ZONE) + dt.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    while not 7 <= moment.hour <= 20:
        moment += dt.timedelta(hours=1)
    return moment


async def test_a_booking_within_the_late_delay_is_not_moved_and_the_treasurer_records_a_no_show_from_the_week(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    start = soon_within_the_hours()
    soon = await client.post(f"{coop.api}/bookings", json={"room_id": coop.room["id"], "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=1)).isoformat()}, headers=coop.clinician)
    assert soon.status_code == 201, soon.text
    later = start + dt.timedelta(days=7)
    late = await client.post(f"{coop.api}/bookings/{soon.json()['id']}/move", json={"room_id": coop.room["id"], "starts_at": later.isoformat(), "ends_at": (later + dt.timedelta(hours=1)).isoformat()}, headers=coop.clinician)
    assert late.status_code == 409 and "48" in late.json()["detail"]

    booking_id = await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    week = await client.get(f"{base}/calendar/rooms/{coop.room['id']}", params={"week": last_month().isoformat()})
    assert f"/bookings/{booking_id}/no-show" in week.text
    marked = await post_form(client, f"{base}/bookings/{booking_id}/no-show", {})
    assert marked.status_code in (302, 303) and "L’absence a été inscrite" in (await client.get(marked.headers["location"])).text
    assert (await client.get(f"{coop.api}/bookings/{booking_id}", headers=coop.treasurer)).json()["status"] == "no_show"
    invoices = await client.get(f"{base}/invoices", params={"month": month_of(last_month())})
    assert f"/api/t/{coop.world.tenant.slug}/billing/journal.csv?month={month_of(last_month())}" in invoices.text
