-- formerly in: tenants/0002_isolation.postgres.sql (with the register's: governance/members/0002)
-- PostgreSQL: row-level security on every tenant-owned table, forced (it applies to the owner
-- too), comparing tenant_id to the transaction-local setting app.tenant_id; the application
-- connects as :app_role, which owns nothing and is granted only what it needs.

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ':app_role') THEN CREATE ROLE :app_role LOGIN; END IF; END $$;
GRANT USAGE ON SCHEMA public TO :app_role;
GRANT SELECT ON tenant, schema_migration TO :app_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON app_user, login_session, tenant_role, api_token, number_sequence TO :app_role;
GRANT SELECT, INSERT ON audit_event TO :app_role;

ALTER TABLE tenant_role ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_role FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_role USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE api_token ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_token FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_token USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE number_sequence ENABLE ROW LEVEL SECURITY;
ALTER TABLE number_sequence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON number_sequence USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_event USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
