"""The Piccolo tables agree with the schema the SQL migrations make, on the database of the run.

The migrations are the schema production runs; each package's Piccolo tables only mirror it for
queries, and nothing else checks the two agree. For every Piccolo table of the project: the table
exists, each of its columns exists with the same type, nullability and primary key, and the
table has no column that Piccolo lacks (none is left out on purpose: a query would not see it);
no table of the database goes unmirrored unless listed below. The failure lists every difference
at once, as `table.column: what differs`.
"""

import re
from dataclasses import dataclass

from piccolo.columns import JSONB, UUID, Boolean, Bytea, Column, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import TABLE_REGISTRY

from backend import db, domains, files, mail

# Piccolo column class -> (PostgreSQL udt_name, SQLite declared type). On SQLite the declared name
# is compared, not only its affinity: Piccolo's SQLite engine turns values back into Python by that
# name (UUID, INTEGER, DATE, BOOLEAN, TIMESTAMPTZ: sqlite3's PARSE_DECLTYPES), so a uuid column
# declared TEXT would read back as str. A Varchar also compares its length, kept by both.
TYPES = {
    UUID: ("uuid", "UUID"),
    Varchar: ("varchar", "VARCHAR"),
    Text: ("text", "TEXT"),
    Integer: ("int4", "INTEGER"),
    Boolean: ("bool", "BOOLEAN"),
    Date: ("date", "DATE"),
    Timestamptz: ("timestamptz", "TIMESTAMPTZ"),
    JSONB: ("jsonb", "JSONB"),
    Bytea: ("bytea", "BYTEA"),
}

# Tables of the database that no Piccolo table mirrors, with the reason.
UNMIRRORED_TABLES = {
    "schema_migration": "the migrations runner's own log (backend/db.py), read and written with SQL",
    "sign_in_attempt": "the sign-in throttle's counts on PostgreSQL (backend/throttle.py), one upsert in SQL",
    **{table: "the job queue's own (pgqueuer, backend/jobqueue.py), read and written by the library" for table in ("pgqueuer", "pgqueuer_log", "pgqueuer_schedules", "pgqueuer_statistics")},
}

# SQLite declared types that differ from Piccolo's on purpose, as "table.column": declared type.
SQLITE_DECLARED = {
    # 0005_elections_security.postgres.sql widened it from VARCHAR(20) for election ballots, on
    # PostgreSQL only: SQLite does not enforce a VARCHAR's length, and restating it would mean
    # rebuilding the append-only ballot box.
    "ballot.choice": "VARCHAR(20)",
}


@dataclass(frozen=True)
class Found:
    type: str
    nullable: bool
    primary_key: bool


def project_tables() -> list:
    """Every Piccolo table of the migrating packages: the domains' tables modules, and backend's
    own (the outbox and the stored files, imported above)."""
    domains.import_tables()
    packages = domains.migrating_packages()
    return sorted((t for t in TABLE_REGISTRY if t.__module__.startswith(tuple(f"{p}." for p in packages))), key=lambda t: t._meta.tablename)


async def database_columns(engine) -> dict[str, dict[str, Found]]:
    """table -> column -> what the database says of it."""
    if db.is_postgres(engine):
        rows = await db.execute(
            engine,
            """SELECT c.table_name, c.column_name, c.udt_name, c.character_maximum_length AS length,
                      c.is_nullable = 'YES' AS nullable,
                      EXISTS (SELECT FROM information_schema.table_constraints t
                              JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
                              WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema
                                AND k.table_name = c.table_name AND k.column_name = c.column_name) AS primary_key
               FROM information_schema.columns c WHERE c.table_schema = current_schema()""",
        )
        found = {(r["table_name"], r["column_name"]): Found(r["udt_name"] + (f"({r['length']})" if r["length"] else ""), r["nullable"], r["primary_key"]) for r in rows}
    else:
        rows = await db.execute(
            engine,
            """SELECT m.name AS table_name, p.name AS column_name, p.type, p."notnull", p.pk
               FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'""",
        )
        # SQLite lets a primary key that is not an INTEGER hold NULL unless declared NOT NULL (an old
        # bug it keeps); the application never writes one, so a primary key counts as not null.
        found = {(r["table_name"], r["column_name"]): Found(re.sub(r"\s", "", r["type"]).upper(), not r["notnull"] and not r["pk"], r["pk"] > 0) for r in rows}
    tables: dict[str, dict[str, Found]] = {}
    for (table, column), info in found.items():
        tables.setdefault(table, {})[column] = info
    return tables


def expected_type(column: Column, postgres: bool) -> str | None:
    if not postgres and (declared := SQLITE_DECLARED.get(f"{column._meta.table._meta.tablename}.{column._meta.db_column_name}")):
        return declared
    names = TYPES.get(type(column))
    if names is None:
        return None
    name = names[0] if postgres else names[1]
    return f"{name}({column.length})" if isinstance(column, Varchar) else name


async def test_the_piccolo_tables_mirror_the_migrated_schema(database):
    postgres = db.is_postgres(database.owner)
    schema = await database_columns(database.owner)
    tables = project_tables()
    assert mail.MailMessage in tables and files.StoredFile in tables  # backend's own tables are found too
    differences = []
    for table in tables:
        name = table._meta.tablename
        if name not in schema:
            differences.append(f"{name}: Piccolo table {table.__module__}.{table.__name__} has no table in the database")
            continue
        found = schema[name]
        for column in table._meta.columns:
            where = f"{name}.{column._meta.db_column_name}"
            info = found.get(column._meta.db_column_name)
            if info is None:
                differences.append(f"{where}: in Piccolo ({type(column).__name__}), not in the database")
                continue
            expected = expected_type(column, postgres)
            if expected is None:
                differences.append(f"{where}: no SQL type known for Piccolo's {type(column).__name__}: add it to TYPES")
            elif info.type != expected:
                differences.append(f"{where}: type {info.type} in the database, Piccolo {type(column).__name__} expects {expected}")
            if info.nullable != column._meta.null:
                differences.append(f"{where}: {'nullable' if info.nullable else 'NOT NULL'} in the database, Piccolo null={column._meta.null}")
            # On PostgreSQL a tenant-owned table is keyed by (tenant_id, id), so that Citus can
            # distribute it (billing/migrations/0010_keys_by_tenant.postgres.sql); Piccolo's key is id.
            keyed = column._meta.primary_key or (postgres and column._meta.db_column_name == "tenant_id" and "id" in found and found["id"].primary_key)
            if info.primary_key != keyed:
                differences.append(f"{where}: primary key {info.primary_key} in the database, Piccolo primary_key={column._meta.primary_key}")
        mirrored = {column._meta.db_column_name for column in table._meta.columns}
        for extra in sorted(set(found) - mirrored):
            differences.append(f"{name}.{extra}: in the database ({found[extra].type}), not in Piccolo's {table.__name__}")
    mirrored_tables = {table._meta.tablename for table in tables}
    for name in sorted(set(schema) - mirrored_tables - set(UNMIRRORED_TABLES)):
        differences.append(f"{name}: table in the database that no Piccolo table mirrors")
    assert not differences, f"{len(differences)} differences between the Piccolo tables and the migrated schema:\n" + "\n".join(differences)
