"""What the billing API reads and writes (msgspec validates and documents it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.bodies import changing
from tenants.schemas import FREE_TEXT, ONE_LINE, Email, Name

Text200 = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Kind = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Hours = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Cents = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]
PositiveCents = Annotated[int, msgspec.Meta(ge=1, le=100_000_000)]
Percent = Annotated[int, msgspec.Meta(ge=0, le=100)]
Pcm = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
MONTH_PATTERN = r"^(19|2[01])\d{2}-(0[1-9]|1[0-2])$"  # 1900-01 to 2199-12: a month a date can name, and the next one
Month = Annotated[str, msgspec.Meta(pattern=MONTH_PATTERN)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=FREE_TEXT)]
Equipment = Annotated[str, msgspec.Meta(max_length=2000, pattern=FREE_TEXT)]
PostalAddress = Annotated[str, msgspec.Meta(max_length=500, pattern=FREE_TEXT)]
Rounding = Literal["up", "nearest", "down"]
PaymentMethod = Literal["cheque", "transfer", "cash"]
Band = Literal["standard", "evening", "weekend"]


class SettingsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    gst_rate_pcm: Pcm = 5_000
    qst_rate_pcm: Pcm = 9_975
    gst_number: Annotated[str, msgspec.Meta(max_length=40, pattern=ONE_LINE)] = ""
    qst_number: Annotated[str, msgspec.Meta(max_length=40, pattern=ONE_LINE)] = ""
    legal_name: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    address: PostalAddress = ""
    free_cancellation_hours: Annotated[int, msgspec.Meta(ge=0, le=720)] = 48
    late_fee_percent: Percent = 50
    no_show_percent: Percent = 100
    payment_terms_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 30
    # Reminders of an unpaid invoice, in days past its due date (each sent once); [] for none.
    reminder_days: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=365)]], msgspec.Meta(max_length=5)] = msgspec.field(default_factory=lambda: [7, 30])
    # Weekday evenings (the evening band) start at this hour.
    evening_from: Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "17:00"
    # Bill a booking checked in and out from check-in to check-out instead of as booked.
    bill_actual_use: bool = False


# A PUT changes the fields it is given and no other (a field left out was once reset to its default).
SettingsChanges = changing(SettingsIn, "SettingsChanges")


class RoomIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
    kind: Kind
    equipment: Equipment = ""
    opening_hours: dict[Weekday, Hours | None]
    active: bool = True


class RoomChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)] | msgspec.UnsetType = msgspec.UNSET
    kind: Kind | msgspec.UnsetType = msgspec.UNSET
    equipment: Equipment | msgspec.UnsetType = msgspec.UNSET
    opening_hours: dict[Weekday, Hours | None] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class RoomOut(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    kind: str
    equipment: str
    opening_hours: dict[str, str | None]
    active: bool


class RateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    room_id: UUID | None = None
    room_kind: Kind | None = None
    clinician_class: Kind
    hourly_cents: Cents
    increment_minutes: Annotated[int, msgspec.Meta(ge=1, le=240)] = 15
    rounding: Rounding = "up"
    minimum_minutes: Annotated[int, msgspec.Meta(ge=0, le=1440)] = 0
    valid_from: dt.date
    # A rate of the evening band applies on weekdays from the settings' evening hour, one of the
    # weekend band on Saturdays and Sundays; where a band has no rate, the standard one applies.
    band: Band = "standard"


class RateOut(msgspec.Struct, kw_only=True):
    id: UUID
    room_id: UUID | None
    room_kind: str | None
    clinician_class: str
    hourly_cents: int
    increment_minutes: int
    rounding: str
    minimum_minutes: int
    valid_from: dt.date
    valid_until: dt.date | None
    band: str


class ClinicianIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    clinician_class: Kind
    name: Name | None = None
    language: Literal["fr_CA", "en_CA", "fi"] | None = None
    address: PostalAddress = ""


class ClinicianChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the treasurer changes of a clinician's account; what is not given stays."""

    name: Name | None = None
    clinician_class: Kind | None = None
    language: Literal["fr_CA", "en_CA", "fi"] | None = None
    address: PostalAddress | None = None


class ClinicianOut(msgspec.Struct, kw_only=True):
    id: UUID
    user_id: UUID
    name: str
    email: str
    language: str
    clinician_class: str
    address: str = ""


class BookingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Times with an offset are taken as given; without one, in the organisation's time zone."""

    room_id: UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    clinician_id: UUID | None = None


