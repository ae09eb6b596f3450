"""Rules of the share ledger, as plain functions over plain values (no database, no HTTP).

A member's shares are not two numbers that are changed: they are what the ledger's operations add
up to. Each operation (a subscription, a payment, a transfer, a redemption, a conversion...) is a
list of movements, each a change of the shares one member subscribed and paid of one kind; an
operation is never changed, only reversed by another whose movements are its own, negated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from backend.errors import RuleViolation
from backend.i18n import N_


class ShareKind(StrEnum):
    QUALIFYING = "qualifying"  # the shares the by-laws ask of a member (the organisation's price and number)
    PREFERRED = "preferred"


class Operation(StrEnum):
    OPENING = "opening"  # the shares held when the ledger began (the register's counters)
    SUBSCRIPTION = "subscription"
    PAYMENT = "payment"  # negative: a payment cancelled (a credit note on a share invoice)
    TRANSFER = "transfer"
    REDEMPTION = "redemption"  # on resignation, exclusion or death, refunded on a date
    CONVERSION = "conversion"
    CORRECTION = "correction"  # the figures typed in the entry's form, as the change they make
    REVERSAL = "reversal"


class Ground(StrEnum):
    """Why shares are redeemed."""

    RESIGNATION = "resignation"
    EXCLUSION = "exclusion"
    DEATH = "death"


@dataclass(frozen=True)
class Movement:
    member_id: object
    kind: str
    subscribed: int  # change of the shares subscribed
    paid: int  # change of the shares paid


@dataclass(frozen=True)
class Holding:
    subscribed: int = 0
    paid: int = 0

    @property
    def unpaid(self) -> int:
        return self.subscribed - self.paid


def holdings(movements: Iterable[Movement]) -> dict[tuple[object, str], Holding]:
    """What each member holds of each kind: the sum of their movements."""
    sums: dict[tuple[object, str], list[int]] = defaultdict(lambda: [0, 0])
    for movement in movements:
        total = sums[(movement.member_id, movement.kind)]
        total[0] += movement.subscribed
        total[1] += movement.paid
    return {key: Holding(*total) for key, total in sums.items()}


def after(held: dict[tuple[object, str], Holding], movements: list[Movement]) -> dict[tuple[object, str], Holding]:
    """The holdings the movements leave, refused if one would hold less than nothing or have more
    shares paid than subscribed (a refused operation changes nothing)."""
    changed = dict(held)
    for key, change in holdings(movements).items():
        before = changed.get(key, Holding())
        result = Holding(before.subscribed + change.subscribed, before.paid + change.paid)
        if result.paid < 0 or result.subscribed < 0:
            raise RuleViolation("shares", N_("A member cannot hold fewer than no shares: %(held)s held, %(paid)s paid."), status=409, held=before.subscribed, paid=before.paid)
        if result.paid > result.subscribed:
            raise RuleViolation("shares", N_("More shares would be paid than subscribed: %(unpaid)s subscribed share(s) are unpaid."), status=409, unpaid=before.unpaid)
        changed[key] = result
    return changed


def subscription(member_id, kind: str, shares: int) -> list[Movement]:
    return [Movement(member_id, kind, _positive(shares), 0)]


def payment(member_id, kind: str, shares: int) -> list[Movement]:
    """Shares paid (or, negative, a payment taken back)."""
    return [Movement(member_id, kind, 0, shares)]


def transfer(from_id, to_id, kind: str, shares: int) -> list[Movement]:
    """Paid shares that pass from one member to another."""
    if from_id == to_id:
        raise RuleViolation("to_member_id", N_("Shares are transferred to another member."))
    return [Movement(from_id, kind, -_positive(shares), -shares), Movement(to_id, kind, shares, shares)]


def redemption(member_id, kind: str, shares: int, held: Holding) -> list[Movement]:
    """Shares given back to the co-operative: the unpaid ones go first, then paid ones, which are
    refunded."""
    _positive(shares)
    return [Movement(member_id, kind, -shares, -max(0, shares - held.unpaid))]


def conversion(member_id, from_kind: str, to_kind: str, shares: int) -> list[Movement]:
    """Paid shares of one kind become as many paid shares of another."""
    if from_kind == to_kind:
        raise RuleViolation("to_kind", N_("Shares are converted to another kind."))
    return [Movement(member_id, from_kind, -_positive(shares), -shares), Movement(member_id, to_kind, shares, shares)]


def reversal(movements: Iterable[Movement]) -> list[Movement]:
    """The movements that undo an operation's."""
    return [Movement(m.member_id, m.kind, -m.subscribed, -m.paid) for m in movements]


def refunded_cents(movements: Iterable[Movement], prices: dict[str, int]) -> int:
    """What a redemption pays back: its paid shares at their kind's price."""
    return sum(-m.paid * prices.get(m.kind, 0) for m in movements if m.paid < 0)


def in_good_standing(held: Holding, minimum: int) -> bool:
    """A member in good standing has paid the minimum of qualifying shares."""
    return held.paid >= minimum


def _positive(shares: int) -> int:
    if shares <= 0:
        raise RuleViolation("shares", N_("Enter a number of shares greater than zero."))
    return shares
