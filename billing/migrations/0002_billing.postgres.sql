-- PostgreSQL: no double booking by an exclusion constraint, issued documents final by triggers,
-- row-level security on every table, the application role granted only what it needs.

CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (tenant_id WITH =, room_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled');

CREATE FUNCTION billing_refuse_issued_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF OLD.status = 'issued' THEN RAISE EXCEPTION 'an issued invoice or credit note is final' USING ERRCODE = 'P0001'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$;
CREATE TRIGGER invoice_issued_is_final BEFORE UPDATE OR DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION billing_refuse_issued_change();
CREATE FUNCTION billing_refuse_issued_line_change() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE line invoice_line; BEGIN IF TG_OP = 'INSERT' THEN line := NEW; ELSE line := OLD; END IF; IF EXISTS (SELECT 1 FROM invoice WHERE tenant_id = line.tenant_id AND id = line.invoice_id AND status = 'issued') THEN RAISE EXCEPTION 'the lines of an issued invoice are final' USING ERRCODE = 'P0001'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$;
CREATE TRIGGER invoice_line_issued_is_final BEFORE INSERT OR UPDATE OR DELETE ON invoice_line FOR EACH ROW EXECUTE FUNCTION billing_refuse_issued_line_change();

GRANT SELECT, INSERT, UPDATE ON billing_settings, room, room_rate, clinician_account, booking_series, booking, payment TO :app_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON invoice, invoice_line TO :app_role;
GRANT SELECT, INSERT ON closed_month, stripe_event TO :app_role;

ALTER TABLE billing_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_settings USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE room ENABLE ROW LEVEL SECURITY;
ALTER TABLE room FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON room USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE room_rate ENABLE ROW LEVEL SECURITY;
ALTER TABLE room_rate FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON room_rate USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE clinician_account ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinician_account FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON clinician_account USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE booking_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_series FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking_series USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE booking ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE invoice_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_line FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_line USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE closed_month ENABLE ROW LEVEL SECURITY;
ALTER TABLE closed_month FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON closed_month USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE stripe_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stripe_event USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
