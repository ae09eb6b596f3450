-- PostgreSQL: who opened a member's entry under row-level security; the service may only read and
-- append to it.
GRANT SELECT, INSERT ON member_entry_opening TO :app_role;

ALTER TABLE member_entry_opening ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_entry_opening FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_entry_opening USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
