GRANT SELECT, INSERT, UPDATE ON mail_message TO :app_role;
ALTER TABLE mail_message ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_message FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mail_message USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
