-- The partner program: its policy, partners and their pipeline, committees, meetings and minutes,
-- hours, expense claims with receipts, reimbursement batches, and who opened a partner's file.
-- Shared by SQLite and PostgreSQL; every table is tenant-owned and references others through
-- composite foreign keys (tenant_id, x_id).

CREATE TABLE partner_policy (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    call_deadline_days INTEGER NOT NULL CHECK (call_deadline_days BETWEEN 1 AND 90),
    mileage_rate_cents_per_km INTEGER NOT NULL CHECK (mileage_rate_cents_per_km >= 0),
    mileage_cap_km INTEGER NOT NULL CHECK (mileage_cap_km >= 0),
    transit_cap_cents INTEGER NOT NULL CHECK (transit_cap_cents >= 0),
    parking_cap_cents INTEGER NOT NULL CHECK (parking_cap_cents >= 0),
    meal_cap_cents INTEGER NOT NULL CHECK (meal_cap_cents >= 0),
    lunch_start INTEGER NOT NULL,
    lunch_end INTEGER NOT NULL,
    supper_start INTEGER NOT NULL,
    supper_end INTEGER NOT NULL,
    childcare_rate_cents_per_hour INTEGER NOT NULL CHECK (childcare_rate_cents_per_hour >= 0),
    childcare_cap_cents INTEGER NOT NULL CHECK (childcare_cap_cents >= 0),
    claim_cap_cents INTEGER NOT NULL CHECK (claim_cap_cents >= 0),
    receipt_max_bytes INTEGER NOT NULL CHECK (receipt_max_bytes > 0),
    receipt_types JSONB NOT NULL,
    inactivity_months INTEGER NOT NULL CHECK (inactivity_months >= 1),
    privacy_officer_name VARCHAR(200) NOT NULL,
    privacy_officer_email VARCHAR(254) NOT NULL,
    privacy_officer_phone VARCHAR(40) NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id)
);

CREATE TABLE partner (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL CHECK (number > 0),
    user_id UUID REFERENCES app_user (id),
    kind VARCHAR(30) NOT NULL CHECK (kind IN ('resource_user', 'relative_resource', 'peer_helper', 'expert_by_experience')),
    stage VARCHAR(20) NOT NULL CHECK (stage IN ('received', 'called', 'interview', 'training', 'active', 'inactive', 'declined', 'withdrawn')),
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    email VARCHAR(254),
    phone VARCHAR(40),
    city VARCHAR(100) NOT NULL,
    language VARCHAR(10) NOT NULL,
    experience_areas JSONB NOT NULL,
    languages JSONB NOT NULL,
    availability JSONB NOT NULL,
    contributions JSONB NOT NULL,
    story TEXT NOT NULL,
    consent_contact BOOLEAN NOT NULL,
    consent_public_name BOOLEAN NOT NULL,
    consent_photos BOOLEAN NOT NULL,
    consent_research BOOLEAN NOT NULL,
    received_on DATE NOT NULL,
    called_on DATE,
    interview_notes TEXT NOT NULL,
    decision VARCHAR(20),
    stage_reason TEXT NOT NULL,
    last_activity_on DATE NOT NULL,
    anonymised_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number)
);
CREATE UNIQUE INDEX partner_user_unique ON partner (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX partner_by_stage ON partner (tenant_id, stage, received_on);

CREATE TABLE partner_stage_change (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    partner_id UUID NOT NULL,
    from_stage VARCHAR(20),
    to_stage VARCHAR(20) NOT NULL,
    reason TEXT NOT NULL,
    recorded_by UUID REFERENCES app_user (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id)
);
CREATE INDEX partner_stage_change_by_partner ON partner_stage_change (tenant_id, partner_id, recorded_at);

-- Who opened a partner's file, and when (Law 25): append-only.
CREATE TABLE partner_file_access (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    partner_id UUID NOT NULL,
    user_id UUID REFERENCES app_user (id),
    purpose VARCHAR(40) NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id)
);
CREATE INDEX partner_file_access_by_partner ON partner_file_access (tenant_id, partner_id, opened_at);

CREATE TABLE committee (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    kind VARCHAR(30) NOT NULL CHECK (kind IN ('improvement', 'users', 'client_council', 'coop')),
    mandate TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id)
);

-- A seat: a partner (partner_id) or a staff member named in their function (name).
CREATE TABLE committee_member (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    committee_id UUID NOT NULL,
    partner_id UUID,
    name VARCHAR(200) NOT NULL,
    role VARCHAR(20) NOT NULL CHECK (role IN ('chair', 'secretary', 'partner', 'professional', 'manager')),
    term_start DATE NOT NULL,
    term_end DATE,
    UNIQUE (tenant_id, id),
    CHECK (term_end IS NULL OR term_end >= term_start),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committee (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id)
);
CREATE INDEX committee_member_by_committee ON committee_member (tenant_id, committee_id);
CREATE INDEX committee_member_by_partner ON committee_member (tenant_id, partner_id);

