-- PostgreSQL: the stored files are kept (no UPDATE, no DELETE: the rows that own them are never
-- deleted either), and row-level security, forced, shows a transaction only its tenant's.
GRANT SELECT, INSERT ON stored_file TO :app_role;
ALTER TABLE stored_file ENABLE ROW LEVEL SECURITY;
ALTER TABLE stored_file FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stored_file USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
