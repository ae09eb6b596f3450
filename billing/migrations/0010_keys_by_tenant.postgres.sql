-- PostgreSQL: every tenant-owned table keyed by (tenant_id, id) instead of (id), and the secrets
-- looked up within a tenant unique within it, so that each table can be distributed by tenant_id
-- (Citus checks a primary key, a unique constraint or a unique index on each shard alone, so it
-- must include the distribution column: docs/citus.md, checked by tests/test_citus.py).
--
-- It re-keys the tenant-owned tables of every package, not only billing's: it stands here because
-- billing's migrations run last (backend/domains.py), once every one of those tables exists. A
-- table made by a later migration is written with PRIMARY KEY (tenant_id, id) from the start:
-- tests/test_citus.py fails for one that is not.
--
-- `id` alone is no longer declared unique: Citus cannot enforce a uniqueness that leaves out the
-- distribution column. The ids are UUIDs drawn at random (uuid.uuid4(), 122 random bits), so two
-- rows drawing the same id is not a case the service meets; were it to happen, in two tenants,
-- nothing would confuse them: (tenant_id, id) stays the primary key, every reference between
-- tenant-owned rows is a composite foreign key (tenant_id, x_id) -> (tenant_id, id), and every read
-- is a tenant's (the services' filter, and row-level security). The Piccolo tables still name `id`
-- their primary key, and query by it as before; on PostgreSQL the row is found through the new key,
-- whose tenant_id the row-level security's condition gives.
--
-- The unique constraint (tenant_id, id) each table had, for the composite foreign keys, becomes the
-- primary key: the foreign keys that point at it are dropped, then made again as they were (name,
-- columns, actions) on the new key, and checked again as they are made.
--
-- (Each `;` inside the block below has a comment after it: the migrations are split into
-- statements at a `;` that ends a line, backend/db.py.)
DO $$
DECLARE
    keyed record; -- a tenant-owned table keyed by (id)
    fk record; -- a foreign key pointing at its unique (tenant_id, id)
    again text[]; -- those foreign keys, to be made again on the new key
    statement text; -- one of them
BEGIN
    FOR keyed IN
        SELECT c.relname, p.conname AS primary_key, u.conname AS unique_key, u.conindid AS unique_index
        FROM pg_class c
        JOIN pg_attribute t ON t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped
        JOIN pg_attribute i ON i.attrelid = c.oid AND i.attname = 'id' AND NOT i.attisdropped
        JOIN pg_constraint p ON p.conrelid = c.oid AND p.contype = 'p' AND p.conkey = ARRAY[i.attnum]
        LEFT JOIN pg_constraint u ON u.conrelid = c.oid AND u.contype = 'u' AND u.conkey = ARRAY[t.attnum, i.attnum]
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
        ORDER BY c.relname
    LOOP
        again := '{}'; -- (a table without a unique (tenant_id, id) has nothing pointing at it)
        FOR fk IN
            SELECT conrelid::regclass AS referencing, conname, pg_get_constraintdef(oid) AS definition
            FROM pg_constraint WHERE contype = 'f' AND conindid = keyed.unique_index ORDER BY conname
        LOOP
            again := again || format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.referencing, fk.conname, fk.definition); -- kept
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.referencing, fk.conname); -- then dropped
        END LOOP; -- (every one of them)
        IF keyed.unique_key IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', keyed.relname, keyed.unique_key); -- the primary key takes its place
        END IF; -- (password_link has none)
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I PRIMARY KEY (tenant_id, id)', keyed.relname, keyed.primary_key, keyed.primary_key); -- same name
        FOREACH statement IN ARRAY again LOOP
            EXECUTE statement; -- made again, and checked
        END LOOP; -- (every one of them)
    END LOOP; -- (every tenant-owned table)
END $$;

-- Secrets looked up within their tenant (tenants/services.py, tenants/passwords.py,
-- billing/exports.py), each 256 random bits: unique within the tenant. (A session token, of a
-- person across tenants, stays unique: login_session is a reference table.)
ALTER TABLE api_token DROP CONSTRAINT api_token_token_hash_key, ADD CONSTRAINT api_token_tenant_id_token_hash_key UNIQUE (tenant_id, token_hash);
ALTER TABLE password_link DROP CONSTRAINT password_link_token_hash_key, ADD CONSTRAINT password_link_tenant_id_token_hash_key UNIQUE (tenant_id, token_hash);
ALTER TABLE clinician_account DROP CONSTRAINT clinician_account_calendar_token_key, ADD CONSTRAINT clinician_account_tenant_id_calendar_token_key UNIQUE (tenant_id, calendar_token);
