"""Votes on PostgreSQL: a burst of secret ballots over HTTP, then the close of a very large vote.

1. Burst: `--voters` (5,000) active members, each with a login and a bearer token, cast one secret
   ballot each through `POST /api/t/{slug}/votes/{id}/ballot` against the real server (uvicorn,
   one worker, the non-owner role so row-level security applies), `--concurrency` (100) clients at
   once. Prints ballots/s, p50/p99 latency, then closes the vote through the API and proves that
   exactly `--voters` ballots are counted and that the published box verifies.
2. Close: `--big` (100,000) members who have all voted (loaded with COPY as the owner: who voted,
   and their ballots sealed in envelopes), then, in process, the close (open the envelopes, shuffle, hash chain,
   publish, tally) and the verification of the chain and the tally: seconds for each.

    .venv/bin/python bench/votes_burst.py                       # the figures
    .venv/bin/python bench/votes_burst.py --voters 500 --big 10000   # a quick look

Uses bench/member_list.py's database, loading and server helpers (database `solidaire_bench_votes`).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "solidaire_bench_votes")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import member_list as ml  # noqa: E402

from backend import db as project_db  # noqa: E402
from backend.auth import token_hash  # noqa: E402
from governance.meetings import rules  # noqa: E402

CATEGORIES = ["user", "worker", "supporting"]


async def load_tenant(connection, slug: str, count: int, *, logins: bool) -> tuple[uuid.UUID, list[uuid.UUID], list[str]]:
    """A tenant of `count` active members; with `logins`, each member has a login and a token."""
    tenant_id, now = uuid.uuid4(), dt.datetime.now(dt.UTC)
    await connection.execute(
        "INSERT INTO tenant (id, slug, name, kind, locale, timezone, currency, member_categories, share_price_cents, qualifying_shares, created_at) "
        "VALUES ($1, $2, $3, 'coop', 'fr_CA', 'America/Montreal', 'CAD', $4, 1000, 1, $5)",
        tenant_id, slug, f"Coop {slug}", '["user", "worker", "supporting"]', now,
    )
    records, users, roles, tokens, secrets_out = [], [], [], [], []
    for record in ml.member_records(random.Random(count), tenant_id, count, CATEGORIES, now):
        row = list(record)
        row[15], row[16] = "active", now.date()  # status, status_since
        row[17], row[18], row[19] = max(row[17], 1), min(row[18], max(row[17], 1)), row[19] or now.date()
        row[6] = None  # e-mail: not needed, and unique per tenant
        if logins:
            user_id, secret = uuid.uuid4(), secrets.token_urlsafe(24)
            row[3] = user_id
            users.append((user_id, f"voter{row[2]}@{slug}.bench", "Votant", "x", None, True, now))
            roles.append((tenant_id, uuid.uuid4(), user_id, "member"))
            tokens.append((tenant_id, uuid.uuid4(), user_id, "bench", token_hash(secret), now))
            secrets_out.append(secret)
        records.append(tuple(row))
    if logins:
        await connection.copy_records_to_table("app_user", records=users, columns=["id", "email", "full_name", "password_hash", "locale", "is_active", "created_at"])
    await connection.copy_records_to_table("member", records=records, columns=list(ml.MEMBER_COLUMNS))
    if logins:
        await connection.copy_records_to_table("tenant_role", records=roles, columns=["tenant_id", "id", "user_id", "role"])
        await connection.copy_records_to_table("api_token", records=tokens, columns=["tenant_id", "id", "user_id", "name", "token_hash", "created_at"])
    await connection.execute("INSERT INTO number_sequence (tenant_id, id, name, last_value) VALUES ($1, $2, 'member', $3)", tenant_id, uuid.uuid4(), count)
    return tenant_id, [r[1] for r in records], secrets_out


async def secretary_token(connection, tenant_id: uuid.UUID, slug: str) -> str:
    user_id, secret, now = uuid.uuid4(), secrets.token_urlsafe(24), dt.datetime.now(dt.UTC)
    await connection.execute("INSERT INTO app_user (id, email, full_name, password_hash, is_active, created_at) VALUES ($1, $2, 'Secrétaire', 'x', true, $3)", user_id, f"secretaire@{slug}.bench", now)
    await connection.execute("INSERT INTO tenant_role (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'secretary')", tenant_id, uuid.uuid4(), user_id)
    await connection.execute("INSERT INTO api_token (tenant_id, id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, 'bench', $4, $5)", tenant_id, uuid.uuid4(), user_id, token_hash(secret), now)
    return secret


async def ok(response: httpx.Response, status: int = 200) -> dict:
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.request.url}: {response.status_code} {response.text[:500]}")
    return response.json()


async def burst(voters: int, concurrency: int) -> None:
    connection = await asyncpg.connect(ml.OWNER_URL)
    try:
        slug = "bench-vote"
        tenant_id, _, tokens = await load_tenant(connection, slug, voters, logins=True)
        secretary = {"authorization": f"Bearer {await secretary_token(connection, tenant_id, slug)}"}
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    server = ml.Server(Path(tempfile.mkdtemp(prefix="votes-bench-")))
    server.start()
    try:
        await server.wait_healthy()
        # keepalive_expiry below the server's 5 s keep-alive timeout: a connection the server may be closing is never reused.
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2)
        async with httpx.AsyncClient(base_url=f"{server.url}/api/t/{slug}", limits=limits, timeout=120) as client:
            settings = await ok(await client.get("/governance/settings", headers=secretary))
            await ok(await client.put("/governance/settings", json={**settings, "presence_required": False}, headers=secretary))
            meeting = await ok(await client.post("/meetings", json={"kind": "special_general", "title": "Vote", "starts_at": "2031-03-10T19:00:00", "video_url": "https://visio.bench/v"}, headers=secretary), 201)
            await ok(await client.post(f"/meetings/{meeting['id']}/start", json={}, headers=secretary))
            await ok(await client.post(f"/meetings/{meeting['id']}/attendance", json={"member_number": 1}, headers=secretary))
            vote = await ok(await client.post(f"/meetings/{meeting['id']}/votes", json={"question": "Adopter?"}, headers=secretary), 201)
            started = time.perf_counter()
            opened = await ok(await client.post(f"/votes/{vote['id']}/open", json={}, headers=secretary))
            print(f"open (eligibility of {opened['eligible_count']} frozen): {time.perf_counter() - started:.2f} s")

            queue: asyncio.Queue = asyncio.Queue()
            for index, token in enumerate(tokens):
                queue.put_nowait((token, rules.CHOICES[index % 3]))
            latencies, failures = [], []

            async def worker() -> None:
                while not queue.empty():
                    token, choice = queue.get_nowait()
                    sent = time.perf_counter()
                    response = await client.post(f"/votes/{vote['id']}/ballot", json={"choice": choice}, headers={"authorization": f"Bearer {token}"})
                    latencies.append(time.perf_counter() - sent)
                    if response.status_code != 201:
                        failures.append(f"{response.status_code} {response.text[:200]}")

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
            latencies.sort()
            print(f"burst: {len(tokens)} ballots at {concurrency} clients in {elapsed:.1f} s: {len(tokens) / elapsed:.0f} ballots/s, "
                  f"p50 {1000 * latencies[len(latencies) // 2]:.0f} ms, p99 {1000 * latencies[int(len(latencies) * 0.99)]:.0f} ms, failures {len(failures)}")
            if failures:
                print("first failures:", failures[:3])
            started = time.perf_counter()
            closed = await ok(await client.post(f"/votes/{vote['id']}/close", json={}, headers=secretary))
            print(f"close over HTTP: {time.perf_counter() - started:.2f} s")
            box = await ok(await client.get(f"/votes/{vote['id']}/ballot-box", headers=secretary))
            faults = rules.verify_box(vote["id"], [rules.PublishedBallot(**b) for b in box["ballots"]], box["chain_head"], box["counts"])
            counted = sum(closed["counts"].values())
            print(f"counted: {counted} ballots ({closed['counts']}), voters recorded {closed['ballots']}, box {len(box['ballots'])}; verifies: {not faults}")
            if counted != voters or closed["ballots"] != voters or faults:
                raise SystemExit(f"expected exactly {voters} ballots counted and a box that verifies: {faults[:3]}")
    finally:
        server.stop()


async def big_close(count: int) -> None:
    from backend import sealing
    from governance.meetings.kinds import votes_for
    from governance.meetings.services import Meetings
    from governance.meetings.votes import seal_ballot
    from tenants.services import tenant_by_slug

    slug = "bench-big-vote"
    connection = await asyncpg.connect(ml.OWNER_URL)
    try:
        started = time.perf_counter()
        tenant_id, member_ids, _ = await load_tenant(connection, slug, count, logins=False)
        now = dt.datetime.now(dt.UTC)
        meeting_id, vote_id = uuid.uuid4(), uuid.uuid4()
        await connection.execute("INSERT INTO meeting (tenant_id, id, kind, title, starts_at, place, status, created_at) VALUES ($1, $2, 'annual_general', 'AGA', $3, 'Salle', 'in_session', $3)", tenant_id, meeting_id, now)
        await connection.execute(
            "INSERT INTO vote (tenant_id, id, meeting_id, question, secret, majority, status, eligible_count, opened_at, created_at) VALUES ($1, $2, $3, 'Adopter?', true, 'majority', 'open', $4, $5, $5)",
            tenant_id, vote_id, meeting_id, count, now,
        )
        await connection.copy_records_to_table("vote_eligibility", records=[(tenant_id, uuid.uuid4(), vote_id, m, "user") for m in member_ids], columns=["tenant_id", "id", "vote_id", "member_id", "category"])
        await connection.copy_records_to_table("vote_cast", records=[(tenant_id, uuid.uuid4(), vote_id, m) for m in member_ids], columns=["tenant_id", "id", "vote_id", "member_id"])
        rng = random.Random(1)
        sealing.configure(secrets.token_urlsafe(32))
        sealed = [(tenant_id, uuid.uuid4(), vote_id, seal_ballot(vote_id, rng.choice(rules.CHOICES), rules.receipt_hash(vote_id, secrets.token_hex(8)))) for _ in member_ids]
        await connection.copy_records_to_table("ballot_envelope", records=sealed, columns=["tenant_id", "id", "vote_id", "envelope"])
        await connection.execute("ANALYZE")
        print(f"loaded {count} members who voted in {time.perf_counter() - started:.1f} s")
    finally:
        await connection.close()
    engine = project_db.make_engine(ml.APP_URL)
    project_db.bind_tables(engine)
    await project_db.start(engine)
    try:
        tenant = await tenant_by_slug(slug)
        started = time.perf_counter()
        async with project_db.tenant_transaction(engine, tenant.id, write=True):
            closed = await votes_for(Meetings(tenant, None)).close(vote_id)
        close_seconds = time.perf_counter() - started
        started = time.perf_counter()
        async with project_db.tenant_transaction(engine, tenant.id, write=False):
            faults = await votes_for(Meetings(tenant, None)).verify(vote_id)
        verify_seconds = time.perf_counter() - started
    finally:
        await project_db.stop(engine)
    print(f"close + tally of {sum(closed['counts'].values())} ballots: {close_seconds:.1f} s; chain and tally verification: {verify_seconds:.1f} s; faults: {faults}")
    if faults or sum(closed["counts"].values()) != count:
        raise SystemExit("the large box does not verify")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    await ml.recreate_database(keep=False)
    await ml.migrate()
    try:
        await burst(args.voters, args.concurrency)
        await big_close(args.big)
    finally:
        if not args.keep:
            await ml.drop_database()


if __name__ == "__main__":
    asyncio.run(main())
