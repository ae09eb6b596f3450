"""Piccolo tables of the meetings package, mirroring migrations/0001_meetings.sql."""

from piccolo.columns import JSONB, UUID, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class GovernanceSettingsRow(Table, tablename="governance_settings"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    general_notice_days = Integer()
    special_notice_days = Integer(default=10)
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
    requisition_large_membership = Integer(default=2000)
    requisition_large_count = Integer(default=500)
    requisition_percent = Integer(default=25)
    board_seats = JSONB(default="{}")


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
    cancelled_at = Timestamptz(null=True, default=None)
    cancel_reason = Text(null=True, default=None)


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
    meeting_id = UUID(null=True, default=None)  # None: a consultation between meetings (0005)
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
    kind = Varchar(length=20, default="question")  # question, election, consultation (0005)
    mode = Varchar(length=10, default="secret")  # secret, named, hands, hybrid (0005_vote_modes)
    room_counts = JSONB(null=True, default=None)
    room_counted_by = UUID(null=True, default=None)
    room_counted_at = Timestamptz(null=True, default=None)
    scrutineers = Text(null=True, default=None)  # one name per line


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


class BallotEnvelope(Table, tablename="ballot_envelope"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    envelope = Text()


class Ballot(Table, tablename="ballot"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    position = Integer()
    choice = Varchar(length=400)
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
    approved_body = Varchar(length=20, null=True, default=None)
    approval_meeting_id = UUID(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    published_by = UUID(null=True, default=None)
    members_told = Integer(null=True, default=None)  # e-mailed at the publication (general meetings)


# --- the meeting's record (migrations/0006_record.sql) -----------------------------------------


class Requisition(Table, tablename="meeting_requisition"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    object = Text()
    opened_by = UUID()
    opened_at = Timestamptz()
    signatures = Integer()
    threshold_reached_at = Timestamptz(null=True, default=None)
    threshold = Integer(null=True, default=None)
    meeting_id = UUID(null=True, default=None)


class RequisitionSignature(Table, tablename="requisition_signature"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    requisition_id = UUID()
    member_id = UUID()
    signed_at = Timestamptz()


class MeetingDocument(Table, tablename="meeting_document"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    kind = Varchar(length=30)
    title = Varchar(length=200)
    filename = Varchar(length=200)
    content_type = Varchar(length=100)
    size_bytes = Integer()
    sha256 = Varchar(length=64)
    uploaded_at = Timestamptz()
    uploaded_by = UUID(null=True, default=None)


class Proxy(Table, tablename="meeting_proxy"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    member_id = UUID()
    holder_id = UUID()
    slot = Integer()
    created_at = Timestamptz()


# --- elections of directors (migrations/0005_elections.sql) -------------------------------------


class Election(Table, tablename="election"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    meeting_id = UUID()
    agenda_item_id = UUID(null=True, default=None)
    title = Varchar(length=200)
    seats = Integer()
    method = Varchar(length=20)
    category = Varchar(length=30, null=True, default=None)
    nominations_close_at = Timestamptz()
    tie_seed = Varchar(length=64, null=True, default=None)  # drawn at the opening, shown from the close
    seed_commitment = Varchar(length=64, null=True, default=None)  # SHA-256 of tie_seed, published at the opening
    result = JSONB(null=True, default=None)
    created_at = Timestamptz()


class Candidacy(Table, tablename="candidacy"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    election_id = UUID()
    member_id = UUID()
    nominated_by = UUID()
    accepted_at = Timestamptz(null=True, default=None)
    ballot_number = Integer(null=True, default=None)
    created_at = Timestamptz()


class Consultation(Table, tablename="consultation"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    vote_id = UUID()
    title = Varchar(length=200)
    description = Text()
    category = Varchar(length=30, null=True, default=None)
    opens_at = Timestamptz()
    closes_at = Timestamptz()
    invited = Integer(null=True, default=None)
    created_at = Timestamptz()


class Director(Table, tablename="director"):  # migrations/0009_directors.sql
    tenant_id = UUID()
    id = UUID(primary_key=True)
    member_id = UUID()
    seat_category = Varchar(length=30, null=True, default=None)
    term_starts_on = Date()
    term_ends_on = Date(null=True, default=None)  # the day the term ended: no longer sits from that day
    created_at = Timestamptz()
