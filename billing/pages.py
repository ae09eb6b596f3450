"""Server-rendered pages of room-hour billing: a clinician's bookings and invoices, the
treasurer's rooms and rates, the month's drafts, issuing and payments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from backend.auth import requires, signed_in
from backend.errors import Problem
from backend.web import Form, convert, errors_by_field, page, text
from billing import labels, rules
from billing.controllers import DEPENDENCIES, Billing, MonthQuery
from billing.schemas import BookingIn, CloseMonthIn, CreditNoteIn, Month, PaymentIn, RateIn, RoomIn
from billing.payments import StripeSettings
from billing.services import BOOKERS, ROOM_KEEPERS, TREASURERS

BillingId = FromPath[UUID]
SentQuery = Annotated[str | None, QueryParameter(pattern=r"^\d{4}-\d{6}$")]


def booking_from_form(form: dict) -> BookingIn:
    """A booking as the form sends it: a day and two times in the organisation's time zone."""
    day = text(form, "day")
    start, end = (time + ":00" if len(time) == 5 else time for time in (text(form, "start"), text(form, "end")))  # the browser sends 09:00
    return convert({"room_id": text(form, "room_id"), "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}"}, BookingIn)


def room_from_form(form: dict) -> RoomIn:
    hours = {day: text(form, f"hours_{day}") or None for day in rules.WEEKDAYS}
    return convert({"name": text(form, "name"), "kind": text(form, "kind"), "equipment": text(form, "equipment"), "opening_hours": hours, "active": True}, RoomIn)


def rate_from_form(form: dict) -> RateIn:
    values = {name: text(form, name) for name in ("clinician_class", "hourly_cents", "increment_minutes", "rounding", "minimum_minutes", "valid_from") if text(form, name)}
    target = text(form, "target")
    if target.startswith("room:"):
        values["room_id"] = target.removeprefix("room:")
    elif target.startswith("kind:"):
        values["room_kind"] = target.removeprefix("kind:")
    if "hourly_cents" in values:
        values["hourly_cents"] = cents(values["hourly_cents"])
    return convert(values, RateIn)


def cents(amount: str) -> int | str:
    """An amount as people write it (45.50 or 45,50) in cents; anything else as it was, refused by the schema."""
    try:
        return round(float(amount.replace(",", ".").replace("\u00a0", "").replace(" ", "")) * 100)
    except ValueError:
        return amount


