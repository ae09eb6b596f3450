"""Piccolo tables of the billing package, mirroring migrations/0001_billing.sql."""

from piccolo.columns import JSONB, UUID, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class BillingSettings(Table, tablename="billing_settings"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    gst_rate_pcm = Integer()
    qst_rate_pcm = Integer()
    gst_number = Varchar(length=40)
    qst_number = Varchar(length=40)
    legal_name = Varchar(length=200)
    address = Text()
    free_cancellation_hours = Integer()
    late_fee_percent = Integer()
    no_show_percent = Integer()
    payment_terms_days = Integer()
    reminder_days = Varchar(length=100, default="7,30")
    evening_from = Varchar(length=5, default="17:00")
    bill_actual_use = Boolean(default=False)
    updated_at = Timestamptz()
    dues_cents = JSONB(default={})
    dues_taxable = Boolean(default=False)


class Room(Table, tablename="room"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    name = Varchar(length=100)
    kind = Varchar(length=40)
    equipment = Text()
    opening_hours = JSONB()
    active = Boolean()
    created_at = Timestamptz()


class RoomRate(Table, tablename="room_rate"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    room_id = UUID(null=True, default=None)
    room_kind = Varchar(length=40, null=True, default=None)
    clinician_class = Varchar(length=40)
    hourly_cents = Integer()
    increment_minutes = Integer()
    rounding = Varchar(length=10)
    minimum_minutes = Integer()
    valid_from = Date()
    valid_until = Date(null=True, default=None)
    created_at = Timestamptz()
    band = Varchar(length=10, default="standard")


class ClinicianAccount(Table, tablename="clinician_account"):
    """Whom the co-op invoices: a clinician (kind "clinician", a login) or a member (kind
    "member", a register entry with or without a login)."""

    tenant_id = UUID()
    id = UUID(primary_key=True)
    user_id = UUID(null=True, default=None)
    name = Varchar(length=200)
    email = Varchar(length=254)
    language = Varchar(length=10)
    clinician_class = Varchar(length=40)
    stripe_customer_id = Varchar(length=100, null=True, default=None)
    calendar_token = Varchar(length=64, secret=True)
    created_at = Timestamptz()
    kind = Varchar(length=20, default="clinician")
    member_id = UUID(null=True, default=None)
    address = Text(default="")  # printed under the buyer's name on its invoices


class BookingSeries(Table, tablename="booking_series"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    room_id = UUID()
    clinician_id = UUID()
    rrule = Text()
    first_start = Timestamptz()
    duration_minutes = Integer()
    exceptions = JSONB()
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()


class Booking(Table, tablename="booking"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    room_id = UUID()
    clinician_id = UUID()
    series_id = UUID(null=True, default=None)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    status = Varchar(length=20)
    cancelled_at = Timestamptz(null=True, default=None)
    cancellation_fee_percent = Integer()
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    checked_in_at = Timestamptz(null=True, default=None)
    checked_out_at = Timestamptz(null=True, default=None)


class Invoice(Table, tablename="invoice"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    kind = Varchar(length=20)
    status = Varchar(length=20)
    clinician_id = UUID()
    month = Varchar(length=7)
    credited_invoice_id = UUID(null=True, default=None)
    number = Varchar(length=20, null=True, default=None)
    issued_on = Date(null=True, default=None)
    due_on = Date(null=True, default=None)
    currency = Varchar(length=3)
    language = Varchar(length=10)
    gst_rate_pcm = Integer()
    qst_rate_pcm = Integer()
    subtotal_cents = Integer()
    gst_cents = Integer()
    qst_cents = Integer()
    total_cents = Integer()
    seller = JSONB()
    buyer = JSONB()
    reason = Text()
    chain_position = Integer(null=True, default=None)
    previous_hash = Varchar(length=64, null=True, default=None)
    hash = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz()
    issued_at = Timestamptz(null=True, default=None)
    purpose = Varchar(length=10, default="rooms")
    dues_year = Integer(null=True, default=None)
    shares = Integer(null=True, default=None)
    replaces_invoice_id = UUID(null=True, default=None)  # dues credited in full that this one replaces (0009)


class InvoiceLine(Table, tablename="invoice_line"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    invoice_id = UUID()
    position = Integer()
    kind = Varchar(length=30)
    booking_id = UUID(null=True, default=None)
    description = Text()
    occurred_on = Date()
    minutes = Integer()
    hourly_cents = Integer()
    amount_cents = Integer()
    gst_cents = Integer()
    qst_cents = Integer()


class ClosedMonth(Table, tablename="closed_month"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    month = Varchar(length=7)
    closed_by = UUID(null=True, default=None)
    closed_at = Timestamptz()


class Payment(Table, tablename="payment"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    invoice_id = UUID()
    method = Varchar(length=20)
    status = Varchar(length=20)
    amount_cents = Integer()
    received_on = Date()
    reference = Varchar(length=200)
    stripe_payment_intent_id = Varchar(length=100, null=True, default=None)
    recorded_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    stripe_status = Varchar(length=40, null=True, default=None)


class PaymentReversal(Table, tablename="payment_reversal"):
    """Money a card payment gave back (a refund) or had taken back (a dispute), or got back (a
    dispute won): one row per Stripe object and kind, never changed."""

    tenant_id = UUID()
    id = UUID(primary_key=True)
    payment_id = UUID()
    invoice_id = UUID()
    kind = Varchar(length=20)
    amount_cents = Integer()
    stripe_object_id = Varchar(length=100)
    occurred_on = Date()
    created_at = Timestamptz()


class StripeKeys(Table, tablename="stripe_keys"):
    """The organisation's own Stripe account: its keys, the secret ones sealed (backend/sealing.py)."""

    tenant_id = UUID()
    id = UUID(primary_key=True)
    publishable_key = Varchar(length=200)
    secret_key_sealed = Text(secret=True)
    secret_key_hint = Varchar(length=20)
    webhook_secret_sealed = Text(secret=True)
    live = Boolean()
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz()


class StripeEvent(Table, tablename="stripe_event"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    event_id = Varchar(length=100)
    event_type = Varchar(length=100)
    received_at = Timestamptz()


class InvoiceReminder(Table, tablename="invoice_reminder"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    invoice_id = UUID()
    days = Integer()
    balance_cents = Integer()
    sent_to = Varchar(length=254)
    sent_at = Timestamptz()


class AccountCredit(Table, tablename="account_credit"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    clinician_id = UUID()
    kind = Varchar(length=20)
    amount_cents = Integer()
    invoice_id = UUID(null=True, default=None)
    payment_id = UUID(null=True, default=None)
    occurred_on = Date()
    reference = Varchar(length=200)
    recorded_by = UUID(null=True, default=None)
    created_at = Timestamptz()
