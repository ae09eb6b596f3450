"""Rules of meetings and votes, as plain functions over plain values (no database, no HTTP).

Every number comes from the tenant's meetings settings; the defaults are those of the Quebec
Cooperatives Act (RLRQ c. C-67.2), see DESIGN.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from backend.i18n import N_


class MeetingKind(StrEnum):
    ANNUAL_GENERAL = "annual_general"
    SPECIAL_GENERAL = "special_general"
    BOARD = "board"


class QuorumRule(StrEnum):
    PRESENT = "present"  # the members present (the Act's default): at least one
    NUMBER = "number"  # at least `quorum_value` members present
    PERCENT = "percent"  # at least `quorum_value` % of the members entitled to attend


class Majority(StrEnum):
    MAJORITY = "majority"  # more than half of the votes cast
    TWO_THIRDS = "two_thirds"  # at least two thirds of the votes cast


# The prefix of a resolution's number, by kind of meeting (French: the co-ops' own usage).
RESOLUTION_PREFIX = {MeetingKind.ANNUAL_GENERAL: "AGA", MeetingKind.SPECIAL_GENERAL: "AGE", MeetingKind.BOARD: "CA"}
YES, NO, ABSTAIN = "yes", "no", "abstain"
CHOICES = (YES, NO, ABSTAIN)


@dataclass(frozen=True)
class GovernanceSettings:
    """A tenant's by-law numbers; the defaults are the Act's (or a common by-law where it has none)."""

    general_notice_days: int = 10  # an annual meeting's; the Act leaves it to the by-laws
    special_notice_days: int = 10  # a special general meeting's
    board_notice_days: int = 5  # s. 92
    agm_months_after_year_end: int = 6  # s. 76
    fiscal_year_end_month: int = 12
    fiscal_year_end_day: int = 31
    quorum_rule: str = QuorumRule.PRESENT.value
    quorum_value: int = 0
    abstentions_count: bool = False  # abstentions are reported, not counted as votes cast
    presence_required: bool = True  # only members checked in may vote
    representation_allowed: bool = False  # spouse or adult child, where the by-laws allow it
    proxies_allowed: bool = False  # s. 4(2): no proxies
    proxy_cap: int = 0
    requisition_large_membership: int = 2000  # s. 77: from this many members,
    requisition_large_count: int = 500  # this many signatures call a special meeting,
    requisition_percent: int = 25  # else this share of the members
    board_seats: dict[str, int] = field(default_factory=dict)  # seats reserved per member category (none: no reservation)


BOARD_SIZE = (3, 15)  # s. 81: a board of at least three and at most fifteen directors


def settings_faults(settings: GovernanceSettings, categories: Sequence[str]) -> list[tuple[str, str]]:
    """What the by-laws' numbers contradict, each (field, message id): a fiscal year ending on a day
    its month has not (29 February stands: a leap year's end), a quorum of more than all the members,
    proxies allowed with none to hold, seats for a category the organisation has not or a board
    outside the Act's size."""
    faults = []
    if settings.fiscal_year_end_day > (29 if settings.fiscal_year_end_month == 2 else MONTH_DAYS[settings.fiscal_year_end_month]):
        faults.append(("fiscal_year_end_day", N_("This month has not that many days.")))
    if settings.quorum_rule == QuorumRule.PERCENT.value and settings.quorum_value > 100:
        faults.append(("quorum_value", N_("A percentage is at most 100.")))
    if settings.quorum_rule != QuorumRule.PRESENT.value and settings.quorum_value == 0:
        faults.append(("quorum_value", N_("Give the number or percentage of members the quorum needs.")))
    if settings.proxies_allowed and settings.proxy_cap == 0:
        faults.append(("proxy_cap", N_("Give how many proxies one member may hold (at least 1).")))
    if set(settings.board_seats) - set(categories):
        faults.append(("board_seats", N_("Seats are reserved for the member categories of the organisation only.")))
    seats = sum(settings.board_seats.values())
    if seats and not BOARD_SIZE[0] <= seats <= BOARD_SIZE[1]:
        faults.append(("board_seats", N_("The board has between 3 and 15 seats in all (Cooperatives Act, s. 81).")))
    return faults


MONTH_DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


# --- deadlines ---------------------------------------------------------------------------------


def notice_days(kind: MeetingKind, settings: GovernanceSettings) -> int:
    return {MeetingKind.BOARD: settings.board_notice_days, MeetingKind.SPECIAL_GENERAL: settings.special_notice_days}.get(kind, settings.general_notice_days)


def latest_notice_date(meeting_date: dt.date, days: int) -> dt.date:
    """The last day on which the notice may be sent: `days` full days before the meeting."""
    return meeting_date - dt.timedelta(days=days)


def notice_is_late(sent_on: dt.date, meeting_date: dt.date, days: int) -> bool:
    return sent_on > latest_notice_date(meeting_date, days)


def fiscal_year_end_before(day: dt.date, month: int, day_of_month: int) -> dt.date:
    """The last end of a fiscal year on or before `day` (a 29 February end falls back to the 28th)."""
    for year in (day.year, day.year - 1):
        end = _date_clamped(year, month, day_of_month)
        if end <= day:
            return end
    raise AssertionError("unreachable: an end falls in every year")


def _date_clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, 1) + relativedelta(day=day)


