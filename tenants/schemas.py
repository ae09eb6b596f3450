"""What the tenants' API reads and writes (sign-in, tokens, the outbox, the audit log), and the
kinds of text every domain's schemas are made of (msgspec validates and documents them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.bodies import changing

# One line of text: no control characters (a NUL byte is refused by PostgreSQL, a tab or a line
# break has no place in a name or an address).
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
# Free text (a reason): line breaks and tabs allowed, other control characters not.
FREE_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
Reference = Annotated[str, msgspec.Meta(max_length=100, pattern=ONE_LINE)]
EMAIL = r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+"
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=f"^{EMAIL}$")]
EmailOrBlank = Annotated[str, msgspec.Meta(max_length=254, pattern=f"^(?:{EMAIL})?$")]
Phone = Annotated[str, msgspec.Meta(max_length=40, pattern=ONE_LINE)]
PostalCode = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=ONE_LINE)]
Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Language = Literal["fr_CA", "en_CA", "fi"]


class TokenRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=254, pattern=ONE_LINE)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    name: Name = "api"


class PasswordLinkRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=254, pattern=ONE_LINE)]


class PasswordChoice(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=20, max_length=100, pattern=ONE_LINE)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class OrganisationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the administrator sets of the organisation (its address in URLs, kind and currency stay)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
    locale: Language
    timezone: Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$")]
    member_categories: Annotated[list[Literal["user", "worker", "supporting"]], msgspec.Meta(min_length=1, max_length=3)]
    share_price_cents: Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]
    qualifying_shares: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
    address: Annotated[str, msgspec.Meta(max_length=500, pattern=FREE_TEXT)] = ""
    privacy_officer_name: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    privacy_officer_email: EmailOrBlank = ""


# A PUT changes the fields it is given and no other.
OrganisationChanges = changing(OrganisationIn, "OrganisationChanges")


class OrganisationOut(OrganisationIn, kw_only=True):
    slug: str
    kind: str
    currency: str


class PersonOut(msgspec.Struct, kw_only=True):
    id: UUID
    email: str
    full_name: str
    is_active: bool
    roles: list[str]
    status: Literal["invited", "invitation_expired", "active", "deactivated"]  # where their login stands here
    last_sign_in: dt.datetime | None  # here (None: never signed in)
    invited_at: dt.datetime | None
    invitation_sent_at: dt.datetime | None
    invitation_expires_at: dt.datetime | None  # while the invitation waits
    invitations_sent: int
    deactivated_at: dt.datetime | None


Roles = Annotated[list[Annotated[str, msgspec.Meta(max_length=30, pattern=r"^[a-z_]+$")]], msgspec.Meta(max_length=20)]


class RolesIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    roles: Roles  # empty: the person leaves the organisation


class PersonInvitationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    full_name: Name
    roles: Roles


class TokenOut(msgspec.Struct, kw_only=True):
    token: str
    expires_at: dt.datetime | None


class MailDeliveryOut(msgspec.Struct, kw_only=True):
    id: UUID
    purpose: str
    object_id: UUID | None
    recipient: str
    subject: str
    status: str
    attempts: int
    last_error: str | None
    queued_at: dt.datetime
    sent_at: dt.datetime | None


class AuditEventOut(msgspec.Struct, kw_only=True):
    occurred_at: dt.datetime
    actor_user_id: UUID | None
    action: str
    object_type: str
    object_id: UUID | None
    details: dict
