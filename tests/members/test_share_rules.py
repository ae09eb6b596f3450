"""The share ledger's rules, property-tested: whatever operations are tried in whatever order, the
holdings are the sum of the operations accepted, no member ever holds fewer than no shares or more
paid than subscribed, and a reversal gives back the holdings before the operation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.errors import RuleViolation
from governance.members import share_rules as rules
from governance.members.share_rules import Holding, ShareKind

MEMBERS = ["a", "b", "c"]
KINDS = list(ShareKind)

tries = st.lists(
    st.tuples(
        st.sampled_from(["subscription", "payment", "unpayment", "transfer", "redemption", "conversion", "reversal"]),
        st.sampled_from(MEMBERS), st.sampled_from(MEMBERS), st.sampled_from(KINDS), st.sampled_from(KINDS), st.integers(-2, 6),
    ),
    max_size=40,
)


def movements_of(held, tried, accepted):
    operation, member, other, kind, other_kind, shares = tried
    if operation == "subscription":
        return rules.subscription(member, kind, shares)
    if operation == "payment":
        return rules.payment(member, kind, shares)
    if operation == "unpayment":
        return rules.payment(member, kind, -abs(shares))
    if operation == "transfer":
        return rules.transfer(member, other, kind, shares)
    if operation == "redemption":
        return rules.redemption(member, kind, shares, held.get((member, kind), Holding()))
    if operation == "conversion":
        return rules.conversion(member, kind, other_kind, shares)
    return rules.reversal(accepted[shares % len(accepted)]) if accepted else []


@given(tries)
def test_the_ledger_sums_to_the_holdings_and_never_holds_less_than_nothing(tried_operations):
    held, accepted = {}, []
    for tried in tried_operations:
        try:
            movements = movements_of(held, tried, accepted)
            held = rules.after(held, movements)
        except RuleViolation:
            continue
        accepted.append(movements)
    assert held == rules.holdings(m for ms in accepted for m in ms)
    assert all(h.subscribed >= 0 and 0 <= h.paid <= h.subscribed for h in held.values())


@given(tries)
def test_a_reversal_gives_back_the_holdings_before_the_operation(tried_operations):
    held = {}
    for tried in tried_operations:
        try:
            movements = movements_of(held, tried, [])
            after = rules.after(held, movements)
        except RuleViolation:
            continue
        undone = rules.after(after, rules.reversal(movements))
        assert {k: v for k, v in undone.items() if v != Holding()} == {k: v for k, v in held.items() if v != Holding()}
        held = after


def test_a_redemption_gives_back_the_unpaid_shares_first_and_refunds_the_paid_ones():
    held = {("a", "qualifying"): Holding(5, 3)}
    movements = rules.redemption("a", "qualifying", 3, held[("a", "qualifying")])
    assert rules.after(held, movements)[("a", "qualifying")] == Holding(2, 2)
    assert rules.refunded_cents(movements, {"qualifying": 1000}) == 1000  # two unpaid went first, one paid refunded


def test_what_cannot_be_held_is_refused():
    held = {("a", "qualifying"): Holding(2, 1)}
    with pytest.raises(RuleViolation) as transfer:
        rules.after(held, rules.transfer("a", "b", "qualifying", 2))  # one share paid, two transferred
    assert transfer.value.status == 409
    with pytest.raises(RuleViolation):
        rules.after(held, rules.payment("a", "qualifying", 2))  # more paid than subscribed
    with pytest.raises(RuleViolation):
        rules.transfer("a", "a", "qualifying", 1)
    with pytest.raises(RuleViolation):
        rules.conversion("a", "qualifying", "qualifying", 1)
    assert rules.in_good_standing(Holding(1, 1), 1) and not rules.in_good_standing(Holding(1, 0), 1)
