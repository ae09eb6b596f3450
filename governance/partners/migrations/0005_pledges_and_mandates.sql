-- The confidentiality pledge a partner signs (the version of the text, the date signed), and a
-- mandate for each involvement (a committee seat or a project, with its dates). The policy says
-- which version of the pledge is current and for how long a signature holds.

ALTER TABLE partner_policy ADD COLUMN pledge_version VARCHAR(40) NOT NULL DEFAULT '1';
ALTER TABLE partner_policy ADD COLUMN pledge_valid_months INTEGER NOT NULL DEFAULT 24;

CREATE TABLE partner_pledge (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    partner_id UUID NOT NULL,
    version VARCHAR(40) NOT NULL,
    signed_on DATE NOT NULL,
    recorded_by UUID REFERENCES app_user (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id)
);
CREATE INDEX partner_pledge_by_partner ON partner_pledge (tenant_id, partner_id, signed_on);

CREATE TABLE partner_mandate (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    partner_id UUID NOT NULL,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('committee', 'project')),
    committee_id UUID,
    title VARCHAR(200) NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    recorded_by UUID REFERENCES app_user (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    CHECK (ends_on >= starts_on),
    CHECK ((kind = 'committee') = (committee_id IS NOT NULL)),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committee (tenant_id, id)
);
CREATE INDEX partner_mandate_by_partner ON partner_mandate (tenant_id, partner_id, ends_on);
