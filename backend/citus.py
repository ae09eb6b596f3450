"""Citus (distributed PostgreSQL): how the schema would be distributed by `tenant_id`, read from the
catalogue of a migrated database, and `solidaire citus distribute`, which prints (or, with
`--apply`, runs) the SQL that distributes it. See docs/citus.md.

Every table is one of three kinds:
- distributed by `tenant_id`: every table that has a `tenant_id` column, all in one colocation
  group, so that a tenant's rows of every table live on the same node and a request's queries
  and its composite foreign keys stay on that node;
- a reference table (`REFERENCE_TABLES`), copied to every node: shared rows that tenant-owned
  rows point at (the tenants themselves, people and their sessions);
- a local table (`LOCAL_TABLES`), left on the coordinator: the platform's own bookkeeping.

A table in none of them is a problem (`problems`): whoever adds a table says which kind it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import click

from backend import db
from backend.cli import run_with_engine

DISTRIBUTION_COLUMN = "tenant_id"

# Tables without tenant_id that tenant-owned rows point at, or that are read with them: copied to
# every node (their writes go to every node, so they are for rows written rarely).
REFERENCE_TABLES = {
    "tenant": "the organisations: every tenant-owned row points at its tenant (tenant_id → tenant.id)",
    "app_user": "people and their logins, shared by the tenants they hold roles in; tenant-owned rows point at them (recorded_by, user_id…)",
    "login_session": "a person's signed-in sessions, across tenants; it points at app_user, and a reference table may point only at reference tables",
}

# Tables without tenant_id that stay on the coordinator, with why: nothing tenant-owned points at
# them, and they point at nothing distributed.
LOCAL_TABLES = {
    "schema_migration": "the migrations' bookkeeping (backend/db.py): read and written by `migrate` on the coordinator only",
    "sign_in_attempt": "the sign-in throttle's counts (backend/throttle.py): written at every sign-in attempt, no foreign key, no tenant",
    **{
        table: "the job queue's own (pgqueuer, backend/jobqueue.py): FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY and bigserial ids, "
        "the platform's and not a tenant's (a job names its tenant in its payload)"
        for table in ("pgqueuer", "pgqueuer_log", "pgqueuer_schedules", "pgqueuer_statistics")
    },
}

DISTRIBUTED, REFERENCE, LOCAL = "distributed", "reference", "local"

# pg_constraint's codes for a foreign key's actions that Citus refuses when the foreign key includes
# the distribution column: ON DELETE SET NULL / SET DEFAULT, ON UPDATE CASCADE / SET NULL / SET DEFAULT.
_REFUSED_ON_DELETE = {"n": "ON DELETE SET NULL", "d": "ON DELETE SET DEFAULT"}
_REFUSED_ON_UPDATE = {"c": "ON UPDATE CASCADE", "n": "ON UPDATE SET NULL", "d": "ON UPDATE SET DEFAULT"}


@dataclass(frozen=True)
class Key:
    """A primary key, unique constraint, unique index or exclusion constraint: what Citus checks
    on each shard alone, so it must include the distribution column."""

    table: str
    name: str
    kind: str  # "primary key", "unique constraint", "unique index", "exclusion constraint"
    columns: tuple[str | None, ...]  # None where the index has an expression
    operators: tuple[str, ...] = ()  # an exclusion constraint's, column by column


@dataclass(frozen=True)
class ForeignKey:
    table: str
    name: str
    columns: tuple[str, ...]
    referenced: str
    referenced_columns: tuple[str, ...]
    on_delete: str  # pg_constraint.confdeltype
    on_update: str  # pg_constraint.confupdtype


@dataclass(frozen=True)
class Catalogue:
    """What the check and the plan need of a schema: each table with its tenant_id column's type
    (None for a table without one), its keys and its foreign keys."""

    tables: dict[str, str | None]
    keys: tuple[Key, ...]
    foreign_keys: tuple[ForeignKey, ...]

    def kind(self, table: str) -> str | None:
        if self.tables.get(table) is not None:
            return DISTRIBUTED
        if table in REFERENCE_TABLES:
            return REFERENCE
        if table in LOCAL_TABLES:
            return LOCAL
        return None

    def of_kind(self, kind: str) -> list[str]:
        return sorted(table for table in self.tables if self.kind(table) == kind)


# The names of an index's or a constraint's columns, in order (NULL for an expression).
_COLUMN_NAMES = (
    "ARRAY(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY AS col(attnum, n)"
    " LEFT JOIN pg_attribute a ON a.attrelid = {table} AND a.attnum = col.attnum {where} ORDER BY col.n)"
)

_TABLES = f"""
SELECT c.relname::text AS name,
       (SELECT format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
        FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '{DISTRIBUTION_COLUMN}' AND NOT a.attisdropped) AS distribution_column
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
"""

_KEYS = f"""
SELECT c.relname::text AS table_name, i.relname::text AS name,
       CASE WHEN x.indisprimary THEN 'primary key' WHEN k.contype = 'u' THEN 'unique constraint'
            WHEN k.contype = 'x' THEN 'exclusion constraint' ELSE 'unique index' END AS kind,
       {_COLUMN_NAMES.format(keys="x.indkey::int2[]", table="c.oid", where="WHERE col.n <= x.indnkeyatts")} AS columns,
       ARRAY(SELECT o.oprname::text FROM unnest(k.conexclop) WITH ORDINALITY AS e(op, n) JOIN pg_operator o ON o.oid = e.op ORDER BY e.n) AS operators
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND (x.indisunique OR k.contype = 'x')
"""

_FOREIGN_KEYS = f"""
SELECT k.conname::text AS name, c.relname::text AS table_name, f.relname::text AS referenced,
       {_COLUMN_NAMES.format(keys="k.conkey", table="k.conrelid", where="")} AS columns,
       {_COLUMN_NAMES.format(keys="k.confkey", table="k.confrelid", where="")} AS referenced_columns,
       k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid
WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
"""


async def read_catalogue(engine) -> Catalogue:
    """The current schema's tables, keys and foreign keys, from pg_catalog (PostgreSQL only)."""
    if not db.is_postgres(engine):
        raise click.ClickException("Citus is PostgreSQL's: DATABASE_URL (MIGRATION_DATABASE_URL) names a SQLite database")
    tables = {row["name"]: row["distribution_column"] for row in await db.execute(engine, _TABLES)}
    keys = tuple(
        Key(row["table_name"], row["name"], row["kind"], tuple(row["columns"]), tuple(row["operators"]))
        for row in await db.execute(engine, _KEYS)
    )
    foreign_keys = tuple(
        ForeignKey(
            row["table_name"], row["name"], tuple(row["columns"]), row["referenced"], tuple(row["referenced_columns"]), row["on_delete"], row["on_update"]
        )
        for row in await db.execute(engine, _FOREIGN_KEYS)
    )
    return Catalogue(tables, keys, foreign_keys)


# --- the check -------------------------------------------------------------------------------


def problems(catalogue: Catalogue) -> list[str]:
    """Every reason why this schema could not be distributed as planned, one line each, naming the
    table or constraint; empty when it can."""
    found = [*_kinds_problems(catalogue), *_key_problems(catalogue), *_foreign_key_problems(catalogue)]
    try:
        plan(catalogue)
    except ValueError as cycle:
        found.append(str(cycle))
    return found


def _kinds_problems(catalogue: Catalogue) -> Iterable[str]:
    types = {column.removesuffix(" not null") for column in catalogue.tables.values() if column is not None}
    for table, column in sorted(catalogue.tables.items()):
        kind = catalogue.kind(table)
        if kind is None:
            yield f"{table}: no {DISTRIBUTION_COLUMN} column, and neither a reference table nor a local table (name it in backend/citus.py)"
        elif kind == DISTRIBUTED and (table in REFERENCE_TABLES or table in LOCAL_TABLES):
            yield f"{table}: has a {DISTRIBUTION_COLUMN} column but is named a {'reference' if table in REFERENCE_TABLES else 'local'} table"
        elif kind == DISTRIBUTED and (not column.endswith(" not null") or len(types) > 1):
            one_type = ", ".join(sorted(types))
            yield f"{table}.{DISTRIBUTION_COLUMN}: {column}; the distribution column must be NOT NULL and of one type in every table ({one_type})"
    for table in sorted({*REFERENCE_TABLES, *LOCAL_TABLES} - set(catalogue.tables)):
        yield f"{table}: named a {'reference' if table in REFERENCE_TABLES else 'local'} table in backend/citus.py, but not in the database"


