"""Rules of elections of directors, as plain functions over plain values (no database, no HTTP).

Candidates are known on the ballot by their ballot number (1 to K, given when the vote opens).

- **Plurality for N seats**: a ballot marks up to N candidates; the N candidates with the most
  marks are elected.
- **Single transferable vote** (ranked choice): a ballot ranks candidates in order of preference.
  The count is the *weighted inclusive Gregory method* with exact fractions (no rounding at all):
  the Droop quota is floor(valid ballots / (seats + 1)) + 1; while seats remain, a candidate whose
  votes reach the quota is elected (the highest first) and every ballot in their pile moves on to
  its next continuing preference at its weight multiplied by surplus / votes; when nobody reaches
  the quota the candidate with the fewest votes is excluded and their ballots move on at their
  weight. When the candidates still in the count are no more than the seats left, they are all
  elected (without the quota: the record says so).
- **Ties are decided by lot**, and anyone can redo the draw: the seed (32 random hex digits) is
  drawn when the vote opens, before any ballot, and only its commitment, SHA-256(seed) as hex, is
  published then; at the close it is revealed, recorded with the result and printed in the minutes
  with that commitment, so that nobody can choose it once the ballots are known (an election
  opened before commitments existed has its seed drawn at the close, and says so); the tied candidates are put in the order of
  SHA-256("solidaire-lot|<seed>|<context>|<ballot number>") as hexadecimal text, lowest first. The
  first in that order is favoured: elected (plurality, STV election), the last is excluded (STV).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

BLANK = "blank"  # a ballot that marks nobody


class Method(StrEnum):
    PLURALITY = "plurality"
    STV = "stv"


# --- ballots as the text kept in the ballot box ------------------------------------------------


def encode(method: str, numbers: Sequence[int]) -> str:
    """A ballot as kept in the box: plurality marks sorted ("1,4"); a ranking in order ("3>1>2")."""
    if not numbers:
        return BLANK
    if method == Method.PLURALITY:
        return ",".join(str(n) for n in sorted(numbers))
    return ">".join(str(n) for n in numbers)


def decode(method: str, choice: str) -> tuple[int, ...]:
    if choice == BLANK or not choice:
        return ()
    return tuple(int(part) for part in choice.split("," if method == Method.PLURALITY else ">"))


def ballot_problem(method: str, numbers: Sequence[int], candidates: Sequence[int], seats: int) -> str | None:
    """What is wrong with a ballot (None: it is valid). A ballot may be blank."""
    if len(set(numbers)) != len(numbers):
        return "twice"
    if any(n not in candidates for n in numbers):
        return "unknown"
    if method == Method.PLURALITY and len(numbers) > seats:
        return "too_many"
    return None


# --- the draw by lot ---------------------------------------------------------------------------


def lot_key(seed: str, context: str, number: int) -> str:
    return hashlib.sha256(f"solidaire-lot|{seed}|{context}|{number}".encode()).hexdigest()


def lot_order(seed: str, context: str, numbers: Iterable[int]) -> list[int]:
    """The tied candidates in the order the lot gives them (the first is favoured)."""
    return sorted(numbers, key=lambda n: (lot_key(seed, context, n), n))


def seed_commitment(seed: str) -> str:
    """What is published of the seed when the vote opens: SHA-256 of its text, as hexadecimal."""
    return hashlib.sha256(seed.encode()).hexdigest()


def commitment_faults(seed: str | None, commitment: str | None) -> list[str]:
    """What is wrong between the seed revealed at the close and the commitment published at the
    opening (none: it matches, or the election opened before commitments, `commitment` None)."""
    if commitment is None:
        return []
    if seed is None or seed_commitment(seed) != commitment.strip().lower():
        return ["the seed of the draw is NOT the one whose commitment (SHA-256) was published when the vote opened"]
    return []


# --- the count ---------------------------------------------------------------------------------


@dataclass
class ElectionResult:
    method: str
    seats: int
    candidates: list[int]
    elected: list[int]  # in the order of their election
    votes: dict[int, int]  # plurality: marks; STV: first preferences
    valid: int  # ballots marking at least one candidate
    blank: int
    quota: str | None = None  # STV: the Droop quota
    rounds: list[dict] = field(default_factory=list)  # STV: the tallies and what each round decided
    draws: list[dict] = field(default_factory=list)  # each tie decided by lot: context, tied, order

    def record(self) -> dict:
        """As JSON (numbers as text keys), stored at the close and compared by the verification."""
        return {
            "method": self.method, "seats": self.seats, "candidates": self.candidates, "elected": self.elected,
            "votes": {str(k): v for k, v in self.votes.items()}, "valid": self.valid, "blank": self.blank,
            "quota": self.quota, "rounds": self.rounds, "draws": self.draws,
        }


def count(method: str, choices: Iterable[str], candidates: Sequence[int], seats: int, seed: str) -> ElectionResult:
    """The result of an election from the ballots as kept in the box."""
    ballots = [decode(method, c) for c in choices]
    if method == Method.STV:
        return stv(ballots, candidates, seats, seed)
    return plurality(ballots, candidates, seats, seed)


def plurality(ballots: Iterable[Sequence[int]], candidates: Sequence[int], seats: int, seed: str) -> ElectionResult:
    marks = Counter({c: 0 for c in candidates})
    valid = blank = 0
    for ballot in ballots:
        if ballot:
            valid += 1
            marks.update(set(ballot))
        else:
            blank += 1
    result = ElectionResult(Method.PLURALITY.value, seats, list(candidates), [], dict(marks), valid, blank)
    ranked = sorted(candidates, key=lambda c: (-marks[c], c))
    if len(ranked) <= seats:
        result.elected = ranked
        return result
    line = marks[ranked[seats - 1]]  # the votes of the last seat
    above = [c for c in ranked if marks[c] > line]
    tied = [c for c in ranked if marks[c] == line]
    needed = seats - len(above)
    if len(tied) > needed:
        order = lot_order(seed, "plurality", tied)
        result.draws.append({"context": "plurality", "tied": sorted(tied), "order": order, "seats": needed})
        tied = order
    result.elected = above + tied[:needed]
    return result


def droop_quota(valid: int, seats: int) -> int:
    return valid // (seats + 1) + 1


def _show(value: Fraction) -> str:
    """A tally as shown (four decimals); the count itself keeps exact fractions."""
    return f"{float(value):.4f}".rstrip("0").rstrip(".") if value.denominator != 1 else str(value.numerator)


def stv(ballots: Iterable[Sequence[int]], candidates: Sequence[int], seats: int, seed: str) -> ElectionResult:
    grouped = Counter(tuple(b) for b in ballots)
    blank = grouped.pop((), 0)
    valid = sum(grouped.values())
    quota = Fraction(droop_quota(valid, seats))
    result = ElectionResult(Method.STV.value, seats, list(candidates), [], {c: 0 for c in candidates}, valid, blank, str(quota.numerator))
    hopeful = set(candidates)
    # Parcels of identical ballots: [ranking, position of the current holder, weight of one ballot, ballots].
    piles: dict[int, list[list]] = {c: [] for c in candidates}
    exhausted = Fraction(0)

    def place(ranking: tuple[int, ...], start: int, weight: Fraction, number: int) -> None:
        nonlocal exhausted
        for position in range(start, len(ranking)):
            if ranking[position] in hopeful:
                piles[ranking[position]].append([ranking, position, weight, number])
                return
        exhausted += weight * number

    for ranking, number in sorted(grouped.items()):
        result.votes[ranking[0]] += number
        place(ranking, 0, Fraction(1), number)
    round_number = 0
    while len(result.elected) < seats and hopeful:
        round_number += 1
        tallies = {c: sum((w * n for _, _, w, n in piles[c]), Fraction(0)) for c in hopeful}
        shown = {str(c): _show(tallies[c]) for c in sorted(hopeful)}
        if len(hopeful) <= seats - len(result.elected):
            filled = sorted(hopeful, key=lambda c: (-tallies[c], c))
            result.elected += filled
            result.rounds.append({"round": round_number, "tallies": shown, "exhausted": _show(exhausted), "action": "filled", "candidates": filled})
            break
        reached = [c for c in hopeful if tallies[c] >= quota]
        if reached:
            top = max(tallies[c] for c in reached)
            chosen = _by_lot(result, seed, f"round {round_number} elect", [c for c in reached if tallies[c] == top], first=True)
            result.elected.append(chosen)
            hopeful.discard(chosen)
            factor = (tallies[chosen] - quota) / tallies[chosen]
            action = "elected"
        else:
            low = min(tallies.values())
            chosen = _by_lot(result, seed, f"round {round_number} exclude", [c for c in hopeful if tallies[c] == low], first=False)
            hopeful.discard(chosen)
            factor = Fraction(1)
            action = "excluded"
        result.rounds.append({"round": round_number, "tallies": shown, "exhausted": _show(exhausted), "action": action, "candidates": [chosen]})
        moving, piles[chosen] = piles[chosen], []
        for ranking, position, weight, number in moving:
            if factor:
                place(ranking, position + 1, weight * factor, number)
    return result


def _by_lot(result: ElectionResult, seed: str, context: str, tied: list[int], *, first: bool) -> int:
    if len(tied) == 1:
        return tied[0]
    order = lot_order(seed, context, tied)
    result.draws.append({"context": context, "tied": sorted(tied), "order": order})
    return order[0] if first else order[-1]


def verify(record: dict, choices: Iterable[str], seed: str) -> list[str]:
    """What differs between a recorded result and the count redone from the box's ballots."""
    if not record or not all(key in record for key in ("method", "candidates", "seats")):
        return ["the election has no recorded result"]
    redone = count(record["method"], choices, record["candidates"], record["seats"], seed).record()
    return [f"the recorded {key} of the election differ from the recount" for key in ("elected", "votes", "rounds", "draws", "valid", "blank") if redone[key] != record.get(key)]
