-- PostgreSQL: grants and row-level security on pledges and mandates.
GRANT SELECT, INSERT ON partner_pledge TO :app_role;
GRANT SELECT, INSERT, UPDATE ON partner_mandate TO :app_role;

ALTER TABLE partner_pledge ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_pledge FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partner_pledge USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE partner_mandate ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_mandate FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partner_mandate USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
