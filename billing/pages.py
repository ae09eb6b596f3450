"""Server-rendered pages of room-hour billing: a clinician's bookings and invoices, the
treasurer's rooms and rates, the month's drafts, issuing and payments."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated
from uuid import UUID

import msgspec
from babel.numbers import format_decimal
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from backend import i18n
from backend.auth import requires, signed_in
from backend.errors import FieldError, Invalid, Problem
from backend.i18n import N_
from backend.web import Form, convert, errors_by_field, page, submit, text, typed_cents
from billing import labels, rules
from billing.cards import CardPayments
from billing.controllers import (
    DEPENDENCIES,
    BookingsDep,
    CardsDep,
    CollectionsDep,
    FromMonth,
    InvoicingDep,
    MonthQuery,
    PaymentsDep,
    ReportsDep,
    RoomsDep,
    ToMonth,
    default_period,
    report_out,
)
from billing.guards import BOOKERS, ROOM_KEEPERS, TREASURERS
from billing.schemas import BookingIn, BookingMove, CloseMonthIn, CreditNoteIn, InvoiceRunIn, Month, PaymentIn, RateIn, RefundIn, RoomChanges, RoomIn, SeriesIn
from billing.services import CHECK_IN_EARLY

BillingId = FromPath[UUID]
SentQuery = Annotated[str | None, QueryParameter(pattern=r"^\d{4}-\d{6}$")]
RemindedQuery = Annotated[int | None, QueryParameter(ge=0, le=100_000)]
SavedQuery = Annotated[str | None, QueryParameter(pattern=r"^(room|room_added|rate)$")]
DoneQuery = Annotated[str | None, QueryParameter(pattern=r"^(booked|moved|cancelled|series_cancelled)$")]
WeekQuery = Annotated[dt.date | None, QueryParameter(description="A day of the week to show (its Monday is taken)")]
CALENDAR_READERS = tuple(dict.fromkeys((*BOOKERS, *TREASURERS)))


def booking_from_form(form: dict) -> BookingIn:
    """A booking as the form sends it: a day and two times in the organisation's time zone."""
    day = text(form, "day")
    start, end = (time + ":00" if len(time) == 5 else time for time in (text(form, "start"), text(form, "end")))  # the browser sends 09:00
    return convert({"room_id": text(form, "room_id"), "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}"}, BookingIn)


