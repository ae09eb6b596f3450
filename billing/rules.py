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
from itertools import pairwise

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


def taxed_document(amounts: Sequence[int], gst_pcm: int, qst_pcm: int) -> list[TaxedLine]:
    """A document's lines taxed as Revenu Québec's examples do: GST and QST each on the taxable
    subtotal, rounded half-up once (two lines of $0.10 owe 1¢ of GST, as their $0.20 do, not 2¢).
    Each tax is then spread over the lines in proportion to their amounts, so that the lines'
    taxes add up to the document's exactly (a credit note mirroring the lines mirrors the taxes)."""
    subtotal = sum(amounts)
    gst = _spread(tax_cents(subtotal, gst_pcm), amounts)
    qst = _spread(tax_cents(subtotal, qst_pcm), amounts)
    return [TaxedLine(amount, g, q) for amount, g, q in zip(amounts, gst, qst, strict=True)]


def _spread(tax: int, amounts: Sequence[int]) -> list[int]:
    """`tax` in whole cents over the amounts, each its exact share rounded down, then the cents
    left to those whose share lost the most (largest remainder); any signs."""
    subtotal = sum(amounts)
    if subtotal == 0:
        return [0] * len(amounts)
    floors = [tax * amount // subtotal for amount in amounts]
    remainders = [tax * amount - floor * subtotal for amount, floor in zip(amounts, floors, strict=True)]  # share - floor, times subtotal
    if subtotal < 0:  # (floor division by a negative subtotal: remainders are <= 0, largest means most negative)
        remainders = [-r for r in remainders]
    left = tax - sum(floors)
    for index in sorted(range(len(amounts)), key=lambda i: remainders[i], reverse=True)[:left]:
        floors[index] += 1
    return floors


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
    band: str = "standard"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def charge_cents(self, minutes: int) -> tuple[int, int]:
        """(billed minutes, pre-tax amount) for a use of `minutes`."""
        billed = billable_minutes(minutes, self.increment_minutes, self.rounding, self.minimum_minutes)
        return billed, price_cents(self.hourly_cents, billed)


def pick_rate(rates: Sequence[Rate], room_id: object, room_kind: str, clinician_class: str, day: dt.date, band: str = "standard") -> Rate | None:
    """The rate of a room for a class of clinician on a day (in a band): a rate for the room
    itself wins over one for its kind; among several, the one valid from the latest date."""
    valid = [r for r in rates if r.clinician_class == clinician_class and r.band == band and r.valid_on(day)]
    for matches in (lambda r: r.room_id == room_id, lambda r: r.room_id is None and r.room_kind == room_kind):
        found = [r for r in valid if matches(r)]
        if found:
            return max(found, key=lambda r: r.valid_from)
    return None


def pick_rates(rates: Sequence[Rate], room_id: object, room_kind: str, clinician_class: str, day: dt.date) -> dict[str, Rate]:
    """The rates of each band that has one (the standard one first: without it, none)."""
    found = {band: pick_rate(rates, room_id, room_kind, clinician_class, day, band) for band in BANDS}
    return {band: rate for band, rate in found.items() if rate is not None} if found["standard"] else {}


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


def valid_month(text: str) -> bool:
    """YYYY-MM, a real month."""
    try:
        month_bounds(text)
    except ValueError:
        return False
    return len(text) == 7


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
    PROCESSING = "processing"  # a pre-authorised debit clearing: Stripe confirms it in a few days
    PARTLY_PAID = "partly_paid"
    PAID = "paid"


def payment_state(total_cents: int, paid_cents: int, processing: bool = False) -> PaymentState:
    if paid_cents >= total_cents:
        return PaymentState.PAID
    if processing:
        return PaymentState.PROCESSING
    return PaymentState.PARTLY_PAID if paid_cents > 0 else PaymentState.UNPAID


# What a reversal of a card payment does to what it paid: a refund and a dispute take the money
# back, a dispute won returns it.
REVERSAL_SIGNS = {"refund": -1, "dispute": -1, "reinstatement": 1}


def reversal_sign(kind: str) -> int:
    return REVERSAL_SIGNS[kind]


def missing_for_invoices(settings: dict, currency: str) -> list[str]:
    """The settings an invoice should carry and lacks: the seller's legal name and address and,
    where GST and QST are charged (in Canadian dollars), their registration numbers."""
    needed = ["legal_name", "address"] + (["gst_number", "qst_number"] if currency == "CAD" else [])
    return [name for name in needed if not settings[name].strip()]


# --- accounting journal ------------------------------------------------------------------------

# Default chart of accounts (the numbering Quebec small-business charts commonly use).
ACCOUNTS = {
    "bank": "1010", "receivable": "1200", "gst": "2310", "qst": "2320", "customer_credit": "2400", "share_capital": "3100",
    "sales": "4100", "dues": "4200",
}
# Where what an invoice is for goes: room hours are sales, dues a revenue of their own, shares
# the members' share capital (equity, not revenue).
REVENUE_ACCOUNTS = {"rooms": "sales", "dues": "dues", "shares": "share_capital"}


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


def document_entry(date: dt.date, number: str, party: str, subtotal: int, gst: int, qst: int, purpose: str = "rooms") -> list[JournalLine]:
    """An invoice (positive amounts) or a credit note (negative ones): receivable against the
    account of what it is for (sales, dues, share capital) and taxes."""
    return _posting(date, number, party, [("receivable", subtotal + gst + qst), (REVENUE_ACCOUNTS[purpose], -subtotal), ("gst", -gst), ("qst", -qst)])


def payment_entry(date: dt.date, reference: str, party: str, amount: int) -> list[JournalLine]:
    return _posting(date, reference, party, [("bank", amount), ("receivable", -amount)])


def credit_entry(date: dt.date, reference: str, party: str, kind: str, amount: int) -> list[JournalLine]:
    """A movement of a clinician's account credit (amount as in the ledger: positive when the
    credit grows): an overpayment is cash received on account; the excess of a credit note moves
    from receivables to the account; applied credit pays a receivable; a refund is cash paid out."""
    source = {"overpayment": "bank", "credit_note": "receivable", "applied": "receivable", "refund": "bank"}[kind]
    return _posting(date, reference, party, [(source, amount), ("customer_credit", -amount)])


# --- statement of account ----------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """One thing on a clinician's account: a document issued (positive: owed; a credit note is
    negative) or a payment received (negative)."""

    date: dt.date
    kind: str  # invoice, credit_note, payment, refund
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
    order = {"invoice": 0, "credit_note": 1, "payment": 2, "refund": 3}
    lines, balance = [], 0
    for movement in sorted(movements, key=lambda m: (m.date, order.get(m.kind, 3))):
        balance += movement.amount_cents
        lines.append(StatementLine(movement, balance))
    return lines


# --- week calendars ----------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def day_span(opening_hours: Iterable[str | None], default: tuple[int, int] = (7 * 60, 22 * 60)) -> tuple[int, int]:
    """The minutes of the day a week view shows: from the earliest opening to the latest closing
    (whole hours), or `default` when the room is never open."""
    spans = [parse_hours(hours) for hours in opening_hours if hours]
    if not spans:
        return default
    first = min(opens.hour * 60 + opens.minute for opens, _ in spans)
    last = max(closes.hour * 60 + closes.minute for _, closes in spans)
    return first - first % 60, min(24 * 60, last + (-last) % 60)


@dataclass(frozen=True)
class Block:
    """A booking's part on one day of a week view: its day (0 = Monday), its minutes in the
    day, and where it sits in the day's column (top and height in percent of the span shown)."""

    day: int
    start_minute: int
    end_minute: int
    top_percent: float
    height_percent: float
    item: object = None


