-- PostgreSQL: the account credit ledger is append-only for the application, isolated per tenant.
GRANT SELECT, INSERT ON account_credit TO :app_role;

ALTER TABLE account_credit ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_credit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_credit USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
