"""JSON API of room-hour billing: /api/t/{slug}/billing/…"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend.auth import requires, signed_in
from backend.bodies import applied
from backend.context import provider
from backend.errors import NotFound
from backend.i18n import N_
from billing import exports, rules
from billing.cards import CardPayments
from billing.collections import Collections
from billing.guards import BOOKERS, ROOM_KEEPERS, TREASURERS
from billing.invoicing import Invoicing
from billing.payments import Payments
from billing.reports import Reports, totals_by_room
from billing.schemas import (
    MONTH_PATTERN,
    AccountCreditOut,
    AgeingOut,
    BookingIn,
    BookingMove,
    BookingOut,
    CardPaymentOut,
    ClinicianChanges,
    ClinicianIn,
    ClinicianOut,
    CloseMonthIn,
    CreditDueOut,
    CreditNoteIn,
    DeliveryOut,
    InvoiceOut,
    InvoiceRunIn,
    IssueReport,
    LineOut,
    PaymentIn,
    PaymentOut,
    RateIn,
    RateOut,
    RefundIn,
    ReminderOut,
    ReversalOut,
    RoomChanges,
    RoomIn,
    RoomMonthOut,
    RoomOut,
    RoomReportOut,
    RunReport,
    SeriesCancelled,
    SeriesIn,
    SeriesOut,
    SettingsChanges,
    SettingsIn,
    StatementOut,
    StripeAccountOut,
    StripeKeysIn,
)
from billing.services import Bookings, Clinicians, Rooms, Terms

# Each handler names the narrowest service it needs; a service holds the ones it stands on.
DEPENDENCIES = {
    "terms": provider(Terms), "rooms": provider(Rooms), "clinicians": provider(Clinicians), "bookings": provider(Bookings),
    "invoicing": provider(Invoicing), "payments": provider(Payments), "cards": provider(CardPayments), "collections": provider(Collections),
    "reports": provider(Reports),
}
TermsDep = NamedDependency[Terms]
RoomsDep = NamedDependency[Rooms]
CliniciansDep = NamedDependency[Clinicians]
BookingsDep = NamedDependency[Bookings]
InvoicingDep = NamedDependency[Invoicing]
PaymentsDep = NamedDependency[Payments]
CardsDep = NamedDependency[CardPayments]
CollectionsDep = NamedDependency[Collections]
ReportsDep = NamedDependency[Reports]
RoomId = FromPath[UUID]
BookingId = FromPath[UUID]
InvoiceId = FromPath[UUID]
ClinicianId = FromPath[UUID]
MonthQuery = Annotated[str | None, QueryParameter(pattern=MONTH_PATTERN)]


def out(row: dict, schema: type[msgspec.Struct]) -> msgspec.Struct:
    return msgspec.convert(row, schema, from_attributes=True)


def settings_out(row: dict) -> SettingsIn:
    return SettingsIn(**{name: row[name] for name in SettingsIn.__struct_fields__})


async def invoice_out(invoicing: Invoicing, invoice: dict) -> InvoiceOut:
    lines = [out(line, LineOut) for line in await invoicing.lines(invoice["id"])]
    return msgspec.convert({**invoice, "lines": lines}, InvoiceOut, from_attributes=True)


class SettingsController(Controller):
    path = "/api/t/{slug:str}/billing/settings"
    tags = ["billing"]
    dependencies = DEPENDENCIES
    guards = [requires(*TREASURERS)]

    @get("/", summary="Taxes, registration numbers, cancellation policy and payment terms")
    async def read(self, terms: TermsDep) -> SettingsIn:
        return settings_out(await terms.settings())

    @put("/", summary="Change the billing settings (the fields given; the others keep their values)")
    async def change(self, terms: TermsDep, data: JSONBody[SettingsChanges]) -> SettingsIn:
        return settings_out(await terms.update_settings(applied(await terms.settings(), data, SettingsIn)))


class RoomController(Controller):
    path = "/api/t/{slug:str}/billing"
    tags = ["rooms and rates"]
    dependencies = DEPENDENCIES

    @get("/rooms", guards=[signed_in], summary="The rooms")
    async def rooms(self, rooms: RoomsDep) -> list[RoomOut]:
        return [out(room, RoomOut) for room in await rooms.rooms()]

    @post("/rooms", guards=[requires(*ROOM_KEEPERS)], summary="Add a room")
    async def create_room(self, rooms: RoomsDep, data: JSONBody[RoomIn]) -> RoomOut:
        return out(await rooms.create_room(data), RoomOut)

    @get("/rooms/{room_id:uuid}", guards=[signed_in], summary="One room")
    async def room(self, rooms: RoomsDep, room_id: RoomId) -> RoomOut:
        return out(await rooms.room(room_id), RoomOut)

    @patch("/rooms/{room_id:uuid}", guards=[requires(*ROOM_KEEPERS)], summary="Change a room (close it: active false)")
    async def change_room(self, rooms: RoomsDep, room_id: RoomId, data: JSONBody[RoomChanges]) -> RoomOut:
        return out(await rooms.change_room(room_id, data), RoomOut)

    @get("/rates", guards=[requires(*ROOM_KEEPERS)], summary="The rates, with their validity")
    async def rates(self, rooms: RoomsDep) -> list[RateOut]:
        return [out(rate, RateOut) for rate in await rooms.rates()]

    @post("/rates", guards=[requires(*ROOM_KEEPERS)], summary="A new rate from a date on (the one it replaces ends the day before)")
    async def create_rate(self, rooms: RoomsDep, data: JSONBody[RateIn]) -> RateOut:
        return out(await rooms.create_rate(data), RateOut)

    @get("/clinicians", guards=[requires(*TREASURERS)], summary="Clinicians' billing accounts")
    async def clinicians(self, clinicians: CliniciansDep) -> list[ClinicianOut]:
        return [out(row, ClinicianOut) for row in await clinicians.clinicians("clinician")]

    @get("/clinicians/{clinician_id:uuid}/statement", guards=[requires(*TREASURERS)], summary="A clinician's statement of account")
    async def statement(self, payments: PaymentsDep, clinician_id: ClinicianId) -> StatementOut:
        return msgspec.convert(await payments.statement(clinician_id), StatementOut, from_attributes=True)

    @get("/statement", guards=[requires("clinician")], summary="My statement of account")
    async def own_statement(self, payments: PaymentsDep) -> StatementOut:
        return msgspec.convert(await payments.own_statement(), StatementOut, from_attributes=True)

    @get("/clinicians/{clinician_id:uuid}/credit", guards=[requires(*TREASURERS)], summary="A clinician's account credit and its movements")
    async def credit(self, payments: PaymentsDep, clinician_id: ClinicianId) -> AccountCreditOut:
        return msgspec.convert(await payments.account_credit(clinician_id), AccountCreditOut, from_attributes=True)

    @post("/clinicians/{clinician_id:uuid}/refunds", guards=[requires(*TREASURERS)], summary="Pay back part or all of a clinician's credit")
    async def refund(self, payments: PaymentsDep, clinician_id: ClinicianId, data: JSONBody[RefundIn]) -> AccountCreditOut:
        return msgspec.convert(await payments.refund(clinician_id, data), AccountCreditOut, from_attributes=True)

    @post("/clinicians", guards=[requires(*TREASURERS)], summary="Open the billing account of a clinician (a login with the clinician role)")
    async def register_clinician(self, clinicians: CliniciansDep, data: JSONBody[ClinicianIn]) -> ClinicianOut:
        return out(await clinicians.register_clinician(data), ClinicianOut)

    @patch("/clinicians/{clinician_id:uuid}", guards=[requires(*TREASURERS)], summary="Change a clinician's account (name, class, language, address); what is not given stays")
    async def change_clinician(self, clinicians: CliniciansDep, clinician_id: ClinicianId, data: JSONBody[ClinicianChanges]) -> ClinicianOut:
        return out(await clinicians.change_clinician(clinician_id, data), ClinicianOut)


class BookingController(Controller):
    path = "/api/t/{slug:str}/billing"
    tags = ["bookings"]
    dependencies = DEPENDENCIES

    @post("/bookings", guards=[requires(*BOOKERS)], summary="Book a room (409 when the time is taken)")
    async def book(self, bookings: BookingsDep, data: JSONBody[BookingIn]) -> BookingOut:
        return out(await bookings.book(data), BookingOut)

    @post("/series", guards=[requires(*BOOKERS)], summary="Book a weekly series (RRULE); reports the occurrences that clash")
    async def book_series(self, bookings: BookingsDep, data: JSONBody[SeriesIn]) -> SeriesOut:
        return msgspec.convert(await bookings.book_series(data), SeriesOut, from_attributes=True)

    @get("/bookings", guards=[signed_in], summary="My bookings, or (treasurer, administrator) everyone's")
    async def bookings(self, request: Request, bookings: BookingsDep, room_id: FromQuery[UUID | None] = None) -> list[BookingOut]:
        if request.user.has_any(TREASURERS):
            rows = await bookings.bookings(room_id=room_id)
        else:
            rows = [b for b in await bookings.my_bookings() if room_id is None or b["room_id"] == room_id]
        return [out(row, BookingOut) for row in rows]

    @get("/bookings/{booking_id:uuid}", guards=[signed_in], summary="One booking")
    async def booking(self, bookings: BookingsDep, booking_id: BookingId) -> BookingOut:
        return out(await bookings.visible_booking(booking_id), BookingOut)

    @post("/bookings/{booking_id:uuid}/cancel", guards=[signed_in], status_code=200, summary="Cancel (free until the policy's delay, then the late fee)")
    async def cancel(self, bookings: BookingsDep, booking_id: BookingId) -> BookingOut:
        return out(await bookings.cancel(booking_id), BookingOut)

    @post("/bookings/{booking_id:uuid}/check-in", guards=[requires(*BOOKERS, "treasurer")], status_code=200, summary="Record the room taken (from 30 minutes before the start)")
    async def check_in(self, bookings: BookingsDep, booking_id: BookingId) -> BookingOut:
        return out(await bookings.check_in(booking_id), BookingOut)

    @post("/bookings/{booking_id:uuid}/check-out", guards=[requires(*BOOKERS, "treasurer")], status_code=200, summary="Record the room left (billed to here where the tenant bills actual use)")
    async def check_out(self, bookings: BookingsDep, booking_id: BookingId) -> BookingOut:
        return out(await bookings.check_out(booking_id), BookingOut)

    @post("/bookings/{booking_id:uuid}/move", guards=[signed_in], status_code=200, summary="Move a booking still to come to another free time or room (not within the late-cancellation delay)")
    async def move(self, bookings: BookingsDep, booking_id: BookingId, data: JSONBody[BookingMove]) -> BookingOut:
        return out(await bookings.move(booking_id, data), BookingOut)

    @post("/series/{series_id:uuid}/cancel", guards=[signed_in], status_code=200, summary="Cancel every booking of a series still to come (each with the policy's fee)")
    async def cancel_series(self, bookings: BookingsDep, series_id: FromPath[UUID]) -> SeriesCancelled:
        return msgspec.convert(await bookings.cancel_series(series_id), SeriesCancelled)

    @post("/bookings/{booking_id:uuid}/no-show", guards=[requires(*TREASURERS)], status_code=200, summary="Record a no-show (billed per the policy)")
    async def no_show(self, bookings: BookingsDep, booking_id: BookingId) -> BookingOut:
        return out(await bookings.mark_no_show(booking_id), BookingOut)


class InvoiceController(Controller):
    path = "/api/t/{slug:str}/billing"
    tags = ["invoices"]
    dependencies = DEPENDENCIES

    @post("/invoice-runs", guards=[requires(*TREASURERS)], status_code=200, summary="Make the month's drafts, one per clinician")
    async def run(self, invoicing: InvoicingDep, data: JSONBody[InvoiceRunIn]) -> RunReport:
        return msgspec.convert(await invoicing.run_month(data.month), RunReport)

    @post("/invoice-runs/issue", guards=[requires(*TREASURERS)], status_code=200, summary="Issue every draft of a month (PDFs and e-mails follow the commit)")
    async def issue_month(self, invoicing: InvoicingDep, data: JSONBody[InvoiceRunIn]) -> IssueReport:
        return msgspec.convert(await invoicing.issue_month_drafts(data.month), IssueReport)

    @get("/invoices", guards=[signed_in], summary="Invoices: mine (issued), or (treasurer) all, by month and status")
    async def invoices(self, request: Request, invoicing: InvoicingDep, month: MonthQuery = None) -> list[InvoiceOut]:
        if request.user.has_any(TREASURERS):
            rows = await invoicing.invoices(month=month)
        else:
            rows = await invoicing.own_invoices(month=month)
        return [await invoice_out(invoicing, row) for row in rows]

    @get("/invoices/{invoice_id:uuid}", guards=[signed_in], summary="One invoice or credit note, with its lines and balance")
    async def invoice(self, invoicing: InvoicingDep, invoice_id: InvoiceId) -> InvoiceOut:
        return await invoice_out(invoicing, await invoicing.own_invoice(invoice_id))

    @get("/invoices/{invoice_id:uuid}/pdf", guards=[signed_in], media_type="application/pdf", summary="The invoice as PDF, in the clinician's language")
    async def pdf(self, invoicing: InvoicingDep, invoice_id: InvoiceId) -> Response[bytes]:
        document = await invoicing.pdf(invoice_id)
        return Response(document, media_type="application/pdf", headers={"content-disposition": f'inline; filename="invoice-{invoice_id}.pdf"'})

    @post("/invoices/{invoice_id:uuid}/issue", guards=[requires(*TREASURERS)], status_code=200, summary="Issue a draft: final number, hash chain")
    async def issue(self, invoicing: InvoicingDep, invoice_id: InvoiceId) -> InvoiceOut:
        return await invoice_out(invoicing, await invoicing.issue(invoice_id))

    @post("/invoices/{invoice_id:uuid}/send", guards=[requires(*TREASURERS)], status_code=200, summary="E-mail an issued document again, with its PDF")
    async def send(self, invoicing: InvoicingDep, invoice_id: InvoiceId) -> list[DeliveryOut]:
        await invoicing.send(invoice_id)
        return [out(row, DeliveryOut) for row in await invoicing.deliveries(invoice_id)]

    @get("/invoices/{invoice_id:uuid}/deliveries", guards=[requires(*TREASURERS)], summary="The e-mails of a document and their delivery")
    async def deliveries(self, invoicing: InvoicingDep, invoice_id: InvoiceId) -> list[DeliveryOut]:
        await invoicing.invoice(invoice_id)
        return [out(row, DeliveryOut) for row in await invoicing.deliveries(invoice_id)]

    @get("/credits-due", guards=[requires(*TREASURERS)], summary="Bookings cancelled after their invoice was issued: the credit notes to issue (with booking_id)")
    async def credits_due(self, invoicing: InvoicingDep) -> list[CreditDueOut]:
        return msgspec.convert(await invoicing.credits_due(), list[CreditDueOut], from_attributes=True)

    @post("/invoices/{invoice_id:uuid}/credit-notes", guards=[requires(*TREASURERS)], summary="Credit an issued invoice (all, or part before tax, or what a cancelled booking has due)")
    async def credit(self, payments: PaymentsDep, invoice_id: InvoiceId, data: JSONBody[CreditNoteIn]) -> InvoiceOut:
        return await invoice_out(payments.invoicing, await payments.credit(invoice_id, data.amount_cents, data.reason, booking_id=data.booking_id))

    @get("/invoices/{invoice_id:uuid}/payments", guards=[signed_in], summary="Payments of an invoice")
    async def payments(self, payments: PaymentsDep, invoice_id: InvoiceId) -> list[PaymentOut]:
        await payments.invoicing.own_invoice(invoice_id)
        return [out(row, PaymentOut) for row in await payments.payments(invoice_id)]

    @post("/invoices/{invoice_id:uuid}/payments", guards=[requires(*TREASURERS)], summary="Record a cheque, transfer or cash payment")
    async def record_payment(self, payments: PaymentsDep, invoice_id: InvoiceId, data: JSONBody[PaymentIn]) -> PaymentOut:
        return out(await payments.record_payment(invoice_id, data), PaymentOut)

    @post("/invoices/{invoice_id:uuid}/card-payment", guards=[signed_in], summary="Start paying the balance by card (a PaymentIntent on the organisation's Stripe account)")
    async def card_payment(self, cards: CardsDep, invoice_id: InvoiceId) -> CardPaymentOut:
        return msgspec.convert(await cards.start(invoice_id), CardPaymentOut)

    @get("/invoices/{invoice_id:uuid}/reversals", guards=[requires(*TREASURERS)], summary="Card money given back (refunds), taken back (disputes) or returned (disputes won)")
    async def reversals(self, payments: PaymentsDep, invoice_id: InvoiceId) -> list[ReversalOut]:
        await payments.invoicing.invoice(invoice_id)
        return [out(row, ReversalOut) for row in await payments.reversals([invoice_id])]

    @post("/months/close", guards=[requires(*TREASURERS)], status_code=204, summary="Close a month: nothing can be dated in it any more")
    async def close_month(self, invoicing: InvoicingDep, data: JSONBody[CloseMonthIn]) -> None:
        await invoicing.close_month(data.month)

    @get("/chain", guards=[requires(*TREASURERS)], summary="Verify the hash chain of issued documents")
    async def verify(self, invoicing: InvoicingDep) -> dict[str, list[str]]:
        return {"problems": await invoicing.verify_chain()}


class ExportController(Controller):
    path = "/api/t/{slug:str}/billing"
    tags = ["exports"]
    dependencies = DEPENDENCIES

    @get("/journal.csv", guards=[requires(*TREASURERS)], media_type="text/csv", summary="The month's accounting journal (sales, GST, QST, credit notes, payments)")
    async def journal(self, payments: PaymentsDep, month: Annotated[str, QueryParameter(pattern=MONTH_PATTERN)]) -> Response[str]:
        document = exports.journal_csv(await exports.journal(payments, month))
        return Response(document, media_type="text/csv; charset=utf-8", headers={"content-disposition": f'attachment; filename="journal-{month}.csv"'})

    @get("/calendar-feed", guards=[requires("clinician")], summary="The address of my bookings' iCalendar feed")
    async def calendar_feed(self, request: Request, clinicians: CliniciansDep) -> dict[str, str]:
        own = await clinicians.own_account()
        if own is None:
            raise NotFound(N_("Your clinician account is not set up yet: ask the treasurer."))
        return {"url": f"{request.base_url}t/{clinicians.tenant.slug}/public/billing/calendar/{own['calendar_token']}.ics"}


class CalendarFeedController(Controller):
    """The feed is read by calendar applications, which cannot sign in: its address is the secret."""

    path = "/t/{slug:str}/public/billing/calendar"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/{calendar_token:str}", media_type="text/calendar")
    async def feed(self, bookings: BookingsDep, calendar_token: FromPath[str]) -> Response[bytes]:
        account = await exports.account_by_calendar_token(bookings, calendar_token.removesuffix(".ics"))
        return Response(await exports.calendar_ics(bookings, account), media_type="text/calendar; charset=utf-8")


class StripeController(Controller):
    """The organisation's Stripe account, and the address its events are sent to."""

    path = "/api/t/{slug:str}/billing/stripe"
    tags = ["payments"]
    dependencies = DEPENDENCIES

    @get("/", guards=[requires(*TREASURERS)], summary="Whether card payments are on, the account's key hints and the webhook address")
    async def account(self, cards: CardsDep) -> StripeAccountOut:
        return out(await cards.account(), StripeAccountOut)

    @put("/", guards=[requires(*TREASURERS)], summary="Set the organisation's Stripe keys (checked with Stripe, the secret ones sealed); every field is required")
    async def connect(self, cards: CardsDep, data: JSONBody[StripeKeysIn]) -> StripeAccountOut:
        return out(await cards.connect(data), StripeAccountOut)

    @delete("/", guards=[requires(*TREASURERS)], summary="Forget the Stripe keys: card payments stop (payments made stay)")
    async def disconnect(self, cards: CardsDep) -> None:
        await cards.disconnect()

    @post("/webhook", status_code=200, summary="Stripe's events (signed with this organisation's webhook secret)")
    async def webhook(self, request: Request, cards: CardsDep) -> dict[str, str]:
        return {"outcome": await cards.webhook(await request.body(), request.headers.get("stripe-signature"))}


