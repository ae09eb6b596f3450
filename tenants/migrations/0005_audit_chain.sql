-- The audit log as a hash chain per tenant: each row has its place in its tenant's chain
-- (chain_position 1, 2, 3, ... taken from the tenant's `audit_event` counter in number_sequence,
-- under that row's lock), the hash of the row before it (previous_hash) and the hash of its own
-- content with that previous hash (content_hash): tenants.rules.audit_content_hash. Rows written
-- before this migration keep NULL here: they are not chained (the append-only triggers forbid
-- filling them in), and the chain starts with the first row written after it.
ALTER TABLE audit_event ADD COLUMN chain_position INTEGER;
ALTER TABLE audit_event ADD COLUMN previous_hash VARCHAR(64);
ALTER TABLE audit_event ADD COLUMN content_hash VARCHAR(64);
CREATE UNIQUE INDEX audit_event_chain ON audit_event (tenant_id, chain_position);
