"""Rules of consultations and of the ways a vote is taken (named, show of hands, hybrid), as plain
functions over plain values (no database, no HTTP)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from backend.errors import RuleViolation
from backend.i18n import N_
from governance.meetings.rules import ABSTAIN, CHOICES, NO, YES


class Mode(StrEnum):
    SECRET = "secret"  # secret electronic ballot (receipts, shuffled hash-chained box)
    NAMED = "named"  # open electronic vote: who voted what is published after the close
    HANDS = "hands"  # show of hands or paper ballots, counted by the scrutineers
    HYBRID = "hybrid"  # secret online ballots plus the scrutineers' count in the room


def takes_ballots(mode: str) -> bool:
    return mode != Mode.HANDS


def takes_room_count(mode: str) -> bool:
    return mode in (Mode.HANDS, Mode.HYBRID)


# --- what a vote allows at each step of its life (draft, open, closed, certified) ---------------


def check_ballot_taken(status: str, mode: str) -> None:
    """A ballot counts while the vote is open, online unless the scrutineers count it in the room."""
    if status == "closed":
        raise RuleViolation("", N_("This vote is closed: the ballot was not counted."), status=409)
    if status != "open":
        raise RuleViolation("", N_("This vote is not open yet."), status=409)
    if not takes_ballots(mode):
        raise RuleViolation("", N_("This vote is taken by a show of hands (or on paper): the scrutineers count it in the room."), status=409)


def check_room_count_entered(status: str, mode: str, *, room_counted: bool, certified: bool) -> None:
    """The scrutineers' count is entered once, after the online ballots are sealed, before the
    result is certified, for a vote counted in the room."""
    if not takes_room_count(mode):
        raise RuleViolation("", N_("This vote is taken online only: there is no count from the room."), status=409)
    if status != "closed":
        raise RuleViolation("", N_("Close the vote first: the room's count is entered once the online ballots are sealed."), status=409)
    if certified:
        raise RuleViolation("", N_("The result is certified: its counts cannot change."), status=409)
    if room_counted:
        raise RuleViolation("", N_("The room's count of this vote is already entered."), status=409)


def check_certifiable(status: str, mode: str, *, room_counted: bool) -> None:
    """A result is certified once the vote is closed and, counted in the room, its count entered."""
    if status != "closed":
        raise RuleViolation("", N_("A vote is certified once it is closed."), status=409)
    if takes_room_count(mode) and not room_counted:
        raise RuleViolation("", N_("Enter the scrutineers' count before certifying the result."), status=409)


# --- consultations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    member_id: object
    status: str
    category: str
    shares_paid: int


def in_good_standing(member: Member, qualifying_shares: int) -> bool:
    """Active, with at least the qualifying shares paid up."""
    return member.status == "active" and member.shares_paid >= qualifying_shares


def consultation_voters(members: Iterable[Member], *, category: str | None, qualifying_shares: int) -> list[Member]:
    """Who may answer a consultation, frozen when it opens: members in good standing (of the
    category, if it is for one); no presence, since there is no meeting."""
    return [m for m in members if in_good_standing(m, qualifying_shares) and (category is None or m.category == category)]


def window(now: dt.datetime, opens_at: dt.datetime, closes_at: dt.datetime) -> str:
    """Where `now` stands: 'before' the opening, 'during' the consultation, 'after' its close."""
    if now < opens_at:
        return "before"
    return "during" if now < closes_at else "after"


def consultation_step(status: str, window: str) -> str | None:
    """What is due for a consultation: "open" between its opening and closing times (one never
    opened stays so: inviting members to a vote already over would mislead them), "close" once
    its closing time has passed."""
    if status == "draft" and window == "during":
        return "open"
    if status == "open" and window == "after":
        return "close"
    return None


# --- counts from the room -----------------------------------------------------------------------


def room_count_problem(counts: dict[str, int], room_capacity: int) -> str | None:
    """What is wrong with the scrutineers' count (None: it may be recorded). `room_capacity` is the
    number of eligible members present in the room who have not voted online: each member is
    counted once, so the room cannot count more hands than that."""
    if set(counts) - set(CHOICES) or any(v < 0 for v in counts.values()):
        return "choices"
    if sum(counts.values()) > room_capacity:
        return "too_many"
    return None


def combined(online: dict[str, int], room: dict[str, int]) -> dict[str, int]:
    """Online ballots and the room's count added up, choice by choice."""
    return {choice: online.get(choice, 0) + room.get(choice, 0) for choice in (YES, NO, ABSTAIN)}
