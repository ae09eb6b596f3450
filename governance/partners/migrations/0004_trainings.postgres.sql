-- PostgreSQL: grants and row-level security on the training tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON training_cohort, training_session, training_enrolment, training_attendance TO :app_role;
-- Feedback answers are written once and never changed.
GRANT SELECT, INSERT ON training_feedback TO :app_role;

ALTER TABLE training_cohort ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_cohort FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON training_cohort USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE training_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_session FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON training_session USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE training_enrolment ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_enrolment FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON training_enrolment USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE training_attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_attendance FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON training_attendance USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE training_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_feedback FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON training_feedback USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
