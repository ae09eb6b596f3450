"""Names shown for the codes that rooms, rates and clinicians' accounts store (office,
family_physician, up…), translated; a code without a name is shown as written, spaced."""

from backend import web
from backend.i18n import N_, gettext
from tenants.labels import AUDIT_ACTIONS
from tenants.labels import label as register_label

CODES = {
    # kinds of room
    "office": N_("Office"),
    "examination_room": N_("Examination room"),
    "meeting_room": N_("Meeting room"),
    "treatment_room": N_("Treatment room"),
    # classes of clinician
    "family_physician": N_("Family physician"),
    "specialist": N_("Specialist"),
    "psychologist": N_("Psychologist"),
    "nurse_practitioner": N_("Nurse practitioner"),
    "physiotherapist": N_("Physiotherapist"),
    "social_worker": N_("Social worker"),
}
ROOM_KINDS = ("office", "examination_room", "meeting_room", "treatment_room")
CLINICIAN_CLASSES = ("family_physician", "specialist", "psychologist", "nurse_practitioner", "physiotherapist", "social_worker")
BAND_LABELS = {"standard": N_("standard"), "evening": N_("evening"), "weekend": N_("weekend")}
METHODS = {"cheque": N_("Cheque"), "transfer": N_("Transfer"), "cash": N_("Cash")}
# The billing forms' fields, as a refused form's error summary names them (others: the register's).
FIELDS = {
    "room_id": N_("Room"), "day": N_("Day"), "start": N_("Start"), "end": N_("End"), "month": N_("Month"), "year": N_("Year"),
    "weeks": N_("Every week, for this many weeks"),
    "name": N_("Name"), "kind": N_("Kind of room"), "equipment": N_("Equipment"), "clinician_class": N_("Class of clinician"),
    "hourly_cents": N_("Hourly rate"), "valid_from": N_("Valid from"), "increment_minutes": N_("Billed by steps of"),
    "minimum_minutes": N_("Minimum billed"), "rounding": N_("Rounding"), "address": N_("Postal address"),
    "amount": N_("Amount"), "amount_cents": N_("Amount"), "method": N_("Method"), "received_on": N_("Received on"),
    "paid_on": N_("Paid on"), "reference": N_("Reference"), "from": N_("From"), "to": N_("To"),
    "publishable_key": N_("Publishable key"), "secret_key": N_("Secret key"), "webhook_secret": N_("Webhook signing secret"),
    "legal_name": N_("Legal name"), "gst_number": N_("GST registration number"), "qst_number": N_("QST registration number"),
    "gst_rate_pcm": N_("GST rate"), "qst_rate_pcm": N_("QST rate"), "payment_terms_days": N_("Days to pay an invoice"),
    "reminder_days": N_("Reminders"), "free_cancellation_hours": N_("Free cancellation up to (hours before)"),
    "late_fee_percent": N_("Late cancellation fee (percent)"), "no_show_percent": N_("No-show fee (percent)"),
    "evening_from": N_("Evening rate from"), "bill_actual_use": N_("Bill a booking from check-in to check-out instead of as booked"),
}
ROUNDING = {"up": N_("rounded up"), "nearest": N_("rounded to the nearest"), "down": N_("rounded down")}


def label(code: str | None) -> str:
    if not code:
        return ""
    return gettext(CODES[code]) if code in CODES else code.replace("_", " ")


def choices(known: tuple[str, ...], used: set[str]) -> list[tuple[str, str]]:
    """A form's choices of codes, in words: the known ones, then any other already in use."""
    return [(code, label(code)) for code in (*known, *sorted(used - set(known)))]


def rounding(code: str) -> str:
    return gettext(ROUNDING[code]) if code in ROUNDING else code


def field_label(kind: str, name: str) -> str:
    """The error summary's labeller (tenants/templates/_forms.html): a field by its name."""
    if kind == "field" and name in FIELDS:
        return gettext(FIELDS[name])
    return register_label(kind, name).replace("_", " ")


web.environment.globals["billing_field"] = field_label


# What billing writes in the audit log, in words (the log's page, tenants/templates/audit.html).
AUDIT_ACTIONS.update({
    "billing.settings_changed": N_("Billing settings changed"),
    "billing.dues_settings_changed": N_("Dues settings changed"),
    "booking.created": N_("Room booked"),
    "booking.moved": N_("Booking moved"),
    "booking.cancelled": N_("Booking cancelled"),
    "booking.checked_in": N_("Arrival recorded"),
    "booking.checked_out": N_("Departure recorded"),
    "booking.no_show": N_("No-show recorded"),
    "series.created": N_("Weekly series booked"),
    "series.cancelled": N_("Weekly series cancelled"),
    "clinician.registered": N_("Clinician registered"),
    "clinician.changed": N_("Clinician changed"),
    "member_account.opened": N_("Member's account opened"),
    "room.created": N_("Room added"),
    "room.changed": N_("Room changed"),
    "rate.created": N_("Rate added"),
    "invoice.run": N_("Month's invoices drafted"),
    "invoice.issued": N_("Invoice issued"),
    "credit_note.issued": N_("Credit note issued"),
    "invoice.sent": N_("Invoice e-mailed"),
    "invoice.reminded": N_("Payment reminder sent"),
    "invoice.dues_run": N_("Year's dues drafted"),
    "invoice.dues_drafted": N_("Member's dues drafted"),
    "invoice.shares_drafted": N_("Invoice for shares drafted"),
    "invoice.shares_paid": N_("Shares paid"),
    "month.closed": N_("Month closed"),
    "payment.recorded": N_("Payment recorded"),
    "payment.card_started": N_("Card payment started"),
    "payment.processing": N_("Card payment processing"),
    "payment.succeeded": N_("Card payment received"),
    "payment.failed": N_("Card payment failed"),
    "payment.refund": N_("Card payment refunded"),
    "payment.dispute": N_("Card payment disputed"),
    "payment.reinstatement": N_("Disputed payment won back"),
    "account_credit.overpayment": N_("Overpayment kept as credit"),
    "account_credit.applied": N_("Credit applied to an invoice"),
    "account_credit.refund": N_("Credit refunded"),
    "stripe.connected": N_("Card payments set up"),
    "stripe.disconnected": N_("Card payments turned off"),
})
