-- A login's standing in one organisation: its invitation (when it was first made, when its link
-- was last e-mailed and how many times, revoked, accepted), whether the administrator deactivated
-- it here, and when it last signed in here. One row per person and organisation, made by the first
-- of those; a person with a role and no row is an active login that was never invited.
-- Keyed by id as the other tenant-owned tables were; on PostgreSQL by (tenant_id, id) (0008).
CREATE TABLE tenant_login (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    invited_at TIMESTAMPTZ,
    invited_by UUID REFERENCES app_user (id),
    invitation_sent_at TIMESTAMPTZ,
    invitations_sent INTEGER NOT NULL DEFAULT 0 CHECK (invitations_sent >= 0),
    invitation_revoked_at TIMESTAMPTZ,
    accepted_at TIMESTAMPTZ,
    deactivated_at TIMESTAMPTZ,
    last_sign_in_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, user_id)
);