-- A meeting and its minutes (one each). Once approved, `frozen` holds the minutes as approved.
CREATE TABLE committee_meeting (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    committee_id UUID NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    place VARCHAR(200) NOT NULL,
    agenda TEXT NOT NULL,
    minutes_text TEXT NOT NULL,
    minutes_status VARCHAR(20) NOT NULL CHECK (minutes_status IN ('draft', 'circulated', 'approved', 'published')),
    frozen JSONB,
    approved_at TIMESTAMPTZ,
    published_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    CHECK (ends_at > starts_at),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committee (tenant_id, id)
);
CREATE INDEX committee_meeting_by_committee ON committee_meeting (tenant_id, committee_id, starts_at);
CREATE INDEX committee_meeting_published ON committee_meeting (tenant_id, minutes_status, published_at);

CREATE TABLE meeting_attendance (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    member_id UUID NOT NULL,
    present BOOLEAN NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES committee_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES committee_member (tenant_id, id)
);

CREATE TABLE meeting_decision (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES committee_meeting (tenant_id, id)
);

-- Carried from meeting to meeting until done.
CREATE TABLE action_item (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    committee_id UUID NOT NULL,
    meeting_id UUID NOT NULL,
    owner_member_id UUID,
    description TEXT NOT NULL,
    due_on DATE,
    status VARCHAR(10) NOT NULL CHECK (status IN ('open', 'done')),
    done_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committee (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES committee_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_member_id) REFERENCES committee_member (tenant_id, id)
);
CREATE INDEX action_item_by_committee ON action_item (tenant_id, committee_id, status);

CREATE TABLE hours_entry (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    partner_id UUID NOT NULL,
    activity VARCHAR(30) NOT NULL CHECK (activity IN ('committee_meeting', 'project', 'review', 'training_given', 'accompaniment', 'training_received')),
    committee_id UUID,
    meeting_id UUID,
    worked_on DATE NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    description TEXT NOT NULL,
    status VARCHAR(10) NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    logged_by UUID REFERENCES app_user (id),
    decided_by UUID REFERENCES app_user (id),
    decided_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committee (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES committee_meeting (tenant_id, id)
);
CREATE UNIQUE INDEX hours_entry_once_per_meeting ON hours_entry (tenant_id, meeting_id, partner_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX hours_entry_by_partner ON hours_entry (tenant_id, partner_id, worked_on);
CREATE INDEX hours_entry_by_status ON hours_entry (tenant_id, status, worked_on);
CREATE INDEX hours_entry_by_day ON hours_entry (tenant_id, worked_on);

CREATE TABLE reimbursement_batch (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL CHECK (number > 0),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    created_by UUID REFERENCES app_user (id),
    created_at TIMESTAMPTZ NOT NULL,
    paid_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number)
);

CREATE TABLE expense_claim (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL CHECK (number > 0),
    partner_id UUID NOT NULL,
    activity_on DATE NOT NULL,
    starts_at_minute INTEGER NOT NULL,
    ends_at_minute INTEGER NOT NULL,
    description TEXT NOT NULL,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    status VARCHAR(10) NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'paid')),
    batch_id UUID,
    submitted_by UUID REFERENCES app_user (id),
    decided_by UUID REFERENCES app_user (id),
    decided_at TIMESTAMPTZ,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES reimbursement_batch (tenant_id, id)
);
CREATE INDEX expense_claim_by_status ON expense_claim (tenant_id, status, activity_on);
CREATE INDEX expense_claim_by_partner ON expense_claim (tenant_id, partner_id, activity_on);

CREATE TABLE expense_line (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    claim_id UUID NOT NULL,
    position INTEGER NOT NULL,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('transit', 'parking', 'mileage', 'meal', 'childcare')),
    claimed_cents INTEGER NOT NULL CHECK (claimed_cents >= 0),
    km INTEGER NOT NULL CHECK (km >= 0),
    minutes INTEGER NOT NULL CHECK (minutes >= 0),
    allowed_cents INTEGER NOT NULL CHECK (allowed_cents >= 0),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, claim_id) REFERENCES expense_claim (tenant_id, id)
);
CREATE INDEX expense_line_by_claim ON expense_line (tenant_id, claim_id, position);

CREATE TABLE expense_receipt (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    claim_id UUID NOT NULL,
    filename VARCHAR(200) NOT NULL,
    content_type VARCHAR(60) NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 VARCHAR(64) NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, claim_id) REFERENCES expense_claim (tenant_id, id)
);
CREATE INDEX expense_receipt_by_claim ON expense_receipt (tenant_id, claim_id);
