"""Piccolo tables of the meetings package, mirroring migrations/0001_meetings.sql."""

from piccolo.columns import JSONB, UUID, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class GovernanceSettingsRow(Table, tablename="governance_settings"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    general_notice_days = Integer()
    board_notice_days = Integer()
    agm_months_after_year_end = Integer()
    fiscal_year_end_month = Integer()
    fiscal_year_end_day = Integer()
    quorum_rule = Varchar(length=20)
    quorum_value = Integer()
    abstentions_count = Boolean()
    presence_required = Boolean()
    representation_allowed = Boolean()
    proxies_allowed = Boolean()
    proxy_cap = Integer()


class Meeting(Table, tablename="meeting"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    kind = Varchar(length=20)
    title = Varchar(length=200)
    starts_at = Timestamptz()
    place = Varchar(length=300, null=True, default=None)
    video_url = Varchar(length=500, null=True, default=None)
    status = Varchar(length=20)
    deadline_reason = Text(null=True, default=None)
    notice_sent_at = Timestamptz(null=True, default=None)
    late_notice_reason = Text(null=True, default=None)
    created_at = Timestamptz()


class AgendaItem(Table, tablename="agenda_item"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    position = Integer()
    title = Varchar(length=300)
    description = Text()


class Attendance(Table, tablename="meeting_presence"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    member_id = UUID()
    present = Boolean()
    representative_name = Varchar(length=200, null=True, default=None)
    first_arrived_at = Timestamptz()
    updated_at = Timestamptz()


class Motion(Table, tablename="motion"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    amends_id = UUID(null=True, default=None)
    text = Text()
    proposer_id = UUID()
    seconder_id = UUID()
    majority = Varchar(length=20)
    status = Varchar(length=20)
    resolution_number = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz()


class Vote(Table, tablename="vote"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    motion_id = UUID(null=True, default=None)
    question = Text()
    secret = Boolean()
    majority = Varchar(length=20)
    category = Varchar(length=30, null=True, default=None)
    status = Varchar(length=20)
    eligible_count = Integer(null=True, default=None)
    opened_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    counts = JSONB(null=True, default=None)
    votes_cast = Integer(null=True, default=None)
    adopted = Boolean(null=True, default=None)
    chain_head = Varchar(length=64, null=True, default=None)
    certified_by = UUID(null=True, default=None)
    certified_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class VoteEligibility(Table, tablename="vote_eligibility"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    member_id = UUID()
    category = Varchar(length=30)


class VoteCast(Table, tablename="vote_cast"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    member_id = UUID()
    named_choice = Varchar(length=20, null=True, default=None)


class SealedBallot(Table, tablename="ballot_sealed"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    choice = Varchar(length=20)
    receipt_hash = Varchar(length=64)


class Ballot(Table, tablename="ballot"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    position = Integer()
    choice = Varchar(length=20)
    receipt_hash = Varchar(length=64)
    chain_hash = Varchar(length=64)


class Minutes(Table, tablename="meeting_minutes"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    version = Integer()
    body = Text()
    status = Varchar(length=20)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    approved_at = Timestamptz(null=True, default=None)
    approved_by = UUID(null=True, default=None)
