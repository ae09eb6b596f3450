-- Tenants, people and the member register. Shared by SQLite and PostgreSQL.
-- Tenant-owned tables carry tenant_id, are unique on (tenant_id, id) and reference each other
-- through composite foreign keys, so that no row can point into another tenant.

CREATE TABLE tenant (
    id UUID PRIMARY KEY,
    slug VARCHAR(63) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    kind VARCHAR(30) NOT NULL CHECK (kind IN ('coop', 'partner_program')),
    locale VARCHAR(10) NOT NULL,
    timezone VARCHAR(64) NOT NULL,
    currency VARCHAR(3) NOT NULL,
    member_categories JSONB NOT NULL,
    share_price_cents INTEGER NOT NULL CHECK (share_price_cents >= 0),
    qualifying_shares INTEGER NOT NULL CHECK (qualifying_shares >= 0),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE app_user (
    id UUID PRIMARY KEY,
    email VARCHAR(254) NOT NULL UNIQUE,
    full_name VARCHAR(200) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    locale VARCHAR(10),
    is_active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE login_session (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tenant_role (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id),
    role VARCHAR(30) NOT NULL CHECK (role IN ('administrator', 'secretary', 'treasurer', 'member', 'clinician', 'partner_coordinator', 'partner')),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, user_id, role)
);

CREATE TABLE api_token (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id),
    name VARCHAR(100) NOT NULL,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id)
);

-- Gapless per-tenant numbers (member no., later invoice and resolution no.): the counter is
-- incremented in the transaction that uses the number, so a rollback gives it back.
CREATE TABLE number_sequence (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    name VARCHAR(60) NOT NULL,
    last_value INTEGER NOT NULL CHECK (last_value >= 0),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE member (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL CHECK (number > 0),
    user_id UUID REFERENCES app_user (id),
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    email VARCHAR(254),
    phone VARCHAR(40),
    street VARCHAR(200) NOT NULL,
    city VARCHAR(100) NOT NULL,
    region VARCHAR(100) NOT NULL,
    postal_code VARCHAR(20) NOT NULL,
    country VARCHAR(2) NOT NULL,
    language VARCHAR(10) NOT NULL,
    category VARCHAR(30) NOT NULL,
    status VARCHAR(20) NOT NULL CHECK (status IN ('applicant', 'active', 'suspended', 'resigned', 'excluded', 'deceased')),
    status_since DATE NOT NULL,
    shares_subscribed INTEGER NOT NULL CHECK (shares_subscribed >= 0),
    shares_paid INTEGER NOT NULL CHECK (shares_paid >= 0 AND shares_paid <= shares_subscribed),
    admitted_on DATE,
    admission_resolution VARCHAR(100),
    consent_contact BOOLEAN NOT NULL,
    consent_publish_name BOOLEAN NOT NULL,
    consent_photos BOOLEAN NOT NULL,
    consent_research BOOLEAN NOT NULL,
    search_text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number)
);
CREATE UNIQUE INDEX member_email_unique ON member (tenant_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX member_user_unique ON member (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX member_by_name ON member (tenant_id, last_name, first_name, number);
CREATE INDEX member_by_status ON member (tenant_id, status, category, last_name, first_name, number);

CREATE TABLE member_status_change (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    member_id UUID NOT NULL,
    from_status VARCHAR(20),
    to_status VARCHAR(20) NOT NULL,
    effective_on DATE NOT NULL,
    reason TEXT NOT NULL,
    recorded_by UUID REFERENCES app_user (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);
CREATE INDEX member_status_change_by_member ON member_status_change (tenant_id, member_id, recorded_at);

-- Append-only: the application role may insert and read, never change or delete (see the
-- PostgreSQL migration and the triggers below).
CREATE TABLE audit_event (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor_user_id UUID REFERENCES app_user (id),
    action VARCHAR(60) NOT NULL,
    object_type VARCHAR(40) NOT NULL,
    object_id UUID,
    details JSONB NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX audit_event_by_object ON audit_event (tenant_id, object_type, object_id, occurred_at);
