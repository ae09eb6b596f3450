-- PostgreSQL: a ballot of an election holds candidates' ballot numbers ("1,4" or "3>1>2"), longer
-- than yes/no/abstain; the application role's rights and row-level security on the new tables.
ALTER TABLE ballot ALTER COLUMN choice TYPE VARCHAR(400);
ALTER TABLE ballot_sealed ALTER COLUMN choice TYPE VARCHAR(400);
GRANT SELECT, INSERT, UPDATE ON election, candidacy TO :app_role;

ALTER TABLE election ENABLE ROW LEVEL SECURITY;
ALTER TABLE election FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON election USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE candidacy ENABLE ROW LEVEL SECURITY;
ALTER TABLE candidacy FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON candidacy USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
