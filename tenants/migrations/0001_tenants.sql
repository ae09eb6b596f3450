-- Tenants and their people (logins, roles, sessions, tokens), counters, the audit log. Shared by
-- SQLite and PostgreSQL.
-- formerly in: tenants/0001_register.sql (which also made the member register's tables, now
-- governance/members/0001_register.sql: a database where it is applied has all of them)
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
