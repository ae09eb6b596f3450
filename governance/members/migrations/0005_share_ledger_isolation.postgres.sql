-- PostgreSQL: the ledger under row-level security; the service may only read and append to it
-- (an operation is reversed by another, never changed or deleted).
GRANT SELECT, INSERT ON share_operation, share_movement TO :app_role;
GRANT SELECT, INSERT, UPDATE ON share_setting, share_request TO :app_role;

ALTER TABLE share_operation ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_operation FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON share_operation USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE share_movement ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_movement FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON share_movement USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE share_setting ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_setting FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON share_setting USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE share_request ENABLE ROW LEVEL SECURITY;
ALTER TABLE share_request FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON share_request USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
