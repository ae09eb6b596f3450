"""The database engine (SQLite by default, PostgreSQL by DATABASE_URL) and the schema migrations.

Piccolo is used for queries. The schema itself is written as SQL migrations because it relies on
what Piccolo's migrations cannot express: composite foreign keys `(tenant_id, x_id)`, row-level
security policies and grants to the non-owner application role.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from piccolo.engine.base import BaseTransaction, Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import TABLE_REGISTRY

from backend import domains

# Piccolo announces the SQLite version at INFO on every engine start: noise for operators.
logging.getLogger("piccolo").setLevel(logging.WARNING)


class SQLite(SQLiteEngine):
    """Piccolo's SQLite engine, each statement of a transaction in one trip to the connection's
    thread (aiosqlite) instead of four (a PRAGMA the connection already has, the statement, its
    rows, the cursor's close): a trip costs about 0.15 ms, most statements here a few hundredths of
    that (bench/sqlite_statements.py)."""

    async def _run_in_existing_connection(self, connection, query: str, args=None, query_type: str = "generic", table=None):
        if query_type == "insert" and self.get_version_sync() < 3.35:  # no RETURNING before 3.35
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        return await connection.execute_fetchall(query, args or [])


def make_engine(url: str, *, pool: bool = True) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # timeout: how long a writer waits for SQLite's single write lock before giving up.
        return SQLite(path=str(path), timeout=30)
    if url.startswith(("postgres://", "postgresql://")):
        # The plan cache's mode is set per transaction (scope_to_tenant): custom plans for reads,
        # PostgreSQL's own choice for writes.
        return PostgresEngine(config={"dsn": url})
    raise ValueError(f"unsupported DATABASE_URL scheme: {urlsplit(url).scheme!r}")


def bind_tables(engine: Engine) -> None:
    """Point every Piccolo table at this engine (settings decide it at start-up, not piccolo_conf).
    Every domain's tables are imported first: a table imported later would look for a piccolo_conf."""
    domains.import_tables()
    for table in TABLE_REGISTRY:
        table._meta.db = engine


def is_postgres(engine: Engine) -> bool:
    return engine.engine_type == "postgres"


async def _keep_session(connection) -> None:
    """A connection given back to the pool is not reset (asyncpg's default sends `RESET ALL`, `UNLISTEN *`,
    ... on every release, one more round trip per request): the service sets nothing for a session,
    only for a transaction (`set_config(..., true)`, `pg_advisory_xact_lock`), and asyncpg still rolls
    back a transaction left open."""


async def start(engine: Engine, *, pool_size: int = 20) -> None:
    """Opens the engine: on PostgreSQL a pool of at most `pool_size` connections (each process
    holds its own: PostgreSQL's max_connections must cover them all). The first start of a process
    also settles its heap (`settle_heap`)."""
    if is_postgres(engine):
        await engine.start_connection_pool(min_size=min(2, pool_size), max_size=pool_size, reset=_keep_session)
    else:
        await _sqlite_pragmas(engine)
    settle_heap()


_settled = False
YOUNG_GENERATION = 10_000  # allocations between two collections of the young generation (Python's default: 700)


def settle_heap() -> None:
    """Once per process, when its engine first starts (a server's start-up, the application built):
    what exists then lives as long as the process, so it is collected once and frozen (`gc.freeze`),
    out of the cyclic collector's reach. Without it, every full collection walks those 170,000
    objects (the application, its routes, schemas, translations): 97 ms of CPU during which no
    request moves, the ballots' p99 during a burst (bench/votes_burst.py). The young generation is
    collected every 10,000 allocations instead of 700 (a request allocates thousands). Nothing
    else changes: garbage made later is collected as before."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, middle, old)


def pool_size(engine: Engine) -> int:
    """The most connections the engine's pool holds (PostgreSQL, once started)."""
    return engine.pool.get_max_size()


async def stop(engine: Engine) -> None:
    if is_postgres(engine):
        await engine.close_connection_pool()


async def _sqlite_pragmas(engine: Engine) -> None:
    # WAL lets readers go on while one writer holds the lock; the setting persists in the file.
    await engine.run_ddl("PRAGMA journal_mode=WAL")


# --- work to do once a transaction has committed ----------------------------------------------

AfterCommit = Callable[[], Awaitable[object]]
_after_commit: contextvars.ContextVar[dict[object, AfterCommit] | None] = contextvars.ContextVar("after_commit", default=None)
_running: set[asyncio.Task] = set()


def after_commit(job: AfterCommit, *, key: object | None = None) -> bool:
    """Runs `job` in the background once the current transaction has committed (never if it rolls
    back), e.g. handing the in-process queue the jobs it queued; in a request, once the request's
    transaction has committed (backend.tenancy); a job with the `key` of one
    already scheduled is not scheduled again. Outside a transaction, nothing is scheduled and the
    answer is False."""
    jobs = _after_commit.get()
    if jobs is None:
        return False
    jobs.setdefault(object() if key is None else key, job)
    return True


@contextlib.contextmanager
def collecting_after_commit() -> Iterator[dict[object, AfterCommit]]:
    """Collects what `after_commit` is given inside, for `start_after_commit` once the work has
    committed (a request's transaction, a queued job's, or one transaction's, see `transaction`)."""
    jobs: dict[object, AfterCommit] = {}
    token = _after_commit.set(jobs)
    try:
        yield jobs
    finally:
        _after_commit.reset(token)


async def drain_after_commit() -> None:
    """Waits for what was started after the commits so far (tests, and shutting down)."""
    while _running:
        await asyncio.gather(*_running, return_exceptions=True)


def start_after_commit(jobs: dict[object, AfterCommit]) -> None:
    for job in jobs.values():
        task = asyncio.create_task(job())
        _running.add(task)
        task.add_done_callback(_running.discard)


@contextlib.asynccontextmanager
async def transaction(engine: Engine, *, write: bool) -> AsyncIterator[BaseTransaction]:
    """One transaction; on SQLite a writer takes the write lock at once (no upgrade deadlocks).
    Outside a request or a queued job, what `after_commit` is given in it starts once it has
    committed."""
    if is_postgres(engine):
        current = engine.transaction()
    else:
        current = engine.transaction(transaction_type=TransactionType.immediate if write else TransactionType.deferred)
    own = _after_commit.get() is None
    try:
        with collecting_after_commit() if own else contextlib.nullcontext() as then:
            async with current:
                yield current
    except BaseException:
        if getattr(current, "_parent", None) is None:
            await _give_back(engine, current)
        raise
    if own:
        start_after_commit(then)


async def _give_back(engine: Engine, current: BaseTransaction) -> None:
    """Piccolo gives a transaction's connection back only when its commit or rollback succeeds. When
    that fails (the task was cancelled at the commit, say), the connection would stay taken: on
    PostgreSQL the pool could never close, on SQLite the write lock would stay held. Giving back
    one already given back does nothing; the connection's transaction, if any, is rolled back."""
    if engine.current_transaction.get() is current:
        engine.current_transaction.reset(current.context)
    connection = getattr(current, "connection", None)
    if connection is None:
        return
    if is_postgres(engine) and engine.pool is not None:
        await engine.pool.release(connection)  # (shielded from a cancellation by asyncpg)
    else:
        await asyncio.shield(connection.close())


@contextlib.asynccontextmanager
async def tenant_transaction(engine: Engine, tenant_id: object, *, write: bool) -> AsyncIterator[BaseTransaction]:
    """A transaction in which, on PostgreSQL, row-level security shows only this tenant's rows
    (custom plans for a read, as a request's; scope_to_tenant)."""
    async with transaction(engine, write=write) as current:
        await scope_to_tenant(engine, tenant_id, custom_plans=not write)
        yield current


async def scope_to_tenant(engine: Engine, tenant_id: object, *, custom_plans: bool = True, version_sql: str | None = None) -> object:
    """On PostgreSQL, row-level security shows the current transaction only this tenant's rows.

    `custom_plans`: the transaction plans every statement for its values (`force_custom_plan`), as
    the searches of a large tenant's register need: a cached generic plan, made for an average
    tenant, is slow for a tenant with 50,000 members among many small ones (bench/member_list.py).
    Otherwise PostgreSQL chooses (`auto`): a request that writes a few rows by their keys (a
    ballot) reuses its plans, and its foreign keys' checks theirs, instead of planning them all again.

    `version_sql`: an expression (`{}` is the tenant's id) evaluated in the same statement, whose
    value is returned (the tenant's row version, tenancy.py); None on SQLite."""
    if not is_postgres(engine):
        return None
    sql = "SELECT set_config('app.tenant_id', {}, true) AS tenant, set_config('plan_cache_mode', {}, true) AS plans"
    args = [str(tenant_id), "force_custom_plan" if custom_plans else "auto"]
    if version_sql is not None:
        sql += f", {version_sql} AS version"
        args.append(tenant_id)
    rows = await fetch(engine, sql, *args)
    return rows[0].get("version")


async def execute(engine: Engine, sql: str, *args) -> list[dict]:
    """Run one SQL statement (with `{}` placeholders) in the current transaction, if any."""
    return await engine.run_querystring(QueryString(sql, *args))


_numbered: dict[str, str] = {}


async def fetch(engine: Engine, sql: str, *args) -> list[dict]:
    """`execute` for the hot paths (a ballot, every request's scope): on PostgreSQL, inside a
    transaction, the statement goes straight to the transaction's asyncpg connection (`{}` numbered
    once per statement text), without Piccolo building a query each time; elsewhere as `execute`."""
    current = engine.current_transaction.get() if is_postgres(engine) else None
    connection = getattr(current, "connection", None)
    if connection is None:
        return await execute(engine, sql, *args)
    return [dict(row) for row in await connection.fetch(_numbered_sql(sql), *args)]


async def fetch_tuples(engine: Engine, sql: str, *args) -> list[tuple]:
    """`fetch`, each row a tuple of its values in the statement's order instead of a dict: for the
    statements that read a whole box of ballots (100,000 rows: a dict each costs a tenth of a
    second). On PostgreSQL in a transaction, asyncpg's records (they index and unpack as tuples)."""
    current = engine.current_transaction.get() if is_postgres(engine) else None
    connection = getattr(current, "connection", None)
    if connection is None:
        return [tuple(row.values()) for row in await execute(engine, sql, *args)]
    return await connection.fetch(_numbered_sql(sql), *args)


def _numbered_sql(sql: str) -> str:
    """The statement with `{}` numbered as asyncpg wants them ($1, $2...), once per statement text."""
    numbered = _numbered.get(sql)
    if numbered is None:
        parts = sql.split("{}")
        numbered = _numbered[sql] = "".join(part + (f"${index}" if index < len(parts) else "") for index, part in enumerate(parts, 1))
    return numbered


# --- migrations ------------------------------------------------------------------------------

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# A migration moved out of another (when a package moves, its tables' migrations move with it)
# names where it was: a database where that one is applied has its tables already.
_FORMERLY = re.compile(r"^-- formerly in: (\S+)", re.MULTILINE)


def _migrations(package: str, dialect: str) -> list[tuple[str, str]]:
    """(id, sql) of a package's migrations for a dialect: `NNNN_x.sql`, plus `NNNN_x.postgres.sql`."""
    folder = domains.folder(package) / "migrations"
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if _MIGRATION_NAME.match(entry.name) or entry.name.endswith(f".{dialect}.sql"):
            found.append((f"{package}/{entry.name}", entry.read_text()))
    return sorted(found)


def _split(sql: str) -> list[str]:
    """Split a migration into statements at `;` ending a line, except inside a `$$`-quoted body (a
    function's, a DO block's), which stays whole."""
    statements: list[str] = []
    for part in re.split(r";\s*\n", sql + "\n"):
        if statements and statements[-1].count("$$") % 2:  # still inside the body: the `;` was its own
            statements[-1] += ";\n" + part
        else:
            statements.append(part)
    return [s.strip() for s in statements if s.strip() and not _only_comments(s)]


def _only_comments(statement: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


async def migrate(engine: Engine, *, app_role: str = "solidaire_app") -> list[str]:
    """Apply the migrations not yet applied; returns their ids. Run as the tables' owner.
    Processes starting together take turns: each migration is applied under a lock, once."""
    if not ROLE_NAME.fullmatch(app_role):
        raise ValueError(f"not a plain role name: {app_role!r}")
    dialect = "postgres" if is_postgres(engine) else "sqlite"
    async with _migration_lock(engine):
        await execute(
            engine,
            "CREATE TABLE IF NOT EXISTS schema_migration (id VARCHAR(200) PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        )
    done = []
    for package in domains.migrating_packages():
        for migration_id, sql in _migrations(package, dialect):
            async with _migration_lock(engine):
                if await execute(engine, "SELECT id FROM schema_migration WHERE id = {}", migration_id):
                    continue
                if not await _applied_where_it_was(engine, sql):
                    for statement in _split(sql.replace(":app_role", app_role)):
                        await engine.run_ddl(statement)
                await execute(engine, "INSERT INTO schema_migration (id) VALUES ({})", migration_id)
            done.append(migration_id)
    return done


async def unapplied_migrations(engine: Engine) -> list[str]:
    """The migrations this version brings that the database has not applied (the readiness
    probe: a process of a new version waits for `solidaire migrate`)."""
    dialect = "postgres" if is_postgres(engine) else "sqlite"
    applied = {row["id"] for row in await fetch(engine, "SELECT id FROM schema_migration")}
    return [migration_id for package in domains.migrating_packages() for migration_id, _ in _migrations(package, dialect) if migration_id not in applied]


async def _applied_where_it_was(engine: Engine, sql: str) -> bool:
    """Whether the migration this one was moved out of is applied: then it is recorded under its
    new id, never run again."""
    formerly = _FORMERLY.findall(sql)
    return bool(formerly) and bool(await execute(engine, "SELECT id FROM schema_migration WHERE id = {}", formerly[0]))


@contextlib.asynccontextmanager
async def _migration_lock(engine: Engine) -> AsyncIterator[None]:
    """A write transaction that one process at a time holds (SQLite: its immediate write lock)."""
    async with transaction(engine, write=True):
        if is_postgres(engine):
            await execute(engine, "SELECT pg_advisory_xact_lock(hashtext('solidaire.migrate'))")
        yield
