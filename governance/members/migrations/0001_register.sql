-- The register of members (Cooperatives Act, s. 124) and the history of their statuses.
-- formerly in: tenants/0001_register.sql (a database made before the register had its own package
-- has these tables already: the migration is recorded there, not applied again; backend/db.py)

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
