"""What the member register's API reads and writes (msgspec validates and documents it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from tenants.schemas import FREE_TEXT, ONE_LINE, Count, Country, Email, Language, Line, Name, Phone, PostalCode, Reference, Short

Category = Literal["user", "worker", "supporting"]
OrganisationName = Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)]
Status = Literal["applicant", "active", "suspended", "resigned", "excluded", "deceased"]
SortedBy = Literal["number", "name", "category", "status", "shares", "admitted_on"]  # rules.SORTABLE
Order = Literal["asc", "desc"]


class Admission(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new member entered in the register."""

    first_name: Name
    last_name: Name
    organisation_name: OrganisationName | None = None  # a legal person: first and last name are its representative's
    representative_role: Reference | None = None
    email: Email | None = None
    phone: Phone | None = None
    street: Line
    city: Short
    region: Short
    postal_code: PostalCode
    country: Country = "CA"
    language: Language = "fr_CA"
    category: Category
    status: Literal["applicant", "active"] = "active"
    shares_subscribed: Count = 0
    shares_paid: Count = 0
    admitted_on: dt.date | None = None
    admission_resolution: Reference | None = None
    consent_contact: bool = False
    consent_publish_name: bool = False
    consent_photos: bool = False
    consent_research: bool = False


class MemberChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Corrections to a member's entry by the register's keepers (status changes go elsewhere)."""

    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType = msgspec.UNSET
    organisation_name: OrganisationName | None | msgspec.UnsetType = msgspec.UNSET
    representative_role: Reference | None | msgspec.UnsetType = msgspec.UNSET
    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | None | msgspec.UnsetType = msgspec.UNSET
    street: Line | msgspec.UnsetType = msgspec.UNSET
    city: Short | msgspec.UnsetType = msgspec.UNSET
    region: Short | msgspec.UnsetType = msgspec.UNSET
    postal_code: PostalCode | msgspec.UnsetType = msgspec.UNSET
    country: Country | msgspec.UnsetType = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType = msgspec.UNSET
    shares_subscribed: Count | msgspec.UnsetType = msgspec.UNSET
    shares_paid: Count | msgspec.UnsetType = msgspec.UNSET
    admitted_on: dt.date | None | msgspec.UnsetType = msgspec.UNSET
    admission_resolution: Reference | None | msgspec.UnsetType = msgspec.UNSET
    consent_contact: bool | msgspec.UnsetType = msgspec.UNSET
    consent_publish_name: bool | msgspec.UnsetType = msgspec.UNSET
    consent_photos: bool | msgspec.UnsetType = msgspec.UNSET
    consent_research: bool | msgspec.UnsetType = msgspec.UNSET


class ContactChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What a member may correct in their own entry."""

    email: Email | None | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | None | msgspec.UnsetType = msgspec.UNSET
    street: Line | msgspec.UnsetType = msgspec.UNSET
    city: Short | msgspec.UnsetType = msgspec.UNSET
    region: Short | msgspec.UnsetType = msgspec.UNSET
    postal_code: PostalCode | msgspec.UnsetType = msgspec.UNSET
    country: Country | msgspec.UnsetType = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    consent_contact: bool | msgspec.UnsetType = msgspec.UNSET
    consent_publish_name: bool | msgspec.UnsetType = msgspec.UNSET
    consent_photos: bool | msgspec.UnsetType = msgspec.UNSET
    consent_research: bool | msgspec.UnsetType = msgspec.UNSET


class StatusChangeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Status
    effective_on: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=FREE_TEXT)]


class MemberOut(msgspec.Struct, kw_only=True):
    id: UUID
    number: int
    first_name: str
    last_name: str
    organisation_name: str | None
    representative_role: str | None
    email: str | None
    phone: str | None
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    language: str
    category: str
    status: str
    status_since: dt.date
    shares_subscribed: int
    shares_paid: int
    admitted_on: dt.date | None
    admission_resolution: str | None
    consent_contact: bool
    consent_publish_name: bool
    consent_photos: bool
    consent_research: bool


class MemberPage(msgspec.Struct, kw_only=True):
    items: list[MemberOut]
    total: int
    page: int
    per_page: int


class StatusChangeOut(msgspec.Struct, kw_only=True):
    from_status: str | None
    to_status: str
    effective_on: dt.date
    reason: str
    recorded_at: dt.datetime


class InvitationSelection(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    member_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=1000)]