class BillingPages(Controller):
    path = "/t/{slug:str}/billing"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[signed_in])
    async def home(self, request: Request, billing: Billing) -> Template:
        return await self._home(request, billing)

    async def _home(self, request: Request, billing: Billing, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
        own = await billing.own_account()
        now = dt.datetime.now(dt.UTC)
        bookings = [b for b in await billing.my_bookings() if b["ends_at"] >= now] if own else []
        invoices = await billing.invoices(clinician_id=own["id"], status="issued") if own else []
        rooms = await billing.rooms(active_only=True)
        return page(
            request, "billing/home.html", status_code=status_code, account=own, bookings=bookings, invoices=invoices,
            rooms=rooms, room_names={r["id"]: r["name"] for r in await billing.rooms()}, errors=errors or {},
            values=values or {"day": (billing.tenant.today() + dt.timedelta(days=1)).isoformat(), "start": "09:00", "end": "12:00"},
            can_book=request.user.has_any(BOOKERS) and own is not None, treasurer=request.user.has_any(TREASURERS),
            card_payments=StripeSettings.from_env() is not None,
        )

    @post("/bookings", guards=[requires(*BOOKERS)])
    async def book(self, request: Request, billing: Billing, data: Form) -> Response:
        try:
            await billing.book(booking_from_form(data))
        except Problem as problem:
            return await self._home(request, billing, status_code=problem.status, errors=errors_by_field(problem), values=data)
        return Redirect(f"/t/{billing.tenant.slug}/billing/")

    @post("/bookings/{booking_id:uuid}/cancel", guards=[signed_in])
    async def cancel(self, request: Request, billing: Billing, booking_id: BillingId) -> Response:
        await billing.cancel(booking_id)
        return Redirect(f"/t/{billing.tenant.slug}/billing/")

    @get("/rooms", guards=[requires(*ROOM_KEEPERS)])
    async def rooms(self, request: Request, billing: Billing) -> Template:
        return await self._rooms(request, billing)

    async def _rooms(self, request: Request, billing: Billing, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
        rooms = await billing.rooms()
        return page(
            request, "billing/rooms.html", status_code=status_code, rooms=rooms, rates=await billing.rates(), weekdays=rules.WEEKDAYS,
            label=labels.label, rounding=labels.rounding,
            room_names={r["id"]: r["name"] for r in rooms}, kinds=sorted({r["kind"] for r in rooms}), errors=errors or {},
            values=values or {**{f"hours_{d}": "08:00-21:00" for d in rules.WEEKDAYS[:5]}, "valid_from": billing.tenant.today().isoformat(), "increment_minutes": "15", "minimum_minutes": "0"},
        )

    @post("/rooms", guards=[requires(*ROOM_KEEPERS)])
    async def create_room(self, request: Request, billing: Billing, data: Form) -> Response:
        try:
            await billing.create_room(room_from_form(data))
        except Problem as problem:
            return await self._rooms(request, billing, status_code=problem.status, errors=errors_by_field(problem), values=data)
        return Redirect(f"/t/{billing.tenant.slug}/billing/rooms")

    @post("/rates", guards=[requires(*ROOM_KEEPERS)])
    async def create_rate(self, request: Request, billing: Billing, data: Form) -> Response:
        try:
            await billing.create_rate(rate_from_form(data))
        except Problem as problem:
            return await self._rooms(request, billing, status_code=problem.status, errors=errors_by_field(problem), values=data)
        return Redirect(f"/t/{billing.tenant.slug}/billing/rooms")

    @get("/invoices", guards=[requires(*TREASURERS)])
    async def invoices(self, request: Request, billing: Billing, month: MonthQuery = None, sent: SentQuery = None) -> Template:
        return await self._invoices(request, billing, month or rules.month_of(billing.tenant.today().replace(day=1) - dt.timedelta(days=1)), sent=sent)

    async def _invoices(self, request: Request, billing: Billing, month: str, status_code: int = 200, errors: dict | None = None, report: dict | None = None, sent: str | None = None) -> Template:
        invoices = await billing.invoices(month=month)
        outstanding = [i for i in await billing.invoices(status="issued") if i["kind"] == "invoice" and i["balance_cents"] > 0]
        return page(
            request, "billing/invoices.html", status_code=status_code, month=month, invoices=invoices, outstanding=outstanding,
            closed=await billing.is_closed(month), errors=errors or {}, report=report, today=billing.tenant.today(), sent=sent,
        )

    @post("/invoice-runs", guards=[requires(*TREASURERS)])
    async def run(self, request: Request, billing: Billing, data: Form) -> Template:
        month = text(data, "month")
        try:
            convert({"month": month}, msgspec.defstruct("MonthForm", [("month", Month)]))
            report = await billing.run_month(month)
        except Problem as problem:
            return await self._invoices(request, billing, rules.month_of(billing.tenant.today()), status_code=problem.status, errors=errors_by_field(problem))
        return await self._invoices(request, billing, month, report=report)

    @post("/invoices/{invoice_id:uuid}/issue", guards=[requires(*TREASURERS)])
    async def issue(self, request: Request, billing: Billing, invoice_id: BillingId) -> Response:
        invoice = await billing.invoice(invoice_id)
        try:
            await billing.issue(invoice_id)
        except Problem as problem:
            return await self._invoices(request, billing, invoice["month"], status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{billing.tenant.slug}/billing/invoices?month={invoice['month']}")

    @post("/invoices/{invoice_id:uuid}/send", guards=[requires(*TREASURERS)])
    async def send(self, request: Request, billing: Billing, invoice_id: BillingId) -> Response:
        invoice = await billing.invoice(invoice_id)
        try:
            await billing.send(invoice_id)
        except Problem as problem:
            return await self._invoices(request, billing, invoice["month"], status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{billing.tenant.slug}/billing/invoices?month={invoice['month']}&sent={invoice['number']}")

    @post("/invoices/{invoice_id:uuid}/pay", guards=[signed_in])
    async def pay(self, request: Request, billing: Billing, invoice_id: BillingId) -> Template:
        """The card form (Stripe.js) for the balance of one of my invoices."""
        gateway = StripeSettings.from_env()
        started = await billing.start_card_payment(invoice_id, gateway)
        return page(request, "billing/pay.html", invoice=await billing.own_invoice(invoice_id), payment=started, publishable_key=gateway.publishable_key)

    @get("/statement", guards=[requires("clinician")])
    async def own_statement(self, request: Request, billing: Billing) -> Template:
        return page(request, "billing/statement.html", statement=await billing.own_statement(), today=billing.tenant.today())

    @get("/clinicians/{clinician_id:uuid}/statement", guards=[requires(*TREASURERS)])
    async def statement(self, request: Request, billing: Billing, clinician_id: BillingId) -> Template:
        return page(request, "billing/statement.html", statement=await billing.statement(clinician_id), today=billing.tenant.today())

    @post("/invoices/{invoice_id:uuid}/credit-notes", guards=[requires(*TREASURERS)])
    async def credit(self, request: Request, billing: Billing, invoice_id: BillingId, data: Form) -> Response:
        invoice = await billing.invoice(invoice_id)
        try:
            amount = cents(text(data, "amount")) if text(data, "amount") else None
            note = convert({"reason": text(data, "reason"), "amount_cents": amount}, CreditNoteIn)
            await billing.credit(invoice_id, note.amount_cents, note.reason)
        except Problem as problem:
            return await self._invoices(request, billing, invoice["month"], status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{billing.tenant.slug}/billing/invoices?month={invoice['month']}")

    @post("/months/close", guards=[requires(*TREASURERS)])
    async def close_month(self, request: Request, billing: Billing, data: Form) -> Response:
        month = text(data, "month")
        try:
            await billing.close_month(convert({"month": month}, CloseMonthIn).month)
        except Problem as problem:
            return await self._invoices(request, billing, rules.month_of(billing.tenant.today()), status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{billing.tenant.slug}/billing/invoices?month={month}")

    @post("/invoices/{invoice_id:uuid}/payments", guards=[requires(*TREASURERS)])
    async def record_payment(self, request: Request, billing: Billing, invoice_id: BillingId, data: Form) -> Response:
        invoice = await billing.invoice(invoice_id)
        try:
            values = {name: text(data, name) for name in ("method", "received_on", "reference")}
            await billing.record_payment(invoice_id, convert({**values, "amount_cents": cents(text(data, "amount"))}, PaymentIn))
        except Problem as problem:
            return await self._invoices(request, billing, invoice["month"], status_code=problem.status, errors=errors_by_field(problem))
        return Redirect(f"/t/{billing.tenant.slug}/billing/invoices?month={invoice['month']}")


ROUTES = [BillingPages]
