-- PostgreSQL: row-level security on every tenant-owned table, forced (it applies to the owner
-- too), comparing tenant_id to the transaction-local setting app.tenant_id; the application
-- connects as :app_role, which owns nothing and is granted only what it needs.

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ':app_role') THEN CREATE ROLE :app_role LOGIN; END IF; END $$;
GRANT USAGE ON SCHEMA public TO :app_role;
GRANT SELECT ON tenant, schema_migration TO :app_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON app_user, login_session, tenant_role, api_token, number_sequence, member, member_status_change TO :app_role;
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

ALTER TABLE member ENABLE ROW LEVEL SECURITY;
ALTER TABLE member FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE member_status_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_status_change FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_status_change USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_event USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- No trigram index on member.search_text: LIKE is not leakproof, so under row-level security
-- PostgreSQL never uses one; a search scans the tenant's rows (see bench/README.md).
