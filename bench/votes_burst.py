"""Votes on PostgreSQL: a burst of secret ballots over HTTP, then the close of a very large vote.

1. Burst: `--voters` (5,000) active members, each with a login and a bearer token, cast one secret
   ballot each through `POST /api/t/{slug}/votes/{id}/ballot` against the real server (uvicorn,
   `--workers` processes: 1 then 2 by default, on a new vote each round; the non-owner role so
   row-level security applies; QUEUE_IN_SERVER=0), `--concurrency` (100) clients at once. Prints
   ballots/s, p50/p99 latency and where the CPU went, then closes the vote through the API and
   proves that exactly `--voters` ballots are counted and that the published box verifies; last,
   the ratios to the minimal app and workers=2 / workers=1.
2. Close: `--big` (100,000) members who have all voted (loaded with COPY as the owner: who voted,
   and their ballots sealed in envelopes), then, in process, the close (open the envelopes, shuffle, hash chain,
   publish, tally) and the verification of the chain and the tally: seconds for each.

    .venv/bin/python bench/votes_burst.py                       # the figures
    .venv/bin/python bench/votes_burst.py --voters 500 --big 10000   # a quick look
    .venv/bin/python bench/votes_burst.py --workers 1,2 --skip-close # one process against two

Uses bench/member_list.py's database, loading and server helpers (database `solidaire_bench_votes`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "solidaire_bench_votes")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg  # noqa: E402
import lean_http  # noqa: E402
import member_list as ml  # noqa: E402
import msgspec  # noqa: E402

from backend import db as project_db  # noqa: E402
from backend import sealing  # noqa: E402
from backend.auth import token_hash  # noqa: E402
from backend.context import Context  # noqa: E402
from governance.meetings import rules  # noqa: E402
from governance.meetings.kinds import votes_for  # noqa: E402
from governance.meetings.services import Meetings  # noqa: E402
from governance.meetings.votes import seal_ballot  # noqa: E402
from tenants.services import tenant_by_slug  # noqa: E402

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


async def member_sessions(connection, tenant_id: uuid.UUID, count: int) -> list[str]:
    """Login sessions (the pages' cookie) of `count` of the tenant's voters."""
    now, secrets_out = dt.datetime.now(dt.UTC), []
    for (user_id,) in await connection.fetch("SELECT user_id FROM member WHERE tenant_id = $1 AND user_id IS NOT NULL ORDER BY number LIMIT $2", tenant_id, count):
        secret = secrets.token_urlsafe(32)
        await connection.execute("INSERT INTO login_session (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                                 uuid.uuid4(), user_id, token_hash(secret), now, now + dt.timedelta(hours=12))
        secrets_out.append(secret)
    return secrets_out


async def secretary_token(connection, tenant_id: uuid.UUID, slug: str) -> str:
    user_id, secret, now = uuid.uuid4(), secrets.token_urlsafe(24), dt.datetime.now(dt.UTC)
    await connection.execute("INSERT INTO app_user (id, email, full_name, password_hash, is_active, created_at) VALUES ($1, $2, 'Secrétaire', 'x', true, $3)", user_id, f"secretaire@{slug}.bench", now)
    await connection.execute("INSERT INTO tenant_role (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'secretary')", tenant_id, uuid.uuid4(), user_id)
    await connection.execute("INSERT INTO api_token (tenant_id, id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, 'bench', $4, $5)", tenant_id, uuid.uuid4(), user_id, token_hash(secret), now)
    return secret


class Target:
    """A server under test: the service (this checkout, or `--before`, a copy of another version)
    or the minimal app; its tenant of voters with their tokens."""

    def __init__(self, name: str, cwd: Path, app: list[str], var_dir: Path, slug: str) -> None:
        self.name, self.cwd, self.app, self.var_dir, self.slug = name, cwd, app, var_dir, slug
        self.server: ml.Server | None = None
        self.minimal = app[0].startswith("minimal_ballot_app")
        self.tokens: list[str] = []
        self.secretary: dict[str, str] = {}
        self.sessions: list[str] = []  # login sessions of a few voters (the member's meeting page)
        self.meeting_id = None
        self.results: dict[int, list[dict]] = {}  # by worker count
        self.counter: Path | None = None  # with --statements: where the server writes its count of statements (statement_counter/)
        self.side_results: dict[int, list[dict]] = {}  # the bursts with the meeting's other requests alongside

    def start(self, workers: int) -> None:
        """A server of `workers` processes (member_list's: same port choice, log, health check, stop)."""
        self.server = ml.Server(self.var_dir, workers)
        env = {"SECRET_KEY": BENCH_SECRET, "PYTHONPATH": str(self.cwd)}
        if self.counter is not None and workers == 1:
            env |= {"PYTHONPATH": f"{ROOT / 'bench' / 'statement_counter'}:{self.cwd}", "STATEMENT_COUNT_FILE": str(self.counter)}
        self.server.start(tuple(self.app), cwd=self.cwd, env=env)

    async def api(self, method: str, path: str, payload=None, status: int = 200):
        got, answer = await lean_http.call("127.0.0.1", self.server.port, method, f"/api/t/{self.slug}{path}", self.secretary, payload)
        if got != status:
            raise SystemExit(f"{self.name}: {method} {path}: {got} {str(answer)[:500]}")
        return answer

    async def prepare(self) -> None:
        """The meeting in session, once (for the service, through its API as the secretary); the
        servers of the next worker count open their votes in it."""
        if self.minimal or self.meeting_id is not None:
            return
        settings = await self.api("GET", "/governance/settings")
        await self.api("PUT", "/governance/settings", {**settings, "presence_required": False})
        meeting = await self.api("POST", "/meetings", {"kind": "special_general", "title": "Vote", "starts_at": "2031-03-10T19:00:00", "video_url": "https://visio.bench/v"}, 201)
        await self.api("POST", f"/meetings/{meeting['id']}/start", {})
        await self.api("POST", f"/meetings/{meeting['id']}/attendance", {"member_number": 1})
        self.meeting_id = meeting["id"]

    async def open_vote(self, tenant_id: uuid.UUID) -> str:
        if not self.minimal:
            vote = await self.api("POST", f"/meetings/{self.meeting_id}/votes", {"question": "Adopter?"}, 201)
            await self.api("POST", f"/votes/{vote['id']}/open", {})
            return vote["id"]
        connection = await asyncpg.connect(ml.OWNER_URL)
        try:
            now, meeting_id, vote_id = dt.datetime.now(dt.UTC), uuid.uuid4(), uuid.uuid4()
            await connection.execute("INSERT INTO meeting (tenant_id, id, kind, title, starts_at, place, status, created_at) VALUES ($1, $2, 'special_general', 'Vote', $3, 'Salle', 'in_session', $3)", tenant_id, meeting_id, now)
            await connection.execute("INSERT INTO vote (tenant_id, id, meeting_id, question, secret, majority, status, eligible_count, opened_at, created_at) "
                                     "VALUES ($1, $2, $3, 'Adopter?', true, 'majority', 'open', $4, $5, $5)", tenant_id, vote_id, meeting_id, len(self.tokens), now)
            await connection.execute("INSERT INTO vote_eligibility (tenant_id, id, vote_id, member_id, category) SELECT tenant_id, gen_random_uuid(), $2, id, category FROM member WHERE tenant_id = $1", tenant_id, vote_id)
        finally:
            await connection.close()
        return str(vote_id)

    async def check(self, vote_id: str, voters: int) -> str:
        """Exactly `voters` counted and a box that verifies (the minimal app: as many envelopes)."""
        if self.minimal:
            connection = await asyncpg.connect(ml.OWNER_URL)
            try:
                envelopes = await connection.fetchval("SELECT COUNT(*) FROM ballot_envelope WHERE vote_id = $1", uuid.UUID(vote_id))
            finally:
                await connection.close()
            if envelopes != voters:
                raise SystemExit(f"{self.name}: {envelopes} envelopes for {voters} voters")
            return f"{envelopes} envelopes"
        started = time.perf_counter()
        closed = await self.api("POST", f"/votes/{vote_id}/close", {})
        close_seconds = time.perf_counter() - started
        box = await self.api("GET", f"/votes/{vote_id}/ballot-box")
        faults = rules.verify_box(vote_id, [rules.PublishedBallot(**b) for b in box["ballots"]], box["chain_head"], box["counts"])
        counted = sum(closed["counts"].values())
        if counted != voters or closed["ballots"] != voters or len(box["ballots"]) != voters or faults:
            raise SystemExit(f"{self.name}: expected exactly {voters} ballots counted and a box that verifies: counted {counted}, {faults[:3]}")
        return f"{counted} counted, box verifies, close over HTTP {close_seconds:.2f} s"


BENCH_SECRET = secrets.token_urlsafe(32)


async def burst(voters: int, concurrency: int, rounds: int, before: Path | None, profile: Path | None = None, worker_counts: tuple[int, ...] = (1,),
                side: tuple[int, float] = (0, 0.0), statements: bool = False) -> None:
    """For each worker count, every target served by that many processes; each round, every target
    in turn (the order rotates): a new vote (its voters vote once in each), its burst, its check."""
    work = Path(tempfile.mkdtemp(prefix="votes-bench-"))
    targets = [Target("minimal app", ROOT / "bench", ["minimal_ballot_app:app"], work / "minimal", "bench-vote-min")]
    if before is not None:
        targets.append(Target("service before", before, ["solidaire.app:create_app", "--factory"], work / "before", "bench-vote-before"))
    targets.append(Target("service", ROOT, ["solidaire.app:create_app", "--factory"], work / "after", "bench-vote"))
    for target in targets:
        if statements and not target.minimal:
            target.counter = target.var_dir / "statements.txt"
    tenants = {}
    connection = await asyncpg.connect(ml.OWNER_URL)
    try:
        for target in targets:
            tenants[target.name], _, target.tokens = await load_tenant(connection, target.slug, voters, logins=True)
            target.secretary = {"authorization": f"Bearer {await secretary_token(connection, tenants[target.name], target.slug)}"}
            if not target.minimal:
                target.sessions = await member_sessions(connection, tenants[target.name], 4)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    for workers in worker_counts:
        # Every target's server holds the connections its pool grew to (20 a process) while the
        # others burst: when PostgreSQL has not that many free, one target at a time (no interleaving).
        free, needed = await free_connections(), len(targets) * POOL_PER_PROCESS * workers + 5
        groups = [targets] if needed <= free else [[target] for target in targets]
        if len(groups) > 1:
            print(f"-- {ml.plural(workers)}: {free} PostgreSQL connections free, the targets together may hold {needed}: "
                  "one target's server at a time, its rounds in a row", flush=True)
        for group in groups:
            await serve_rounds(group, tenants, workers, worker_counts, rounds, concurrency, profile, side)
    report(targets, voters, concurrency, rounds, worker_counts)
    shutil.rmtree(work, ignore_errors=True)  # the servers' logs (kept when a run fails)


POOL_PER_PROCESS = 20  # the largest pool of a server process: backend/db.py's and minimal_ballot_app.py's max_size


async def free_connections() -> int:
    """Connections PostgreSQL would still accept from a non-superuser (other databases' count too)."""
    connection = await asyncpg.connect(ml.ADMIN_URL)
    try:
        return await connection.fetchval(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int "
            "- (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")
    finally:
        await connection.close()


async def serve_rounds(targets: list[Target], tenants: dict, workers: int, worker_counts: tuple[int, ...], rounds: int, concurrency: int,
                       profile: Path | None, side: tuple[int, float] = (0, 0.0)) -> None:
    """The targets served by `workers` processes each; each round, every target in turn (the order rotates)."""
    try:
        for target in targets:
            target.start(workers)
        for target in targets:
            await target.server.wait_healthy()
            await target.prepare()
        print(f"-- {ml.plural(workers)} per target (QUEUE_IN_SERVER=0), serving processes: "
              + ", ".join(f"{target.name} {target.server.worker_pids()}" for target in targets), flush=True)
        for round_number in range(rounds):
            for target in targets[round_number % len(targets):] + targets[:round_number % len(targets)]:
                last = workers == worker_counts[0] and round_number == rounds - 1
                figures = await one_burst(target, tenants[target.name], concurrency, profile if last and target.name == "service" else None)
                target.results.setdefault(workers, []).append(figures)
                voters = len(target.tokens)
                print(f"round {round_number + 1} {target.name:>14}, {ml.plural(workers)}: {figures['rate']:5.0f} ballots/s, p50 {figures['p50']:5.0f} ms, "
                      f"p99 {figures['p99']:5.0f} ms; CPU s: client {figures['client']:.1f}, server {figures['server']:.1f} "
                      f"({1000 * figures['server'] / voters:.2f} ms/ballot; by process {figures['split']}), postgres {figures['postgres']:.1f}, "
                      f"other {figures['other']:.1f}, idle {figures['idle']:.1f} (of {os.cpu_count()} cores x {figures['wall']:.1f} s); "
                      f"{figures['backends']} PostgreSQL backends; failures {figures['failures']}", flush=True)
                print(f"   {figures['check']}", flush=True)
        if workers == 1:
            for target in targets:
                if target.counter is not None:
                    counted = await count_statements(target, tenants[target.name])
                    print(f"per request, {target.name} (one after the other, {STATEMENT_PROBE} of each): "
                          + "; ".join(f"{kind}: {text}" for kind, text in counted.items()), flush=True)
        if side[0]:  # one more burst of the services, with the other requests of a meeting in session alongside
            for target in targets:
                if not target.minimal:
                    figures = await one_burst(target, tenants[target.name], concurrency, None, side)
                    target.side_results.setdefault(workers, []).append(figures)
                    print(f"with others {target.name:>14}, {ml.plural(workers)}: {figures['rate']:5.0f} ballots/s, p50 {figures['p50']:5.0f} ms, "
                          f"p99 {figures['p99']:5.0f} ms; other CPU {figures['other']:.1f} s, idle {figures['idle']:.1f} s; failures {figures['failures']}; "
                          f"alongside ({side[0]} client(s) each, {1000 * side[1]:.0f} ms between requests): {side_text(figures['side'])}", flush=True)
                    print(f"   {figures['check']}", flush=True)
        for target in targets:
            if restarts := target.server.restarts():
                print(f"   WARNING: uvicorn restarted a process of {target.name}: {' | '.join(restarts[:3])}")
    finally:
        for target in targets:
            target.server.stop()


SIDE_KINDS = ("check-in", "projector", "member page")
STATEMENT_PROBE = 50


async def count_statements(target: Target, tenant_id: uuid.UUID) -> dict[str, str]:
    """The SQL statements the service's one process sends per request (BEGIN and COMMIT included),
    its CPU per request and the latency of a request alone, for a ballot and each of SIDE_KINDS:
    STATEMENT_PROBE requests of a kind one after the other, the server's count
    (statement_counter/sitecustomize.py) and CPU time read before and after."""

    async def count() -> int:
        target.counter.unlink(missing_ok=True)
        os.kill(target.server.process.pid, signal.SIGUSR1)
        for _ in range(500):
            if target.counter.exists() and (text := target.counter.read_text()):
                return int(text)
            await asyncio.sleep(0.01)
        raise SystemExit(f"{target.name}: the server wrote no count of statements")

    vote_id, host = await target.open_vote(tenant_id), f"127.0.0.1:{target.server.port}"
    kinds = {"ballot": [lean_http.request_bytes("POST", host, f"/api/t/{target.slug}/votes/{vote_id}/ballot",
                                                {"authorization": f"Bearer {token}", "content-type": "application/json"}, b'{"choice": "yes"}')
                        for token in target.tokens[:STATEMENT_PROBE]]}
    kinds |= {kind: [side_requests(target, host, kind, index) for index in range(STATEMENT_PROBE)] for kind in SIDE_KINDS}
    connection, counted = lean_http.Connection("127.0.0.1", target.server.port), {}
    try:
        for kind, requests in kinds.items():
            before, cpu, latencies = await count(), ml._proc_cpu(target.server.process.pid), []
            for data in requests:
                sent = time.perf_counter()
                status, body = await connection.send(data)
                latencies.append(time.perf_counter() - sent)
                if status not in (200, 201):
                    raise SystemExit(f"{target.name}: {kind}: {status} {body[:300]!r}")
            statements = (await count() - before) / len(requests)
            cpu = 1000 * (ml._proc_cpu(target.server.process.pid) - cpu) / len(requests)
            counted[kind] = f"{statements:.1f} statements, server CPU {cpu:.1f} ms, alone p50 {percentile(sorted(latencies), 0.5):.1f} ms"
    finally:
        connection.close()
    await target.api("POST", f"/votes/{vote_id}/close", {})
    return counted


def side_requests(target: Target, host: str, kind: str, index: int) -> bytes:
    """The `index`-th request of one of the meeting's other requests: the secretary checking a member
    in by number (POST .../attendance), the projector's live JSON (GET .../live, as the secretary),
    a member's meeting page (GET /t/{slug}/meetings/{id}, by session cookie)."""
    meeting = f"/api/t/{target.slug}/meetings/{target.meeting_id}"
    if kind == "check-in":
        return lean_http.request_bytes("POST", host, f"{meeting}/attendance", {**target.secretary, "content-type": "application/json"},
                                       msgspec.json.encode({"member_number": 1 + index % len(target.tokens), "present": True}))
    if kind == "projector":
        return lean_http.request_bytes("GET", host, f"{meeting}/live", target.secretary)
    cookie = target.sessions[index % len(target.sessions)]
    return lean_http.request_bytes("GET", host, f"/t/{target.slug}/meetings/{target.meeting_id}", {"cookie": f"solidaire_session={cookie}"})


async def side_load(target: Target, clients: int, pause: float, done: asyncio.Event) -> dict[str, dict]:
    """`clients` clients of each kind of SIDE_KINDS, each sending its requests one after the other
    (`pause` seconds between two) until `done`; latencies (seconds, sorted) and failures by kind."""
    host, port = "127.0.0.1", target.server.port
    found = {kind: {"latencies": [], "failures": []} for kind in SIDE_KINDS}

    async def client(kind: str, number: int) -> None:
        await asyncio.sleep(pause * number / clients)  # spread over the pause
        connection, index = lean_http.Connection(host, port), number
        try:
            while not done.is_set():
                sent = time.perf_counter()
                status, body = await connection.send(side_requests(target, f"{host}:{port}", kind, index))
                found[kind]["latencies"].append(time.perf_counter() - sent)
                if status != 200:
                    found[kind]["failures"].append(f"{status} {body[:200]!r}")
                index += clients
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), pause)
        finally:
            connection.close()

    await asyncio.gather(*(client(kind, number) for kind in SIDE_KINDS for number in range(clients)))
    for figures in found.values():
        figures["latencies"].sort()
    return found


