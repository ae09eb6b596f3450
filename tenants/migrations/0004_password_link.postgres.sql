-- Each link names its tenant: a request sees, spends and writes only the links of its own tenant.
GRANT SELECT, INSERT, UPDATE, DELETE ON password_link TO :app_role;
ALTER TABLE password_link ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_link FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON password_link USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
