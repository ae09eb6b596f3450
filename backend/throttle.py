"""The sign-in throttle: attempts counted per client address and per account tried.

Counting per address alone let one account be guessed at from many addresses; counting per
account (the e-mail address sent in the form or the JSON body) holds the account's budget whatever
the addresses. Past either budget the attempt is refused with 429, `Retry-After` and a
problem+json body (an error page for the pages), before any transaction is opened.

The client address is the connection's peer, or what a trusted proxy says it is: uvicorn rewrites
it from `X-Forwarded-For` only for the proxies named in `FORWARDED_ALLOW_IPS` (none by default).

The counts live behind `Attempts`: in PostgreSQL, shared by every process and host of a deployment
(`SharedAttempts`), or in memory on the embedded default, one process (`MemoryAttempts`).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Protocol
from urllib.parse import parse_qs

import msgspec
from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send

from backend import db
from backend.errors import Problem
from backend.i18n import N_


class Attempts(Protocol):
    async def hit(self, key: str, *, limit: int, window: float) -> float:
        """Counts one attempt under `key`: 0 while at most `limit` fall in the current `window`
        (seconds), else the seconds until it ends."""
        ...


class MemoryAttempts:
    """Fixed windows per key, in this process's memory (ended windows are dropped as it grows)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self.clock = clock
        self.max_keys = max_keys
        self.windows: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, *, limit: int, window: float) -> float:
        now = self.clock()
        started, count = self.windows.get(key, (now, 0))
        if now - started >= window:
            started, count = now, 0
        if len(self.windows) >= self.max_keys:
            self.windows = {k: v for k, v in self.windows.items() if now - v[0] < window}
        self.windows[key] = (started, count + 1)
        return 0 if count < limit else started + window - now


class SharedAttempts:
    """Fixed windows per key in PostgreSQL (sign_in_attempt), counted by one atomic upsert so that
    every process of a deployment adds to the same count. Keys are kept hashed: no e-mail address
    or client address is stored. A new window clears the ended ones."""

    def __init__(self, engine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    async def hit(self, key: str, *, limit: int, window: float) -> float:
        now = self.clock()
        start = int(now // window * window)
        digest = hashlib.sha256(key.encode()).hexdigest()
        async with db.transaction(self.engine, write=True):
            rows = await db.execute(
                self.engine,
                "INSERT INTO sign_in_attempt (key_hash, window_start, attempts) VALUES ({}, {}, 1) "
                "ON CONFLICT (key_hash, window_start) DO UPDATE SET attempts = sign_in_attempt.attempts + 1 RETURNING attempts",
                digest, start,
            )
            if rows[0]["attempts"] == 1:
                await db.execute(self.engine, "DELETE FROM sign_in_attempt WHERE window_start < {}", start - int(window))
        return 0 if rows[0]["attempts"] <= limit else start + window - now


def attempts_for(engine) -> Attempts:
    """Where the throttle counts: the deployment's PostgreSQL, or this one process's memory."""
    return SharedAttempts(engine) if db.is_postgres(engine) else MemoryAttempts()


class Throttled(Problem):
    status = 429
    title = N_("Too many requests; try again later.")


def account_of(content_type: str, body: bytes, field: str = "email") -> str | None:
    """The account an attempt names: `field` of a form or of a JSON object, trimmed, lower case."""
    value: object = None
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            value = (parse_qs(body.decode("utf-8")).get(field) or [None])[0]
        elif "json" in content_type:
            decoded = msgspec.json.decode(body)
            value = decoded.get(field) if isinstance(decoded, dict) else None
    except (ValueError, RecursionError, msgspec.DecodeError):
        return None
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


class SignInThrottle:
    """ASGI middleware: every request `is_sign_in` picks is counted under its client address and
    under the account it names, each allowed `limit` attempts a `window`."""

    def __init__(self, app: ASGIApp, *, attempts: Attempts, limit: int, is_sign_in: Callable[[Request], bool], window: float = 60) -> None:
        self.app = app
        self.attempts = attempts
        self.limit = limit
        self.is_sign_in = is_sign_in
        self.window = window

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request: Request = Request(scope, receive)
            if self.is_sign_in(request):
                await self.count(request)
        await self.app(scope, receive, send)

    async def count(self, request: Request) -> None:
        # The body read here is kept in the request's scope: the handler reads the same bytes.
        keys = [f"address:{request.client.host if request.client else ''}"]
        if account := account_of(request.content_type[0], await request.body()):
            keys.append(f"account:{account}")
        wait = max([await self.attempts.hit(key, limit=self.limit, window=self.window) for key in keys])
        if wait:
            seconds = math.ceil(wait)
            raise Throttled(N_("Too many sign-in attempts; try again in %(seconds)s seconds."), seconds=seconds, headers={"Retry-After": str(seconds)})
