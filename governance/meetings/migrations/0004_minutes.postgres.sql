-- PostgreSQL: no deletes; approved minutes refuse any change; row-level security.
GRANT SELECT, INSERT, UPDATE ON meeting_minutes TO :app_role;
CREATE FUNCTION meeting_minutes_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF OLD.status = 'approved' THEN RAISE EXCEPTION 'approved minutes are frozen' USING ERRCODE = 'P0001'; END IF; RETURN NEW; END $$;
CREATE TRIGGER meeting_minutes_frozen BEFORE UPDATE ON meeting_minutes FOR EACH ROW EXECUTE FUNCTION meeting_minutes_refuse_change();

ALTER TABLE meeting_minutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_minutes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_minutes USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