def _key_problems(catalogue: Catalogue) -> Iterable[str]:
    keyed = {key.table for key in catalogue.keys if key.kind == "primary key"}
    for table in catalogue.of_kind(DISTRIBUTED):
        if table not in keyed:
            yield f"{table}: no primary key"
    for key in sorted(catalogue.keys, key=lambda k: (k.table, k.name)):
        if catalogue.kind(key.table) != DISTRIBUTED:
            continue
        columns = ", ".join(column or "(expression)" for column in key.columns)
        if DISTRIBUTION_COLUMN not in key.columns:
            yield f"{key.table}: {key.kind} {key.name} ({columns}) does not include {DISTRIBUTION_COLUMN}"
        elif key.operators and (operator := key.operators[key.columns.index(DISTRIBUTION_COLUMN)]) != "=":
            yield f"{key.table}: exclusion constraint {key.name} compares {DISTRIBUTION_COLUMN} with {operator}, not ="


def _foreign_key_problems(catalogue: Catalogue) -> Iterable[str]:
    allowed = {(DISTRIBUTED, DISTRIBUTED), (DISTRIBUTED, REFERENCE), (REFERENCE, REFERENCE), (LOCAL, REFERENCE), (LOCAL, LOCAL)}
    for fk in sorted(catalogue.foreign_keys, key=lambda k: (k.table, k.name)):
        where = f"{fk.table}: foreign key {fk.name} ({', '.join(fk.columns)}) → {fk.referenced} ({', '.join(fk.referenced_columns)})"
        kinds = (catalogue.kind(fk.table), catalogue.kind(fk.referenced))
        if None in kinds:
            continue  # the table without a kind is named already
        if kinds not in allowed:
            yield f"{where}: from a {kinds[0]} table to a {kinds[1]} table, which Citus does not allow"
            continue
        if kinds == (DISTRIBUTED, DISTRIBUTED) and not _on_distribution_column(fk):
            yield f"{where}: does not pair {DISTRIBUTION_COLUMN} with {DISTRIBUTION_COLUMN}"
        if kinds[0] == DISTRIBUTED and DISTRIBUTION_COLUMN in fk.columns:
            for action in (_REFUSED_ON_DELETE.get(fk.on_delete), _REFUSED_ON_UPDATE.get(fk.on_update)):
                if action:
                    yield f"{where}: {action}, which would change {DISTRIBUTION_COLUMN}"


def _on_distribution_column(fk: ForeignKey) -> bool:
    """Whether the foreign key holds tenant_id on both sides, at the same place."""
    if DISTRIBUTION_COLUMN not in fk.columns or DISTRIBUTION_COLUMN not in fk.referenced_columns:
        return False
    return fk.columns.index(DISTRIBUTION_COLUMN) == fk.referenced_columns.index(DISTRIBUTION_COLUMN)


# --- the plan --------------------------------------------------------------------------------


def plan(catalogue: Catalogue) -> list[tuple[str, str]]:
    """(kind, table) of every reference and distributed table, in an order Citus accepts: the
    reference tables, then the distributed ones, each after the tables its foreign keys point at
    (by name where the order is free). A ValueError names the tables whose foreign keys go round."""
    ordered: list[tuple[str, str]] = []
    for kind in (REFERENCE, DISTRIBUTED):
        tables = set(catalogue.of_kind(kind))
        waits = {table: {fk.referenced for fk in catalogue.foreign_keys if fk.table == table and fk.referenced in tables - {table}} for table in tables}
        while waits:
            ready = sorted(table for table, on in waits.items() if not on)
            if not ready:
                raise ValueError(f"{', '.join(_round(waits))}: their foreign keys go round, so no {kind} table of them can be made first")
            for table in ready:
                ordered.append((kind, table))
                del waits[table]
            for on in waits.values():
                on.difference_update(ready)
    return ordered