def agm_deadline(fiscal_year_end: dt.date, months: int) -> dt.date:
    """The last day of the annual meeting: `months` after the end of the fiscal year (s. 76)."""
    return fiscal_year_end + relativedelta(months=months)


def agm_in_time(meeting_date: dt.date, settings: GovernanceSettings) -> bool:
    end = fiscal_year_end_before(meeting_date, settings.fiscal_year_end_month, settings.fiscal_year_end_day)
    return meeting_date <= agm_deadline(end, settings.agm_months_after_year_end)


# --- quorum and eligibility --------------------------------------------------------------------


def quorum_needed(rule: str, value: int, members_entitled: int) -> int:
    """How many members must be present."""
    if rule == QuorumRule.NUMBER:
        return max(1, value)
    if rule == QuorumRule.PERCENT:
        return max(1, -(-members_entitled * value // 100))  # rounded up
    return 1


def board_quorum_needed(directors: int) -> int:
    """A board meeting's quorum: the majority of the directors in office."""
    return directors // 2 + 1


def quorum_reached(present: int, rule: str, value: int, members_entitled: int) -> bool:
    return present >= quorum_needed(rule, value, members_entitled)


@dataclass(frozen=True)
class Voter:
    member_id: object
    status: str
    category: str
    present: bool


def eligible(voters: Iterable[Voter], *, presence_required: bool, category: str | None) -> list[Voter]:
    """Who may vote, frozen when the vote opens: active members, present if the meeting requires
    it, of the category called for a category vote."""
    return [
        v for v in voters
        if v.status == "active" and (v.present or not presence_required) and (category is None or v.category == category)
    ]


# --- tally -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    counts: dict[str, int]
    votes_cast: int  # the base of the majority
    adopted: bool

    def percent(self, choice: str) -> float:
        """The share of the votes cast (abstentions: of all ballots), for the results page."""
        base = self.votes_cast if choice != ABSTAIN else sum(self.counts.values())
        return round(100 * self.counts.get(choice, 0) / base, 1) if base else 0.0


def tally(choices: Iterable[str], majority: str, *, abstentions_count: bool) -> Tally:
    counts = Counter({choice: 0 for choice in CHOICES})
    counts.update(choices)
    cast = counts[YES] + counts[NO] + (counts[ABSTAIN] if abstentions_count else 0)
    return Tally(dict(counts), cast, adopted(counts[YES], cast, majority))


def adopted(yes: int, votes_cast: int, majority: str) -> bool:
    if votes_cast == 0:
        return False
    if majority == Majority.TWO_THIRDS:
        return 3 * yes >= 2 * votes_cast
    return 2 * yes > votes_cast


def bars(vote: dict) -> list[dict]:
    """The chart's bars: each choice with its count and share (abstentions: of all ballots)."""
    if vote["status"] != "closed":
        return []
    counts = vote["counts"]
    result = Tally(counts, vote["votes_cast"], vote["adopted"])
    top = max(counts.values()) or 1
    return [{"choice": c, "count": counts.get(c, 0), "percent": result.percent(c), "width": round(100 * counts.get(c, 0) / top)} for c in CHOICES]


def resolution_number(kind: MeetingKind, year: int, number: int) -> str:
    return f"{RESOLUTION_PREFIX[kind]}-{year}-{number:02d}"


# --- the published ballot box: receipts and the hash chain -------------------------------------


class PublishedBallot(NamedTuple):  # a tuple: a box of 100,000 is made and checked in a fraction of a second
    position: int
    choice: str
    receipt_hash: str
    chain_hash: str


def receipt_hash(vote_id: object, receipt_code: str) -> str:
    return hashlib.sha256(f"solidaire-receipt|{vote_id}|{receipt_code}".encode()).hexdigest()


def chain_start(vote_id: object) -> str:
    return hashlib.sha256(f"solidaire-ballot-box|{vote_id}".encode()).hexdigest()


def chain_link(previous: str, position: int, choice: str, receipt: str) -> str:
    return hashlib.sha256(f"{previous}|{position}|{choice}|{receipt}".encode()).hexdigest()


def seal(vote_id: object, ballots: Sequence[tuple[str, str]], rng: random.Random) -> list[PublishedBallot]:
    """(choice, receipt hash) in arrival order -> the published box: shuffled, so that its order
    says nothing of the arrival, then chained, each link hashing the one before (chain_link, in
    one loop: a box of 100,000 at the close)."""
    published, previous, sha256, make = [], chain_start(vote_id), hashlib.sha256, PublishedBallot
    append = published.append
    for position, (choice, receipt) in enumerate(shuffled(ballots, rng), start=1):
        previous = sha256(f"{previous}|{position}|{choice}|{receipt}".encode()).hexdigest()
        append(make(position, choice, receipt, previous))
    return published


def shuffled(items: Sequence, rng: random.Random) -> list:
    """The items in a random order. With the operating system's randomness (random.SystemRandom,
    the close's), sorted by a random 64-bit key each, drawn at once: every order as likely as with
    SystemRandom.shuffle (which asks the system for every swap, 100,000 times for a large vote),
    keys drawn again in the improbable case two are equal. Another generator (a seeded one, in the
    tests) shuffles as its own shuffle does."""
    items = list(items)
    if not isinstance(rng, random.SystemRandom):
        rng.shuffle(items)
        return items
    while True:
        keys = memoryview(os.urandom(8 * len(items))).cast("Q")
        if len(set(keys)) == len(items):
            return [items[index] for index in sorted(range(len(items)), key=keys.__getitem__)]


def chain_head(vote_id: object, published: Sequence[PublishedBallot]) -> str:
    return published[-1].chain_hash if published else chain_start(vote_id)


def verify_box(vote_id: object, published: Sequence[PublishedBallot], head: str, counts: dict[str, int], start: str | None = None) -> list[str]:
    """What is wrong with a published box, recomputed from its ballots: [] when the chain links
    up to the recorded head and the ballots add up to the recorded counts. `start`: the box's
    published chain_start, which must be the one its vote's identifier gives (a box as published
    always has one: the command and Votes.verify pass it; its absence, None, is only for the
    callers that check a box they made themselves)."""
    faults, computed, broken_at = [], chain_start(vote_id), None
    if start is not None and start != computed:
        faults.append(f"the published chain_start is not the one of vote {vote_id} ({computed})")
    ordered = sorted(published, key=itemgetter(0))  # by position (a box as published is in order already: one pass)
    if [b[0] for b in ordered] != list(range(1, len(ordered) + 1)):
        faults.append("the positions are not 1 to N, each once")
    sha256 = hashlib.sha256  # chain_link, in one loop (a box of 100,000 is checked in a fraction of a second)
    for position, choice, receipt, chained in ordered:
        computed = sha256(f"{computed}|{position}|{choice}|{receipt}".encode()).hexdigest()
        if computed != chained and broken_at is None:
            broken_at = position
    if broken_at is not None:
        faults.append(f"the chain breaks at position {broken_at}")
    if computed != head:
        faults.append("the recomputed chain does not end at the recorded head")
    recounted = Counter(b.choice for b in published)
    if {k: v for k, v in recounted.items() if v} != {k: v for k, v in counts.items() if v}:
        faults.append(f"the ballots add up to {dict(recounted)}, not to the recorded {counts}")
    return faults


# --- the meeting's record: requisitions, proxies, check-in tokens ------------------------------


def requisition_threshold(active_members: int, *, large_membership: int = 2000, large_count: int = 500, percent: int = 25) -> int:
    """How many members must sign a request for a special meeting (s. 77): `large_count` members
    in a co-op of `large_membership` members or more, else `percent` % of the members (rounded up);
    never fewer than one."""
    if active_members >= large_membership:
        return max(1, large_count)
    return max(1, -(-active_members * percent // 100))


def free_proxy_slot(taken: Iterable[int], cap: int) -> int | None:
    """The first of a holder's `cap` proxy slots not yet taken (None: the holder is at the cap).
    Each proxy takes a slot, unique per holder in the database, so that two proxies recorded at
    once for the same holder cannot both take the last slot."""
    used = set(taken)
    return next((slot for slot in range(1, cap + 1) if slot not in used), None)


CHECK_IN_PREFIX = "SOL"


def check_in_token(secret: str, tenant_id: object, member_id: object, number: int) -> str:
    """What a member's QR code holds (and a USB scanner types): the member number and a MAC over
    the organisation and the member, so that a token cannot be made up nor used in another tenant.
    Upper-case letters, digits and dashes only: the same on every keyboard layout."""
    return f"{CHECK_IN_PREFIX}-{number}-{_check_in_mac(secret, tenant_id, member_id, number)}"


def _check_in_mac(secret: str, tenant_id: object, member_id: object, number: int) -> str:
    digest = hmac.new(secret.encode(), f"solidaire-check-in|{tenant_id}|{member_id}|{number}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode()


def check_in_number(token: str) -> int | None:
    """The member number a scanned token claims (None: not a token); verify it with `check_in_valid`."""
    parts = token.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != CHECK_IN_PREFIX or not parts[1].isdigit() or len(parts[1]) > 9:
        return None
    return int(parts[1])


def check_in_valid(token: str, secret: str, tenant_id: object, member_id: object, number: int) -> bool:
    return hmac.compare_digest(token.strip().upper(), check_in_token(secret, tenant_id, member_id, number))


# What a notice may add to the outbox in attached documents (it keeps one copy per message).
NOTICE_ATTACHMENTS_BUDGET = 100 * 1024 * 1024


def attach_documents(documents_bytes: int, recipients: int, budget: int) -> bool:
    """Whether the meeting's documents travel with every notice e-mail: for a small co-op they do;
    past the budget (5 MB of statements to 2,000 members would be 10 GB) the e-mail names them and
    members read them on the meeting's page."""
    return documents_bytes * recipients <= budget
