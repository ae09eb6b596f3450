-- PostgreSQL: the logins' standing keyed by (tenant_id, id), as every tenant-owned table since
-- billing/0010_keys_by_tenant (this one runs before it on a new database, after it on an upgraded one: 0010 then finds nothing left to re-key here), and under row-level security.
ALTER TABLE tenant_login DROP CONSTRAINT tenant_login_pkey, ADD CONSTRAINT tenant_login_pkey PRIMARY KEY (tenant_id, id);
ALTER TABLE tenant_login DROP CONSTRAINT tenant_login_tenant_id_id_key;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_login TO :app_role;
ALTER TABLE tenant_login ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_login FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_login USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
