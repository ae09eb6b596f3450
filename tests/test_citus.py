"""The schema could be distributed by tenant_id with Citus, read from the catalogue of the run's
migrated database (Citus itself is not installed here: docs/citus.md says what this proves and
what it does not).

On PostgreSQL, read through information_schema (and pg_indexes, pg_constraint's definitions for
what information_schema does not show), apart from backend/citus.py's own reading of pg_catalog:
- every table with a tenant_id column has a primary key, and its primary key, unique constraints,
  unique indexes and exclusion constraints all include tenant_id (an exclusion with `=`);
- a foreign key from a tenant-owned table to another holds tenant_id on both sides, at the same
  place; one from a tenant-owned table points at nothing but tenant-owned and reference tables;
  nothing else points at a tenant-owned table;
- the tables without tenant_id are exactly the reference and local tables named in
  backend/citus.py: a new table is in one class or the other, or this fails;
- `solidaire citus distribute` prints SQL that names every table once, each after the tables it
  points at, and `--apply` changes nothing where Citus is not installed.
The check itself (backend.citus.problems) is tried on a made-up catalogue on either database.
Each failure names every offending table or constraint.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backend import citus, db
from backend.citus import Catalogue, ForeignKey, Key
from tests.conftest import BACKEND

ROOT = Path(__file__).resolve().parent.parent
postgres_only = pytest.mark.skipif(BACKEND != "postgres", reason="Citus distributes PostgreSQL tables")


async def rows(database, sql: str) -> list[dict]:
    return await db.execute(database.owner, sql)


async def tenant_tables(database) -> set[str]:
    found = await rows(
        database,
        """SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
           WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'""",
    )
    return {row["table_name"] for row in found}


