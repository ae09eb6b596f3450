"""Rules of room-hour billing, as plain functions over plain values (no database, no HTTP):
taxes, billable durations, tariffs, overlaps, opening hours, cancellation fees, numbering, the
hash chain of issued documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

# Tax rates are kept in "pcm", thousandths of a percent: 5 % is 5000, 9.975 % is 9975.
PCM = 100_000
GST_DEFAULT_PCM = 5_000
QST_DEFAULT_PCM = 9_975
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (away from zero), in exact integers."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    return sign * (quotient + (2 * remainder >= abs(denominator)))


def tax_cents(amount_cents: int, rate_pcm: int) -> int:
    """A tax on a pre-tax amount, rounded half-up to the cent."""
    return divide_half_up(amount_cents * rate_pcm, PCM)


@dataclass(frozen=True)
class TaxedLine:
    amount_cents: int
    gst_cents: int
    qst_cents: int

    @property
    def total_cents(self) -> int:
        return self.amount_cents + self.gst_cents + self.qst_cents


@dataclass(frozen=True)
class Totals:
    subtotal_cents: int
    gst_cents: int
    qst_cents: int
    total_cents: int


def tax_line(amount_cents: int, gst_pcm: int, qst_pcm: int) -> TaxedLine:
    """GST and QST each on the pre-tax amount (QST is not charged on GST in Quebec since 2013)."""
    return TaxedLine(amount_cents, tax_cents(amount_cents, gst_pcm), tax_cents(amount_cents, qst_pcm))


def totals(lines: Iterable[TaxedLine]) -> Totals:
    """The document's totals are the sums of its lines, so lines, taxes and totals always add up."""
    lines = list(lines)
    subtotal = sum(line.amount_cents for line in lines)
    gst = sum(line.gst_cents for line in lines)
    qst = sum(line.qst_cents for line in lines)
    return Totals(subtotal, gst, qst, subtotal + gst + qst)


# --- durations and tariffs ---------------------------------------------------------------------


class Rounding(StrEnum):
    UP = "up"  # every started increment is billed
    NEAREST = "nearest"  # half an increment or more is billed as a whole one
    DOWN = "down"  # only complete increments are billed


def billable_minutes(minutes: int, increment: int, rounding: Rounding, minimum: int) -> int:
    """The minutes billed for a use of `minutes`: rounded to the increment, never under the minimum."""
    if minutes < 0 or increment <= 0 or minimum < 0:
        raise ValueError("minutes and minimum are >= 0, the increment > 0")
    whole, rest = divmod(minutes, increment)
    if rest and (rounding == Rounding.UP or (rounding == Rounding.NEAREST and 2 * rest >= increment)):
        whole += 1
    return max(whole * increment, minimum)


def price_cents(hourly_cents: int, minutes: int) -> int:
    return divide_half_up(hourly_cents * minutes, 60)


def percent_of(amount_cents: int, percent: int) -> int:
    return divide_half_up(amount_cents * percent, 100)


@dataclass(frozen=True)
class Rate:
    id: object
    room_id: object | None
    room_kind: str | None
    clinician_class: str
    hourly_cents: int
    increment_minutes: int
    rounding: Rounding
    minimum_minutes: int
    valid_from: dt.date
    valid_until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def charge_cents(self, minutes: int) -> tuple[int, int]:
        """(billed minutes, pre-tax amount) for a use of `minutes`."""
        billed = billable_minutes(minutes, self.increment_minutes, self.rounding, self.minimum_minutes)
        return billed, price_cents(self.hourly_cents, billed)


def pick_rate(rates: Sequence[Rate], room_id: object, room_kind: str, clinician_class: str, day: dt.date) -> Rate | None:
    """The rate of a room for a class of clinician on a day: a rate for the room itself wins over
    one for its kind; among several, the one valid from the latest date."""
    valid = [r for r in rates if r.clinician_class == clinician_class and r.valid_on(day)]
    for matches in (lambda r: r.room_id == room_id, lambda r: r.room_id is None and r.room_kind == room_kind):
        found = [r for r in valid if matches(r)]
        if found:
            return max(found, key=lambda r: r.valid_from)
    return None


# --- time: overlaps, opening hours, cancellation ----------------------------------------------


