"""What the partner program's API reads and writes (msgspec validates and documents it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.bodies import changing
from tenants.schemas import FREE_TEXT, ONE_LINE, Email, Name, Phone, Short

Text = Annotated[str, msgspec.Meta(max_length=4000, pattern=FREE_TEXT)]
RequiredText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=FREE_TEXT)]
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Cents = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
MinuteOfDay = Annotated[int, msgspec.Meta(ge=0, le=24 * 60)]
ClockTime = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")]
Kind = Literal["resource_user", "relative_resource", "peer_helper", "expert_by_experience"]
Stage = Literal["received", "called", "interview", "training", "active", "inactive", "declined", "withdrawn"]
ExperienceArea = Literal[
    "chronic_pain", "chronic_disease", "mental_health", "oncology", "relative_care", "maternity_child",
    "seniors", "disability", "addiction", "emergency_surgery",
]
SpokenLanguage = Literal["fr", "en", "fi", "sv", "es", "ar", "other"]
Availability = Literal["weekday_daytime", "weekday_evening", "weekend", "remote"]
Contribution = Literal["committees", "short_projects", "document_review", "giving_trainings", "accompanying_users"]
CommitteeKind = Literal["improvement", "users", "client_council", "coop"]
SeatRole = Literal["chair", "secretary", "partner", "professional", "manager"]
Activity = Literal["committee_meeting", "project", "review", "training_given", "accompaniment", "training_received"]
ExpenseKindName = Literal["transit", "parking", "mileage", "meal", "childcare"]
MinutesStatusName = Literal["draft", "circulated", "approved", "published"]


def _choices(kind, *, min_length: int = 1):
    return Annotated[list[kind], msgspec.Meta(min_length=min_length, max_length=20)]


class Application(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The public application form. `form_token` comes with the form; `website` is left empty
    by people (a field robots fill in)."""

    first_name: Name
    last_name: Name
    email: Email
    phone: Phone | None = None
    city: Short
    language: Literal["fr_CA", "en_CA", "fi"] = "fr_CA"
    kind: Kind
    experience_areas: _choices(ExperienceArea)
    languages: _choices(SpokenLanguage)
    availability: _choices(Availability)
    contributions: _choices(Contribution)
    story: Text = ""
    consent_contact: bool
    form_token: Annotated[str, msgspec.Meta(max_length=100)]
    website: Annotated[str, msgspec.Meta(max_length=200)] = ""


class ApplicationForm(msgspec.Struct, kw_only=True):
    form_token: str
    minimum_seconds: int


class ApplicationReceived(msgspec.Struct, kw_only=True):
    number: int
    call_by: dt.date


class PolicyIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    call_deadline_days: Annotated[int, msgspec.Meta(ge=1, le=90)] = 14
    mileage_rate_cents_per_km: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 54
    mileage_cap_km: Annotated[int, msgspec.Meta(ge=0, le=5000)] = 300
    transit_cap_cents: Cents = 2000
    parking_cap_cents: Cents = 2500
    meal_cap_cents: Cents = 2000
    lunch_start: MinuteOfDay = 720
    lunch_end: MinuteOfDay = 780
    supper_start: MinuteOfDay = 1080
    supper_end: MinuteOfDay = 1140
    childcare_rate_cents_per_hour: Cents = 1200
    childcare_cap_cents: Cents = 6000
    claim_cap_cents: Cents = 20000
    receipt_max_bytes: Annotated[int, msgspec.Meta(ge=1024, le=20 * 1024 * 1024)] = 2 * 1024 * 1024
    receipt_types: Annotated[list[Literal["application/pdf", "image/jpeg", "image/png"]], msgspec.Meta(min_length=1, max_length=3)] = msgspec.field(default_factory=lambda: ["application/pdf", "image/jpeg", "image/png"])
    inactivity_months: Annotated[int, msgspec.Meta(ge=1, le=240)] = 24
    privacy_officer_name: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    privacy_officer_email: Annotated[str, msgspec.Meta(max_length=254, pattern=ONE_LINE)] = ""
    privacy_officer_phone: Annotated[str, msgspec.Meta(max_length=40, pattern=ONE_LINE)] = ""
    pledge_version: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=ONE_LINE)] = "1"
    pledge_valid_months: Annotated[int, msgspec.Meta(ge=1, le=240)] = 24
    receipt_required_kinds: Annotated[list[ExpenseKindName], msgspec.Meta(max_length=5)] = msgspec.field(default_factory=lambda: ["transit", "parking", "meal"])


# A PUT changes the fields it is given and no other (a field left out was once reset to its default).
PolicyChanges = changing(PolicyIn, "PolicyChanges")


class PolicyOut(PolicyIn, kw_only=True):
    pass


