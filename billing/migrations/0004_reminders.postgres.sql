-- PostgreSQL: the reminders' log is append-only for the application, isolated per tenant.
GRANT SELECT, INSERT ON invoice_reminder TO :app_role;

ALTER TABLE invoice_reminder ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_reminder FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_reminder USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
