-- PostgreSQL: the register under row-level security, as every tenant-owned table (tenants/0002).
-- formerly in: tenants/0002_isolation.postgres.sql

GRANT SELECT, INSERT, UPDATE, DELETE ON member, member_status_change TO :app_role;

ALTER TABLE member ENABLE ROW LEVEL SECURITY;
ALTER TABLE member FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE member_status_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_status_change FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_status_change USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- No trigram index on member.search_text: LIKE is not leakproof, so under row-level security
-- PostgreSQL never uses one; a search scans the tenant's rows (see bench/README.md).
