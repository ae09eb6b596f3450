GRANT SELECT, INSERT, DELETE ON ballot_envelope TO :app_role;
ALTER TABLE ballot_envelope ENABLE ROW LEVEL SECURITY;
ALTER TABLE ballot_envelope FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ballot_envelope USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