def week_blocks(items: Iterable[tuple[dt.datetime, dt.datetime, object]], monday: dt.date, span: tuple[int, int]) -> list[Block]:
    """Places local (start, end, item) times on the seven days from `monday`: a time crossing
    midnight gives a block on each day; the part outside the span shown is cut off (a block
    wholly outside it is not shown)."""
    first, last = span
    if last <= first:
        raise ValueError("the span ends after it starts")
    width = last - first
    blocks = []
    for start, end, item in items:
        for day in range(7):
            date = monday + dt.timedelta(days=day)
            day_start = dt.datetime.combine(date, dt.time(), start.tzinfo)
            begin = max(first, _minutes_after(day_start, start))
            finish = min(last, _minutes_after(day_start, end))
            if finish > begin:
                blocks.append(Block(day, begin, finish, round((begin - first) * 100 / width, 3), round((finish - begin) * 100 / width, 3), item))
    return sorted(blocks, key=lambda b: (b.day, b.start_minute, b.end_minute))


def _minutes_after(day_start: dt.datetime, moment: dt.datetime) -> int:
    """Minutes of wall-clock time from a day's midnight (negative before it, over 1440 after)."""
    delta = dt.datetime.combine(moment.date(), moment.time()) - dt.datetime.combine(day_start.date(), dt.time())
    return int(delta.total_seconds() // 60)


# --- reports: occupancy, unbooked hours, revenue per room --------------------------------------


def months_between(first: str, last: str) -> list[str]:
    """The months from `first` to `last` (YYYY-MM), both included."""
    months, current = [], month_bounds(first)[0]
    end = month_bounds(last)[0]
    while current <= end:
        months.append(month_of(current))
        current = month_bounds(month_of(current))[1]
    return months


def open_minutes_in(opening_hours: dict[str, str | None], first: dt.date, following: dt.date) -> int:
    """A room's open minutes on the days from `first` to the day before `following`."""
    return sum(open_minutes(opening_hours, first + dt.timedelta(days=i)) for i in range((following - first).days))


def booked_minutes_in(opening_hours: dict[str, str | None], first: dt.date, following: dt.date, intervals: Iterable[tuple[dt.datetime, dt.datetime]]) -> int:
    """Minutes of (local, wall-clock) booked time inside the room's opening hours on those days,
    counted once where bookings overlap: never more than the open minutes."""
    by_day: dict[dt.date, list[tuple[int, int]]] = {}
    for start, end in intervals:
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
        day = max(start.date(), first)
        while day < following and dt.datetime.combine(day, dt.time()) < end:
            hours = opening_hours.get(WEEKDAYS[day.weekday()])
            if hours:
                opens, closes = parse_hours(hours)
                low = max(start, dt.datetime.combine(day, opens))
                high = min(end, dt.datetime.combine(day, closes))
                if high > low:
                    midnight = dt.datetime.combine(day, dt.time())
                    by_day.setdefault(day, []).append((int((low - midnight).total_seconds() // 60), int((high - midnight).total_seconds() // 60)))
            day += dt.timedelta(days=1)
    total = 0
    for spans in by_day.values():
        reached = -1
        for low, high in sorted(spans):
            low = max(low, reached)
            if high > low:
                total += high - low
                reached = high
    return total


@dataclass(frozen=True)
class RoomMonth:
    """One room in one month: open and booked minutes, and what its bookings brought in (before tax,
    credit notes deducted)."""

    room_id: object
    month: str
    open_minutes: int
    booked_minutes: int
    revenue_cents: int

    @property
    def unbooked_minutes(self) -> int:
        return self.open_minutes - self.booked_minutes

    @property
    def occupancy_percent(self) -> float:
        return round(self.booked_minutes * 100 / self.open_minutes, 1) if self.open_minutes else 0.0


def room_month(room_id, opening_hours: dict[str, str | None], month: str, intervals, revenue_cents: int) -> RoomMonth:
    first, following = month_bounds(month)
    return RoomMonth(room_id, month, open_minutes_in(opening_hours, first, following), booked_minutes_in(opening_hours, first, following, intervals), revenue_cents)


# --- overdue invoices: ageing and reminders ------------------------------------------------------

AGEING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


def parse_days(value) -> list[int]:
    """Reminder delays as stored ("7,30") or as given (a list), sorted, each once."""
    if isinstance(value, str):
        value = [int(part) for part in value.split(",") if part.strip()]
    return sorted(set(value))


def format_days(days: Iterable[int]) -> str:
    return ",".join(str(day) for day in sorted(set(days)))


def ageing_bucket(due_on: dt.date, today: dt.date) -> str:
    """Where an unpaid balance sits by days past its due date: not yet due (current), 1-30,
    31-60, 61-90, over 90."""
    late = (today - due_on).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "days_1_30"
    if late <= 60:
        return "days_31_60"
    if late <= 90:
        return "days_61_90"
    return "days_over_90"


def ageing(balances: Iterable[tuple[dt.date, int]], today: dt.date) -> dict[str, int]:
    """The sum of the balances (due date, cents) in each bucket; every balance in exactly one."""
    buckets = dict.fromkeys(AGEING_BUCKETS, 0)
    for due_on, cents in balances:
        buckets[ageing_bucket(due_on, today)] += cents
    return buckets


def reminder_due(due_on: dt.date, today: dt.date, delays: Iterable[int], sent: Iterable[int]) -> int | None:
    """The reminder to send today, if any: the longest delay already reached, unless it or a
    longer one was sent. One reminder at a time: an invoice found 40 days late with delays 7 and
    30 gets the 30-day reminder only (the 7-day one is never sent late)."""
    late = (today - due_on).days
    reached = [days for days in delays if days <= late]
    if not reached:
        return None
    latest = max(reached)
    return None if any(days >= latest for days in sent) else latest


# --- rate bands: weekday evenings and weekends -------------------------------------------------

BANDS = ("standard", "evening", "weekend")


def band_at(moment: dt.datetime, evening_from: dt.time) -> str:
    """The band of a (local) moment: weekends all day, weekday evenings from `evening_from`."""
    if moment.weekday() >= 5:
        return "weekend"
    return "evening" if moment.time() >= evening_from else "standard"


def band_parts(local_start: dt.datetime, local_end: dt.datetime, evening_from: dt.time) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """A use, from its local start to its local end, cut where its band changes: at the evening
    hour, at midnight between a weekday and a weekend day. Consecutive parts have different bands
    and add up to the whole use. The cuts are wall-clock times of the use's zone; the parts are
    ordered by the instant, so that a use across a DST change keeps its real length (see
    `elapsed_minutes`)."""
    if _instant(local_end) <= _instant(local_start):
        return []
    zone = local_start.tzinfo
    start, end = local_start.replace(tzinfo=None), local_end.replace(tzinfo=None)
    cuts = [local_start, local_end]
    day = start.date()
    while dt.datetime.combine(day, dt.time()) < end:
        for moment in (dt.datetime.combine(day, dt.time()), dt.datetime.combine(day, evening_from)):
            if start < moment < end:
                cuts.append(moment.replace(tzinfo=zone))
        day += dt.timedelta(days=1)
    points = sorted(cuts, key=_instant)
    parts: list[tuple[str, dt.datetime, dt.datetime]] = []
    for low, high in pairwise(points):
        band = band_at(low, evening_from)
        if parts and parts[-1][0] == band:
            parts[-1] = (band, parts[-1][1], high)
        else:
            parts.append((band, low, high))
    return parts


def elapsed_minutes(low: dt.datetime, high: dt.datetime) -> int:
    """The real minutes from one local time to another: the night the clocks go forward, 00:00 to
    04:00 lasts three hours, and five the night they go back. (Python subtracts
    two times of one zone on the wall clock: the instants are compared in UTC.)"""
    return int((_instant(high) - _instant(low)).total_seconds() // 60)


def _instant(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment


@dataclass(frozen=True)
class PricedPart:
    band: str
    rate: Rate
    used_minutes: int
    billed_minutes: int
    amount_cents: int


def price_use(parts: Sequence[tuple[str, int]], rates: dict[str, Rate]) -> list[PricedPart]:
    """Prices the parts of one use, (band, minutes) in order, each at its band's rate (the
    standard rate where the band has none), rounded to that rate's increment; parts at the same
    rate are billed together. The standard rate's minimum applies to the whole use: what is
    missing is added to the first part."""
    standard = rates["standard"]
    merged: list[tuple[str, Rate, int]] = []
    for band, minutes in parts:
        rate = rates.get(band) or standard
        if merged and merged[-1][1] == rate:
            merged[-1] = (merged[-1][0], rate, merged[-1][2] + minutes)
        else:
            merged.append((band if rate is not standard else "standard", rate, minutes))
    priced = [[band, rate, minutes, billable_minutes(minutes, rate.increment_minutes, rate.rounding, 0)] for band, rate, minutes in merged]
    if priced:
        missing = standard.minimum_minutes - sum(p[3] for p in priced)
        if missing > 0:
            priced[0][3] += missing
    return [PricedPart(band, rate, used, billed, price_cents(rate.hourly_cents, billed)) for band, rate, used, billed in priced]


# --- members' dues and shares ------------------------------------------------------------------


def dues_for(dues_cents: dict[str, int], category: str) -> int:
    """A member's annual dues: their category's amount, none for a category left out."""
    return max(int(dues_cents.get(category, 0) or 0), 0)


@dataclass(frozen=True)
class DuesInvoice:
    id: object
    account_id: object
    stands: bool  # a draft, or issued and not credited in full
    replaces: object | None


def dues_to_replace(invoices: Iterable[DuesInvoice]) -> dict:
    """By account with dues of a year: None while one of them stands (no second dues); else the
    last one, credited in full, that new dues of the year replace."""
    invoices = list(invoices)
    replaced = {i.replaces for i in invoices}
    found = {i.account_id: None for i in invoices if i.stands}
    for invoice in invoices:
        if invoice.account_id not in found and invoice.id not in replaced:
            found[invoice.account_id] = invoice.id
    return found


def shares_owing(subscribed: int, paid: int, invoiced: int) -> int:
    """Shares subscribed but neither paid nor on an invoice still open."""
    return max(subscribed - paid - invoiced, 0)


def shares_covered(paid_cents: int, share_price_cents: int, shares: int) -> int:
    """How many of an invoice's shares a payment of `paid_cents` in all has paid for: whole
    shares only, never more than the invoice is for."""
    if share_price_cents <= 0:
        return shares if paid_cents > 0 else 0
    return min(max(paid_cents, 0) // share_price_cents, shares)
