-- The meeting's record (issue 3): requests for a special meeting and their signatures, the
-- documents of a meeting, proxies, and the approval and publication of minutes.

-- s. 77: the number of signatures that calls a special meeting, per tenant.
ALTER TABLE governance_settings ADD COLUMN requisition_large_membership INTEGER NOT NULL DEFAULT 2000 CHECK (requisition_large_membership >= 1);
ALTER TABLE governance_settings ADD COLUMN requisition_large_count INTEGER NOT NULL DEFAULT 500 CHECK (requisition_large_count >= 1);
ALTER TABLE governance_settings ADD COLUMN requisition_percent INTEGER NOT NULL DEFAULT 25 CHECK (requisition_percent BETWEEN 1 AND 100);

-- A members' request that the board call a special meeting, with its object. `signatures` counts
-- the rows of requisition_signature (each signature takes the row's lock to add itself, so the
-- board is told once, when the count first reaches the threshold).
CREATE TABLE meeting_requisition (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    object TEXT NOT NULL,
    opened_by UUID NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL,
    signatures INTEGER NOT NULL CHECK (signatures >= 0),
    threshold_reached_at TIMESTAMPTZ,
    threshold INTEGER,
    meeting_id UUID,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, meeting_id),
    FOREIGN KEY (tenant_id, opened_by) REFERENCES member (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id)
);

-- One signature per member and request (the UNIQUE constraint).
CREATE TABLE requisition_signature (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    requisition_id UUID NOT NULL,
    member_id UUID NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, requisition_id, member_id),
    FOREIGN KEY (tenant_id, requisition_id) REFERENCES meeting_requisition (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);

-- The documents of a meeting (annual report, financial statements...): PDF files kept under the
-- files folder (SOLIDAIRE_VAR), named by this row's id; the row holds their size and hash.
CREATE TABLE meeting_document (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    kind VARCHAR(30) NOT NULL CHECK (kind IN ('annual_report', 'financial_statements', 'auditor_report', 'other')),
    title VARCHAR(200) NOT NULL,
    filename VARCHAR(200) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 VARCHAR(64) NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    uploaded_by UUID REFERENCES app_user (id),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id)
);
CREATE INDEX meeting_document_by_meeting ON meeting_document (tenant_id, meeting_id);

-- Proxies, where the tenant's by-laws allow them: a member (member_id) represented at one meeting
-- by another (holder_id). Each takes one of the holder's slots 1..cap, unique per holder, so the
-- cap holds under concurrent requests.
CREATE TABLE meeting_proxy (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    member_id UUID NOT NULL,
    holder_id UUID NOT NULL,
    slot INTEGER NOT NULL CHECK (slot >= 1),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (member_id <> holder_id),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, member_id),
    UNIQUE (tenant_id, meeting_id, holder_id, slot),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id),
    FOREIGN KEY (tenant_id, holder_id) REFERENCES member (tenant_id, id)
);

-- Minutes: who approved them (the next general meeting or the board, and which meeting), then
-- their publication to the members.
ALTER TABLE meeting_minutes ADD COLUMN approved_body VARCHAR(20) CHECK (approved_body IN ('general_meeting', 'board'));
ALTER TABLE meeting_minutes ADD COLUMN approval_meeting_id UUID;
ALTER TABLE meeting_minutes ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE meeting_minutes ADD COLUMN published_by UUID REFERENCES app_user (id);
