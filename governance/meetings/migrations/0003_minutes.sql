-- Minutes (procès-verbal) of a meeting, in versions: drafted from the meeting's record, edited by
-- the secretary, approved. An approved version is frozen (triggers below and in 0004); a change
-- to approved minutes is a new version.
CREATE TABLE meeting_minutes (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    version INTEGER NOT NULL CHECK (version > 0),
    body TEXT NOT NULL,
    status VARCHAR(20) NOT NULL CHECK (status IN ('draft', 'approved')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    approved_at TIMESTAMPTZ,
    approved_by UUID REFERENCES app_user (id),
    CHECK ((status = 'approved') = (approved_at IS NOT NULL)),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, version),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id)
);