class InvitationOut(msgspec.Struct, kw_only=True):
    invited: int  # invitations e-mailed (a member's login is opened or linked even when 0)


class ImportRowError(msgspec.Struct, kw_only=True):
    line: int
    field: str
    message: str


class ImportReport(msgspec.Struct, kw_only=True):
    dry_run: bool
    rows: int
    imported: int
    errors: list[ImportRowError]


# --- the share ledger ---

ShareKindCode = Literal["qualifying", "preferred"]
Shares = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
Note = Annotated[str, msgspec.Meta(max_length=2000, pattern=FREE_TEXT)]


class ShareOperationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An operation on a member's shares: subscribed, paid, transferred to another member (paid
    shares), redeemed (on resignation, exclusion or death, with the board's decision and the day
    the refund was paid), or converted to the other kind (paid shares)."""

    kind: Literal["subscription", "payment", "transfer", "redemption", "conversion"]
    share_kind: ShareKindCode = "qualifying"
    shares: Shares
    occurred_on: dt.date | None = None  # today when not given
    to_member_number: Annotated[int, msgspec.Meta(ge=1)] | None = None  # a transfer's
    to_kind: ShareKindCode | None = None  # a conversion's
    ground: Literal["resignation", "exclusion", "death"] | None = None  # a redemption's
    decision: Reference | None = None  # the board's resolution
    paid_on: dt.date | None = None  # the day a redemption's refund was paid
    note: Note = ""


class ReversalIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=FREE_TEXT)]


class MovementOut(msgspec.Struct, kw_only=True):
    member_id: UUID
    member_number: int
    share_kind: str
    subscribed: int
    paid: int


class ShareOperationOut(msgspec.Struct, kw_only=True):
    id: UUID
    number: int
    kind: str
    occurred_on: dt.date
    ground: str | None
    decision: str | None
    paid_on: dt.date | None
    reverses_id: UUID | None
    invoice_id: UUID | None
    reason: str
    recorded_at: dt.datetime
    reversed: bool
    reverses_number: int | None
    movements: list[MovementOut]


class HoldingOut(msgspec.Struct, kw_only=True):
    share_kind: str
    subscribed: int
    paid: int


class MemberSharesOut(msgspec.Struct, kw_only=True):
    """A member's shares: held of each kind (the ledger's sums), the operations, the requests."""

    holdings: list[HoldingOut]
    in_good_standing: bool
    operations: list[ShareOperationOut]
    requests: list[ShareRequestOut]


class ShareSettingsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    preferred_price_cents: Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]
    signatories: Annotated[str, msgspec.Meta(max_length=500, pattern=FREE_TEXT)] = ""  # as the board set them, one a line


class ShareSettingsOut(msgspec.Struct, kw_only=True):
    qualifying_price_cents: int  # the organisation's share price
    qualifying_shares: int  # the minimum of a member in good standing (the organisation's)
    preferred_price_cents: int
    signatories: str


class ShareRequestIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: Literal["subscription", "refund"]
    share_kind: ShareKindCode = "qualifying"
    shares: Shares
    note: Note = ""


class ShareAnswer(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The secretary's answer to a request: approved (a refund with the board's decision and the
    day it was paid), or refused with the reason."""

    approved: bool
    reason: Note = ""
    decision: Reference | None = None
    paid_on: dt.date | None = None


class ShareRequestOut(msgspec.Struct, kw_only=True):
    id: UUID
    member_id: UUID
    member_number: int
    kind: str
    share_kind: str
    shares: int
    note: str
    status: str
    answer: str | None
    operation_id: UUID | None
    asked_at: dt.datetime
    decided_at: dt.datetime | None


# --- members' privacy (Law 25): who opened an entry, and all the register holds about a member ---

class EntryOpeningOut(msgspec.Struct, kw_only=True):
    """A person other than the member read the entry: who, when, and what (page, api, certificate)."""

    opened_at: dt.datetime
    opened: str
    user_id: UUID | None
    reader: str  # the reader's name ("" when their login is gone)


class MyDataOut(msgspec.Struct, kw_only=True):
    """Everything the register holds about the member: the entry (consents included), its status
    history, its shares (the ledger's operations, the member's own movements), the requests for
    shares, and who opened the entry."""

    organisation: str
    generated_on: dt.date
    entry: MemberOut
    status_history: list[StatusChangeOut]
    shares: MemberSharesOut
    openings: list[EntryOpeningOut]
