"""Booking latency with 200,000 bookings in the tenant, on PostgreSQL (exclusion constraint).

Creates its own database, migrates it, writes 200,000 bookings over 20 rooms (COPY, as the owner),
then sends booking requests through the application (in process, httpx's ASGI transport, as the
non-owner role solidaire_app so row-level security applies): half for free slots, half for taken
ones (409), 10 at a time. Prints p50, p95, p99 and the requests per second. Run from the root:

    .venv/bin/python bench/billing_booking.py [--bookings 200000] [--requests 1000] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from backend import db
from backend.settings import Settings
from solidaire.app import create_app
from tenants import services

logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ZONE = ZoneInfo("America/Montreal")
ROOMS = 20
SLOTS = [(8, 10), (10, 12), (13, 15), (15, 17), (17, 19), (19, 21)]


def slot(day_index: int, slot_index: int) -> tuple[dt.datetime, dt.datetime]:
    day = dt.date.today() + dt.timedelta(days=2 + day_index)
    start, end = SLOTS[slot_index]
    return (dt.datetime.combine(day, dt.time(start), ZONE), dt.datetime.combine(day, dt.time(end), ZONE))


async def prepare(owner_url: str, bookings: int) -> tuple[list[str], int]:
    engine = db.make_engine(owner_url)
    db.bind_tables(engine)
    await db.start(engine)
    await db.migrate(engine)
    async with db.transaction(engine, write=True):
        tenant = await services.create_tenant(slug="bench-coop", name="Bench", kind="coop", locale="fr_CA", timezone="America/Montreal", currency="CAD", member_categories=["user", "worker"])
        async with db.tenant_transaction(engine, tenant.id, write=True):
            user_id = await services.create_user("clinician@bench.test", "Clinician", "bench password")
            await services.grant_role(tenant, user_id, "clinician")
    await db.stop(engine)
    connection = await asyncpg.connect(owner_url)
    now = dt.datetime.now(dt.UTC)
    hours = '{"mon": "07:00-22:00", "tue": "07:00-22:00", "wed": "07:00-22:00", "thu": "07:00-22:00", "fri": "07:00-22:00", "sat": "07:00-22:00", "sun": "07:00-22:00"}'
    rooms = [uuid.uuid4() for _ in range(ROOMS)]
    await connection.executemany(
        "INSERT INTO room (tenant_id, id, name, kind, equipment, opening_hours, active, created_at) VALUES ($1, $2, $3, 'office', '', $4, true, $5)",
        [(tenant.id, room, f"Room {i}", hours, now) for i, room in enumerate(rooms)],
    )
    account = uuid.uuid4()
    await connection.execute(
        "INSERT INTO clinician_account (tenant_id, id, user_id, name, email, language, clinician_class, calendar_token, created_at) "
        "VALUES ($1, $2, $3, 'Clinician', 'clinician@bench.test', 'fr_CA', 'general', $4, $5)",
        tenant.id, account, user_id, secrets.token_urlsafe(16), now,
    )
    per_room = bookings // ROOMS
    rows = []
    for room in rooms:
        for index in range(per_room):
            start, end = slot(index // len(SLOTS), index % len(SLOTS))
            rows.append((tenant.id, uuid.uuid4(), room, account, start, end, "booked", 0, now))
    await connection.copy_records_to_table(
        "booking", records=rows,
        columns=["tenant_id", "id", "room_id", "clinician_id", "starts_at", "ends_at", "status", "cancellation_fee_percent", "created_at"],
    )
    await connection.execute("ANALYZE booking")
    await connection.close()
    return [str(r) for r in rooms], per_room // len(SLOTS)


async def measure(app_url: str, owner_url: str, rooms: list[str], days_taken: int, requests: int, concurrency: int) -> None:
    settings = Settings(var_dir=Path(tempfile.mkdtemp()), database_url=app_url, migration_database_url=owner_url, app_role="solidaire_app", secret_key="bench", cookie_secure=True, sign_in_attempts_per_minute=10**6)
    engine = db.make_engine(app_url)
    app = create_app(settings, engine=engine)
    await db.start(engine)
    rng = random.Random(1)
    latencies, statuses = [], {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://bench.local") as client:
        token = (await client.post("/api/t/bench-coop/auth/token", json={"email": "clinician@bench.test", "password": "bench password"})).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        free_days = iter(range(days_taken + 1, days_taken + 1 + requests))

        async def one(i: int) -> None:
            day = rng.randrange(days_taken) if i % 2 else next(free_days)  # half taken (409), half free (201)
            start, end = slot(day, rng.randrange(len(SLOTS)))
            body = {"room_id": rng.choice(rooms), "starts_at": start.isoformat(), "ends_at": end.isoformat()}
            began = time.perf_counter()
            response = await client.post("/api/t/bench-coop/billing/bookings", json=body, headers=headers)
            latencies.append(time.perf_counter() - began)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.perf_counter()
        for batch in range(0, requests, concurrency):
            await asyncio.gather(*(one(i) for i in range(batch, min(batch + concurrency, requests))))
        elapsed = time.perf_counter() - began
    await db.stop(engine)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(f"{requests} booking requests, {concurrency} at a time: {requests / elapsed:.0f} req/s; statuses {statuses}")
    print(f"latency p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    name = f"solidaire_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    owner_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    app_url = owner_url.replace("://postgres@", "://solidaire_app@")
    try:
        began = time.perf_counter()
        rooms, days = await prepare(owner_url, args.bookings)
        print(f"{args.bookings} bookings over {ROOMS} rooms written in {time.perf_counter() - began:.1f} s")
        await measure(app_url, owner_url, rooms, days, args.requests, args.concurrency)
    finally:
        await admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()")
        await admin.execute(f'DROP DATABASE "{name}"')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
