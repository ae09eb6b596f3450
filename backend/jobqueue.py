"""Background work in a job queue on PostgreSQL (pgqueuer), run by `solidaire worker` and, unless
told otherwise, inside every `solidaire serve` process.

Why pgqueuer: it speaks asyncpg like the service (procrastinate would add psycopg 3 beside it),
takes jobs with `FOR UPDATE SKIP LOCKED` and wakes idle workers with LISTEN/NOTIFY, keeps the
periodic schedules in a table every worker shares (each due run is taken by one worker), queues a
failed job again after a growing delay, hands a job whose worker died to another once its
heartbeat stops, and offers an in-memory queue with the same interface for the embedded default
(SQLite, one process).

A piece of background work is a `Task`: a name, what it does for one tenant, and, for periodic
work, a cron expression saying how often it is queued for every tenant. `backend.mail` and each
domain's `jobs.py` declare theirs (TASKS). `enqueue` queues a task for a tenant in the caller's
transaction: on PostgreSQL the job's row is written through that transaction's own connection, so
a request that rolls back queues nothing and a worker sees the job once it has committed; on SQLite
the job goes to the in-process queue once the request (or the job) that queued it has committed.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import asyncpg
import msgspec
import structlog
from piccolo.engine.base import Engine

from backend import db

# pgqueuer (a third of a second to import) is imported where the queue runs or a job goes to
# PostgreSQL: the commands that do neither start that much sooner.
if TYPE_CHECKING:
    from pgqueuer import PgQueuer
    from pgqueuer.models import Job

log = structlog.get_logger()

RETRIES = 5  # a job that fails is tried again after 1, 2, 4, 8 s, then dropped and logged
Tenants = Callable[[], Awaitable[list]]  # every tenant (TenantInfo: .id, .slug)
TenantById = Callable[[uuid.UUID], Awaitable[Any]]  # one tenant, None when it is gone


@dataclass(frozen=True)
class Task:
    """A kind of background work: `run(engine, tenant, payload)` does it for one tenant, in
    transactions of its own, and returns what it did (logged when not empty)."""

    name: str  # "<domain>.<what>", the queue's entrypoint
    run: Callable[[Engine, Any, dict], Awaitable[object]]
    every: str | None = None  # cron (UTC): queued for every tenant this often


@dataclass
class _Queue:
    engine: Engine
    memory: PgQueuer | None  # SQLite: the in-process queue, while a worker runs it


_queue: _Queue | None = None
# The jobs queued once per transaction (a notice to 500 members queues one delivery): the current
# transaction, and what it queued so far.
_queued_in: contextvars.ContextVar[tuple[object, set[str]] | None] = contextvars.ContextVar("queued_in", default=None)


def configure(engine: Engine) -> None:
    """Where jobs are queued (the application factory; a running in-process queue is kept)."""
    global _queue
    _queue = _Queue(engine, memory=_queue.memory if _queue is not None else None)


async def enqueue(name: str, tenant_id: uuid.UUID, payload: dict | None = None, *, once_per_transaction: bool = False, dedupe: bool = False) -> None:
    """Queues the task `name` for a tenant, in the current transaction (see the module's doc).
    `dedupe`: not queued if the same task of the tenant is already waiting or running (periodic
    work). Without a configured queue (a command line on SQLite), nothing is queued."""
    if _queue is None:
        return
    engine = _queue.engine
    current = engine.current_transaction.get()
    if once_per_transaction and current is not None:
        seen = _queued_in.get()
        if seen is None or seen[0] is not current:
            seen = (current, set())
            _queued_in.set(seen)
        if name in seen[1]:
            return
        seen[1].add(name)
    body = msgspec.json.encode({"tenant": str(tenant_id), **(payload or {})})
    key = f"{name}/{tenant_id}" if dedupe else None
    if db.is_postgres(engine):
        from pgqueuer import AsyncpgDriver, AsyncpgPoolDriver, Queries  # noqa: PLC0415 (see TYPE_CHECKING above)

        connection = getattr(current, "connection", None)
        driver = AsyncpgDriver(connection) if connection is not None else AsyncpgPoolDriver(engine.pool)
        await Queries(driver).enqueue(name, body, dedupe_key=key, on_conflict="skip")
    elif _queue.memory is not None:
        memory = _queue.memory

        async def into_memory() -> None:
            await memory.queries.enqueue(name, body, dedupe_key=key, on_conflict="skip")

        if not db.after_commit(into_memory):  # outside a request or a job: now
            await into_memory()


async def waiting() -> int:
    """How many jobs are waiting (due now) or running."""
    if _queue is None:
        return 0
    if db.is_postgres(_queue.engine):
        rows = await db.fetch(_queue.engine, "SELECT count(*) AS n FROM pgqueuer WHERE status = 'picked' OR (status = 'queued' AND execute_after <= now())")
        return rows[0]["n"]
    if _queue.memory is None:
        return 0
    return sum(row.count for row in await _queue.memory.queries.queue_size() if row.status in ("queued", "picked"))


async def drain(poll_seconds: float = 0.02) -> None:
    """Waits until the background work started so far is done: the after-commit callbacks and the
    queue's jobs, including those they queued (tests)."""
    while True:
        await db.drain_after_commit()
        if not await waiting():
            await db.drain_after_commit()
            return
        await asyncio.sleep(poll_seconds)


class Worker:
    """Runs the queue's jobs in this process until stopped; with `periodic`, also queues the
    periodic tasks when due (every worker may: the schedule's table gives each run to one)."""

    def __init__(self, engine: Engine, tasks: Sequence[Task], tenants: Tenants, tenant_by_id: TenantById, *, periodic: bool = True, stalled_after: float = 30.0) -> None:
        self.engine = engine
        self.stalled_after = dt.timedelta(seconds=stalled_after)
        self.tasks = tasks
        self.tenants = tenants
        self.tenant_by_id = tenant_by_id
        self.periodic = periodic
        self.queuer: PgQueuer | None = None
        self.connection: asyncpg.Connection | None = None
        self.stopped = False

    async def run(self) -> None:
        from pgqueuer import PgQueuer  # noqa: PLC0415

        if db.is_postgres(self.engine):
            # A connection of its own: it listens for new jobs between them.
            self.connection = await asyncpg.connect(self.engine.config["dsn"])
            self.queuer = PgQueuer.from_asyncpg_connection(self.connection)
        else:
            self.queuer = PgQueuer.in_memory()
            if _queue is not None:
                _queue.memory = self.queuer
        for task in self.tasks:
            self._register(task)
        try:
            if not self.stopped:  # (stopped while it was connecting)
                await self.queuer.run(dequeue_timeout=dt.timedelta(seconds=5), batch_size=4, heartbeat_timeout=self.stalled_after)
        finally:
            if _queue is not None and _queue.memory is self.queuer:
                _queue.memory = None
            if self.connection is not None:
                await self.connection.close()

    def stop(self) -> None:
        """Takes no new job; `run` returns once the jobs under way have finished."""
        self.stopped = True
        if self.queuer is not None:
            self.queuer.shutdown.set()

    def _register(self, task: Task) -> None:
        from pgqueuer import DatabaseRetryEntrypointExecutor  # noqa: PLC0415

        assert self.queuer is not None

        async def one(job: Job) -> None:
            await self._do(task, job)

        self.queuer.entrypoint(task.name, executor_factory=lambda parameters: DatabaseRetryEntrypointExecutor(parameters, max_attempts=RETRIES))(one)
        if self.periodic and task.every:

            async def everywhere(schedule) -> None:
                await self.queue_everywhere(task.name)

            self.queuer.schedule(f"{task.name}.every", task.every)(everywhere)

    async def queue_everywhere(self, name: str) -> None:
        """What a periodic task's schedule does when due: the task queued for every tenant (one
        job per tenant: a tenant's failure is retried without holding up the others), unless one
        is still waiting or running."""
        for tenant in await self.tenants():
            await enqueue(name, tenant.id, dedupe=True)

    async def _do(self, task: Task, job: Job) -> None:
        payload = msgspec.json.decode(job.payload or b"{}")
        tenant = await self.tenant_by_id(uuid.UUID(payload.pop("tenant")))  # as it is now (its time zone, its languages)
        if tenant is None:
            return  # the tenant is gone, and its work with it
        with db.collecting_after_commit() as then:
            report = await task.run(self.engine, tenant, payload)
        db.start_after_commit(then)
        if report and (not isinstance(report, dict) or any(report.values())):
            log.info("job done", job=task.name, tenant=tenant.slug, report=report)
