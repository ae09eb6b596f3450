-- PostgreSQL: the envelopes of a vote are destroyed at its close so that no page of the table
-- keeps them. A DELETE (or an UPDATE overwriting them) leaves the old tuples in the table's pages
-- until VACUUM, and even VACUUM only marks their space free without zeroing it: a disk snapshot or
-- a base backup taken after the close, with SECRET_KEY, would still open them. TRUNCATE gives the
-- table new, empty files; so the close calls destroy_ballot_envelopes, which keeps every other
-- vote's envelopes (of this tenant and of the others), truncates, and writes them back.
-- It runs as the tables' owner (SECURITY DEFINER: the application role may not TRUNCATE, and
-- TRUNCATE ignores row-level security), only for a closed vote of the transaction's tenant. To
-- read and write back the other tenants' envelopes it sets solidaire.destroying_envelopes while it
-- works, which the owner's policy below asks for (the owner's other queries still see one tenant;
-- the application role, who calls it, is not under that policy).
-- Closes take turns (an advisory lock, votes.py) and the table is locked before the copy, so a
-- ballot of another vote cast meanwhile waits and is kept.
CREATE POLICY envelope_destruction ON ballot_envelope TO CURRENT_USER USING (current_setting('solidaire.destroying_envelopes', true) = 'on') WITH CHECK (current_setting('solidaire.destroying_envelopes', true) = 'on');
CREATE FUNCTION destroy_ballot_envelopes(closed_vote UUID) RETURNS INTEGER LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ DECLARE current_tenant UUID := NULLIF(current_setting('app.tenant_id', true), '')::uuid; kept INTEGER; BEGIN IF current_tenant IS NULL OR NOT EXISTS (SELECT FROM vote WHERE tenant_id = current_tenant AND id = closed_vote AND status = 'closed') THEN RAISE EXCEPTION 'only the envelopes of a closed vote of the current tenant are destroyed' USING ERRCODE = 'insufficient_privilege'; END IF; LOCK TABLE ballot_envelope IN ACCESS EXCLUSIVE MODE; PERFORM set_config('solidaire.destroying_envelopes', 'on', true); CREATE TEMPORARY TABLE envelope_survivor ON COMMIT DROP AS SELECT * FROM ballot_envelope WHERE NOT (tenant_id = current_tenant AND vote_id = closed_vote); TRUNCATE ballot_envelope; INSERT INTO ballot_envelope SELECT * FROM envelope_survivor; GET DIAGNOSTICS kept = ROW_COUNT; PERFORM set_config('solidaire.destroying_envelopes', '', true); DROP TABLE envelope_survivor; RETURN kept; END $$;
REVOKE ALL ON FUNCTION destroy_ballot_envelopes(UUID) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION destroy_ballot_envelopes(UUID) TO :app_role;
