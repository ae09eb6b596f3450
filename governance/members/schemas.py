"""What the member register's API reads and writes (msgspec validates and documents it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from tenants.schemas import FREE_TEXT, Count, Country, Email, Language, Line, Name, Phone, PostalCode, Reference, Short

Category = Literal["user", "worker", "supporting"]
Status = Literal["applicant", "active", "suspended", "resigned", "excluded", "deceased"]
SortedBy = Literal["number", "name", "category", "status", "shares", "admitted_on"]  # rules.SORTABLE
Order = Literal["asc", "desc"]


class Admission(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new member entered in the register."""

    first_name: Name
    last_name: Name
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
