"""The monthly run, issuing (gapless numbers, also concurrently), final documents, credit notes,
the hash chain and its check, closed months, the PDF, and manual payments."""

import asyncio
import datetime as dt
import os
import sqlite3
import subprocess
import sys

import asyncpg
import pytest

from backend import db, i18n, jobqueue, web
from backend.context import Context
from billing.invoicing import Invoicing, format_percent
from billing.tables import Invoice
from tests.billing.helpers import add_clinician, make_coop, past_booking
from tests.clock import at, last_month, month_of, today
from tests.conftest import BACKEND, sign_in


async def run(client, coop, month=None):
    return await client.post(f"{coop.api}/invoice-runs", json={"month": month or month_of(last_month())}, headers=coop.treasurer)


async def drafts(client, coop, month=None) -> list[dict]:
    listing = await client.get(f"{coop.api}/invoices", params={"month": month or month_of(last_month())}, headers=coop.treasurer)
    return [i for i in listing.json() if i["status"] == "draft"]


async def issued_invoice(client, database, make_tenant, **coop_options):
    coop = await make_coop(client, make_tenant, **coop_options)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10, 30))
    assert (await run(client, coop)).status_code == 200
    [draft] = await drafts(client, coop)
    issued = await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)
    assert issued.status_code == 200, issued.text
    return coop, issued.json()


async def test_the_month_run_bills_bookings_no_shows_and_late_cancellations_with_taxes(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, hourly_cents=4000)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10, 25))  # 85 min -> 90 billed
    await past_booking(database, coop, at(last_month(), 13), at(last_month(), 14), status="no_show", fee=100)
    await past_booking(database, coop, at(last_month(), 15), at(last_month(), 16), status="cancelled", fee=50)
    await past_booking(database, coop, at(last_month(), 17), at(last_month(), 18), status="cancelled", fee=0)
    report = await run(client, coop)
    assert report.status_code == 200 and report.json()["drafts"] == 1 and report.json()["unpriced"] == []
    [draft] = await drafts(client, coop)
    assert [(l["kind"], l["minutes"], l["amount_cents"]) for l in draft["lines"]] == [("room", 90, 6000), ("no_show", 60, 4000), ("late_cancellation", 60, 2000)]
    # Each tax on the subtotal, rounded once: QST 9.975 % of $120.00 is $11.97 (line by line,
    # 5.985 + 3.99 + 1.995 rounded each, it was $11.98); the lines share it to the cent.
    assert (draft["subtotal_cents"], draft["gst_cents"], draft["qst_cents"]) == (12000, 600, 1197)
    assert sum(l["qst_cents"] for l in draft["lines"]) == 1197 and sum(l["gst_cents"] for l in draft["lines"]) == 600
    assert draft["total_cents"] == 12000 + 600 + 1197
    # Made again, the month gives the same single draft.
    assert (await run(client, coop)).json()["drafts"] == 1
    [draft] = await drafts(client, coop)
    issued = await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)
    body = issued.json()
    assert body["number"] == f"{today().year}-000001" and body["due_on"] == (today() + dt.timedelta(days=30)).isoformat()
    # What is issued is never billed twice.
    assert (await run(client, coop)).json()["drafts"] == 0
    # The clinician sees their issued invoice.
    mine = await client.get(f"{coop.api}/invoices", headers=coop.clinician)
    assert [i["number"] for i in mine.json()] == [body["number"]]


async def test_the_rate_valid_on_the_booking_date_applies(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, hourly_cents=4000)
    rate = {"room_kind": "office", "clinician_class": "family_physician", "hourly_cents": 6000, "valid_from": (last_month() + dt.timedelta(days=1)).isoformat()}
    assert (await client.post(f"{coop.api}/rates", json=rate, headers=coop.treasurer)).status_code == 201
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await past_booking(database, coop, at(last_month() + dt.timedelta(days=1), 9), at(last_month() + dt.timedelta(days=1), 10))
    await run(client, coop)
    [draft] = await drafts(client, coop)
    assert [l["hourly_cents"] for l in draft["lines"]] == [4000, 6000]