def overlaps(start_a: dt.datetime, end_a: dt.datetime, start_b: dt.datetime, end_b: dt.datetime) -> bool:
    """Half-open ranges [start, end): a booking ending at 10:00 does not clash with one at 10:00."""
    return start_a < end_b and start_b < end_a


def parse_hours(text: str) -> tuple[dt.time, dt.time]:
    opens, closes = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    if closes <= opens:
        raise ValueError("a room closes after it opens")
    return opens, closes


def within_opening_hours(opening_hours: dict[str, str | None], local_start: dt.datetime, local_end: dt.datetime) -> bool:
    """Inside one day's opening hours (in the tenant's time zone). `opening_hours` maps
    mon…sun to "08:00-21:00", or to None when the room is closed that day."""
    hours = opening_hours.get(WEEKDAYS[local_start.weekday()])
    if not hours or local_end.date() != local_start.date():
        return False
    opens, closes = parse_hours(hours)
    return opens <= local_start.time() and local_end.time() <= closes


def open_minutes(opening_hours: dict[str, str | None], day: dt.date) -> int:
    hours = opening_hours.get(WEEKDAYS[day.weekday()])
    if not hours:
        return 0
    opens, closes = parse_hours(hours)
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def cancellation_fee_percent(starts_at: dt.datetime, cancelled_at: dt.datetime, free_hours: int, late_fee_percent: int) -> int:
    """Free until `free_hours` before the start, then the late fee (a percentage of the booking)."""
    return 0 if starts_at - cancelled_at >= dt.timedelta(hours=free_hours) else late_fee_percent


# --- numbering, months, hash chain -----------------------------------------------------------


def invoice_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First day of a month given as YYYY-MM, and the first day of the next."""
    first = dt.date.fromisoformat(f"{month}-01")
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


GENESIS = "0" * 64


def chain_hash(previous_hash: str, document: dict) -> str:
    """The hash that links an issued document to the one before it: any change to a byte of the
    document or of an earlier one breaks every hash after it."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


class PaymentState(StrEnum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"


def payment_state(total_cents: int, paid_cents: int) -> PaymentState:
    if paid_cents >= total_cents:
        return PaymentState.PAID
    return PaymentState.PARTLY_PAID if paid_cents > 0 else PaymentState.UNPAID


# --- accounting journal ------------------------------------------------------------------------

# Default chart of accounts (the numbering Quebec small-business charts commonly use).
ACCOUNTS = {"bank": "1010", "receivable": "1200", "gst": "2310", "qst": "2320", "sales": "4100"}


@dataclass(frozen=True)
class JournalLine:
    date: dt.date
    reference: str
    account: str
    description: str
    debit_cents: int
    credit_cents: int


def _posting(date, reference, description, pairs) -> list[JournalLine]:
    """Lines of one entry from (account, signed amount): positive is a debit, negative a credit."""
    return [
        JournalLine(date, reference, ACCOUNTS[account], description, max(amount, 0), max(-amount, 0))
        for account, amount in pairs if amount
    ]


def document_entry(date: dt.date, number: str, party: str, subtotal: int, gst: int, qst: int) -> list[JournalLine]:
    """An invoice (positive amounts) or a credit note (negative ones): receivable against sales and taxes."""
    return _posting(date, number, party, [("receivable", subtotal + gst + qst), ("sales", -subtotal), ("gst", -gst), ("qst", -qst)])


def payment_entry(date: dt.date, reference: str, party: str, amount: int) -> list[JournalLine]:
    return _posting(date, reference, party, [("bank", amount), ("receivable", -amount)])


# --- statement of account ----------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """One thing on a clinician's account: a document issued (positive: owed; a credit note is
    negative) or a payment received (negative)."""

    date: dt.date
    kind: str  # invoice, credit_note, payment
    reference: str
    amount_cents: int
    invoice_id: object = None


@dataclass(frozen=True)
class StatementLine:
    movement: Movement
    balance_cents: int


def statement(movements: Iterable[Movement]) -> list[StatementLine]:
    """The movements by date (documents before the payments of the same day), each with the
    balance after it; the last balance is what the clinician owes (negative: a credit)."""
    order = {"invoice": 0, "credit_note": 1, "payment": 2}
    lines, balance = [], 0
    for movement in sorted(movements, key=lambda m: (m.date, order.get(m.kind, 3))):
        balance += movement.amount_cents
        lines.append(StatementLine(movement, balance))
    return lines
