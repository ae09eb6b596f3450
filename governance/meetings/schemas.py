"""What the meetings API reads and writes (msgspec validates and documents it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from backend.bodies import changing
from governance.members.schemas import Category
from tenants.schemas import FREE_TEXT, ONE_LINE

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
    general_notice_days: Days  # an annual meeting's
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
    special_notice_days: Days = 10
    requisition_large_membership: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)] = 2000
    requisition_large_count: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)] = 500
    requisition_percent: Annotated[int, msgspec.Meta(ge=1, le=100)] = 25
    board_seats: dict[Category, Annotated[int, msgspec.Meta(ge=0, le=15)]] = {}


SettingsOut = SettingsIn
# A PUT changes the fields it is given and no other (a field left out kept its default, once).
SettingsChanges = changing(SettingsIn, "SettingsChanges")


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


class MeetingChangeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A meeting still to hold, changed (or postponed: a later time). The reason goes in the notice
    of the change to those already called."""

    title: Title
    starts_at: dt.datetime
    place: Place | None = None
    video_url: VideoUrl | None = None
    deadline_reason: Reason | None = None
    reason: Reason | None = None


class CancellationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


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
    cancelled_at: dt.datetime | None = None
    cancel_reason: str | None = None


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
    # How it is taken; when absent, `secret` decides between "secret" and "named".
    mode: Literal["secret", "named", "hands", "hybrid"] | None = None


class VoteOut(msgspec.Struct, kw_only=True):
    id: UUID
    meeting_id: UUID | None  # None: a consultation between meetings
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
    mode: str = "secret"
    online_counts: dict[str, int] | None = None  # the published box's ballots (hybrid: the online part)
    room_counts: dict[str, int] | None = None  # the scrutineers' count (show of hands, paper, hybrid)
    scrutineers: list[str] = []  # who certified the result with the secretary


class CertificationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    scrutineers: Annotated[list[PersonName], msgspec.Meta(max_length=6)] = []


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
    election: dict[str, Any] | None = None  # an election's method, seats, seed and result, to redo its count


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
    approved_body: str | None = None
    approval_meeting_id: UUID | None = None
    published_at: dt.datetime | None = None
    members_told: int | None = None  # members told by e-mail at the publication (a general meeting's minutes)


# --- the meeting's record: requisitions, documents, proxies, check-in, minutes' approval ---------


class RequisitionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A request for a special meeting, with the object of the meeting."""

    object: Text


class RequisitionOut(msgspec.Struct, kw_only=True):
    id: UUID
    object: str
    opened_at: dt.datetime
    signatures: int
    needed: int
    status: str  # collecting, threshold_reached, called
    threshold_reached_at: dt.datetime | None
    meeting_id: UUID | None
    signed: bool = False


class SignatoryOut(msgspec.Struct, kw_only=True):
    member_number: int
    name: str
    signed_at: dt.datetime


class RequisitionMeetingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    meeting_id: UUID


DocumentKind = Literal["annual_report", "financial_statements", "auditor_report", "other"]


class DocumentOut(msgspec.Struct, kw_only=True):
    id: UUID
    meeting_id: UUID
    kind: str
    title: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime


class DirectorIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A member appointed to the board (elected, or named to fill a seat), from term_starts_on."""

    member_number: MemberNumber
    seat_category: Category | None = None  # the category whose seat it is (solidarity co-ops)
    term_starts_on: dt.date


class DirectorChangeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A current term's entry corrected: the seat it is for, the day it started."""

    seat_category: Category | None = None
    term_starts_on: dt.date


class TermEndIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    term_ends_on: dt.date  # the director no longer sits from that day


class BoardSeatOut(msgspec.Struct, kw_only=True):
    id: UUID
    member_number: int
    member_name: str
    seat_category: str | None
    term_starts_on: dt.date
    term_ends_on: dt.date | None


class ProxyIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A member (member_number) represented at the meeting by another member (holder_number)."""

    member_number: MemberNumber
    holder_number: MemberNumber


class ProxyOut(msgspec.Struct, kw_only=True):
    id: UUID
    meeting_id: UUID
    member_number: int
    member_name: str
    holder_number: int
    holder_name: str


class ProxyBallotIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The ballot a proxy holder casts for the member they represent."""

    member_number: MemberNumber
    choice: Choice


class ScanIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the scanner typed (the token of a member's QR code), or a member number."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
    present: bool = True


class CardOut(msgspec.Struct, kw_only=True):
    member_number: int
    name: str
    token: str


class VoteLiveOut(msgspec.Struct, kw_only=True):
    id: UUID
    question: str
    status: str
    ballots: int
    eligible_count: int | None
    counts: dict[str, int] | None
    adopted: bool | None


class LiveOut(msgspec.Struct, kw_only=True):
    """What the projector shows: turnout and quorum, the open vote, results once closed."""

    meeting_id: UUID
    title: str
    status: str
    quorum: QuorumOut
    votes: list[VoteLiveOut]


ApprovingBody = Literal["general_meeting", "board"]


class ApprovalIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who approved the minutes: the next general meeting or the board (and, if recorded, which meeting)."""

    approved_body: ApprovingBody
    approval_meeting_id: UUID | None = None


class ResolutionOut(msgspec.Struct, kw_only=True):
    resolution_number: str
    text: str
    meeting_id: UUID
    meeting_title: str
    meeting_kind: str
    held_on: dt.date
    majority: str


# --- elections of directors (elections.py) -------------------------------------------------------


class ElectionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An election of directors on an item of the agenda. A time without an offset is local."""

    title: Title
    seats: Annotated[int, msgspec.Meta(ge=1, le=50)]
    method: Literal["plurality", "stv"] = "plurality"
    category: Category | None = None
    nominations_close_at: dt.datetime
    agenda_item_id: UUID | None = None


class NominationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A member nominated by the member signed in (or, recorded by the secretary, by nominator_number)."""

    candidate_number: MemberNumber
    nominator_number: MemberNumber | None = None


class ElectionBallotIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The candidates' ballot numbers: up to `seats` marks (plurality) or a ranking, first preference
    first (single transferable vote). An empty list is a blank ballot."""

    candidates: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=1000)]], msgspec.Meta(max_length=100)]


class CandidateOut(msgspec.Struct, kw_only=True):
    id: UUID
    member_number: int
    name: str
    category: str
    nominated_by_number: int
    nominated_by_name: str
    accepted: bool
    ballot_number: int | None


class CandidacyOut(CandidateOut, kw_only=True):
    election_id: UUID


class ElectionOut(msgspec.Struct, kw_only=True):
    id: UUID
    vote_id: UUID
    meeting_id: UUID
    agenda_item_id: UUID | None
    title: str
    seats: int
    method: str
    category: str | None
    nominations_close_at: dt.datetime
    status: str
    eligible_count: int | None
    ballots: int
    candidates: list[CandidateOut]
    elected: list[CandidateOut] | None  # hidden (null) until the close
    result: dict[str, Any] | None  # the count: votes by ballot number, quota, rounds, draws by lot
    tie_seed: str | None  # revealed at the close
    seed_commitment: str | None  # SHA-256 of the seed, published when the vote opens (None: opened before commitments)
    chain_head: str | None
    certified_at: dt.datetime | None


# --- consultations between meetings (consultations.py) ------------------------------------------


class ConsultationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An advisory online vote between meetings. A time without an offset is local."""

    title: Title
    description: Annotated[str, msgspec.Meta(max_length=5000, pattern=FREE_TEXT)] = ""
    opens_at: dt.datetime
    closes_at: dt.datetime
    category: Category | None = None


class ConsultationOut(msgspec.Struct, kw_only=True):
    id: UUID
    vote_id: UUID
    title: str
    description: str
    category: str | None
    opens_at: dt.datetime
    closes_at: dt.datetime
    window: str  # before, during, after (the times)
    status: str  # draft, open, closed (the vote)
    eligible_count: int | None
    invited: int | None
    ballots: int
    counts: dict[str, int] | None  # hidden (null) until closed
    votes_cast: int | None
    chain_head: str | None
    certified_at: dt.datetime | None


class AnnualMeetingOut(msgspec.Struct, kw_only=True):
    id: UUID
    title: str
    held_on: dt.date
    status: str


class CategoryCountOut(msgspec.Struct, kw_only=True):
    category: str
    active: int


class DirectorOut(msgspec.Struct, kw_only=True):
    name: str
    member_number: int
    category: str
    election: str
    held_on: dt.date


class AnnualReportOut(msgspec.Struct, kw_only=True):
    """The annual report's governance part (s. 132)."""

    year: int
    annual_meetings: list[AnnualMeetingOut]
    general_meetings: int
    board_meetings: int
    members_by_category: list[CategoryCountOut]
    active_members: int
    directors: list[DirectorOut]
    resolutions: int


# --- vote modes: counts from the room, named results, turnout (vote_modes.py) --------------------

Count = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class RoomCountIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The scrutineers' count of hands (or paper ballots) in the room, entered once."""

    yes: Count
    no: Count
    abstain: Count = 0


class NamedVoteOut(msgspec.Struct, kw_only=True):
    member_number: int
    name: str
    choice: str


class TurnoutOut(msgspec.Struct, kw_only=True):
    category: str
    voted: int  # ballots cast online (who voted is public, not how)
    eligible: int


class TurnoutReportOut(msgspec.Struct, kw_only=True):
    by_category: list[TurnoutOut]
    online: int
    room: int | None  # hands counted in the room (no category: a hand has none)
    eligible: int