async def test_an_empty_invoice_cannot_be_issued(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, hourly_cents=0)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await run(client, coop)
    [draft] = await drafts(client, coop)
    refused = await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"{coop.api}/invoices/{draft['id']}", headers=coop.treasurer)).json()["status"] == "draft"


async def test_two_treasurers_issuing_at_once_get_distinct_consecutive_numbers(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    other, _ = await add_clinician(client, database, coop, "Dre Léa Roy")
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await past_booking(database, coop, at(last_month(), 11), at(last_month(), 12), clinician_id=other["id"])
    await run(client, coop)
    first, second = await drafts(client, coop)
    responses = await asyncio.gather(*(client.post(f"{coop.api}/invoices/{d['id']}/issue", headers=coop.treasurer) for d in (first, second)))
    assert [r.status_code for r in responses] == [200, 200]
    assert sorted(r.json()["number"] for r in responses) == [f"{today().year}-000001", f"{today().year}-000002"]
    # The same draft issued twice at once: one number, one refusal.
    third_coop = await make_coop(client, make_tenant)
    await past_booking(database, third_coop, at(last_month(), 9), at(last_month(), 10))
    await run(client, third_coop)
    [draft] = await drafts(client, third_coop)
    twice = await asyncio.gather(*(client.post(f"{third_coop.api}/invoices/{draft['id']}/issue", headers=third_coop.treasurer) for _ in range(2)))
    assert sorted(r.status_code for r in twice) == [200, 409]
    assert (await client.get(f"{third_coop.api}/chain", headers=third_coop.treasurer)).json() == {"problems": []}


async def test_an_issued_invoice_is_final_even_for_the_database(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    again = await client.post(f"{coop.api}/invoices/{invoice['id']}/issue", headers=coop.treasurer)
    assert again.status_code == 409
    with pytest.raises((sqlite3.IntegrityError, asyncpg.exceptions.RaiseError)):
        async with db.tenant_transaction(database.app, coop.world.tenant.id, write=True):
            await Invoice.update({Invoice.total_cents: 1}).where(Invoice.id == invoice["id"])
    with pytest.raises((sqlite3.IntegrityError, asyncpg.exceptions.RaiseError)):
        async with db.tenant_transaction(database.app, coop.world.tenant.id, write=True):
            await Invoice.delete().where(Invoice.id == invoice["id"])


async def test_credit_notes_refer_to_the_invoice_and_never_exceed_it(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant, hourly_cents=4000)  # 90 min: 6000 before tax
    url = f"{coop.api}/invoices/{invoice['id']}/credit-notes"
    too_much = await client.post(url, json={"reason": "Erreur", "amount_cents": 6001}, headers=coop.treasurer)
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount_cents"
    part = await client.post(url, json={"reason": "Geste commercial", "amount_cents": 1000}, headers=coop.treasurer)
    assert part.status_code == 201, part.text
    note = part.json()
    assert note["kind"] == "credit_note" and note["credited_invoice_id"] == invoice["id"] and note["number"] == f"{today().year}-000002"
    assert (note["subtotal_cents"], note["gst_cents"], note["qst_cents"]) == (-1000, -50, -100)
    rest = await client.post(url, json={"reason": "Annulation"}, headers=coop.treasurer)
    assert rest.status_code == 201 and rest.json()["subtotal_cents"] == -5000
    nothing_left = await client.post(url, json={"reason": "Encore", "amount_cents": 1}, headers=coop.treasurer)
    assert nothing_left.status_code == 422
    after = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.treasurer)).json()
    assert after["balance_cents"] == invoice["total_cents"] + note["total_cents"] + rest.json()["total_cents"]
    assert (await client.get(f"{coop.api}/chain", headers=coop.treasurer)).json() == {"problems": []}