def _round(waits: dict[str, set[str]]) -> list[str]:
    """Of tables that cannot be ordered, those on a round of foreign keys (not those only waiting
    for one)."""
    left = {table: set(on) for table, on in waits.items()}
    while awaited := set().union(*left.values()):
        if not (unawaited := set(left) - awaited):
            break
        for table in unawaited:
            del left[table]
    return sorted(left)


def planned_statements(catalogue: Catalogue) -> list[tuple[str, str]]:
    """(table, statement) for every reference or distributed table, in the plan's order."""
    planned = plan(catalogue)
    first = next((table for kind, table in planned if kind == DISTRIBUTED), None)
    sql = []
    for kind, table in planned:
        if kind == REFERENCE:
            sql.append((table, f"SELECT create_reference_table({_literal(table)});"))
        else:  # the first starts the colocation group every other joins
            colocate = "none" if table == first else first
            sql.append((table, f"SELECT create_distributed_table({_literal(table)}, {_literal(DISTRIBUTION_COLUMN)}, colocate_with => {_literal(colocate)});"))
    return sql


def statements(catalogue: Catalogue) -> list[str]:
    """The SQL that distributes the schema: one statement per reference or distributed table, in
    the plan's order, then a comment per local table."""
    made = [statement for _, statement in planned_statements(catalogue)]
    return made + [f"-- local table {table}: {LOCAL_TABLES[table]}" for table in catalogue.of_kind(LOCAL)]


def _literal(name: str) -> str:
    """A table's name as a regclass literal (quoted as an identifier where it is not a plain one)."""
    identifier = name if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) else '"' + name.replace('"', '""') + '"'
    return "'" + identifier.replace("'", "''") + "'"


# --- the command -----------------------------------------------------------------------------


async def _checked(engine) -> Catalogue:
    catalogue = await read_catalogue(engine)
    if found := problems(catalogue):
        raise click.ClickException(f"{len(found)} reason(s) why the schema cannot be distributed by {DISTRIBUTION_COLUMN}:\n" + "\n".join(found))
    return catalogue


async def _apply(engine) -> list[str]:
    """Runs the statements, each on its own (Citus copies a table's rows as it distributes it);
    tables that Citus holds already are passed over, so that an interrupted run can be run again."""
    catalogue = await _checked(engine)
    if not await db.execute(engine, "SELECT 1 FROM pg_extension WHERE extname = 'citus'"):
        raise click.ClickException("the citus extension is not installed in this database (CREATE EXTENSION citus, on the coordinator): nothing was changed")
    done = {row["name"] for row in await db.execute(engine, "SELECT logicalrelid::regclass::text AS name FROM pg_dist_partition")}
    ran = []
    for table, statement in planned_statements(catalogue):
        if table not in done:
            await db.execute(engine, statement.removesuffix(";"))
            ran.append(statement)
    return ran


async def _print(engine) -> list[str]:
    return statements(await _checked(engine))


@click.group(name="citus", help="Citus (distributed PostgreSQL): distribute the schema by tenant_id.")
def citus_group() -> None: ...


@citus_group.command(
    name="distribute",
    help="Print the SQL that makes the reference tables and distributes every tenant-owned table by tenant_id, in an order Citus accepts; --apply runs it.",
)
@click.option("--apply", "apply_", is_flag=True, help="Run the SQL on the database (its coordinator, with the citus extension), instead of printing it.")
def distribute_command(apply_: bool) -> None:
    if apply_:
        ran = run_with_engine(lambda engine, settings: _apply(engine))
        click.echo("\n".join(ran) or "every table is distributed already")
    else:
        click.echo("\n".join(run_with_engine(lambda engine, settings: _print(engine))))


__all__ = ["LOCAL_TABLES", "REFERENCE_TABLES", "Catalogue", "citus_group", "plan", "planned_statements", "problems", "read_catalogue", "statements"]
