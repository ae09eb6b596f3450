-- PostgreSQL: grants to the application role and row-level security on every table of the program.
GRANT SELECT, INSERT, UPDATE, DELETE ON partner_policy, partner, partner_stage_change, committee, committee_member, committee_meeting, meeting_attendance, meeting_decision, action_item, hours_entry, reimbursement_batch, expense_claim, expense_line, expense_receipt TO :app_role;
-- Append-only: who opened a partner's file.
GRANT SELECT, INSERT ON partner_file_access TO :app_role;

ALTER TABLE partner_policy ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_policy FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partner_policy USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE partner ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partner USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE partner_stage_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_stage_change FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partner_stage_change USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE partner_file_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_file_access FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partner_file_access USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE committee ENABLE ROW LEVEL SECURITY;
ALTER TABLE committee FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON committee USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE committee_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE committee_member FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON committee_member USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE committee_meeting ENABLE ROW LEVEL SECURITY;
ALTER TABLE committee_meeting FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON committee_meeting USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_attendance FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_attendance USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_decision ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_decision FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_decision USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE action_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_item FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON action_item USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE hours_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE hours_entry FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON hours_entry USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE reimbursement_batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE reimbursement_batch FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reimbursement_batch USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE expense_claim ENABLE ROW LEVEL SECURITY;
ALTER TABLE expense_claim FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON expense_claim USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE expense_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE expense_line FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON expense_line USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE expense_receipt ENABLE ROW LEVEL SECURITY;
ALTER TABLE expense_receipt FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON expense_receipt USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
