-- Who opened a member's entry, and when (Quebec's Law 25): a row each time a person other than
-- the member reads one entry (its page, its API, its share certificate). Append-only.
CREATE TABLE member_entry_opening (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    member_id UUID NOT NULL,
    user_id UUID REFERENCES app_user (id),
    opened VARCHAR(20) NOT NULL CHECK (opened IN ('page', 'api', 'certificate')),
    opened_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);
CREATE INDEX member_entry_opening_by_member ON member_entry_opening (tenant_id, member_id, opened_at);
