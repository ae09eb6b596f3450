"""One transaction per request, scoped to the tenant named in the path.

Resolves `/t/{slug}/…` and `/api/t/{slug}/…` to a tenant, opens the request's transaction and, on
PostgreSQL, sets `app.tenant_id` for that transaction only, so that row-level security applies.
The response is held until the transaction ends: committed when the status is below 400,
rolled back otherwise, so a refused request changes nothing and a client never reads before
the commit. It is an ASGI middleware, not a dependency, because Piccolo keeps the transaction
in a context variable and Litestar resolves dependencies in other tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.engine.base import Engine

from backend import db, i18n
from backend.auth import LANGUAGE_COOKIE, read_cookie
from backend.errors import SQLITE_BUSY, NotFound, problem_response

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# A route that writes although its method is safe (e.g. it logs who read a file) says so with
# `opt=WRITES`: on SQLite its transaction then takes the write lock at once, as a POST's does (a
# read transaction that starts writing later may find the lock taken and fail).
WRITES = {"writes": True}
# A route that a crowd calls at once (a vote's ballots) says so with `opt=BURST`: at most the pool's
# size less RESERVED_CONNECTIONS of its requests hold a database connection at once (the others wait
# their turn before opening their transaction), so that the other requests of the moment (the
# check-in, the projector, the meeting's pages) find a connection at once instead of queueing
# behind the crowd in the pool (bench/votes_burst.py measures them during a burst). PostgreSQL only:
# SQLite's writers take turns at its one write lock anyway.
BURST = {"burst": True}
RESERVED_CONNECTIONS = 4
_NO_GATE = contextlib.nullcontext()


def _writes(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return scope["method"] not in SAFE_METHODS or bool(handler is not None and handler.opt.get("writes"))


def _status(held: list[Message]) -> int:
    return next((m["status"] for m in held if m["type"] == "http.response.start"), 500)


class TenantTransactionMiddleware:
    """`tenant_version` (PostgreSQL): an SQL expression giving the version of the tenant whose id is
    `{}` (its row's `xmin`), or None when it is gone. With it, the tenants found are kept in memory
    and each request checks its tenant's version in the statement that scopes the transaction (no
    statement more): a tenant changed or deleted since, in any process, is looked up again. Without
    it (SQLite), the tenant is looked up on every request."""

    CACHE_SECONDS = 300.0  # even unchanged, a tenant is looked up again this often

    def __init__(self, app: ASGIApp, engine: Engine, tenant_by_slug: Callable[[str], Awaitable[Any]], tenant_version: str | None = None) -> None:
        self.app = app
        self.engine = engine
        self.tenant_by_slug = tenant_by_slug
        self.tenant_version = tenant_version if db.is_postgres(engine) else None
        self.tenants: dict[str, tuple[Any, object, float]] = {}  # slug -> (tenant, version, when looked up)
        self.burst: asyncio.Semaphore | None = None  # the BURST routes' connections (made at the first, the pool open)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        token = i18n.activate(
            i18n.negotiate(read_cookie(headers, LANGUAGE_COOKIE), accept_language=headers.get(b"accept-language", b"").decode("latin-1"))
        )
        try:
            slug = scope.get("path_params", {}).get("slug")
            if slug is None:
                await self.app(scope, receive, send)
            else:
                await self._in_transaction(scope, receive, send, slug)
        finally:
            i18n.reset(token)

    async def _in_transaction(self, scope: Scope, receive: Receive, send: Send, slug: str) -> None:
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        for attempt in range(2):
            with db.collecting_after_commit() as jobs:
                async with self._gate(scope):
                    await self._run(scope, receive, hold, held, slug)
            # A reading request that met SQLite's lock is tried once more (nothing was written,
            # nothing sent yet); a write is not: the client is told to try again (503).
            busy = scope.get("state", {}).pop(SQLITE_BUSY, False)
            if attempt or not busy or _writes(scope):
                break
            held.clear()
            await asyncio.sleep(0.05)
        if _status(held) < 400:
            db.start_after_commit(jobs)
        for message in held:
            await send(message)

    def _gate(self, scope: Scope) -> asyncio.Semaphore | contextlib.nullcontext:
        handler = scope.get("route_handler")
        if handler is None or not handler.opt.get("burst") or not db.is_postgres(self.engine):
            return _NO_GATE
        if self.burst is None:
            self.burst = asyncio.Semaphore(max(1, db.pool_size(self.engine) - RESERVED_CONNECTIONS))
        return self.burst

    async def _run(self, scope: Scope, receive: Receive, hold: Send, held: list[Message], slug: str) -> None:
        writes = _writes(scope)
        async with db.transaction(self.engine, write=writes) as transaction:
            # Custom plans for the reads (the register's searches); a write (a ballot) reuses its plans.
            tenant = await self._scoped_tenant(slug, custom_plans=not writes)
            if tenant is None:
                await self._refuse(scope, receive, hold, NotFound(i18n.N_("No organisation has this address.")))
            else:
                scope.setdefault("state", {})["tenant"] = tenant
                await self.app(scope, receive, hold)
            if _status(held) >= 400:
                await transaction.rollback()

    async def _scoped_tenant(self, slug: str, *, custom_plans: bool) -> Any:
        """The tenant of this slug, the transaction scoped to it; None if there is none."""
        kept = self.tenants.get(slug)
        if kept is not None and time.monotonic() - kept[2] < self.CACHE_SECONDS:
            tenant, version, _ = kept
            if await db.scope_to_tenant(self.engine, tenant.id, custom_plans=custom_plans, version_sql=self.tenant_version) == version:
                return tenant
        tenant = await self.tenant_by_slug(slug)
        if tenant is None:
            self.tenants.pop(slug, None)
            return None
        version = await db.scope_to_tenant(self.engine, tenant.id, custom_plans=custom_plans, version_sql=self.tenant_version)
        if version is not None:
            self.tenants[slug] = (tenant, version, time.monotonic())
        return tenant

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, problem: NotFound) -> None:
        response = problem_response(Request(scope, receive), problem)
        await response.to_asgi_response(app=None, request=Request(scope, receive))(scope, receive, send)
