"""What the meetings API reads and writes (msgspec validates and documents it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from tenants.schemas import FREE_TEXT, ONE_LINE, Category

Kind = Literal["annual_general", "special_general", "board"]
MajorityKind = Literal["majority", "two_thirds"]
Choice = Literal["yes", "no", "abstain"]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Place = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=ONE_LINE)]
VideoUrl = Annotated[str, msgspec.Meta(max_length=500, pattern=r"^https://[^\s\x00-\x1f\x7f]+$")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=FREE_TEXT)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=FREE_TEXT)]
Days = Annotated[int, msgspec.Meta(ge=0, le=365)]
MemberNumber = Annotated[int, msgspec.Meta(ge=1, le=10_000_000)]
PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]


class SettingsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    general_notice_days: Days
    board_notice_days: Days
    agm_months_after_year_end: Annotated[int, msgspec.Meta(ge=1, le=24)]
    fiscal_year_end_month: Annotated[int, msgspec.Meta(ge=1, le=12)]
    fiscal_year_end_day: Annotated[int, msgspec.Meta(ge=1, le=31)]
    quorum_rule: Literal["present", "number", "percent"]
    quorum_value: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
    abstentions_count: bool
    presence_required: bool
    representation_allowed: bool
    proxies_allowed: bool
    proxy_cap: Annotated[int, msgspec.Meta(ge=0, le=100)]


SettingsOut = SettingsIn


class AgendaItemIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=ONE_LINE)]
    description: Annotated[str, msgspec.Meta(max_length=5000, pattern=FREE_TEXT)] = ""


class MeetingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A meeting called. A time without an offset is the organisation's local time."""

    kind: Kind
    title: Title
    starts_at: dt.datetime
    place: Place | None = None
    video_url: VideoUrl | None = None
    agenda: list[AgendaItemIn] = []
    deadline_reason: Reason | None = None


class AgendaItemOut(msgspec.Struct, kw_only=True):
    id: UUID
    position: int
    title: str
    description: str


class MeetingOut(msgspec.Struct, kw_only=True):
    id: UUID
    kind: str
    title: str
    starts_at: dt.datetime
    place: str | None
    video_url: str | None
    status: str
    deadline_reason: str | None
    notice_sent_at: dt.datetime | None
    late_notice_reason: str | None
    agenda: list[AgendaItemOut]


class NoticeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    late_notice_reason: Reason | None = None


class CheckIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The secretary records a member's arrival (present) or departure (not present)."""

    member_number: MemberNumber
    present: bool = True
    representative_name: PersonName | None = None


class DeliveryOut(msgspec.Struct, kw_only=True):
    recipient: str
    status: str
    attempts: int
    last_error: str | None
    queued_at: dt.datetime
    sent_at: dt.datetime | None


class PostalRecipientOut(msgspec.Struct, kw_only=True):
    member_number: int
    name: str
    address: str


class NoticeReportOut(msgspec.Struct, kw_only=True):
    """The notice's delivery log, and the members without e-mail to whom it goes by post."""

    notice_sent_at: dt.datetime | None
    late_notice_reason: str | None
    deliveries: list[DeliveryOut]
    by_post: list[PostalRecipientOut]


class QuorumOut(msgspec.Struct, kw_only=True):
    present: int
    entitled: int
    needed: int
    reached: bool


class AttendanceOut(msgspec.Struct, kw_only=True):
    member_number: int
    name: str
    category: str
    present: bool
    representative_name: str | None


class MotionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: Text
    proposer_number: MemberNumber
    seconder_number: MemberNumber
    majority: MajorityKind = "majority"
    amends_id: UUID | None = None


class MotionOut(msgspec.Struct, kw_only=True):
    id: UUID
    meeting_id: UUID
    amends_id: UUID | None
    text: str
    majority: str
    status: str
    resolution_number: str | None


class VoteIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Text | None = None
    motion_id: UUID | None = None
    secret: bool = True
    majority: MajorityKind = "majority"
    category: Category | None = None


class VoteOut(msgspec.Struct, kw_only=True):
    id: UUID
    meeting_id: UUID
    motion_id: UUID | None
    question: str
    secret: bool
    majority: str
    category: str | None
    status: str
    eligible_count: int | None
    ballots: int
    counts: dict[str, int] | None  # hidden (null) until the close
    votes_cast: int | None
    adopted: bool | None
    chain_head: str | None
    certified_at: dt.datetime | None


class BallotIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    choice: Choice


class ReceiptOut(msgspec.Struct, kw_only=True):
    vote_id: UUID
    receipt_code: str
    receipt_hash: str


class PublishedBallotOut(msgspec.Struct, kw_only=True):
    position: int
    choice: str
    receipt_hash: str
    chain_hash: str


class BallotBoxOut(msgspec.Struct, kw_only=True):
    vote_id: UUID
    chain_start: str
    chain_head: str
    counts: dict[str, int]
    ballots: list[PublishedBallotOut]


class MinutesIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=200_000, pattern=FREE_TEXT)]


class MinutesOut(msgspec.Struct, kw_only=True):
    id: UUID
    meeting_id: UUID
    version: int
    body: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    approved_at: dt.datetime | None
    approved_by: UUID | None