def booking_form(service, booking: dict) -> dict:
    """A booking as its form shows it: the room, the local day and times."""
    start, end = service.local(booking["starts_at"]), service.local(booking["ends_at"])
    return {"room_id": str(booking["room_id"]), "day": start.date().isoformat(), "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}


# The booking form asks a day and two times; the service names the API's fields.
_BOOKING_FIELDS = {"starts_at": "start", "ends_at": "end"}


def booking_errors(problem: Problem) -> dict[str, str]:
    """A refused booking's errors, each by the form field it is about."""
    return {_BOOKING_FIELDS.get(field, field): message for field, message in errors_by_field(problem).items()}


def room_values(form: dict) -> dict:
    """A room's form: its name, kind, equipment and each day's hours (blank: closed that day)."""
    hours = {day: text(form, f"hours_{day}") or None for day in rules.WEEKDAYS}
    return {"name": text(form, "name"), "kind": text(form, "kind"), "equipment": text(form, "equipment"), "opening_hours": hours}


def room_form(room: dict) -> dict:
    """A room as its form shows it."""
    hours = {f"hours_{day}": room["opening_hours"].get(day) or "" for day in rules.WEEKDAYS}
    return {"name": room["name"], "kind": room["kind"], "equipment": room["equipment"], "active": room["active"], **hours}


def room_from_form(form: dict) -> RoomIn:
    return convert({**room_values(form), "active": True}, RoomIn)


def rate_from_form(form: dict) -> RateIn:
    values = {name: text(form, name) for name in ("clinician_class", "hourly_cents", "increment_minutes", "rounding", "minimum_minutes", "valid_from") if text(form, name)}
    target = text(form, "target")
    if target.startswith("room:"):
        values["room_id"] = target.removeprefix("room:")
    elif target.startswith("kind:"):
        values["room_kind"] = target.removeprefix("kind:")
    if "hourly_cents" in values:
        values["hourly_cents"] = typed_cents(values["hourly_cents"])
    return convert(values, RateIn)


class BillingPages(Controller):
    path = "/t/{slug:str}/billing"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[signed_in])
    async def home(self, request: Request, invoicing: InvoicingDep, done: DoneQuery = None) -> Template:
        return await self._home(request, invoicing, done=done)

    async def _home(
        self, request: Request, invoicing: InvoicingDep, status_code: int = 200, errors: dict | None = None, values: dict | None = None,
        done: str | None = None, series_report: dict | None = None, moving=None, move_values: dict | None = None, quote: dict | None = None,
    ) -> Template:
        own = await invoicing.clinicians.own_account()
        now = dt.datetime.now(dt.UTC)
        bookings = [b for b in await invoicing.bookings.my_bookings() if b["ends_at"] >= now] if own else []
        invoices = await invoicing.invoices(clinician_id=own["id"], status="issued") if own else []
        rooms = await invoicing.rooms.rooms(active_only=True)
        return page(
            request, "billing/home.html", status_code=status_code, account=own, bookings=bookings, invoices=invoices,
            rooms=rooms, room_names={r["id"]: r["name"] for r in await invoicing.rooms.rooms()}, errors=errors or {},
            values=values or {"day": (invoicing.tenant.today() + dt.timedelta(days=1)).isoformat(), "start": "09:00", "end": "12:00"},
            can_book=request.user.has_any(BOOKERS) and own is not None, treasurer=request.user.has_any(TREASURERS),
            card_payments=await CardPayments(invoicing.context).enabled(), actual_use=(await invoicing.terms.settings())["bill_actual_use"], now=now,
            check_in_from=now + CHECK_IN_EARLY, done=done, series_report=series_report, quote=quote, moving=moving, move_values=move_values or {},
            move_forms={b["id"]: booking_form(invoicing, b) for b in bookings}, room_choices=[(str(r["id"]), r["name"]) for r in rooms],
            feed_url=f"{request.app.state.settings.base_url}/t/{invoicing.tenant.slug}/public/billing/calendar/{own['calendar_token']}.ics" if own else None,
        )

    @post("/bookings", guards=[requires(*BOOKERS)])
    async def book(self, request: Request, invoicing: InvoicingDep, data: Form) -> Response:
        """One booking, or (weeks given) the same time every week, with the report of the weeks
        that clash (booked by someone else, outside the opening hours). Asked first, the price:
        the booking is made once confirmed with it in view."""
        if text(data, "confirm") != "yes":
            try:
                quote = await invoicing.quote(booking_from_form(data))
            except Problem as problem:
                return await self._home(request, invoicing, status_code=problem.status, errors=booking_errors(problem), values=data)
            return await self._home(request, invoicing, values=data, quote=quote)
        weeks = text(data, "weeks")
        if weeks and weeks != "1":
            try:
                booking = booking_from_form(data)
                series = convert({**msgspec.structs.asdict(booking), "rrule": f"FREQ=WEEKLY;COUNT={weeks}" if weeks.isdigit() else weeks}, SeriesIn)
                report = await invoicing.bookings.book_series(series)
            except Problem as problem:
                return await self._home(request, invoicing, status_code=problem.status, errors={"weeks" if k == "rrule" else k: v for k, v in booking_errors(problem).items()}, values=data)
            return await self._home(request, invoicing, series_report=report)
        return await submit(
            lambda: invoicing.bookings.book(booking_from_form(data)),
            f"/t/{invoicing.tenant.slug}/billing/?done=booked",
            again=partial(self._home, request, invoicing, values=data),
            errors=booking_errors,
        )

    @post("/bookings/{booking_id:uuid}/cancel", guards=[signed_in])
    async def cancel(self, request: Request, invoicing: InvoicingDep, booking_id: BillingId) -> Response:
        return await self._from_home(request, invoicing, invoicing.bookings.cancel(booking_id), done="cancelled")

    @post("/bookings/{booking_id:uuid}/move", guards=[signed_in])
    async def move(self, request: Request, invoicing: InvoicingDep, booking_id: BillingId, data: Form) -> Response:
        async def move() -> dict:
            booking = booking_from_form(data)
            return await invoicing.bookings.move(booking_id, BookingMove(room_id=booking.room_id, starts_at=booking.starts_at, ends_at=booking.ends_at))

        return await submit(
            move, f"/t/{invoicing.tenant.slug}/billing/?done=moved",
            again=partial(self._home, request, invoicing, moving=booking_id, move_values=data), errors=booking_errors,
        )

    @post("/bookings/{booking_id:uuid}/no-show", guards=[requires(*TREASURERS)])
    async def no_show(self, request: Request, bookings: BookingsDep, booking_id: BillingId) -> Response:
        """Recorded from the room's week, where the treasurer sees who came: back to that week."""
        booking = await bookings.booking(booking_id)
        week = rules.monday_of(bookings.local(booking["starts_at"]).date())
        back = f"/t/{bookings.tenant.slug}/billing/calendar/rooms/{booking['room_id']}?week={week.isoformat()}"
        await bookings.mark_no_show(booking_id)  # refused (not begun, already marked): the error page says why
        return Redirect(back + "&done=no_show")

    @post("/series/{series_id:uuid}/cancel", guards=[signed_in])
    async def cancel_series(self, request: Request, invoicing: InvoicingDep, series_id: BillingId) -> Response:
        return await self._from_home(request, invoicing, invoicing.bookings.cancel_series(series_id), done="series_cancelled")

    @post("/bookings/{booking_id:uuid}/check-in", guards=[requires(*BOOKERS)])
    async def check_in(self, request: Request, invoicing: InvoicingDep, booking_id: BillingId) -> Response:
        return await self._from_home(request, invoicing, invoicing.bookings.check_in(booking_id))

    @post("/bookings/{booking_id:uuid}/check-out", guards=[requires(*BOOKERS)])
    async def check_out(self, request: Request, invoicing: InvoicingDep, booking_id: BillingId) -> Response:
        return await self._from_home(request, invoicing, invoicing.bookings.check_out(booking_id))

    async def _from_home(self, request: Request, invoicing: InvoicingDep, change, done: str | None = None) -> Response:
        """Does a change asked from the home page: back to it (saying what was done), or the page
        again with the refusal."""
        then = f"/t/{invoicing.tenant.slug}/billing/" + (f"?done={done}" if done else "")
        return await submit(lambda: change, then, again=partial(self._home, request, invoicing))

    @get("/rooms", guards=[requires(*ROOM_KEEPERS)])
    async def rooms(self, request: Request, rooms: RoomsDep, saved: SavedQuery = None) -> Template:
        return await self._rooms(request, rooms, saved=saved)

    async def _rooms(self, request: Request, rooms: RoomsDep, status_code: int = 200, errors: dict | None = None, values: dict | None = None, editing=None, saved: str | None = None) -> Template:
        listed, rates = await rooms.rooms(), await rooms.rates()
        return page(
            request, "billing/rooms.html", status_code=status_code, rooms=listed, rates=rates, weekdays=rules.WEEKDAYS,
            label=labels.label, rounding=labels.rounding, editing=editing, saved=saved, room_forms={r["id"]: room_form(r) for r in listed},
            kind_choices=labels.choices(labels.ROOM_KINDS, {r["kind"] for r in listed}),
            class_choices=labels.choices(labels.CLINICIAN_CLASSES, {r["clinician_class"] for r in rates}),
            room_names={r["id"]: r["name"] for r in listed}, kinds=sorted({r["kind"] for r in listed}), errors=errors or {},
            values=values or {**{f"hours_{d}": "08:00-21:00" for d in rules.WEEKDAYS[:5]}, "valid_from": rooms.tenant.today().isoformat(), "increment_minutes": "15", "minimum_minutes": "0"},
        )

    @post("/rooms", guards=[requires(*ROOM_KEEPERS)])
    async def create_room(self, request: Request, rooms: RoomsDep, data: Form) -> Response:
        return await submit(
            lambda: rooms.create_room(room_from_form(data)),
            f"/t/{rooms.tenant.slug}/billing/rooms?saved=room_added",
            again=partial(self._rooms, request, rooms, values=data),
        )

    @post("/rooms/{room_id:uuid}", guards=[requires(*ROOM_KEEPERS)])
    async def change_room(self, request: Request, rooms: RoomsDep, room_id: BillingId, data: Form) -> Response:
        """A room's name, kind, equipment and hours changed, or the room closed (not offered for booking)."""
        return await submit(
            lambda: rooms.change_room(room_id, convert({**room_values(data), "active": text(data, "active") == "on"}, RoomChanges)),
            f"/t/{rooms.tenant.slug}/billing/rooms?saved=room",
            again=partial(self._rooms, request, rooms, values=data, editing=room_id),
        )

    @post("/rates", guards=[requires(*ROOM_KEEPERS)])
    async def create_rate(self, request: Request, rooms: RoomsDep, data: Form) -> Response:
        return await submit(
            lambda: rooms.create_rate(rate_from_form(data)),
            f"/t/{rooms.tenant.slug}/billing/rooms?saved=rate",
            again=partial(self._rooms, request, rooms, values=data),
        )

    @get("/invoices", guards=[requires(*TREASURERS)])
    async def invoices(self, request: Request, invoicing: InvoicingDep, month: MonthQuery = None, sent: SentQuery = None, credited: SentQuery = None, reminded: RemindedQuery = None) -> Template:
        return await self._invoices(request, invoicing, month or rules.month_of(invoicing.tenant.today().replace(day=1) - dt.timedelta(days=1)), sent=sent, credited=credited, reminded=reminded)

    async def _invoices(self, request: Request, invoicing: InvoicingDep, month: str, status_code: int = 200, errors: dict | None = None, report: dict | None = None, sent: str | None = None, credited: str | None = None, reminded: int | None = None) -> Template:
        invoices = await invoicing.invoices(month=month)
        outstanding = [i for i in await invoicing.invoices(status="issued") if i["kind"] == "invoice" and i["balance_cents"] > 0]
        settings = await invoicing.terms.settings()
        return page(
            request, "billing/invoices.html", status_code=status_code, month=month, invoices=invoices, outstanding=outstanding,
            closed=await invoicing.is_closed(month), errors=errors or {}, report=report, today=invoicing.tenant.today(), sent=sent, credited=credited, reminded=reminded,
            reminder_days=settings["reminder_days"], quebec_taxes=invoicing.tenant.currency == "CAD" or any(i["gst_cents"] or i["qst_cents"] for i in invoices), credits_due=await invoicing.credits_due(), missing=[labels.field_label("field", name) for name in rules.missing_for_invoices(settings, invoicing.tenant.currency)],
        )

    @post("/invoice-runs", guards=[requires(*TREASURERS)])
    async def run(self, request: Request, invoicing: InvoicingDep, data: Form) -> Template:
        month = text(data, "month")
        try:
            convert({"month": month}, msgspec.defstruct("MonthForm", [("month", Month)]))
            report = await invoicing.run_month(month)
        except Problem as problem:
            return await self._invoices(request, invoicing, month if rules.valid_month(month) else rules.month_of(invoicing.tenant.today()), status_code=problem.status, errors=errors_by_field(problem))
        return await self._invoices(request, invoicing, month, report=report)

    @post("/invoice-runs/issue", guards=[requires(*TREASURERS)])
    async def issue_month(self, request: Request, invoicing: InvoicingDep, data: Form) -> Response:
        month = text(data, "month")
        try:
            month = convert({"month": month}, InvoiceRunIn).month
            await invoicing.issue_month_drafts(month)
        except Problem as problem:
            return await self._invoices(request, invoicing, month if rules.valid_month(month) else rules.month_of(invoicing.tenant.today()), status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{invoicing.tenant.slug}/billing/invoices?month={month}")

    @post("/invoices/{invoice_id:uuid}/issue", guards=[requires(*TREASURERS)])
    async def issue(self, request: Request, invoicing: InvoicingDep, invoice_id: BillingId) -> Response:
        invoice = await invoicing.invoice(invoice_id)
        return await submit(
            lambda: invoicing.issue(invoice_id),
            f"/t/{invoicing.tenant.slug}/billing/invoices?month={invoice['month']}",
            again=partial(self._invoices, request, invoicing, invoice["month"]),
        )

    @post("/reminders", guards=[requires(*TREASURERS)])
    async def remind(self, request: Request, collections: CollectionsDep) -> Response:
        sent = await collections.send_reminders()
        return Redirect(f"/t/{collections.tenant.slug}/billing/invoices?reminded={len(sent)}")

    @post("/invoices/{invoice_id:uuid}/send", guards=[requires(*TREASURERS)])
    async def send(self, request: Request, invoicing: InvoicingDep, invoice_id: BillingId) -> Response:
        invoice = await invoicing.invoice(invoice_id)
        return await submit(
            lambda: invoicing.send(invoice_id),
            f"/t/{invoicing.tenant.slug}/billing/invoices?month={invoice['month']}&sent={invoice['number']}",
            again=partial(self._invoices, request, invoicing, invoice["month"]),
        )

    @post("/invoices/{invoice_id:uuid}/pay", guards=[signed_in])
    async def pay(self, request: Request, cards: CardsDep, invoice_id: BillingId) -> Template:
        """The card form (Stripe.js) for the balance of one of my invoices."""
        started = await cards.start(invoice_id)
        return page(request, "billing/pay.html", invoice=await cards.invoicing.own_invoice(invoice_id), payment=started, publishable_key=started["publishable_key"])

    @get("/statement", guards=[requires("clinician")])
    async def own_statement(self, request: Request, payments: PaymentsDep) -> Template:
        statement = await payments.own_statement()
        return page(request, "billing/statement.html", statement=statement, today=payments.tenant.today(), credit=await payments.account_credit(statement["clinician_id"]), refund_url=None)

    @get("/clinicians/{clinician_id:uuid}/statement", guards=[requires(*TREASURERS)])
    async def statement(self, request: Request, payments: PaymentsDep, clinician_id: BillingId) -> Template:
        return await self._statement(request, payments, clinician_id)

    async def _statement(self, request: Request, payments: PaymentsDep, clinician_id, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
        return page(
            request, "billing/statement.html", status_code=status_code, statement=await payments.statement(clinician_id), today=payments.tenant.today(),
            credit=await payments.account_credit(clinician_id), refund_url=f"/t/{payments.tenant.slug}/billing/clinicians/{clinician_id}/refunds",
            errors=errors or {}, values=values or {"paid_on": payments.tenant.today().isoformat()},
        )

    @post("/clinicians/{clinician_id:uuid}/refunds", guards=[requires(*TREASURERS)])
    async def refund(self, request: Request, payments: PaymentsDep, clinician_id: BillingId, data: Form) -> Response:
        try:
            values = {name: text(data, name) for name in ("method", "paid_on", "reference")}
            await payments.refund(clinician_id, convert({**values, "amount_cents": typed_cents(text(data, "amount"))}, RefundIn))
        except Problem as problem:
            return await self._statement(request, payments, clinician_id, status_code=problem.status, errors=errors_by_field(problem), values=data)
        return Redirect(f"/t/{payments.tenant.slug}/billing/clinicians/{clinician_id}/statement")

    @post("/invoices/{invoice_id:uuid}/credit-notes", guards=[requires(*TREASURERS)])
    async def credit(self, request: Request, payments: PaymentsDep, invoice_id: BillingId, data: Form) -> Response:
        invoice = await payments.invoicing.invoice(invoice_id)

        async def credit() -> dict:
            amount = typed_cents(text(data, "amount")) if text(data, "amount") else None
            note = convert({"reason": text(data, "reason"), "amount_cents": amount, "booking_id": text(data, "booking_id") or None}, CreditNoteIn)
            return await payments.credit(invoice_id, note.amount_cents, note.reason, booking_id=note.booking_id)

        return await submit(
            credit,
            lambda note: f"/t/{payments.tenant.slug}/billing/invoices?month={invoice['month']}&credited={note['number']}",
            again=partial(self._invoices, request, payments.invoicing, invoice["month"]),
        )

    @post("/months/close", guards=[requires(*TREASURERS)])
    async def close_month(self, request: Request, invoicing: InvoicingDep, data: Form) -> Response:
        month = text(data, "month")
        return await submit(
            lambda: invoicing.close_month(convert({"month": month}, CloseMonthIn).month),
            f"/t/{invoicing.tenant.slug}/billing/invoices?month={month}",
            again=partial(self._invoices, request, invoicing, rules.month_of(invoicing.tenant.today())),
        )

    @post("/invoices/{invoice_id:uuid}/payments", guards=[requires(*TREASURERS)])
    async def record_payment(self, request: Request, payments: PaymentsDep, invoice_id: BillingId, data: Form) -> Response:
        invoice = await payments.invoicing.invoice(invoice_id)
        try:
            values = {name: text(data, name) for name in ("method", "received_on", "reference")}
            await payments.record_payment(invoice_id, convert({**values, "amount_cents": typed_cents(text(data, "amount")), "keep_excess_as_credit": bool(text(data, "keep_excess_as_credit"))}, PaymentIn))
        except Problem as problem:
            return await self._invoices(request, payments.invoicing, invoice["month"], status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{payments.tenant.slug}/billing/invoices?month={invoice['month']}")



def week_monday(service, week: dt.date | None) -> dt.date:
    """The Monday of the week asked for (this week by default), within the years shown."""
    day = week or service.tenant.today()
    if not dt.date(1900, 1, 8) <= day <= dt.date(2199, 12, 24):
        raise Invalid(N_("Choose a week between 1900 and 2199."), errors=[FieldError("week", N_("Enter a date between 1900 and 2199."))])
    return rules.monday_of(day)


class CalendarPages(Controller):
    """Week views of a room and of a clinician: blocks for the eye, the same bookings as a table
    for everyone (screen readers, small screens). A clinician sees their own week, and in a room's
    week the others' bookings without their names; the treasurer and administrator see all."""

    path = "/t/{slug:str}/billing/calendar"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*CALENDAR_READERS)]

    @get("/")
    async def index(self, request: Request, bookings: BookingsDep) -> Template:
        treasurer = request.user.has_any(TREASURERS)
        return page(
            request, "billing/calendars.html", rooms=await bookings.rooms.rooms(), own=await bookings.clinicians.own_account(),
            clinicians=await bookings.clinicians.clinicians("clinician") if treasurer else [],
        )

    @get("/rooms/{room_id:uuid}")
    async def room_week(self, request: Request, bookings: BookingsDep, room_id: BillingId, week: WeekQuery = None) -> Template:
        room = await bookings.rooms.room(room_id)
        monday = week_monday(bookings, week)
        own = await bookings.clinicians.own_account()
        names = {c["id"]: c["name"] for c in await bookings.clinicians.clinicians()} if request.user.has_any(TREASURERS) else {own["id"]: own["name"]} if own else {}
        items = [(bookings.local(b["starts_at"]), bookings.local(b["ends_at"]), {**b, "label": names.get(b["clinician_id"])}) for b in await bookings.week(monday, room_id=room_id)]
        span = rules.day_span(room["opening_hours"].values())
        return self._week(request, bookings, monday, items, span, title=room["name"], kind="room", subject_id=room_id)

    @get("/clinicians/{clinician_id:uuid}")
    async def clinician_week(self, request: Request, bookings: BookingsDep, clinician_id: BillingId, week: WeekQuery = None) -> Template:
        account = await bookings.clinicians.visible_clinician(clinician_id)
        monday = week_monday(bookings, week)
        rooms = {r["id"]: r for r in await bookings.rooms.rooms()}
        items = [(bookings.local(b["starts_at"]), bookings.local(b["ends_at"]), {**b, "label": rooms[b["room_id"]]["name"]}) for b in await bookings.week(monday, clinician_id=clinician_id)]
        span = rules.day_span([hours for room in rooms.values() for hours in room["opening_hours"].values()])
        return self._week(request, bookings, monday, items, span, title=account["name"], kind="clinician", subject_id=clinician_id)

    @staticmethod
    def _week(request: Request, bookings: BookingsDep, monday: dt.date, items: list, span: tuple[int, int], *, title: str, kind: str, subject_id) -> Template:
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        for start, end, _ in items:  # a booking outside the hours shown (made before they changed) is shown whole
            whole_day = start.date() != end.date()
            span = (0 if whole_day else min(span[0], start.hour * 60), 1440 if whole_day else max(span[1], min(1440, end.hour * 60 + 60 * bool(end.minute))))
        return page(
            request, "billing/week.html", title=title, kind=kind, subject_id=subject_id, monday=monday, days=days,
            blocks=rules.week_blocks(items, monday, span), span=span, hours=list(range(span[0] // 60, -(-span[1] // 60))),
            previous=monday - dt.timedelta(days=7), following=monday + dt.timedelta(days=7), today=bookings.tenant.today(),
            treasurer=request.user.has_any(TREASURERS), now=dt.datetime.now(dt.UTC), done=request.query_params.get("done"),
        )


def number(value: float, pattern: str = "#,##0.#") -> str:
    """A number as the current language writes it (1 234,5 in French)."""
    return format_decimal(value, format=pattern, locale=i18n.current_language())


AGEING_LABELS = {
    "current": N_("Not yet due"), "days_1_30": N_("1–30 days"), "days_31_60": N_("31–60 days"), "days_61_90": N_("61–90 days"), "days_over_90": N_("Over 90 days"),
}


def report_charts(report) -> dict[str, list[dict]]:
    """The bars of the report's three charts: the value drawn and the text written beside it."""
    totals = report.totals
    return {
        "occupancy": [{"label": r.room_name, "value": r.occupancy_percent, "text": f"{number(r.occupancy_percent)}\u00a0%"} for r in totals],
        "unbooked": [{"label": r.room_name, "value": r.unbooked_minutes, "text": f"{number(r.unbooked_minutes / 60)}\u00a0h"} for r in totals],
        "revenue": [{"label": r.room_name, "value": r.revenue_cents, "text": i18n.format_money(r.revenue_cents, report.currency)} for r in totals],
    }


class ReportPages(Controller):
    path = "/t/{slug:str}/billing/reports"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*TREASURERS)]

    @get("/")
    async def rooms(self, request: Request, reports: ReportsDep, collections: CollectionsDep, first: FromMonth = None, last: ToMonth = None) -> Template:
        first, last = default_period(reports, first, last)
        values = {"from": first, "to": last}
        try:
            report = report_out(await reports.room_report(first, last), reports.tenant.currency)
        except Problem as problem:
            return page(request, "billing/reports.html", status_code=problem.status, report=None, ageing=None, errors=errors_by_field(problem), values=values, number=number)
        ageing = await collections.ageing_report()
        return page(request, "billing/reports.html", report=report, errors={}, values=values, number=number, charts=report_charts(report), ageing=ageing, buckets=AGEING_LABELS)


ROUTES = [BillingPages, CalendarPages, ReportPages]
