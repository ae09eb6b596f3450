-- PostgreSQL: the application role's rights and row-level security on consultations.
GRANT SELECT, INSERT, UPDATE ON consultation TO :app_role;

ALTER TABLE consultation ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consultation USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
