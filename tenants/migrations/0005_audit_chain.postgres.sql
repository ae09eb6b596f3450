-- PostgreSQL: the audit log refuses UPDATE, DELETE and TRUNCATE from every role but a superuser,
-- the tables' owner (who runs the migrations) included; until now only the application role was
-- refused, by its grants. (SQLite: the triggers of 0002_append_only_audit.sqlite.sql.) The owner
-- can still drop or disable the trigger, which is DDL: the hash chain (0005_audit_chain.sql) is what shows a row
-- changed that way.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) THEN RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$;
CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
