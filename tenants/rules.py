"""Rules of the tenants package, as plain functions over plain values: a tenant's address, an e-mail
address as stored, a login's standing in an organisation, the audit log's hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

# A tenant's address in URLs: lower-case letters, digits and inner hyphens, as in DNS labels.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def is_valid_slug(slug: str) -> bool:
    return SLUG.fullmatch(slug) is not None


class MemberCategory(StrEnum):
    """A solidarity co-op has at least two of these three (which ones is a tenant setting)."""

    USER = "user"
    WORKER = "worker"
    SUPPORTING = "supporting"


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip()
    return email.lower() or None


# --- a login's standing in an organisation -------------------------------------------------------


# How long an invitation's link works: people read their mail later.
WELCOME_LINK_LIFETIME = dt.timedelta(days=7)


class LoginStatus(StrEnum):
    INVITED = "invited"  # invited, has not chosen a password nor signed in yet; the link still works
    INVITATION_EXPIRED = "invitation_expired"  # invited, and the last link e-mailed has expired
    ACTIVE = "active"
    DEACTIVATED = "deactivated"  # may no longer sign in here until the administrator reactivates it


def login_status(
    *, invited_at: dt.datetime | None, sent_at: dt.datetime | None, revoked_at: dt.datetime | None, accepted_at: dt.datetime | None,
    deactivated_at: dt.datetime | None, link_lifetime: dt.timedelta, moment: dt.datetime,
) -> LoginStatus:
    """Where a person holding roles in an organisation stands there: deactivated first, then an
    invitation not yet accepted (its link expired or not), else active (also a login that was
    never invited: made by the operator's command)."""
    if deactivated_at is not None:
        return LoginStatus.DEACTIVATED
    if invited_at is not None and accepted_at is None and revoked_at is None:
        if sent_at is None or sent_at + link_lifetime <= moment:
            return LoginStatus.INVITATION_EXPIRED
        return LoginStatus.INVITED
    return LoginStatus.ACTIVE


def is_pending_invitation(status: LoginStatus) -> bool:
    return status in (LoginStatus.INVITED, LoginStatus.INVITATION_EXPIRED)


# --- the audit log's hash chain -------------------------------------------------------------------

# The hash the first row of a tenant's chain points back to.
CHAIN_START = "0" * 64


def canonical_json(value: object) -> str:
    """One text for one value: keys sorted, no spaces, dates and identifiers as text. A row's details
    are stored as this text and hashed as this text made again from what is read back."""
    return json.dumps(value, default=str, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def audit_content_hash(previous_hash: str, row: Mapping[str, object]) -> str:
    """The hash of an audit row: every column it records, and the hash of the row before it in its
    tenant's chain (so a row changed, removed or put in another place breaks every link after it).
    `details` may be the stored text or the value; `occurred_at` an aware datetime."""
    details = row["details"]
    if isinstance(details, str):
        details = json.loads(details)
    occurred_at = row["occurred_at"]
    assert isinstance(occurred_at, dt.datetime)
    content = [
        previous_hash,
        str(row["tenant_id"]),
        row["chain_position"],
        str(row["id"]),
        occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        None if row["actor_user_id"] is None else str(row["actor_user_id"]),
        row["action"],
        row["object_type"],
        None if row["object_id"] is None else str(row["object_id"]),
        details,
    ]
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    position: int
    row_id: object
    reason: str


def first_broken_link(rows: Iterable[Mapping[str, object]]) -> BrokenLink | None:
    """Walks a tenant's chained audit rows in chain order: positions 1, 2, 3 ... without a gap, each
    row pointing to the hash of the one before it and its own hash as recomputed. The first row that
    fails, with why; None when the chain holds."""
    expected_position, previous = 1, CHAIN_START
    for row in rows:
        position = row["chain_position"]
        assert isinstance(position, int)
        if position != expected_position:
            return BrokenLink(expected_position, None, f"row {expected_position} is missing (the next row is {position})")
        if row["previous_hash"] != previous:
            return BrokenLink(position, row["id"], "it does not point to the hash of the row before it")
        if row["content_hash"] != audit_content_hash(previous, row):
            return BrokenLink(position, row["id"], "its content does not match its hash (changed after it was written)")
        expected_position, previous = position + 1, row["content_hash"]
    return None