def report_out(report: dict, currency: str) -> RoomReportOut:
    names = {room["id"]: room["name"] for room in report["rooms"]}

    def row(item: rules.RoomMonth) -> RoomMonthOut:
        return RoomMonthOut(
            room_id=item.room_id, room_name=names[item.room_id], month=item.month, open_minutes=item.open_minutes, booked_minutes=item.booked_minutes,
            unbooked_minutes=item.unbooked_minutes, occupancy_percent=item.occupancy_percent, revenue_cents=item.revenue_cents,
        )

    return RoomReportOut(
        first=report["first"], last=report["last"], currency=currency, rows=[row(r) for r in report["rows"]],
        totals=[row(r) for r in totals_by_room(report["rows"]).values()], unattributed_cents=report["unattributed_cents"],
    )


def default_period(service, first: str | None, last: str | None) -> tuple[str, str]:
    """Without months: the last month; with one of them only, that month."""
    previous = rules.month_of(service.tenant.today().replace(day=1) - dt.timedelta(days=1))
    return first or last or previous, last or first or previous


FromMonth = Annotated[str | None, QueryParameter(name="from", pattern=MONTH_PATTERN)]
ToMonth = Annotated[str | None, QueryParameter(name="to", pattern=MONTH_PATTERN)]


class ReportController(Controller):
    path = "/api/t/{slug:str}/billing/reports"
    tags = ["reports"]
    dependencies = DEPENDENCIES

    @get("/rooms", guards=[requires(*TREASURERS)], summary="Occupancy, unbooked hours and revenue per room and month (from, to: YYYY-MM; default last month)")
    async def rooms(self, reports: ReportsDep, first: FromMonth = None, last: ToMonth = None) -> RoomReportOut:
        first, last = default_period(reports, first, last)
        return report_out(await reports.room_report(first, last), reports.tenant.currency)

    @get("/ageing", guards=[requires(*TREASURERS)], summary="Unpaid balances by days past due (current, 1-30, 31-60, 61-90, over 90), per clinician and invoice")
    async def ageing(self, collections: CollectionsDep) -> AgeingOut:
        return msgspec.convert(await collections.ageing_report(), AgeingOut, from_attributes=True)


class ReminderController(Controller):
    path = "/api/t/{slug:str}/billing"
    tags = ["payments"]
    dependencies = DEPENDENCIES

    @post("/reminders", guards=[requires(*TREASURERS)], status_code=200, summary="E-mail the reminders of overdue invoices due today (the settings' delays; each reminder once)")
    async def send(self, collections: CollectionsDep) -> list[ReminderOut]:
        return [msgspec.convert(row, ReminderOut) for row in await collections.send_reminders()]

    @get("/invoices/{invoice_id:uuid}/reminders", guards=[requires(*TREASURERS)], summary="The reminders sent for an invoice")
    async def of_invoice(self, collections: CollectionsDep, invoice_id: InvoiceId) -> list[ReminderOut]:
        await collections.invoicing.invoice(invoice_id)
        return [out(row, ReminderOut) for row in await collections.reminders(invoice_id)]


ROUTES = [ReportController, ReminderController, SettingsController, RoomController, BookingController, InvoiceController, ExportController, CalendarFeedController, StripeController]
