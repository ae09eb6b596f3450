-- PostgreSQL: grants, composite keys added to the minutes, row-level security on the new tables.
-- Signatures are kept (no UPDATE, no DELETE); a proxy may be withdrawn (DELETE).
GRANT SELECT, INSERT, UPDATE ON meeting_requisition TO :app_role;
GRANT SELECT, INSERT ON requisition_signature, meeting_document TO :app_role;
GRANT SELECT, INSERT, DELETE ON meeting_proxy TO :app_role;

ALTER TABLE meeting_minutes ADD CONSTRAINT meeting_minutes_approval_meeting FOREIGN KEY (tenant_id, approval_meeting_id) REFERENCES meeting (tenant_id, id);
ALTER TABLE meeting_minutes ADD CONSTRAINT meeting_minutes_published_once_approved CHECK (published_at IS NULL OR (status = 'approved' AND approved_body IS NOT NULL));

-- Approved minutes stay frozen; the one change left is their publication (published_at and
-- published_by, once).
CREATE OR REPLACE FUNCTION meeting_minutes_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF OLD.status = 'approved' AND NOT (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL AND NEW.tenant_id = OLD.tenant_id AND NEW.id = OLD.id AND NEW.meeting_id = OLD.meeting_id AND NEW.version = OLD.version AND NEW.body = OLD.body AND NEW.status = OLD.status AND NEW.created_at = OLD.created_at AND NEW.updated_at = OLD.updated_at AND NEW.approved_at = OLD.approved_at AND NEW.approved_by IS NOT DISTINCT FROM OLD.approved_by AND NEW.approved_body IS NOT DISTINCT FROM OLD.approved_body AND NEW.approval_meeting_id IS NOT DISTINCT FROM OLD.approval_meeting_id) THEN RAISE EXCEPTION 'approved minutes are frozen' USING ERRCODE = 'P0001'; END IF; RETURN NEW; END $$;

ALTER TABLE meeting_requisition ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_requisition FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_requisition USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE requisition_signature ENABLE ROW LEVEL SECURITY;
ALTER TABLE requisition_signature FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON requisition_signature USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_document ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_document FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_document USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_proxy ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_proxy FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_proxy USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