class BookingMove(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Where and when a booking still to come is moved (times as in BookingIn)."""

    room_id: UUID
    starts_at: dt.datetime
    ends_at: dt.datetime


class SeriesCancelled(msgspec.Struct, kw_only=True):
    series_id: UUID
    cancelled: int


class SeriesIn(BookingIn, kw_only=True, forbid_unknown_fields=True):
    """A weekly series: the first occurrence, an RRULE (e.g. FREQ=WEEKLY;COUNT=10) and dates skipped."""

    rrule: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=ONE_LINE)]
    exceptions: list[dt.date] = []


class BookingOut(msgspec.Struct, kw_only=True):
    id: UUID
    room_id: UUID
    clinician_id: UUID
    series_id: UUID | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    cancellation_fee_percent: int
    checked_in_at: dt.datetime | None = None
    checked_out_at: dt.datetime | None = None


class Clash(msgspec.Struct, kw_only=True):
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str


class SeriesOut(msgspec.Struct, kw_only=True):
    series_id: UUID
    booked: list[BookingOut]
    clashes: list[Clash]


class InvoiceRunIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    month: Month


class RunReport(msgspec.Struct, kw_only=True):
    month: str
    drafts: int
    total_cents: int
    unpriced: list[str]
    credits_due: int = 0  # bookings cancelled after they were invoiced, their credit notes to issue


class CreditDueOut(msgspec.Struct, kw_only=True):
    """A booking cancelled after an issued invoice billed it: the credit note it has due."""

    invoice_id: UUID
    number: str
    month: str
    name: str
    booking_id: UUID
    starts_at: dt.datetime
    credit_cents: int


class IssueReport(msgspec.Struct, kw_only=True):
    """The drafts of a month issued at once; their PDFs are e-mailed after the commit."""

    month: str
    issued: int
    first_number: str
    last_number: str


class LineOut(msgspec.Struct, kw_only=True):
    position: int
    kind: str
    booking_id: UUID | None
    description: str
    occurred_on: dt.date
    minutes: int
    hourly_cents: int
    amount_cents: int
    gst_cents: int
    qst_cents: int


class InvoiceOut(msgspec.Struct, kw_only=True):
    id: UUID
    kind: str
    status: str
    clinician_id: UUID
    month: str
    credited_invoice_id: UUID | None
    number: str | None
    issued_on: dt.date | None
    due_on: dt.date | None
    currency: str
    gst_rate_pcm: int
    qst_rate_pcm: int
    subtotal_cents: int
    gst_cents: int
    qst_cents: int
    total_cents: int
    paid_cents: int
    balance_cents: int
    payment_state: str
    lines: list[LineOut]
    # What it is for: room hours, a year's dues (dues_year), shares (how many).
    purpose: str = "rooms"
    dues_year: int | None = None
    shares: int | None = None


class CreditNoteIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A credit note for part of an invoice (amount before tax), or, without an amount, all of it;
    with a booking cancelled after it was billed, what that booking has due (no amount then)."""

    reason: Reason
    amount_cents: PositiveCents | None = None
    booking_id: UUID | None = None


class CloseMonthIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    month: Month


class PaymentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    amount_cents: PositiveCents
    method: PaymentMethod
    received_on: dt.date
    reference: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    # More than the balance due is refused, unless the excess is to be kept as a credit.
    keep_excess_as_credit: bool = False


class RefundIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Money paid back to a clinician out of their account credit."""

    amount_cents: PositiveCents
    method: PaymentMethod
    paid_on: dt.date
    reference: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""


class CreditMovementOut(msgspec.Struct, kw_only=True):
    kind: str
    amount_cents: int
    invoice_id: UUID | None
    occurred_on: dt.date
    reference: str


class AccountCreditOut(msgspec.Struct, kw_only=True):
    """A clinician's account credit: what the co-op owes them, applied to their next invoices."""

    clinician_id: UUID
    currency: str
    balance_cents: int
    movements: list[CreditMovementOut]


class PaymentOut(msgspec.Struct, kw_only=True):
    id: UUID | None
    invoice_id: UUID
    method: str
    status: str
    amount_cents: int
    received_on: dt.date
    reference: str
    # The part kept as the clinician's credit (recording a payment with keep_excess_as_credit).
    credit_cents: int = 0
    # A card payment: what Stripe last said of it (processing: a pre-authorised debit clearing).
    stripe_status: str | None = None


class ReversalOut(msgspec.Struct, kw_only=True):
    """Card money given back (refund), taken back by a dispute, or returned (reinstatement)."""

    payment_id: UUID
    invoice_id: UUID
    kind: Literal["refund", "dispute", "reinstatement"]
    amount_cents: int
    stripe_object_id: str
    occurred_on: dt.date


class CardPaymentOut(msgspec.Struct, kw_only=True):
    payment_id: UUID
    payment_intent_id: str
    client_secret: str
    amount_cents: int
    publishable_key: str


class StripeKeysIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The organisation's Stripe account: its API keys (Developers, API keys) and the signing
    secret of the webhook endpoint made for this organisation's address."""

    publishable_key: Annotated[str, msgspec.Meta(pattern=r"^pk_(test|live)_[A-Za-z0-9]{6,180}$", description="pk_test_… or pk_live_…")]
    secret_key: Annotated[str, msgspec.Meta(pattern=r"^(sk|rk)_(test|live)_[A-Za-z0-9]{6,180}$", description="sk_… (or a restricted key rk_…), of the same mode")]
    webhook_secret: Annotated[str, msgspec.Meta(pattern=r"^whsec_[A-Za-z0-9+/=]{6,180}$", description="whsec_…: the endpoint's signing secret")]


class StripeAccountOut(msgspec.Struct, kw_only=True):
    """Whether card payments are on, and what identifies the account (never its secrets)."""

    enabled: bool
    webhook_path: str
    publishable_key: str | None
    secret_key_hint: str | None  # the secret key's last four characters
    live: bool | None
    updated_at: dt.datetime | None


class StatementLineOut(msgspec.Struct, kw_only=True):
    date: dt.date
    kind: Literal["invoice", "credit_note", "payment", "refund", "dispute", "reinstatement"]
    reference: str
    invoice_id: UUID | None
    amount_cents: int
    balance_cents: int


class StatementOut(msgspec.Struct, kw_only=True):
    """A clinician's account: issued invoices and credit notes, payments received, the balance."""

    clinician_id: UUID
    name: str
    currency: str
    lines: list[StatementLineOut]
    balance_cents: int


class DeliveryOut(msgspec.Struct, kw_only=True):
    """One e-mail of a document, from the outbox's delivery log."""

    recipient: str
    subject: str
    status: str
    queued_at: dt.datetime
    sent_at: dt.datetime | None


class RoomMonthOut(msgspec.Struct, kw_only=True):
    """A room in a month (or, in `totals`, over the period: month is empty)."""

    room_id: UUID
    room_name: str
    month: str
    open_minutes: int
    booked_minutes: int
    unbooked_minutes: int
    occupancy_percent: float
    revenue_cents: int


class RoomReportOut(msgspec.Struct, kw_only=True):
    """Occupancy (booked / open hours), hours open but unbooked, and revenue before tax (credit
    notes deducted) per room and month; `unattributed_cents`: credit notes of an amount, tied to
    no booking, issued in the period."""

    first: str
    last: str
    currency: str
    rows: list[RoomMonthOut]
    totals: list[RoomMonthOut]
    unattributed_cents: int


class AgeingBuckets(msgspec.Struct, kw_only=True):
    """Unpaid balances by days past their due date."""

    current: int
    days_1_30: int
    days_31_60: int
    days_61_90: int
    days_over_90: int
    total_cents: int


class ClinicianAgeing(AgeingBuckets, kw_only=True):
    clinician_id: UUID
    name: str


class OverdueInvoice(msgspec.Struct, kw_only=True):
    id: UUID
    number: str
    clinician_id: UUID
    due_on: dt.date
    balance_cents: int
    days_late: int
    bucket: str


class AgeingOut(msgspec.Struct, kw_only=True):
    today: dt.date
    currency: str
    totals: AgeingBuckets
    clinicians: list[ClinicianAgeing]
    invoices: list[OverdueInvoice]


class ReminderOut(msgspec.Struct, kw_only=True):
    """A reminder e-mailed for an overdue invoice, `days` past its due date (each sent once)."""

    invoice_id: UUID
    days: int
    balance_cents: int
    sent_to: str


# --- members' dues and shares ------------------------------------------------------------------

Year = Annotated[int, msgspec.Meta(ge=2000, le=2999)]
Category = Annotated[str, msgspec.Meta(min_length=1, max_length=30, pattern=r"^[a-z][a-z0-9_]*$")]


class DuesSettingsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Annual dues per member category (cents; a category left out pays none), and whether
    dues are subject to GST and QST (by default not: dues that only give membership, and share
    capital, are outside the taxes; shares are never taxed)."""

    dues_cents: Annotated[dict[Category, Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=dict)
    dues_taxable: bool = False


DuesSettingsChanges = changing(DuesSettingsIn, "DuesSettingsChanges")


class DuesSettingsOut(DuesSettingsIn, kw_only=True):
    categories: list[str]
    currency: str


class DuesRunIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    year: Year


class DuesRunReport(msgspec.Struct, kw_only=True):
    """A dues run: drafts made (one per active member whose category pays dues), members
    skipped because their dues of the year are already issued, or their category pays none."""

    year: int
    drafts: int
    total_cents: int
    already_issued: int
    without_dues: int


class DuesIssueReport(msgspec.Struct, kw_only=True):
    """The year's dues drafts issued at once; the PDFs are e-mailed after the commit to the
    members with an address, the others are listed for mailing by post."""

    year: int
    issued: int
    first_number: str
    last_number: str
    to_post: int


class ShareInvoiceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    member_id: UUID


class MemberDocumentOut(msgspec.Struct, kw_only=True):
    """An invoice of a member, with whom it is for (and their postal address when they have no e-mail)."""

    invoice_id: UUID
    member_id: UUID
    member_number: int
    name: str
    email: str
    address: str
    number: str | None
    status: str
    total_cents: int
    balance_cents: int