async def test_a_full_credit_note_mirrors_every_line(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    note = (await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Annulée"}, headers=coop.treasurer)).json()
    assert note["total_cents"] == -invoice["total_cents"]
    assert (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.treasurer)).json()["balance_cents"] == 0


def _tamper(database, invoice_id) -> None:
    """Changes one byte of an issued line behind the application's back, as the tables' owner."""
    if BACKEND == "postgres":
        async def change():
            connection = await asyncpg.connect(database.owner_url)
            try:
                await connection.execute("SET session_replication_role = replica")  # the owner skips the triggers
                await connection.execute("UPDATE invoice_line SET minutes = minutes + 1 WHERE invoice_id = $1", invoice_id)
            finally:
                await connection.close()
        return change()
    path = database.owner_url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    try:
        trigger = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'invoice_line_issued_no_update'").fetchone()[0]
        connection.execute("DROP TRIGGER invoice_line_issued_no_update")
        connection.execute("UPDATE invoice_line SET minutes = minutes + 1 WHERE invoice_id = ?", (str(invoice_id),))
        connection.execute(trigger)
        connection.commit()
    finally:
        connection.close()


async def _solidaire(database, *args) -> subprocess.CompletedProcess:
    """The command line in another process. The work this process started after its last commit
    finishes first, and the event loop keeps running meanwhile: on SQLite a background job holding
    the write lock while the loop waited on the command would leave both waiting."""
    await jobqueue.drain()
    env = {**os.environ, "DATABASE_URL": database.owner_url, "MIGRATION_DATABASE_URL": database.owner_url}
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-c", "from solidaire.cli import main; main()", *args], env=env, capture_output=True, text=True, timeout=100)


async def test_the_chain_check_fails_on_one_changed_byte(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Partiel", "amount_cents": 100}, headers=coop.treasurer)
    slug = coop.world.tenant.slug
    intact = await _solidaire(database, "invoices", "verify", "--tenant", slug)
    assert intact.returncode == 0 and "intact" in intact.stdout, intact.stderr
    await sign_in(client, coop.world, "treasurer")  # the treasurer's page runs the same check
    assert "Les 2 documents émis sont intacts" in (await client.get(f"/t/{slug}/billing/chain")).text
    await jobqueue.drain()  # the documents' e-mails are delivered (the outbox written) before the owner edits the file
    tampered = _tamper(database, invoice["id"])
    if tampered is not None:
        await tampered
    problems = (await client.get(f"{coop.api}/chain", headers=coop.treasurer)).json()["problems"]
    assert problems == [f"{invoice['number']}: its content has changed since it was issued"]
    broken = await _solidaire(database, "invoices", "verify", "--tenant", slug)
    assert broken.returncode != 0 and invoice["number"] in broken.stderr
    page = await client.get(f"/t/{slug}/billing/chain")
    assert "La chaîne des documents émis est rompue" in page.text and invoice["number"] in page.text


async def test_the_command_line_runs_the_month_with_a_progress_bar(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    done = await _solidaire(database, "invoices", "run", "--tenant", coop.world.tenant.slug, "--month", month_of(last_month()))
    assert done.returncode == 0, done.stderr
    # (Outside a terminal click shows the progress bar's label only.)
    assert "1 drafts" in done.stdout and f"{coop.world.tenant.slug} {month_of(last_month())}" in done.stderr
    assert len(await drafts(client, coop)) == 1
    bad = await _solidaire(database, "invoices", "run", "--tenant", coop.world.tenant.slug, "--month", "2027-13")
    assert bad.returncode != 0 and "YYYY-MM" in bad.stderr


async def test_a_closed_month_takes_nothing_more(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await run(client, coop)
    with_draft = await client.post(f"{coop.api}/months/close", json={"month": month_of(last_month())}, headers=coop.treasurer)
    assert with_draft.status_code == 409  # its drafts are not issued yet
    closed = await client.post(f"{coop.api}/months/close", json={"month": month_of(today())}, headers=coop.treasurer)
    assert closed.status_code == 204
    [draft] = await drafts(client, coop)
    refused = await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)
    assert refused.status_code == 409 and month_of(today()) in refused.json()["detail"]
    assert (await run(client, coop, month_of(today()))).status_code == 409
    assert (await client.post(f"{coop.api}/months/close", json={"month": month_of(today())}, headers=coop.treasurer)).status_code == 409


async def test_the_invoice_pdf_in_the_clinicians_language(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    await client.put(f"{coop.api}/settings", json={"gst_number": "123456789 RT0001", "qst_number": "1234567890 TQ0001", "legal_name": "Coop santé"}, headers=coop.treasurer)
    document = await client.get(f"{coop.api}/invoices/{invoice['id']}/pdf", headers=coop.clinician)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    # What the PDF shows: the issued invoice keeps the seller as it was when issued.
    token = i18n.activate("fr_CA")
    try:
        html = web.render("billing/invoice_pdf.html", tenant=coop.world.tenant, invoice={**invoice, "issued_on": dt.date.fromisoformat(invoice["issued_on"]), "due_on": dt.date.fromisoformat(invoice["due_on"]), "seller": {"name": "Coop santé", "address": "1, rue X", "gst_number": "123456789 RT0001", "qst_number": "1234567890 TQ0001", "payment_terms_days": 30}, "buyer": {"name": "Dre Roy", "email": "r@x"}}, lines=invoice["lines"], credited=None, percent=format_percent)
    finally:
        i18n.reset(token)
    assert "TPS" in html and "TVQ" in html and "123456789 RT0001" in html and "9,975" in html and invoice["number"] in html


async def test_manual_payments_partial_then_full_and_overpayment_refused(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    url = f"{coop.api}/invoices/{invoice['id']}/payments"
    total = invoice["total_cents"]
    part = await client.post(url, json={"amount_cents": 1000, "method": "cheque", "received_on": today().isoformat(), "reference": "Chèque 123"}, headers=coop.treasurer)
    assert part.status_code == 201, part.text
    state = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.treasurer)).json()
    assert (state["payment_state"], state["balance_cents"]) == ("partly_paid", total - 1000)
    over = await client.post(url, json={"amount_cents": total, "method": "transfer", "received_on": today().isoformat()}, headers=coop.treasurer)
    assert over.status_code == 422 and over.headers["content-type"].startswith("application/problem+json")
    future = await client.post(url, json={"amount_cents": 1, "method": "cash", "received_on": (today() + dt.timedelta(days=2)).isoformat()}, headers=coop.treasurer)
    assert future.status_code == 422
    by_clinician = await client.post(url, json={"amount_cents": 1, "method": "cash", "received_on": today().isoformat()}, headers=coop.clinician)
    assert by_clinician.status_code == 403
    assert len((await client.get(url, headers=coop.treasurer)).json()) == 1
    rest = await client.post(url, json={"amount_cents": total - 1000, "method": "transfer", "received_on": today().isoformat()}, headers=coop.treasurer)
    assert rest.status_code == 201
    paid = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.clinician)).json()
    assert (paid["payment_state"], paid["balance_cents"], paid["paid_cents"]) == ("paid", 0, total)


async def test_a_month_not_begun_cannot_be_run_and_this_one_can(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    next_month = month_of(today().replace(day=1) + dt.timedelta(days=32))  # the tenant's today
    refused = await client.post(f"{coop.api}/invoice-runs", json={"month": next_month}, headers=coop.treasurer)
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["month"], refused.text
    assert (await client.get(f"{coop.api}/invoices", params={"month": next_month}, headers=coop.treasurer)).json() == []
    assert (await run(client, coop, month_of(today()))).status_code == 200


async def test_an_organisation_billing_in_euros_charges_no_quebec_taxes_and_shows_none(client, database, make_tenant):
    coop = await make_coop(client, make_tenant, currency="EUR")
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    assert (await run(client, coop)).status_code == 200
    [draft] = await drafts(client, coop)
    invoice = (await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)).json()
    assert (invoice["currency"], invoice["gst_cents"], invoice["qst_cents"], invoice["total_cents"]) == ("EUR", 0, 0, invoice["subtotal_cents"])
    await sign_in(client, coop.world, "treasurer")
    listing = await client.get(f"/t/{coop.world.tenant.slug}/billing/invoices", params={"month": invoice["month"]})
    assert invoice["number"] in listing.text and "TPS" not in listing.text and "TVQ" not in listing.text
    settings = await client.get(f"/t/{coop.world.tenant.slug}/billing/settings/")
    assert "TPS" not in settings.text  # neither asked nor warned about
    async with db.tenant_transaction(database.app, coop.world.tenant.id, write=False):
        invoicing = Invoicing(Context(coop.world.tenant))
        html = await invoicing.pdf_html(await invoicing.invoice(invoice["id"]))  # what the PDF prints
    assert "TPS" not in html and "TVQ" not in html and invoice["number"] in html
