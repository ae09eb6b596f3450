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


# The columns the register's list sorts by.
SORTABLE = ("number", "name", "category", "status", "shares", "admitted_on")


# How each language's readers order names. Accents only break a tie (Bédard before Blais, Cote
# before Côté), as in French dictionaries and phone books; the Finnish alphabet ends with å, ä, ö
# (æ and ø read as ä and ö), after z, and reads ü as y. The keys are compared code point by code
# point (SQLite's BINARY, PostgreSQL's "C"), so the database sorts by them the same way on both.
_AFTER_Z = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}
_SPELT_OUT = {"œ": "oe", "æ": "ae", "ø": "o", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d"}
NAME_KEY_LANGUAGES = ("fr", "fi")  # English reads names as French does


def name_key_language(language: str) -> str:
    """The order a reader of this language expects: Finnish, or French (also for English)."""
    return "fi" if language.startswith("fi") else "fr"


def collation_key(text: str, language: str) -> str:
    """The letters to compare first: lower case, accents off (but Finnish letters after z)."""
    own = _AFTER_Z if name_key_language(language) == "fi" else {}
    folded = unicodedata.normalize("NFC", text.casefold())
    return "".join(own.get(char) or _SPELT_OUT.get(char) or _bare(char) for char in folded)


def _bare(char: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))


def name_key(last_name: str, first_name: str, language: str) -> str:
    """Where a member's name sorts for this language's readers: the last name, then the first
    name, by their letters; then the accents (of the last name, then the first) break a tie."""
    folded = [unicodedata.normalize("NFC", part.casefold()) for part in (last_name, first_name)]
    return "\x01".join([collation_key(last_name, language), collation_key(first_name, language), *folded])


def sorted_name(entry: dict) -> tuple[str, str]:
    """The name an entry sorts by: a legal person's own, then its representative's; a person's last, then first name."""
    if entry.get("organisation_name"):
        return entry["organisation_name"], f"{entry['last_name']} {entry['first_name']}"
    return entry["last_name"], entry["first_name"]


def postal_address(entry: dict) -> str:
    """A register entry's address as it is written on an envelope (and on an invoice): the street,
    then the city, region and postal code on one line; empty lines left out."""
    town = " ".join(part for part in (entry.get("city") or "", entry.get("region") or "") if part)
    lines = [entry.get("street") or "", "  ".join(part for part in (town, entry.get("postal_code") or "") if part)]
    return "\n".join(line.strip() for line in lines if line.strip())
