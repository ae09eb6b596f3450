-- PostgreSQL: the application role gets what it needs, row-level security on every table.
-- The published ballot box is append-only (no UPDATE, no DELETE); so is who has voted.
GRANT SELECT, INSERT, UPDATE ON governance_settings, meeting, meeting_presence, motion, vote TO :app_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON agenda_item TO :app_role;
GRANT SELECT, INSERT ON vote_eligibility, vote_cast, ballot TO :app_role;
GRANT SELECT, INSERT, DELETE ON ballot_sealed TO :app_role;

ALTER TABLE governance_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE governance_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON governance_settings USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE agenda_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE agenda_item FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agenda_item USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_presence ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_presence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_presence USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE motion ENABLE ROW LEVEL SECURITY;
ALTER TABLE motion FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON motion USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE vote ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE vote_eligibility ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote_eligibility FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote_eligibility USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE vote_cast ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote_cast FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote_cast USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE ballot_sealed ENABLE ROW LEVEL SECURITY;
ALTER TABLE ballot_sealed FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ballot_sealed USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE ballot ENABLE ROW LEVEL SECURITY;
ALTER TABLE ballot FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ballot USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