class StageMove(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    stage: Stage
    reason: Text = ""


class InterviewNotes(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    interview_notes: Text
    decision: Literal["accepted", "declined", "undecided"] = "undecided"


class ConsentChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    consent_contact: bool | msgspec.UnsetType = msgspec.UNSET
    consent_public_name: bool | msgspec.UnsetType = msgspec.UNSET
    consent_photos: bool | msgspec.UnsetType = msgspec.UNSET
    consent_research: bool | msgspec.UnsetType = msgspec.UNSET


class PartnerOut(msgspec.Struct, kw_only=True):
    id: UUID
    number: int
    kind: str
    stage: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    city: str
    language: str
    experience_areas: list[str]
    languages: list[str]
    availability: list[str]
    contributions: list[str]
    story: str
    consent_contact: bool
    consent_public_name: bool
    consent_photos: bool
    consent_research: bool
    received_on: dt.date
    call_by: dt.date
    overdue: bool
    called_on: dt.date | None
    interview_notes: str
    decision: str | None
    stage_reason: str
    user_id: UUID | None


def partner_out(row: dict) -> PartnerOut:
    return msgspec.convert(row, PartnerOut, from_attributes=True)


class CommitteeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Line
    kind: CommitteeKind
    mandate: Text = ""


# A PATCH changes the fields it is given (name, kind, mandate) and no other.
CommitteeChanges = changing(CommitteeIn, "CommitteeChanges")


class Ending(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The day a committee, or a member's term on it, ends."""

    ended_on: dt.date


class SeatEdit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What changes in a seat: its holder's role and term (another holder is another seat)."""

    role: SeatRole
    term_start: dt.date
    term_end: dt.date | None = None


SeatChanges = changing(SeatEdit, "SeatChanges")


class CommitteeOut(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    kind: str
    mandate: str


class SeatIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partner's seat (partner_id) or a staff member's, named in their function (name)."""

    partner_id: UUID | None = None
    name: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    role: SeatRole
    term_start: dt.date
    term_end: dt.date | None = None


class SeatOut(msgspec.Struct, kw_only=True):
    id: UUID
    partner_id: UUID | None
    name: str
    role: str
    term_start: dt.date
    term_end: dt.date | None


class MeetingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Line
    agenda: Text = ""


class AttendanceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The seats present; every other seat of the committee is recorded absent."""

    present: Annotated[list[UUID], msgspec.Meta(max_length=200)]


class DecisionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: RequiredText


class ActionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    description: RequiredText
    owner_member_id: UUID | None = None
    due_on: dt.date | None = None


class MinutesTextIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: Text


class MinutesMove(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: MinutesStatusName


class HoursIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    activity: Activity
    worked_on: dt.date
    minutes: Annotated[int, msgspec.Meta(ge=1, le=16 * 60)]
    description: Text = ""
    committee_id: UUID | None = None


class HoursDecision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Literal["approved", "rejected"]


class ExpenseLineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: ExpenseKindName
    amount_cents: Cents = 0
    km: Annotated[int, msgspec.Meta(ge=0, le=5000)] = 0
    minutes: Annotated[int, msgspec.Meta(ge=0, le=24 * 60)] = 0


class ClaimIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    activity_on: dt.date
    starts_at: ClockTime
    ends_at: ClockTime
    description: Line
    lines: Annotated[list[ExpenseLineIn], msgspec.Meta(min_length=1, max_length=10)]


class ClaimDecision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Literal["approved", "rejected"]
    reason: Text = ""


class ClaimOut(msgspec.Struct, kw_only=True):
    id: UUID
    number: int
    partner_id: UUID
    activity_on: dt.date
    description: str
    total_cents: int
    status: str
    reason: str
    lines: list[dict]
    receipts: list[dict]


class BatchOut(msgspec.Struct, kw_only=True):
    id: UUID
    number: int
    total_cents: int
    claims: int
    paid_at: dt.datetime | None


# --- trainings ---

Rating = Annotated[int, msgspec.Meta(ge=1, le=5)]


class TrainingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A training cohort: the 2-hour partnership training, or a group trained with a partner school."""

    name: Line
    school: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    required: bool = True  # completing it lets a partner in training become active
    min_size: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1
    max_size: Annotated[int, msgspec.Meta(ge=1, le=500)] = 30


class TrainingSessionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Line
    trainers: Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=ONE_LINE)]


class EnrolmentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    partner_id: UUID


class TrainingAttendanceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The enrolments present at a session; every other enrolment is recorded absent."""

    present: Annotated[list[UUID], msgspec.Meta(max_length=500)]


class FeedbackIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The questionnaire after a training: each statement rated from 1 (not at all) to 5 (fully)."""

    clarity: Rating
    trainers: Rating
    usefulness: Rating
    readiness: Rating
    comment: Text = ""


# --- pledges and mandates ---


class PledgeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A confidentiality pledge signed on paper, recorded by the coordinator."""

    signed_on: dt.date
    version: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=ONE_LINE)]


class SignPledge(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The partner signs the current text themself, today."""

    accept: bool


class MandateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: Literal["committee", "project"]
    committee_id: UUID | None = None  # the committee of a committee seat's mandate
    title: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""  # the project, or a precision
    starts_on: dt.date
    ends_on: dt.date


# --- matching ---

NeedKind = Literal["committee_seat", "document_review", "co_teaching"]


class NeedIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: NeedKind
    areas: Annotated[list[ExperienceArea], msgspec.Meta(max_length=10)] = msgspec.field(default_factory=list)
    language: SpokenLanguage | None = None
    availability: Annotated[list[Availability], msgspec.Meta(max_length=4)] = msgspec.field(default_factory=list)
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20
