"""Rules of the member register, as plain functions over plain values (no database, no HTTP)."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class MemberStatus(StrEnum):
    APPLICANT = "applicant"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    RESIGNED = "resigned"
    EXCLUDED = "excluded"
    DECEASED = "deceased"


# Where a member can go from each status. Resigned, excluded and deceased members stay in the
# register with their number (s. 124 keeps the history); numbers are never reused.
TRANSITIONS: dict[MemberStatus, frozenset[MemberStatus]] = {
    MemberStatus.APPLICANT: frozenset({MemberStatus.ACTIVE, MemberStatus.RESIGNED, MemberStatus.DECEASED}),
    MemberStatus.ACTIVE: frozenset(
        {MemberStatus.SUSPENDED, MemberStatus.RESIGNED, MemberStatus.EXCLUDED, MemberStatus.DECEASED}
    ),
    MemberStatus.SUSPENDED: frozenset(
        {MemberStatus.ACTIVE, MemberStatus.RESIGNED, MemberStatus.EXCLUDED, MemberStatus.DECEASED}
    ),
    MemberStatus.RESIGNED: frozenset(),
    MemberStatus.EXCLUDED: frozenset(),
    MemberStatus.DECEASED: frozenset(),
}


def can_change_status(current: MemberStatus, target: MemberStatus) -> bool:
    return target in TRANSITIONS[current]


def holds_qualifying_shares(shares_subscribed: int, qualifying_shares: int) -> bool:
    """Admission as an active member needs the by-laws' qualifying shares subscribed."""
    return shares_subscribed >= qualifying_shares


def search_key(*parts: object) -> str:
    """Lower-case text without accents, so 'Ève Côté' is found by 'eve cote' and by 'Côté'."""
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def postal_address(entry: dict) -> str:
    """A register entry's address as it is written on an envelope (and on an invoice): the street,
    then the city, region and postal code on one line; empty lines left out."""
    town = " ".join(part for part in (entry.get("city") or "", entry.get("region") or "") if part)
    lines = [entry.get("street") or "", "  ".join(part for part in (town, entry.get("postal_code") or "") if part)]
    return "\n".join(line.strip() for line in lines if line.strip())
