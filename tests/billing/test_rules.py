"""The billing rules, property-tested without a database."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from billing import rules

cents = st.integers(min_value=-10_000_000, max_value=10_000_000)
pcm = st.integers(min_value=0, max_value=100_000)


def test_quebec_taxes_are_each_on_the_pre_tax_amount_rounded_half_up():
    line = rules.tax_line(10_000, rules.GST_DEFAULT_PCM, rules.QST_DEFAULT_PCM)
    assert (line.gst_cents, line.qst_cents, line.total_cents) == (500, 998, 11_498)  # 997.5 -> 998
    assert rules.tax_cents(10, 5_000) == 1  # 0.5 -> 1
    assert rules.tax_cents(-10, 5_000) == -1  # a credit mirrors an invoice
    assert rules.tax_line(12_345, 0, 0).total_cents == 12_345  # rates can be zero


@given(cents, pcm)
def test_tax_is_the_exact_rate_rounded_to_the_nearest_cent(amount, rate):
    tax = rules.tax_cents(amount, rate)
    exact = amount * rate / rules.PCM
    assert abs(tax - exact) <= 0.5 + 1e-9
    assert rules.tax_cents(-amount, rate) == -tax


@given(st.lists(st.integers(-500_000, 500_000), min_size=1, max_size=30), st.integers(0, 20_000), st.integers(0, 20_000))
def test_a_documents_taxes_are_on_its_subtotal_and_its_lines_add_up_to_them(amounts, gst, qst):
    lines = rules.taxed_document(amounts, gst, qst)
    total = rules.totals(lines)
    subtotal = sum(amounts)
    assert [line.amount_cents for line in lines] == amounts and total.subtotal_cents == subtotal
    # Each tax rounded once, on the subtotal.
    assert (total.gst_cents, total.qst_cents) == (rules.tax_cents(subtotal, gst), rules.tax_cents(subtotal, qst))
    assert total.total_cents == subtotal + total.gst_cents + total.qst_cents
    if subtotal:  # each line's share within a cent of its exact part of the tax
        for line in lines:
            assert abs(line.gst_cents * subtotal - total.gst_cents * line.amount_cents) < abs(subtotal)
            assert abs(line.qst_cents * subtotal - total.qst_cents * line.amount_cents) < abs(subtotal)


def test_two_ten_cent_lines_owe_the_gst_of_twenty_cents():
    lines = rules.taxed_document([10, 10], rules.GST_DEFAULT_PCM, rules.QST_DEFAULT_PCM)
    assert rules.totals(lines).gst_cents == 1  # 5 % of $0.20; taxed per line it was 2¢
    assert sum(rules.tax_line(10, rules.GST_DEFAULT_PCM, 0).gst_cents for _ in range(2)) == 2


@given(st.lists(cents, max_size=40), pcm, pcm)
def test_lines_taxes_and_totals_always_add_up(amounts, gst, qst):
    lines = [rules.tax_line(a, gst, qst) for a in amounts]
    total = rules.totals(lines)
    assert total.subtotal_cents == sum(amounts)
    assert total.gst_cents == sum(l.gst_cents for l in lines)
    assert total.qst_cents == sum(l.qst_cents for l in lines)
    assert total.total_cents == total.subtotal_cents + total.gst_cents + total.qst_cents == sum(l.total_cents for l in lines)


@given(st.integers(0, 24 * 60), st.sampled_from([1, 5, 15, 30, 60]), st.sampled_from(list(rules.Rounding)), st.integers(0, 240))
def test_billable_minutes_are_whole_increments_never_under_the_minimum(minutes, increment, rounding, minimum):
    billed = rules.billable_minutes(minutes, increment, rounding, minimum)
    assert billed >= minimum
    if billed > minimum:
        assert billed % increment == 0
        assert abs(billed - minutes) < increment
    if rounding == rules.Rounding.UP:
        assert billed >= minutes
    if rounding == rules.Rounding.DOWN and billed > minimum:
        assert billed <= minutes


def test_billable_minutes_examples():
    assert rules.billable_minutes(61, 15, rules.Rounding.UP, 0) == 75
    assert rules.billable_minutes(67, 15, rules.Rounding.NEAREST, 0) == 60
    assert rules.billable_minutes(68, 15, rules.Rounding.NEAREST, 0) == 75  # 8 of 15 is half or more
    assert rules.billable_minutes(74, 15, rules.Rounding.DOWN, 0) == 60
    assert rules.billable_minutes(20, 15, rules.Rounding.UP, 60) == 60
    assert rules.price_cents(4_000, 75) == 5_000


def _rate(room_id=None, kind=None, klass="psy", start=dt.date(2027, 1, 1), until=None, cents=1000):
    return rules.Rate(object(), room_id, kind, klass, cents, 15, rules.Rounding.UP, 0, start, until)


def test_the_rate_of_the_room_wins_over_its_kind_and_validity_dates_count():
    by_kind = _rate(kind="office", cents=1000, until=dt.date(2027, 6, 30))
    later = _rate(kind="office", cents=1200, start=dt.date(2027, 7, 1))
    own = _rate(room_id="r1", cents=1500, start=dt.date(2027, 3, 1))
    rates = [by_kind, later, own]
    assert rules.pick_rate(rates, "r1", "office", "psy", dt.date(2027, 2, 1)) is by_kind
    assert rules.pick_rate(rates, "r1", "office", "psy", dt.date(2027, 3, 1)) is own
    assert rules.pick_rate(rates, "r2", "office", "psy", dt.date(2027, 7, 1)) is later
    assert rules.pick_rate(rates, "r2", "office", "md", dt.date(2027, 7, 1)) is None
    assert rules.pick_rate(rates, "r2", "office", "psy", dt.date(2026, 12, 31)) is None


times = st.datetimes(min_value=dt.datetime(2027, 1, 1), max_value=dt.datetime(2027, 1, 3)).map(lambda t: t.replace(second=0, microsecond=0))
lengths = st.integers(1, 600).map(lambda m: dt.timedelta(minutes=m))


@given(times, lengths, times, lengths)
def test_overlap_is_symmetric_and_matches_shared_minutes(a, la, b, lb):
    shared = min(a + la, b + lb) - max(a, b)
    assert rules.overlaps(a, a + la, b, b + lb) == rules.overlaps(b, b + lb, a, a + la) == (shared > dt.timedelta(0))


def test_back_to_back_bookings_do_not_overlap():
    nine, ten, eleven = (dt.datetime(2027, 1, 5, h) for h in (9, 10, 11))
    assert not rules.overlaps(nine, ten, ten, eleven)


def test_opening_hours():
    hours = {"tue": "08:00-17:00", "wed": None}
    tuesday = dt.datetime(2027, 1, 5, 8)
    assert rules.within_opening_hours(hours, tuesday, tuesday.replace(hour=17))
    assert not rules.within_opening_hours(hours, tuesday.replace(hour=7), tuesday.replace(hour=9))
    assert not rules.within_opening_hours(hours, tuesday, tuesday.replace(hour=17, minute=1))
    assert not rules.within_opening_hours(hours, tuesday + dt.timedelta(days=1), tuesday + dt.timedelta(days=1, hours=1))
    assert rules.open_minutes(hours, tuesday.date()) == 540


@given(st.integers(0, 200), st.integers(0, 168), st.integers(0, 100))
def test_cancellation_is_free_until_the_delay_then_the_late_fee(hours_before, free_hours, fee):
    start = dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC)
    charged = rules.cancellation_fee_percent(start, start - dt.timedelta(hours=hours_before), free_hours, fee)
    assert charged == (0 if hours_before >= free_hours else fee)


def test_numbers_months_and_chain():
    assert rules.invoice_number(2027, 123) == "2027-000123"
    assert rules.month_bounds("2027-12") == (dt.date(2027, 12, 1), dt.date(2028, 1, 1))
    first = rules.chain_hash(rules.GENESIS, {"number": "2027-000001", "total_cents": 100})
    assert first == rules.chain_hash(rules.GENESIS, {"total_cents": 100, "number": "2027-000001"})
    assert first != rules.chain_hash(rules.GENESIS, {"number": "2027-000001", "total_cents": 101})
    assert rules.payment_state(100, 0) == "unpaid" and rules.payment_state(100, 40) == "partly_paid" and rules.payment_state(100, 100) == "paid"


@given(st.integers(-10_000_000, 10_000_000), pcm, pcm, st.integers(1, 10_000_000))
def test_every_journal_entry_balances(subtotal, gst_rate, qst_rate, paid):
    line = rules.tax_line(subtotal, gst_rate, qst_rate)
    day = dt.date(2027, 1, 31)
    for entry in (rules.document_entry(day, "2027-000001", "X", line.amount_cents, line.gst_cents, line.qst_cents), rules.payment_entry(day, "chq", "X", paid)):
        assert sum(l.debit_cents for l in entry) == sum(l.credit_cents for l in entry)
        assert all(l.debit_cents >= 0 and l.credit_cents >= 0 and not (l.debit_cents and l.credit_cents) for l in entry)


movements = st.lists(
    st.builds(
        rules.Movement, date=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 3, 1)),
        kind=st.sampled_from(["invoice", "credit_note", "payment"]), reference=st.text(max_size=5), amount_cents=cents,
    ),
    max_size=30,
)


@given(movements)
def test_a_statement_keeps_every_movement_in_date_order_and_ends_on_their_sum(items):
    lines = rules.statement(items)
    assert sorted(map(id, (l.movement for l in lines))) == sorted(map(id, items))
    assert [l.movement.date for l in lines] == sorted(m.date for m in items)
    running = 0
    for line in lines:
        running += line.movement.amount_cents
        assert line.balance_cents == running
    assert (lines[-1].balance_cents if lines else 0) == sum(m.amount_cents for m in items)


def test_on_one_day_documents_come_before_the_payments():
    day = dt.date(2026, 2, 3)
    lines = rules.statement([rules.Movement(day, "payment", "p", -500), rules.Movement(day, "invoice", "f", 1000)])
    assert [(l.movement.kind, l.balance_cents) for l in lines] == [("invoice", 1000), ("payment", 500)]


@given(st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=12))
def test_new_dues_replace_the_last_dues_credited_in_full_and_never_dues_that_stand(history):
    """Each account's dues of a year, in order: each new one replaces the one before (credited in full)."""
    invoices, last = [], {}
    for position, (account, stands) in enumerate(history):
        invoices.append(rules.DuesInvoice(position, account, stands, last.get(account)))
        last[account] = position
    found = rules.dues_to_replace(invoices)
    assert set(found) == {account for account, _ in history}
    for account, replaced in found.items():
        mine = [i for i in invoices if i.account_id == account]
        assert replaced == (None if any(i.stands for i in mine) else mine[-1].id)
