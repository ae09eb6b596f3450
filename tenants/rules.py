"""Rules of the tenants package, as plain functions over plain values: a tenant's address, an e-mail
address as stored."""

from __future__ import annotations

import re
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
