-- PostgreSQL: grants and row-level security on the register of directors. A term is ended
-- (UPDATE), never deleted: the register keeps the former directors.
GRANT SELECT, INSERT, UPDATE ON director TO :app_role;
ALTER TABLE director ENABLE ROW LEVEL SECURITY;
ALTER TABLE director FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON director USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