async def all_tables(database) -> set[str]:
    found = await rows(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    return {row["table_name"] for row in found}


async def constraint_columns(database, kind: str) -> dict[tuple[str, str], list[str]]:
    """(table, constraint) -> its columns in order, for PRIMARY KEY, UNIQUE or FOREIGN KEY."""
    found = await rows(
        database,
        f"""SELECT k.table_name, k.constraint_name, k.column_name
            FROM information_schema.table_constraints t
            JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name, table_name)
            WHERE t.constraint_schema = current_schema() AND t.constraint_type = '{kind}'
            ORDER BY k.table_name, k.constraint_name, k.ordinal_position""",
    )
    columns: dict[tuple[str, str], list[str]] = {}
    for row in found:
        columns.setdefault((row["table_name"], row["constraint_name"]), []).append(row["column_name"])
    return columns


def index_columns(indexdef: str) -> list[str]:
    """The key columns (or expressions) of a CREATE INDEX statement, as pg_indexes writes it."""
    keys = re.search(r" USING \w+ \((.*?)\)(?: INCLUDE | WHERE |$)", indexdef)
    assert keys, indexdef
    parts, depth, current = [], 0, ""
    for char in keys.group(1):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


async def foreign_keys(database) -> list[tuple[str, str, list[str], str, list[str]]]:
    """(table, constraint, columns, referenced table, referenced columns), column by column."""
    found = await rows(
        database,
        """SELECT f.table_name, f.constraint_name, f.column_name, u.table_name AS referenced, u.column_name AS referenced_column
           FROM information_schema.referential_constraints r
           JOIN information_schema.key_column_usage f ON f.constraint_schema = r.constraint_schema AND f.constraint_name = r.constraint_name
           JOIN information_schema.key_column_usage u ON u.constraint_schema = r.unique_constraint_schema AND u.constraint_name = r.unique_constraint_name
                AND u.ordinal_position = f.position_in_unique_constraint
           WHERE r.constraint_schema = current_schema()
           ORDER BY f.table_name, f.constraint_name, f.ordinal_position""",
    )
    keys: dict[tuple[str, str], tuple[list[str], str, list[str]]] = {}
    for row in found:
        columns, _, referenced = keys.setdefault((row["table_name"], row["constraint_name"]), ([], row["referenced"], []))
        columns.append(row["column_name"])
        referenced.append(row["referenced_column"])
    return [(table, name, columns, target, referenced) for (table, name), (columns, target, referenced) in sorted(keys.items())]


@postgres_only
async def test_every_tenant_table_has_a_primary_key_that_includes_tenant_id(database):
    tenants = await tenant_tables(database)
    keys = {table: columns for (table, _), columns in (await constraint_columns(database, "PRIMARY KEY")).items()}
    assert len(tenants) > 50  # (the tables were found)
    missing = sorted(tenants - set(keys))
    without = sorted(f"{table} ({', '.join(keys[table])})" for table in tenants & set(keys) if "tenant_id" not in keys[table])
    assert not missing and not without, f"no primary key: {missing}; a primary key without tenant_id: {without}"


@postgres_only
async def test_every_unique_constraint_index_and_exclusion_of_a_tenant_table_includes_tenant_id(database):
    tenants = await tenant_tables(database)
    offending = [
        f"{table}: unique constraint {name} ({', '.join(columns)})"
        for (table, name), columns in (await constraint_columns(database, "UNIQUE")).items()
        if table in tenants and "tenant_id" not in columns
    ]
    indexes = await rows(
        database, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE 'CREATE UNIQUE INDEX%'"
    )
    offending += [
        f"{row['tablename']}: unique index {row['indexname']}: {row['indexdef']}"
        for row in indexes
        if row["tablename"] in tenants and "tenant_id" not in index_columns(row["indexdef"])
    ]
    exclusions = await rows(
        database,
        """SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
           FROM pg_constraint WHERE contype = 'x' AND connamespace = current_schema()::regnamespace""",
    )
    offending += [
        f"{row['table_name']}: exclusion constraint {row['conname']}: {row['definition']}"
        for row in exclusions
        if row["table_name"] in tenants and "tenant_id WITH =" not in row["definition"]
    ]
    assert indexes and exclusions  # (there are some, and they were read)
    assert not offending, "keys of tenant-owned tables without tenant_id (Citus checks them on each shard alone):\n" + "\n".join(offending)


@postgres_only
async def test_foreign_keys_keep_to_a_tenant_and_point_only_where_citus_allows(database):
    tenants, tables = await tenant_tables(database), await all_tables(database)
    keys = await foreign_keys(database)
    assert len(keys) > 100
    offending = []
    for table, name, columns, referenced, referenced_columns in keys:
        where = f"{table}.{name} ({', '.join(columns)}) → {referenced} ({', '.join(referenced_columns)})"
        if table in tenants and referenced in tenants:
            paired = "tenant_id" in columns and "tenant_id" in referenced_columns and columns.index("tenant_id") == referenced_columns.index("tenant_id")
            if not paired:
                offending.append(f"{where}: tenant_id is not on both sides, at the same place")
        elif table in tenants and referenced not in citus.REFERENCE_TABLES:
            offending.append(f"{where}: from a tenant-owned table to {referenced}, which is neither tenant-owned nor a reference table")
        elif table not in tenants and referenced in tenants:
            offending.append(f"{where}: from {table}, not tenant-owned, to a tenant-owned table")
        elif table in citus.REFERENCE_TABLES and referenced not in citus.REFERENCE_TABLES:
            offending.append(f"{where}: from a reference table to {referenced}, which is not one")
    assert tables > tenants
    assert not offending, "foreign keys that Citus would refuse:\n" + "\n".join(offending)


@postgres_only
async def test_the_tables_without_tenant_id_are_the_named_reference_and_local_tables(database):
    without = await all_tables(database) - await tenant_tables(database)
    named = {**citus.REFERENCE_TABLES, **citus.LOCAL_TABLES}
    assert not set(citus.REFERENCE_TABLES) & set(citus.LOCAL_TABLES)
    assert all(reason.strip() for reason in named.values())  # each says why
    unnamed, gone = sorted(without - set(named)), sorted(set(named) - without)
    assert not unnamed and not gone, (
        f"tables without tenant_id named neither a reference table nor a local table in backend/citus.py: {unnamed}; "
        f"named there, but not a table without tenant_id in the database: {gone}"
    )


@postgres_only
async def test_the_distribute_sql_names_every_table_once_each_after_what_it_points_at(database):
    catalogue = await citus.read_catalogue(database.owner)
    assert citus.problems(catalogue) == []
    sql = citus.statements(catalogue)
    made = re.compile(r"SELECT create_(reference|distributed)_table\('(\w+)'(?:, 'tenant_id', colocate_with => '(\w+)')?\);")
    local = re.compile(r"-- local table (\w+): .+")
    named, order, colocated = [], {}, set()
    for position, line in enumerate(sql):
        if match := made.fullmatch(line):
            kind, table, colocate = match.groups()
            assert (kind == "distributed") == (table in catalogue.of_kind(citus.DISTRIBUTED)), line
            named.append(table)
            order[table] = position
            colocated.add(colocate)
        else:
            assert (match := local.fullmatch(line)), f"not a statement the command makes: {line}"
            named.append(match.group(1))
    tables = await all_tables(database)
    assert sorted(named) == sorted(tables), f"named twice: {sorted({t for t in named if named.count(t) > 1})}; not named: {sorted(tables - set(named))}"
    tenants = await tenant_tables(database)
    first = next(table for table in order if table in tenants)
    assert colocated == {None, "none", first}  # one colocation group, started by the first distributed table
    late = [
        f"{table} ({order[table]}) before {referenced} ({order[referenced]})"
        for table, _, _, referenced, _ in await foreign_keys(database)
        if table != referenced and order.get(table, len(sql)) < order[referenced]
    ]
    assert not late, "tables distributed before the tables their foreign keys point at:\n" + "\n".join(late)


def command(database, tmp_path, *args: str) -> subprocess.CompletedProcess:
    """`solidaire citus …` in a process of its own, against the run's database as its owner."""
    env = {**os.environ, "DATABASE_URL": database.owner_url, "SOLIDAIRE_VAR": str(tmp_path), "SECRET_KEY": "citus-test"}
    env.pop("MIGRATION_DATABASE_URL", None)
    run = [sys.executable, "-c", "from backend.citus import citus_group; citus_group()", *args]
    return subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@postgres_only
async def test_the_command_prints_the_sql_and_applies_it_only_with_citus(database, tmp_path):
    printed = command(database, tmp_path, "distribute")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.splitlines() == citus.statements(await citus.read_catalogue(database.owner))
    applied = command(database, tmp_path, "distribute", "--apply")
    assert applied.returncode == 1 and "citus extension is not installed" in applied.stderr and "nothing was changed" in applied.stderr


# --- the check itself, on a made-up catalogue (either database) ------------------------------


def made_up(**changes) -> Catalogue:
    """Two tenant-owned tables keyed and pointing at each other as the schema does, and the tenants."""
    tables = {name: None for name in (*citus.REFERENCE_TABLES, *citus.LOCAL_TABLES)} | {"member": "uuid not null", "vote_cast": "uuid not null"}
    keys = [Key("member", "member_pkey", "primary key", ("tenant_id", "id")), Key("vote_cast", "vote_cast_pkey", "primary key", ("tenant_id", "id"))]
    fks = [
        ForeignKey("vote_cast", "vote_cast_member", ("tenant_id", "member_id"), "member", ("tenant_id", "id"), "a", "a"),
        ForeignKey("member", "member_tenant", ("tenant_id",), "tenant", ("id",), "a", "a"),
        ForeignKey("login_session", "login_session_user", ("user_id",), "app_user", ("id",), "c", "a"),
    ]
    return Catalogue({**tables, **changes.get("tables", {})}, tuple(keys + changes.get("keys", [])), tuple(fks + changes.get("foreign_keys", [])))


def test_the_check_passes_a_distributable_schema_and_plans_referenced_tables_first():
    catalogue = made_up()
    assert citus.problems(catalogue) == []
    references = [("reference", "app_user"), ("reference", "tenant"), ("reference", "login_session")]
    assert citus.plan(catalogue) == [*references, ("distributed", "member"), ("distributed", "vote_cast")]
    assert citus.statements(catalogue)[3:5] == [
        "SELECT create_distributed_table('member', 'tenant_id', colocate_with => 'none');",
        "SELECT create_distributed_table('vote_cast', 'tenant_id', colocate_with => 'member');",
    ]


def test_the_check_names_what_citus_would_refuse():
    catalogue = made_up(
        tables={"ballot": "uuid not null", "new_lookup": None, "draft": "uuid"},
        keys=[
            Key("ballot", "ballot_pkey", "primary key", ("id",)),
            Key("ballot", "ballot_receipt", "unique index", ("receipt",)),
            Key("ballot", "ballot_slot", "exclusion constraint", ("tenant_id", "slot"), ("<>", "&&")),
        ],
        foreign_keys=[
            ForeignKey("ballot", "ballot_vote", ("vote_id",), "vote_cast", ("id",), "a", "a"),
            ForeignKey("ballot", "ballot_member", ("tenant_id", "member_id"), "member", ("tenant_id", "id"), "n", "a"),
            ForeignKey("tenant", "tenant_member", ("contact_id",), "member", ("id",), "a", "a"),
            ForeignKey("member", "member_job", ("job_id",), "pgqueuer", ("id",), "a", "a"),
            ForeignKey("member", "member_ballot", ("tenant_id", "ballot_id"), "ballot", ("tenant_id", "id"), "a", "a"),
        ],
    )
    found = "\n".join(citus.problems(catalogue))
    for expected in (
        "new_lookup: no tenant_id column, and neither a reference table nor a local table",
        "draft.tenant_id: uuid;",
        "draft: no primary key",
        "ballot: primary key ballot_pkey (id) does not include tenant_id",
        "ballot: unique index ballot_receipt (receipt) does not include tenant_id",
        "ballot: exclusion constraint ballot_slot compares tenant_id with <>, not =",
        "ballot: foreign key ballot_vote (vote_id) → vote_cast (id): does not pair tenant_id with tenant_id",
        "ballot: foreign key ballot_member (tenant_id, member_id) → member (tenant_id, id): ON DELETE SET NULL",
        "tenant: foreign key tenant_member (contact_id) → member (id): from a reference table to a distributed table",
        "member: foreign key member_job (job_id) → pgqueuer (id): from a distributed table to a local table",
        "ballot, member, vote_cast: their foreign keys go round",  # (ballot → vote_cast → member → ballot)
    ):
        assert expected in found, f"{expected!r} not in:\n{found}"
    assert "pgqueuer: has a tenant_id column but is named a local table" in "\n".join(citus.problems(made_up(tables={"pgqueuer": "uuid not null"})))
    schema = made_up()
    gone = Catalogue({table: column for table, column in schema.tables.items() if table != "sign_in_attempt"}, schema.keys, schema.foreign_keys)
    assert citus.problems(gone) == ["sign_in_attempt: named a local table in backend/citus.py, but not in the database"]