def percentile(latencies: list[float], share: float) -> float:
    return 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * share))] if latencies else float("nan")


def side_text(side: dict[str, dict]) -> str:
    return "; ".join(f"{kind} n={len(f['latencies'])} p50 {percentile(f['latencies'], 0.5):.0f} ms p99 {percentile(f['latencies'], 0.99):.0f} ms"
                     f"{' (<100 ms)' if percentile(f['latencies'], 0.99) < 100 else ' (NOT < 100 ms)'}"
                     + (f", failures {len(f['failures'])}: {f['failures'][:1]}" if f["failures"] else "") for kind, f in side.items())


async def one_burst(target: Target, tenant_id: uuid.UUID, concurrency: int, profile: Path | None, side: tuple[int, float] = (0, 0.0)) -> dict:
    """A new vote, one ballot per voter at `concurrency` clients (with `side`, (clients, pause), the
    meeting's other requests alongside: side_load), then the check of what was counted."""
    vote_id = await target.open_vote(tenant_id)
    host = f"127.0.0.1:{target.server.port}"
    requests = [
        lean_http.request_bytes("POST", host, f"/api/t/{target.slug}/votes/{vote_id}/ballot",
                                {"authorization": f"Bearer {token}", "content-type": "application/json"},
                                msgspec.json.encode({"choice": rules.CHOICES[index % 3]}))
        for index, token in enumerate(target.tokens)
    ]
    spy = None
    if profile is not None:  # --subprocesses: the workers of uvicorn's supervisor as well
        spy = subprocess.Popen(["py-spy", "record", "--pid", str(target.server.process.pid), "--subprocesses", "--rate", "200",
                                "--format", "flamegraph" if profile.suffix == ".svg" else "raw", "--output", str(profile)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        await asyncio.sleep(1)  # py-spy attached
    serving = target.server.worker_pids()
    before_cpu = ml.cpu_snapshot(target.server.process.pid)
    done = asyncio.Event()
    alongside = asyncio.ensure_future(side_load(target, side[0], side[1], done)) if side[0] else None
    result = await lean_http.burst("127.0.0.1", target.server.port, requests, concurrency)
    done.set()
    side_figures = await alongside if alongside is not None else None
    after_cpu = ml.cpu_snapshot(target.server.process.pid)
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        spy.wait()
        print(f"   profile of the server during this burst: {profile}")
    if target.server.worker_pids() != serving:
        print(f"   WARNING: the serving processes changed during the burst ({serving} -> {target.server.worker_pids()})")
    wall = after_cpu["wall"] - before_cpu["wall"]
    cores = ml.cpu_delta(before_cpu, after_cpu)
    latencies = result["latencies"]
    if result["failures"]:
        print("   first failures:", result["failures"][:3])
        logged = Counter(line.split('"exc_info": ', 1)[1][:160] for line in target.server.log.read_text(errors="replace").splitlines() if '"exc_info": ' in line)
        print("   the server logged:", "; ".join(f"{count} x {error}" for error, count in logged.most_common(3)))
    return {
        "rate": len(requests) / result["elapsed"], "p50": 1000 * latencies[len(latencies) // 2], "p99": 1000 * latencies[int(len(latencies) * 0.99)],
        "wall": wall, "client": cores["load generator"] * wall, "server": cores["server"] * wall, "postgres": cores["postgres"] * wall, "other": cores["other"] * wall,
        "idle": cores["idle"] * wall, "backends": len(after_cpu["postgres"]), "failures": len(result["failures"]), "split": ml.split_text({pid: c * wall for pid, c in ml.server_split(before_cpu, after_cpu).items()}),
        "side": side_figures, "check": await target.check(vote_id, len(requests)),
    }


def report(targets: list[Target], voters: int, concurrency: int, rounds: int, worker_counts: tuple[int, ...]) -> None:
    """The best round of each target at each worker count, its ratios to the minimal app at the same
    count, then each count against the first (the figure: workers=2 / workers=1)."""
    print(f"\n{voters} ballots at {concurrency} clients, best of {rounds} rounds (by ballots/s; the p99 of that round):")
    best = {(target.name, workers): max(target.results[workers], key=lambda r: r["rate"]) for workers in worker_counts for target in targets}
    for (name, workers), figures in best.items():
        baseline = best["minimal app", workers]
        print(f"  {name:>14}, {ml.plural(workers)}: {figures['rate']:5.0f} ballots/s, p50 {figures['p50']:5.0f} ms, p99 {figures['p99']:5.0f} ms, "
              f"CPU ms/ballot: server {1000 * figures['server'] / voters:.2f}, postgres {1000 * figures['postgres'] / voters:.2f}, "
              f"client {1000 * figures['client'] / voters:.2f}, other {1000 * figures['other'] / voters:.2f}; cores busy "
              f"{(figures['server'] + figures['postgres'] + figures['client'] + figures['other']) / figures['wall']:.2f} of {os.cpu_count()}; "
              f"x minimal: rate {figures['rate'] / baseline['rate']:.2f}, p99 {figures['p99'] / baseline['p99']:.2f}")
    for workers in worker_counts:
        for target in targets:
            for figures in target.side_results.get(workers, []):
                print(f"  {target.name:>14}, {ml.plural(workers)}, the meeting's other requests during a burst ({figures['rate']:.0f} ballots/s, "
                      f"p99 {figures['p99']:.0f} ms): {side_text(figures['side'])}")
    first = worker_counts[0]
    for workers in worker_counts[1:]:
        for target in targets:
            one, many = best[target.name, first], best[target.name, workers]
            print(f"  {target.name:>14}: workers={workers} / workers={first}: rate x{many['rate'] / one['rate']:.2f}, p50 x{many['p50'] / one['p50']:.2f}, "
                  f"p99 x{many['p99'] / one['p99']:.2f}; server CPU per ballot x{many['server'] / one['server']:.2f}, "
                  f"postgres CPU per ballot x{many['postgres'] / one['postgres']:.2f}")


async def load_voted(connection, tenant_id: uuid.UUID, member_ids: list[uuid.UUID], now: dt.datetime) -> tuple[uuid.UUID, list[tuple]]:
    """An open vote which every member has voted in (loaded as the owner with COPY), and its sealed
    envelopes, loaded by load_envelopes just before the vote's close: the close rewrites the
    envelopes of the votes still open (destroy_ballot_envelopes), and a second vote of 100,000
    open at the same time is the benchmark's, not a meeting's."""
    meeting_id, vote_id = uuid.uuid4(), uuid.uuid4()
    await connection.execute("INSERT INTO meeting (tenant_id, id, kind, title, starts_at, place, status, created_at) VALUES ($1, $2, 'annual_general', 'AGA', $3, 'Salle', 'in_session', $3)", tenant_id, meeting_id, now)
    await connection.execute(
        "INSERT INTO vote (tenant_id, id, meeting_id, question, secret, majority, status, eligible_count, opened_at, created_at) VALUES ($1, $2, $3, 'Adopter?', true, 'majority', 'open', $4, $5, $5)",
        tenant_id, vote_id, meeting_id, len(member_ids), now,
    )
    await connection.copy_records_to_table("vote_eligibility", records=[(tenant_id, uuid.uuid4(), vote_id, m, "user") for m in member_ids], columns=["tenant_id", "id", "vote_id", "member_id", "category"])
    await connection.copy_records_to_table("vote_cast", records=[(tenant_id, uuid.uuid4(), vote_id, m) for m in member_ids], columns=["tenant_id", "id", "vote_id", "member_id"])
    rng = random.Random(1)
    sealed = [(tenant_id, uuid.uuid4(), vote_id, seal_ballot(vote_id, rng.choice(rules.CHOICES), rules.receipt_hash(vote_id, secrets.token_hex(8)))) for _ in member_ids]
    return vote_id, sealed


async def load_envelopes(sealed: list[tuple]) -> None:
    connection = await asyncpg.connect(ml.OWNER_URL)
    try:
        await connection.copy_records_to_table("ballot_envelope", records=sealed, columns=["tenant_id", "id", "vote_id", "envelope"])
        await connection.execute("ANALYZE ballot_envelope")
    finally:
        await connection.close()


async def minimal_close(tenant_id: uuid.UUID, vote_id: uuid.UUID) -> tuple[float, float, int]:
    """The floor for the close: the same steps with asyncpg and plain tuples, as solidaire_app
    under row-level security, in one transaction (fetch the envelopes, open them, shuffle, chain,
    insert the box with one INSERT ... SELECT unnest(...), destroy the envelopes as the service does,
    record the tally),
    then the verification (fetch the box in order, rechain, recount)."""
    connection = await asyncpg.connect(ml.APP_URL)
    try:
        started = time.perf_counter()
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            await connection.execute("UPDATE vote SET status = 'closed', closed_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'open'", tenant_id, vote_id)
            purpose = f"ballot:{vote_id}"
            ballots = [tuple(json.loads(sealing.unseal(purpose, row[0]))) for row in await connection.fetch("SELECT envelope FROM ballot_envelope WHERE tenant_id = $1 AND vote_id = $2", tenant_id, vote_id)]
            random.SystemRandom().shuffle(ballots)
            previous, positions, choices, receipts, chain = rules.chain_start(vote_id), [], [], [], []
            for position, (choice, receipt) in enumerate(ballots, start=1):
                previous = hashlib.sha256(f"{previous}|{position}|{choice}|{receipt}".encode()).hexdigest()
                positions.append(position), choices.append(choice), receipts.append(receipt), chain.append(previous)
            await connection.execute(
                "INSERT INTO ballot (tenant_id, id, vote_id, position, choice, receipt_hash, chain_hash) SELECT $1, gen_random_uuid(), $2, "
                "unnest($3::integer[]), unnest($4::text[]), unnest($5::text[]), unnest($6::text[])", tenant_id, vote_id, positions, choices, receipts, chain)
            await connection.execute("SELECT destroy_ballot_envelopes($1)", vote_id)
            counts = Counter(choices)
            await connection.execute("UPDATE vote SET counts = $3, votes_cast = $4, chain_head = $5 WHERE tenant_id = $1 AND id = $2", tenant_id, vote_id, json.dumps(counts), len(choices), previous)
        close_seconds = time.perf_counter() - started
        started = time.perf_counter()
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            head = await connection.fetchval("SELECT chain_head FROM vote WHERE tenant_id = $1 AND id = $2", tenant_id, vote_id)
            computed, recount = rules.chain_start(vote_id), Counter()
            for position, choice, receipt, chained in await connection.fetch("SELECT position, choice, receipt_hash, chain_hash FROM ballot WHERE tenant_id = $1 AND vote_id = $2 ORDER BY position", tenant_id, vote_id):
                computed = hashlib.sha256(f"{computed}|{position}|{choice}|{receipt}".encode()).hexdigest()
                recount[choice] += 1
                if computed != chained:
                    raise SystemExit(f"minimal pipeline: the chain breaks at {position}")
            if computed != head or recount != counts:
                raise SystemExit("minimal pipeline: the box does not verify")
        return close_seconds, time.perf_counter() - started, sum(recount.values())
    finally:
        await connection.close()


async def big_close(count: int, rounds: int = 1) -> None:
    slug = "bench-big-vote"
    sealing.configure(secrets.token_urlsafe(32))
    connection = await asyncpg.connect(ml.OWNER_URL)
    try:
        started = time.perf_counter()
        tenant_id, member_ids, _ = await load_tenant(connection, slug, count, logins=False)
        now = dt.datetime.now(dt.UTC)
        votes = [(await load_voted(connection, tenant_id, member_ids, now), await load_voted(connection, tenant_id, member_ids, now)) for _ in range(rounds)]
        await connection.execute("ANALYZE")
        print(f"loaded {count} members who voted in {2 * rounds} votes in {time.perf_counter() - started:.1f} s")
    finally:
        await connection.close()
    engine = project_db.make_engine(ml.APP_URL)
    project_db.bind_tables(engine)
    await project_db.start(engine)
    try:
        tenant = await tenant_by_slug(slug)
        for round_number, ((service_vote, service_sealed), (minimal_vote, minimal_sealed)) in enumerate(votes, start=1):
            await load_envelopes(service_sealed)
            started = time.perf_counter()
            async with project_db.tenant_transaction(engine, tenant.id, write=True):
                closed = await votes_for(Meetings(Context(tenant))).close(service_vote)
            close_seconds = time.perf_counter() - started
            started = time.perf_counter()
            async with project_db.tenant_transaction(engine, tenant.id, write=False):
                faults = await votes_for(Meetings(Context(tenant))).verify(service_vote)
            verify_seconds = time.perf_counter() - started
            counted = sum(closed["counts"].values())
            if faults or counted != count:
                raise SystemExit(f"the large box does not verify: {counted} counted, {faults}")
            await load_envelopes(minimal_sealed)
            floor_close, floor_verify, floor_counted = await minimal_close(tenant.id, minimal_vote)
            print(f"round {round_number}: close + shuffle + chain + tally of {counted} ballots: {close_seconds:.2f} s (minimal pipeline {floor_close:.2f} s: "
                  f"x {close_seconds / floor_close:.2f}); verification {verify_seconds:.2f} s (minimal {floor_verify:.2f} s: x {verify_seconds / floor_verify:.2f}); "
                  f"faults: {faults}; minimal counted {floor_counted}", flush=True)
    finally:
        await project_db.stop(engine)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="Bursts per target, interleaved.")
    parser.add_argument("--before", type=Path, help="A copy of another version (git archive HEAD | tar -x -C DIR), served as well.")
    parser.add_argument("--profile", type=Path, help="py-spy's profile of the service during its last burst (.svg flame graph, .txt collapsed stacks); needs the bench extra.")
    parser.add_argument("--close-rounds", type=int, default=1, help="Closes of --big ballots, each with its minimal pipeline.")
    parser.add_argument("--side-clients", type=int, default=2, help="After the rounds, one more burst of the service with this many clients of each of "
                        "the meeting's other requests alongside (check-in, the projector's live JSON, the member's meeting page); 0: none.")
    parser.add_argument("--side-pause", type=float, default=0.05, help="Seconds between two requests of one of those clients.")
    parser.add_argument("--statements", action="store_true", help="With one worker, count the SQL statements per ballot and per other request "
                        "of the meeting (bench/statement_counter/ on the service's PYTHONPATH).")
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-close", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--workers", type=ml.worker_counts, default=[1, 2], metavar="N[,M...]",
                        help="Server processes of every target (uvicorn --workers), each count in turn against the same data, "
                             "on a new vote each round; compared to the first (default 1,2).")
    args = parser.parse_args()
    await ml.recreate_database(keep=False)
    await ml.migrate()
    try:
        if not args.skip_burst:
            await burst(args.voters, args.concurrency, args.rounds, args.before, args.profile, tuple(args.workers), (args.side_clients, args.side_pause),
                        args.statements)
        if not args.skip_close:
            await big_close(args.big, args.close_rounds)
    finally:
        if not args.keep:
            await ml.drop_database()


if __name__ == "__main__":
    asyncio.run(main())
