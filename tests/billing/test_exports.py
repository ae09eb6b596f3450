"""The accounting journal (CSV) and the clinicians' iCalendar feeds."""

import csv
import datetime as dt
import io
from decimal import Decimal

import icalendar

from billing import exports, rules
from tests.billing.helpers import book, future_day, make_coop
from tests.billing.test_invoices import issued_invoice
from tests.clock import month_of, today


def cents(amount: str) -> int:
    return int(Decimal(amount or "0") * 100)


async def test_the_journal_of_the_month_balances_and_shows_sales_taxes_credits_and_payments(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Geste", "amount_cents": 1000}, headers=coop.treasurer)
    await client.post(f"{coop.api}/invoices/{invoice['id']}/payments", json={"amount_cents": 2000, "method": "cheque", "received_on": today().isoformat(), "reference": "chq 9"}, headers=coop.treasurer)
    response = await client.get(f"{coop.api}/journal.csv", params={"month": month_of(today())}, headers=coop.treasurer)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(cents(r["debit"]) for r in rows) == sum(cents(r["credit"]) for r in rows)
    sales = {r["account"]: r for r in rows if r["reference"] == invoice["number"]}
    assert cents(sales["4100"]["credit"]) == invoice["subtotal_cents"] and cents(sales["2310"]["credit"]) == invoice["gst_cents"]
    assert cents(sales["2320"]["credit"]) == invoice["qst_cents"] and cents(sales["1200"]["debit"]) == invoice["total_cents"]
    assert any(r["account"] == "4100" and r["debit"] == "10.00" for r in rows)  # the credit note reverses sales
    assert any(r["account"] == "1010" and r["debit"] == "20.00" for r in rows)  # the cheque
    assert (await client.get(f"{coop.api}/journal.csv", params={"month": month_of(today())}, headers=coop.clinician)).status_code == 403
    assert (await client.get(f"{coop.api}/journal.csv", params={"month": "2027-13"}, headers=coop.treasurer)).status_code == 400


async def test_a_clinician_subscribes_to_their_bookings(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    day = future_day()
    booked = (await book(client, coop, day, 9, 11)).json()
    url = (await client.get(f"{coop.api}/calendar-feed", headers=coop.clinician)).json()["url"]
    feed = await client.get(url.replace("https://testserver.local", ""))
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["summary"]) == "Bureau 1" and event["uid"] == f"{booked['id']}@solidaire"
    assert event.decoded("dtstart").astimezone(dt.UTC) == dt.datetime.fromisoformat(booked["starts_at"]).astimezone(dt.UTC)
    assert (await client.get(f"/t/{coop.world.tenant.slug}/public/billing/calendar/not-a-token.ics")).status_code == 404


def test_a_journal_cell_that_would_run_as_a_formula_is_kept_as_text():
    typed = "=HYPERLINK(\"http://evil.example\",\"Dre Tremblay\")"  # a name or payment reference as someone typed it
    lines = rules.document_entry(dt.date(2027, 1, 5), "-2027-000001", typed, 10_000, 500, 998)
    rows = list(csv.reader(io.StringIO(exports.journal_csv(lines))))
    assert {row[3] for row in rows[1:]} == {"'" + typed} and {row[1] for row in rows[1:]} == {"'-2027-000001"}
    assert rows[1][4:] == ["114.98", ""]  # the amounts stay numbers
