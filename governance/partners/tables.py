"""Piccolo tables of the partner program, mirroring migrations/0001_partners.sql."""

from piccolo.columns import JSONB, UUID, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class PartnerPolicy(Table, tablename="partner_policy"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    call_deadline_days = Integer()
    mileage_rate_cents_per_km = Integer()
    mileage_cap_km = Integer()
    transit_cap_cents = Integer()
    parking_cap_cents = Integer()
    meal_cap_cents = Integer()
    lunch_start = Integer()
    lunch_end = Integer()
    supper_start = Integer()
    supper_end = Integer()
    childcare_rate_cents_per_hour = Integer()
    childcare_cap_cents = Integer()
    claim_cap_cents = Integer()
    receipt_max_bytes = Integer()
    receipt_types = JSONB()
    inactivity_months = Integer()
    privacy_officer_name = Varchar(length=200)
    privacy_officer_email = Varchar(length=254)
    privacy_officer_phone = Varchar(length=40)
    updated_at = Timestamptz()
    pledge_version = Varchar(length=40, default="1")
    pledge_valid_months = Integer(default=24)
    receipt_required_kinds = JSONB(default=["transit", "parking", "meal"])


class Partner(Table, tablename="partner"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    number = Integer()
    user_id = UUID(null=True, default=None)
    kind = Varchar(length=30)
    stage = Varchar(length=20)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=40, null=True, default=None)
    city = Varchar(length=100)
    language = Varchar(length=10)
    experience_areas = JSONB()
    languages = JSONB()
    availability = JSONB()
    contributions = JSONB()
    story = Text()
    consent_contact = Boolean()
    consent_public_name = Boolean()
    consent_photos = Boolean()
    consent_research = Boolean()
    received_on = Date()
    called_on = Date(null=True, default=None)
    interview_notes = Text()
    decision = Varchar(length=20, null=True, default=None)
    stage_reason = Text()
    last_activity_on = Date()
    anonymised_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PartnerStageChange(Table, tablename="partner_stage_change"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    partner_id = UUID()
    from_stage = Varchar(length=20, null=True, default=None)
    to_stage = Varchar(length=20)
    reason = Text()
    recorded_by = UUID(null=True, default=None)
    recorded_at = Timestamptz()


class PartnerFileAccess(Table, tablename="partner_file_access"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    partner_id = UUID()
    user_id = UUID(null=True, default=None)
    purpose = Varchar(length=40)
    opened_at = Timestamptz()


class Committee(Table, tablename="committee"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    name = Varchar(length=200)
    kind = Varchar(length=30)
    mandate = Text()
    created_at = Timestamptz()
    ended_on = Date(null=True, default=None)


class CommitteeMember(Table, tablename="committee_member"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    committee_id = UUID()
    partner_id = UUID(null=True, default=None)
    name = Varchar(length=200)
    role = Varchar(length=20)
    term_start = Date()
    term_end = Date(null=True, default=None)


class CommitteeMeeting(Table, tablename="committee_meeting"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    committee_id = UUID()
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    place = Varchar(length=200)
    agenda = Text()
    minutes_text = Text()
    minutes_status = Varchar(length=20)
    frozen = JSONB(null=True, default=None)
    approved_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)


class MeetingAttendance(Table, tablename="meeting_attendance"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    member_id = UUID()
    present = Boolean()


class MeetingDecision(Table, tablename="meeting_decision"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    meeting_id = UUID()
    position = Integer()
    text = Text()


class ActionItem(Table, tablename="action_item"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    committee_id = UUID()
    meeting_id = UUID()
    owner_member_id = UUID(null=True, default=None)
    description = Text()
    due_on = Date(null=True, default=None)
    status = Varchar(length=10)
    done_at = Timestamptz(null=True, default=None)


class HoursEntry(Table, tablename="hours_entry"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    partner_id = UUID()
    activity = Varchar(length=30)
    committee_id = UUID(null=True, default=None)
    meeting_id = UUID(null=True, default=None)
    worked_on = Date()
    minutes = Integer()
    description = Text()
    status = Varchar(length=10)
    logged_by = UUID(null=True, default=None)
    decided_by = UUID(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class ReimbursementBatch(Table, tablename="reimbursement_batch"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    number = Integer()
    total_cents = Integer()
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    paid_at = Timestamptz(null=True, default=None)


class ExpenseClaim(Table, tablename="expense_claim"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    number = Integer()
    partner_id = UUID()
    activity_on = Date()
    starts_at_minute = Integer()
    ends_at_minute = Integer()
    description = Text()
    total_cents = Integer()
    status = Varchar(length=10)
    batch_id = UUID(null=True, default=None)
    submitted_by = UUID(null=True, default=None)
    decided_by = UUID(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    reason = Text()
    created_at = Timestamptz()


class ExpenseLine(Table, tablename="expense_line"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    claim_id = UUID()
    position = Integer()
    kind = Varchar(length=20)
    claimed_cents = Integer()
    km = Integer()
    minutes = Integer()
    allowed_cents = Integer()


class ExpenseReceipt(Table, tablename="expense_receipt"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    claim_id = UUID()
    filename = Varchar(length=200)
    content_type = Varchar(length=60)
    size_bytes = Integer()
    sha256 = Varchar(length=64)
    uploaded_at = Timestamptz()


# --- trainings (migrations/0003_trainings.sql) ----------------------------------------------------


class TrainingCohort(Table, tablename="training_cohort"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    name = Varchar(length=200)
    school = Varchar(length=200)
    required = Boolean()
    min_size = Integer()
    max_size = Integer()
    completed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class TrainingSession(Table, tablename="training_session"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    cohort_id = UUID()
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    place = Varchar(length=200)
    trainers = Varchar(length=400)


class TrainingEnrolment(Table, tablename="training_enrolment"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    cohort_id = UUID()
    partner_id = UUID()
    enrolled_at = Timestamptz()
    completed_at = Timestamptz(null=True, default=None)
    feedback_at = Timestamptz(null=True, default=None)


class TrainingAttendance(Table, tablename="training_attendance"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    session_id = UUID()
    enrolment_id = UUID()
    present = Boolean()


class TrainingFeedback(Table, tablename="training_feedback"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    cohort_id = UUID()
    clarity = Integer()
    trainers = Integer()
    usefulness = Integer()
    readiness = Integer()
    comment = Text()
    answered_on = Date()


# --- pledges and mandates (migrations/0005_pledges_and_mandates.sql) --------------------------------


class PartnerPledge(Table, tablename="partner_pledge"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    partner_id = UUID()
    version = Varchar(length=40)
    signed_on = Date()
    recorded_by = UUID(null=True, default=None)
    recorded_at = Timestamptz()


class PartnerMandate(Table, tablename="partner_mandate"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    partner_id = UUID()
    kind = Varchar(length=20)
    committee_id = UUID(null=True, default=None)
    title = Varchar(length=200)
    starts_on = Date()
    ends_on = Date()
    recorded_by = UUID(null=True, default=None)
    recorded_at = Timestamptz()
