"""What billing hands to other software: the accounting journal as CSV, and each clinician's
bookings as an iCalendar feed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import icalendar

from backend.errors import NotFound
from backend.i18n import N_
from backend.spreadsheet import safe_cell
from billing import rules
from billing.payments import Payments
from billing.services import Bookings
from billing.tables import AccountCredit, ClinicianAccount

JOURNAL_COLUMNS = ("date", "reference", "account", "description", "debit", "credit")


async def journal(payments: Payments, month: str) -> list[rules.JournalLine]:
    """The month's journal entries: issued invoices and credit notes, payments received (less card
    refunds and disputes, as the bank sees them), and the movements of the clinicians' account credit (kept overpayments, applied credit, refunds)."""
    first, following = rules.month_bounds(month)
    lines = []
    for document in await payments.invoicing.invoices(status="issued"):
        if first <= document["issued_on"] < following:
            lines += rules.document_entry(document["issued_on"], document["number"], document["buyer"]["name"], document["subtotal_cents"], document["gst_cents"], document["qst_cents"], document["purpose"])
    numbers = {i["id"]: (i["number"], i["buyer"]["name"]) for i in await payments.invoicing.invoices(status="issued")}
    for payment in await payments.payments():
        if payment["status"] == "succeeded" and first <= payment["received_on"] < following:
            number, party = numbers[payment["invoice_id"]]
            lines += rules.payment_entry(payment["received_on"], f"{number} {payment['reference']}".strip(), party, payment["amount_cents"])
    for reversal in await payments.reversals():
        if first <= reversal["occurred_on"] < following:
            number, party = numbers[reversal["invoice_id"]]
            lines += rules.payment_entry(reversal["occurred_on"], f"{number} {reversal['stripe_object_id']}", party, rules.reversal_sign(reversal["kind"]) * reversal["amount_cents"])
    names = {row["id"]: row["name"] for row in await payments.clinicians.clinicians()}
    for credit in await AccountCredit.select().where(AccountCredit.tenant_id == payments.tenant.id):
        if first <= credit["occurred_on"] < following:
            lines += rules.credit_entry(credit["occurred_on"], credit["reference"], names[credit["clinician_id"]], credit["kind"], credit["amount_cents"])
    return sorted(lines, key=lambda line: (line.date, line.reference))


def journal_csv(lines: list[rules.JournalLine]) -> str:
    """A general journal: one row per account line, amounts with a decimal point, as Sage 50 and
    Acomba import a general journal (map the columns once in the importer)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JOURNAL_COLUMNS)
    for line in lines:
        # The text cells hold what people typed (a clinician's name, a payment's reference): one
        # that starts like a formula is kept from running in the spreadsheet, as in every export.
        texts = [safe_cell(value) for value in (line.reference, line.account, line.description)]
        writer.writerow([line.date.isoformat(), *texts, _amount(line.debit_cents), _amount(line.credit_cents)])
    return buffer.getvalue()


def _amount(cents: int) -> str:
    return f"{cents / 100:.2f}" if cents else ""


async def account_by_calendar_token(bookings: Bookings, token: str) -> dict:
    row = await ClinicianAccount.select().where((ClinicianAccount.tenant_id == bookings.tenant.id) & (ClinicianAccount.calendar_token == token)).first()
    if row is None:
        raise NotFound(N_("No calendar has this address."))
    return row


async def calendar_ics(bookings: Bookings, account: dict) -> bytes:
    """The clinician's bookings from 90 days ago on, cancelled ones marked so."""
    rooms = {room["id"]: room["name"] for room in await bookings.rooms.rooms()}
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Solidaire//billing//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", bookings.tenant.name)
    for booking in await bookings.bookings(clinician_id=account["id"], start=since):
        event = icalendar.Event()
        event.add("uid", f"{booking['id']}@solidaire")
        event.add("dtstamp", booking["created_at"])
        event.add("dtstart", booking["starts_at"])
        event.add("dtend", booking["ends_at"])
        event.add("summary", rooms.get(booking["room_id"], ""))
        event.add("location", rooms.get(booking["room_id"], ""))
        event.add("status", "CANCELLED" if booking["status"] == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
