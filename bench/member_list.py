"""Member list page and API under load, against the same query run directly through asyncpg.

The figure: with 50,000 members in one tenant and 1,000 other tenants in the same PostgreSQL,
20 concurrent clients list the register 50 per page with filters (category, status, substring
search, pages 1..50) through

  1. the JSON API   GET /api/t/{slug}/members?...   (Authorization: Bearer <token>)
  2. the page       GET /t/{slug}/members?...       (cookie solidaire_session=<secret>)
  3. asyncpg direct the same COUNT(*) and SELECT ... LIMIT 50 OFFSET ..., as solidaire_app in a
                    transaction with set_config('app.tenant_id', ..., true) (so RLS applies)

and prints requests/s, p50 and p99 latency of each, then service / direct ratios.

The server is the real one: uvicorn `solidaire.app:create_app --factory --workers N`, connected as
the non-owner role solidaire_app, QUEUE_IN_SERVER=0. With `--workers 1,2` (the default) the API and
the page are measured with one process, then with two, against the same data (direct once), and
the ratios workers=2 / workers=1 printed. Run from the repository root:

    .venv/bin/python bench/member_list.py [--members 50000] [--tenants 1000]
        [--duration 15] [--warmup 3] [--concurrency 20] [--workers 1,2] [--keep]

See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from backend import db as project_db  # noqa: E402
from backend.auth import hash_password, token_hash  # noqa: E402
from governance.members import rules  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DATABASE", "solidaire_bench")
APP_ROLE = "solidaire_app"
BIG_SLUG = "bench-grande-coop"
BENCH_EMAIL = "secretaire@bench.test"
BENCH_TOKEN_NAME = "bench"


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def with_user(url: str, user: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[-1]}"


OWNER_URL = with_database(ADMIN_URL, DB_NAME)
APP_URL = with_user(OWNER_URL, APP_ROLE)


# --- data --------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Marie", "Jean", "Louise", "Pierre", "Ève", "Luc", "Anne-Marie", "François", "Geneviève", "Mathieu",
    "Isabelle", "Sébastien", "Chantal", "Éric", "Mélanie", "Stéphane", "Julie", "Martin", "Nathalie", "Alexandre",
    "Catherine", "Jérôme", "Émilie", "Philippe", "Sophie", "Olivier", "Valérie", "Benoît", "Josée", "Gabriel",
    "Chloé", "Félix", "Léa", "Samuel", "Rosalie", "Thomas", "Maïté", "Antoine", "Noémie", "Zacharie",
    "Hélène", "Réjean", "Ginette", "Gaétan", "Lise", "Normand", "Francine", "Denis", "Sylvie", "Michel",
    "Marie-Ève", "Jean-François", "Marc-André", "Andrée-Anne", "Frédérique", "Océane", "Élodie", "Maxime", "Jacinthe", "Raphaël",
    "Amina", "Mohamed", "Fatou", "Linh", "Carlos", "Daniela", "Kwame", "Mei", "Yasmine", "Dimitri",
]
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher",
    "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin",
    "Thibault", "St-Pierre", "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier",
    "Richard", "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance", "Parent", "Blais", "Gosselin",
    "Savard", "Proulx", "Beaudoin", "Demers", "Perron", "Boudreau", "Mercier", "Vachon", "Dufour", "Lemieux",
    "Rousseau", "Plante", "Charbonneau", "Tessier", "Boivin", "Fréchette", "Labbé", "Marcoux", "Dion", "Paré",
    "Vaillancourt", "Langlois", "Deschênes", "Brisson", "Trudel", "Lalonde", "Larouche", "Thériault", "Gingras", "Lacroix",
    "Desrosiers", "Champagne", "Chabot", "Jacques", "Allard", "Cyr", "Racine", "Ouimet", "Bélisle", "Saint-Onge",
    "Côté-Gagnon", "Nguyen", "Diallo", "Joseph", "Haddad", "Singh", "Pierre-Louis", "Gonzalez", "Wong", "Abdallah",
]
CITIES = [
    ("Shawinigan", "G9N"), ("Trois-Rivières", "G8T"), ("Québec", "G1R"), ("Montréal", "H2X"), ("Sherbrooke", "J1H"),
    ("Rimouski", "G5L"), ("Saguenay", "G7H"), ("Gatineau", "J8X"), ("Drummondville", "J2B"), ("Victoriaville", "G6P"),
    ("Lévis", "G6V"), ("Joliette", "J6E"), ("Rouyn-Noranda", "J9X"), ("Baie-Comeau", "G4Z"), ("Gaspé", "G4X"),
]
STREETS = ["rue Principale", "avenue de la Station", "boulevard des Hêtres", "rue Saint-Jacques", "chemin du Lac",
           "rue Notre-Dame", "avenue Royale", "rue des Érables", "rang Saint-Joseph", "boulevard Laurier"]
CATEGORIES = (("user", 70), ("worker", 10), ("supporting", 20))
STATUSES = (("active", 74), ("applicant", 3), ("suspended", 4), ("resigned", 15), ("excluded", 1), ("deceased", 3))
MEMBER_COLUMNS = (
    "tenant_id", "id", "number", "user_id", "first_name", "last_name", "email", "phone", "street", "city", "region",
    "postal_code", "country", "language", "category", "status", "status_since", "shares_subscribed", "shares_paid",
    "admitted_on", "admission_resolution", "consent_contact", "consent_publish_name", "consent_photos",
    "consent_research", "search_text", "created_at", "updated_at",
)
# Zipf-like: a few surnames are very common (Tremblay, Gagnon...), most are rare.
LAST_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(LAST_NAMES))]


async def password_hash() -> str:
    """A real hash of a random password (nobody signs in with it; the bench uses a session and a token)."""
    return await hash_password(secrets.token_urlsafe(16))


def _ascii(text: str) -> str:
    return rules.search_key(text).replace(" ", "").replace("'", "")


def member_records(rnd: random.Random, tenant_id: uuid.UUID, count: int, categories: list[str], now: dt.datetime):
    weights = dict(CATEGORIES)
    category_weights = [weights[c] for c in categories]
    status_names, status_weights = zip(*STATUSES, strict=True)
    lasts = rnd.choices(LAST_NAMES, weights=LAST_WEIGHTS, k=count)
    firsts = rnd.choices(FIRST_NAMES, k=count)
    cats = rnd.choices(categories, weights=category_weights, k=count)
    stats = rnd.choices(status_names, weights=status_weights, k=count)
    today = now.date()
    for index in range(count):
        number = index + 1
        first, last, category, status = firsts[index], lasts[index], cats[index], stats[index]
        email = f"{_ascii(first)}.{_ascii(last)}.{number}@exemple.ca" if rnd.random() < 0.88 else None
        phone = f"819-{rnd.randint(200, 999)}-{rnd.randint(0, 9999):04d}" if rnd.random() < 0.6 else None
        city, prefix = rnd.choice(CITIES)
        postal = f"{prefix} {rnd.randint(1, 9)}{rnd.choice('ABCEGHJKLMNPRSTVXY')}{rnd.randint(1, 9)}"
        admitted = None if status == "applicant" else today - dt.timedelta(days=rnd.randint(30, 365 * 25))
        status_since = today - dt.timedelta(days=rnd.randint(0, 29)) if admitted is None else (
            admitted if status == "active" else admitted + dt.timedelta(days=rnd.randint(0, max(0, (today - admitted).days)))
        )
        subscribed = rnd.choice((1, 1, 1, 2, 3, 5, 10)) if status != "applicant" else rnd.choice((0, 1))
        paid = subscribed if rnd.random() < 0.9 else rnd.randint(0, subscribed)
        created = dt.datetime.combine(admitted or status_since, dt.time(12), tzinfo=dt.UTC)
        yield (
            tenant_id, uuid.uuid4(), number, None, first, last, email, phone,
            f"{rnd.randint(1, 9999)}, {rnd.choice(STREETS)}", city, "QC", postal, "CA",
            "fr_CA" if rnd.random() < 0.85 else "en_CA", category, status, status_since, subscribed, paid, admitted,
            f"CA-{admitted.year}-{rnd.randint(1, 12):02d}" if admitted and rnd.random() < 0.7 else None,
            rnd.random() < 0.8, rnd.random() < 0.5, rnd.random() < 0.4, rnd.random() < 0.3,
            rules.search_key(first, last, email, number), created, now,
        )


async def recreate_database(keep: bool) -> bool:
    """Creates the bench database (dropping an old one unless --keep finds it); True if it is new."""
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DB_NAME)
        if exists and keep:
            return False
        if exists:
            await drop_database(admin)
        await admin.execute(f'CREATE DATABASE "{DB_NAME}"')
        return True
    finally:
        await admin.close()


async def drop_database(admin: asyncpg.Connection | None = None) -> None:
    own = admin is None
    admin = admin or await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", DB_NAME)
        await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    finally:
        if own:
            await admin.close()


async def migrate() -> list[str]:
    """The project's own migrations, as the tables' owner (postgres), exactly as `solidaire migrate`."""
    engine = project_db.make_engine(OWNER_URL)
    return await project_db.migrate(engine, app_role=APP_ROLE)


async def load_data(members: int, tenants: int, per_tenant: int, seed: int = 20260) -> dict:
    """Bulk load with COPY as the owner. Returns counts."""
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    connection = await asyncpg.connect(OWNER_URL)
    try:
        tenant_rows, sequence_rows, user_rows, role_rows = [], [], [], []
        big_id = uuid.uuid4()
        categories_all = ["user", "worker", "supporting"]
        plan = [(big_id, BIG_SLUG, "Grande coopérative de solidarité (banc d'essai)", categories_all, members)]
        shared_hash = await password_hash()  # one hash for every filler login
        for index in range(1, tenants + 1):
            categories = rnd.choice((categories_all, ["user", "worker"], ["user", "supporting"], ["worker", "supporting"]))
            plan.append((uuid.uuid4(), f"coop-{index:04d}", f"Coopérative no {index}", categories, per_tenant))
        for tenant_id, slug, name, categories, count in plan:
            tenant_rows.append((tenant_id, slug, name, "coop", "fr_CA", "America/Montreal", "CAD", json.dumps(categories), 1000, 1, now))
            sequence_rows.append((tenant_id, uuid.uuid4(), "member", count))
            if slug != BIG_SLUG:  # an administrator per filler tenant: tenant_role and app_user are not trivially small
                user_id = uuid.uuid4()
                user_rows.append((user_id, f"admin@{slug}.test", f"Administration {slug}", shared_hash, None, True, now))
                role_rows.append((tenant_id, uuid.uuid4(), user_id, "administrator"))
        await connection.copy_records_to_table(
            "tenant", records=tenant_rows,
            columns=["id", "slug", "name", "kind", "locale", "timezone", "currency", "member_categories", "share_price_cents", "qualifying_shares", "created_at"],
        )
        await connection.copy_records_to_table("number_sequence", records=sequence_rows, columns=["tenant_id", "id", "name", "last_value"])
        await connection.copy_records_to_table("app_user", records=user_rows, columns=["id", "email", "full_name", "password_hash", "locale", "is_active", "created_at"])
        await connection.copy_records_to_table("tenant_role", records=role_rows, columns=["tenant_id", "id", "user_id", "role"])
        total = 0
        for tenant_id, _slug, _name, categories, count in plan:
            records = list(member_records(rnd, tenant_id, count, categories, now))
            await connection.copy_records_to_table("member", records=records, columns=list(MEMBER_COLUMNS))
            total += len(records)
        return {"tenants": len(plan), "members": total, "big_tenant_id": big_id}
    finally:
        await connection.close()


@dataclass
class Credentials:
    tenant_id: uuid.UUID
    slug: str
    token: str
    session: str


async def fresh_credentials() -> Credentials:
    """A secretary of the big tenant with a new API token and login session (old bench ones removed)."""
    connection = await asyncpg.connect(OWNER_URL)
    try:
        tenant_id = await connection.fetchval("SELECT id FROM tenant WHERE slug = $1", BIG_SLUG)
        if tenant_id is None:
            raise SystemExit(f"the bench database has no tenant {BIG_SLUG}: run without --keep to reload it")
        now = dt.datetime.now(dt.UTC)
        async with connection.transaction():
            user_id = await connection.fetchval("SELECT id FROM app_user WHERE email = $1", BENCH_EMAIL)
            if user_id is None:
                user_id = uuid.uuid4()
                await connection.execute(
                    "INSERT INTO app_user (id, email, full_name, password_hash, locale, is_active, created_at) VALUES ($1, $2, $3, $4, NULL, true, $5)",
                    user_id, BENCH_EMAIL, "Secrétaire du banc d'essai", await password_hash(), now,
                )
                await connection.execute(
                    "INSERT INTO tenant_role (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'secretary')", tenant_id, uuid.uuid4(), user_id
                )
            await connection.execute("DELETE FROM api_token WHERE user_id = $1 AND name = $2", user_id, BENCH_TOKEN_NAME)
            await connection.execute("DELETE FROM login_session WHERE user_id = $1", user_id)
            token, session = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            await connection.execute(
                "INSERT INTO api_token (tenant_id, id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                tenant_id, uuid.uuid4(), user_id, BENCH_TOKEN_NAME, token_hash(token), now,
            )
            await connection.execute(
                "INSERT INTO login_session (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                uuid.uuid4(), user_id, token_hash(session), now, now + dt.timedelta(hours=12),
            )
        return Credentials(tenant_id, BIG_SLUG, token, session)
    finally:
        await connection.close()


async def run_as_owner(sql: str) -> None:
    connection = await asyncpg.connect(OWNER_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def analyze() -> None:
    connection = await asyncpg.connect(OWNER_URL)
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


# --- the request mix ---------------------------------------------------------------------------

SEARCH_FRAGMENTS = ("trem", "gagn", "cote", "bel", "marie", "lev", "ouel", "st-p", "gab", "roy", "ois", "nguy")


async def request_mix(tenant_id: uuid.UUID, size: int = 400, seed: int = 7, max_page: int = 50) -> list[dict]:
    """A deterministic list of filter combinations (with pages 1..max_page within each filter's reach)."""
    shapes = [
        (30, {"category": "user", "status": "active"}),
        (15, {"status": "suspended"}),
        (10, {"category": "worker", "status": "active"}),
        (15, {}),
        (5, {"status": "resigned"}),
    ] + [(25 / len(SEARCH_FRAGMENTS), {"q": fragment}) for fragment in SEARCH_FRAGMENTS]
    connection = await asyncpg.connect(OWNER_URL)
    try:
        reach = []
        for weight, shape in shapes:
            sql, args = count_sql(tenant_id, **shape)
            total = await connection.fetchval(sql, *args)
            reach.append((weight, shape, max(1, min(max_page, math.ceil(total / 50)))))
    finally:
        await connection.close()
    rnd = random.Random(seed)
    weights = [weight for weight, _, _ in reach]
    mix = []
    for _weight, shape, pages in rnd.choices(reach, weights=weights, k=size):
        mix.append({**shape, "page": rnd.randint(1, pages)})
    return mix


# The SQL MemberRegister.find runs (Piccolo), written for asyncpg with parameters.
SELECT_COLUMNS = (
    "id, number, first_name, last_name, email, phone, street, city, region, postal_code, country, language, category, "
    "status, status_since, shares_subscribed, shares_paid, admitted_on, admission_resolution, consent_contact, "
    "consent_publish_name, consent_photos, consent_research"
)


def _where(tenant_id, category=None, status=None, q=None) -> tuple[str, list]:
    clauses, args = ["tenant_id = $1"], [tenant_id]
    if category:
        args.append(category)
        clauses.append(f"category = ${len(args)}")
    if status:
        args.append(status)
        clauses.append(f"status = ${len(args)}")
    if q and (term := rules.search_key(q).replace("%", "").replace("_", "").replace("\\", "").strip()):
        args.append(f"%{term}%")
        clauses.append(f"search_text LIKE ${len(args)}")
    return " AND ".join(clauses), args


def count_sql(tenant_id, **filters) -> tuple[str, list]:
    where, args = _where(tenant_id, **filters)
    return f"SELECT COUNT(*) FROM member WHERE {where}", args


def page_sql(tenant_id, page=1, per_page=50, **filters) -> tuple[str, list]:
    where, args = _where(tenant_id, **filters)
    args += [per_page, (page - 1) * per_page]
    return (
        f"SELECT {SELECT_COLUMNS} FROM member WHERE {where} ORDER BY last_name, first_name, number LIMIT ${len(args) - 1} OFFSET ${len(args)}",
        args,
    )


# --- load generation ---------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    server_split: dict[int, float] = field(default_factory=dict)  # cores by process of the server
    backends: int = 0  # PostgreSQL backends of the bench database at the end of the measure

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))] * 1000


class Clock:
    """Warm-up, then a measured window; workers record only what starts inside the window."""

    def __init__(self, warmup: float, duration: float):
        self.start = time.perf_counter()
        self.measure_from = self.start + warmup
        self.measure_until = self.measure_from + duration

    def state(self) -> str:
        now = time.perf_counter()
        return "warmup" if now < self.measure_from else "measure" if now < self.measure_until else "done"


async def drive(name: str, operation, mix: list[dict], concurrency: int, warmup: float, duration: float, server_pid: int | None) -> Result:
    result = Result(name)
    queue = itertools.cycle(mix)
    clock = Clock(warmup, duration)

    async def worker() -> None:
        while (state := clock.state()) != "done":
            params = next(queue)
            started = time.perf_counter()
            try:
                error = await operation(params)
            except Exception as exc:  # noqa: BLE001 - a bench counts every failure
                error = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            if state == "measure":
                if error:
                    result.errors.append(error)
                else:
                    result.latencies.append(elapsed)

    async def meter() -> None:
        await asyncio.sleep(clock.measure_from - time.perf_counter())
        before = cpu_snapshot(server_pid)
        await asyncio.sleep(clock.measure_until - time.perf_counter())
        after = cpu_snapshot(server_pid)
        result.cpu, result.server_split = cpu_delta(before, after), server_split(before, after)
        result.backends = len(after["postgres"])

    await asyncio.gather(meter(), *(worker() for _ in range(concurrency)))
    result.seconds = duration
    return result


# --- CPU accounting: who uses the two cores ------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state, ppid, ...); [] if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _proc_cpu(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0


def _parent(pid: int | str) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _postgres_backends() -> dict[int, float]:
    """CPU seconds of the PostgreSQL backends serving the bench database."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        cmdline = _cmdline(int(entry.name))
        if cmdline.startswith(b"postgres: ") and DB_NAME.encode() in cmdline:
            found[int(entry.name)] = _proc_cpu(int(entry.name))
    return found


def _machine_busy() -> float:
    """CPU seconds the whole machine spent busy since boot (all processes, all cores)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (`uvicorn --workers N` is a supervisor whose
    children are the N server processes; each may have children of its own, the PDF pool's)."""
    children: dict[int | None, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            children.setdefault(_parent(entry.name), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        tree.append(current := todo.pop())
        todo.extend(children.get(current, ()))
    return tree


def cpu_snapshot(server_pid: int | None) -> dict:
    times = os.times()
    return {
        "machine": _machine_busy(),
        "client": times.user + times.system,
        "server": {pid: _proc_cpu(pid) for pid in process_tree(server_pid)} if server_pid else {},
        "postgres": _postgres_backends(),
        "wall": time.perf_counter(),
    }


def _grown(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots by the processes alive at the second (those born
    in between count from 0; one that ended in between is lost: the bench reports a restart)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def server_split(before: dict, after: dict) -> dict[int, float]:
    """Cores used by each process of the server between two snapshots (is the load spread?)."""
    wall = after["wall"] - before["wall"]
    return {pid: (seconds - before["server"].get(pid, 0.0)) / wall for pid, seconds in sorted(after["server"].items())}


def split_text(split: dict[int, float]) -> str:
    return " + ".join(f"{cores:.2f}" for cores in split.values())


def cpu_delta(before: dict, after: dict) -> dict[str, float]:
    wall = after["wall"] - before["wall"]
    used = {
        "load generator": (after["client"] - before["client"]) / wall,
        "server": _grown(before["server"], after["server"]) / wall,
        "postgres": _grown(before["postgres"], after["postgres"]) / wall,
    }
    # Everything else: PostgreSQL's own background processes, and whatever else runs on the machine.
    used["other"] = max(0.0, (after["machine"] - before["machine"]) / wall - sum(used.values()))
    used["idle"] = max(0.0, (os.cpu_count() or 1) - sum(used.values()))  # the headroom left
    return used


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


STARTED = "Application startup complete."  # uvicorn's line (at --log-level info) when a process serves


class Server:
    """The real server under uvicorn: `workers` processes (with more than one, uvicorn's
    supervisor and its children), the job queue off (QUEUE_IN_SERVER=0: no queue work while
    measuring)."""

    def __init__(self, var_dir: Path, workers: int = 1):
        self.port = free_port()
        self.var_dir = var_dir
        self.workers = workers
        self.log = var_dir / f"server-{workers}w.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, app: tuple[str, ...] = ("solidaire.app:create_app", "--factory"), cwd: Path = ROOT, env: dict | None = None) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": APP_URL,
            "MIGRATION_DATABASE_URL": OWNER_URL,
            "SOLIDAIRE_VAR": str(self.var_dir),
            "COOKIE_SECURE": "false",
            "QUEUE_IN_SERVER": "0",
            **(env or {}),
        }
        # --log-level info without the access log: uvicorn's own lines only (a process started,
        # died, restarted), which wait_healthy counts; the application's logging is its own.
        command = [
            sys.executable, "-m", "uvicorn", *app,
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers), "--log-level", "info",
            "--no-access-log",
        ]
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)

    async def wait_healthy(self, timeout: float = 60) -> float:
        """Until /healthz answers and every process has finished its startup (one answering is not
        enough with several: the others would take no connection during the first measure)."""
        started = time.perf_counter()
        async with httpx.AsyncClient() as client:
            while time.perf_counter() - started < timeout:
                if self.process.poll() is not None:
                    raise SystemExit(f"the server exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
                try:
                    healthy = (await client.get(f"{self.url}/healthz", timeout=2)).status_code == 200
                except httpx.TransportError:
                    healthy = False
                if healthy and self.log.read_text(errors="replace").count(STARTED) >= self.workers:
                    return time.perf_counter() - started
                await asyncio.sleep(0.1)
        raise SystemExit(f"the server did not answer /healthz within {timeout} s:\n{self.log.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        """The processes that serve: the one process, or the supervisor's children started by
        multiprocessing's spawn (not its resource tracker)."""
        if self.workers == 1:
            return [self.process.pid]
        return sorted(pid for pid in process_tree(self.process.pid) if _parent(pid) == self.process.pid and b"spawn_main" in _cmdline(pid))

    def restarts(self) -> list[str]:
        """uvicorn's lines about a process that died or was replaced (none expected)."""
        return [line for line in self.log.read_text(errors="replace").splitlines() if "died" in line or "not ready" in line]

    def peak_rss_kib(self) -> list[int]:
        """VmHWM of each process of the server (the supervisor first)."""
        peaks = []
        for pid in process_tree(self.process.pid):
            try:
                peaks += [int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmHWM:")]
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            children = {pid: _stat(pid)[19:20] for pid in process_tree(self.process.pid)[1:]}  # pid: its start time
            self.process.send_signal(signal.SIGINT)  # the supervisor stops its children and waits for them
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            for pid, started in children.items():  # one left behind (its supervisor killed): the same process, by its pid
                if started and _stat(pid)[19:20] == started:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)


# --- the three targets -------------------------------------------------------------------------


def http_operation(client: httpx.AsyncClient, path: str, headers: dict, expect: str):
    async def operation(params: dict) -> str | None:
        response = await client.get(path, params=params, headers=headers)
        if response.status_code != 200:
            return f"{response.status_code} {path}?{urlencode(params)}: {response.text[:200]}"
        if expect not in response.headers.get("content-type", ""):
            return f"unexpected content-type {response.headers.get('content-type')}"
        return None

    return operation


def direct_operation(pool: asyncpg.Pool, tenant_id: uuid.UUID):
    async def operation(params: dict) -> str | None:
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            sql, args = count_sql(tenant_id, **{k: v for k, v in params.items() if k != "page"})
            await connection.fetchval(sql, *args)
            sql, args = page_sql(tenant_id, **params)
            await connection.fetch(sql, *args)
        return None

    return operation


async def probe(client: httpx.AsyncClient, path: str, headers: dict) -> str | None:
    response = await client.get(path, params={"status": "active", "page": 2}, headers=headers)
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    return None


async def check_equivalence(client: httpx.AsyncClient, pool: asyncpg.Pool, creds: Credentials, mix: list[dict], headers: dict) -> None:
    """The direct queries must return what the API returns (same totals, same ids in order)."""
    for params in mix[:12]:
        api = (await client.get(f"/api/t/{creds.slug}/members", params=params, headers=headers)).json()
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(creds.tenant_id))
            sql, args = count_sql(creds.tenant_id, **{k: v for k, v in params.items() if k != "page"})
            total = await connection.fetchval(sql, *args)
            sql, args = page_sql(creds.tenant_id, **params)
            ids = [str(row["id"]) for row in await connection.fetch(sql, *args)]
        if api["total"] != total or [item["id"] for item in api["items"]] != ids:
            raise SystemExit(f"the direct query does not match the API for {params}: total {total} vs {api['total']}")


# --- report ------------------------------------------------------------------------------------


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def say(message: str = "") -> None:
    print(message, flush=True)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=50_000, help="members of the big tenant (default 50000)")
    parser.add_argument("--tenants", type=int, default=1_000, help="other tenants in the same database (default 1000)")
    parser.add_argument("--per-tenant", type=int, default=50, help="members of each other tenant (default 50)")
    parser.add_argument("--duration", type=float, default=15, help="measured seconds per target (default 15)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each target (default 3)")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--keep", action="store_true", help="reuse the bench database if present, and keep it afterwards")
    parser.add_argument("--setup-sql", action="append", default=[], metavar="SQL",
                        help="extra SQL run as postgres in the bench database before ANALYZE, to try an index or a "
                             "setting (repeatable; e.g. \"CREATE EXTENSION IF NOT EXISTS btree_gin\")")
    parser.add_argument("--max-page", type=int, default=50,
                        help="highest page requested (default 50; 3 mimics people who mostly look at the first pages)")
    parser.add_argument("--only", choices=["api", "page", "direct"], action="append", help="run only these targets (repeatable)")
    parser.add_argument("--workers", type=worker_counts, default=[1, 2], metavar="N[,M...]",
                        help="server processes (uvicorn --workers), each count measured in turn against the same data; "
                             "the ratios compare each to the first (default 1,2)")
    args = parser.parse_args()
    targets = args.only or ["api", "page", "direct"]

    say(f"== Solidaire member list benchmark ({dt.datetime.now().isoformat(timespec='seconds')}, git {_git_head()})")
    say(f"machine: {os.cpu_count()} cores, shared by the load generator, the server and PostgreSQL "
        f"(all on this machine: the figures include their contention)")
    started = time.perf_counter()
    fresh = await recreate_database(args.keep)
    if fresh:
        applied = await migrate()
        say(f"database {DB_NAME}: created, {len(applied)} migrations applied as postgres")
        loaded = await load_data(args.members, args.tenants, args.per_tenant)
        say(f"loaded {loaded['members']:,} members in {loaded['tenants']:,} tenants "
            f"({args.members:,} in {BIG_SLUG}, {args.per_tenant} in each of {args.tenants:,} others) in {time.perf_counter() - started:.1f} s")
    else:
        say(f"database {DB_NAME}: reused (--keep)")
    creds = await fresh_credentials()
    for statement in args.setup_sql:
        await run_as_owner(statement)
        say(f"setup SQL (as postgres): {statement}")
    await analyze()
    say(f"data ready (VACUUM ANALYZE done) after {time.perf_counter() - started:.1f} s")
    mix = await request_mix(creds.tenant_id, max_page=args.max_page)
    say(f"request mix: {len(mix)} requests ({len({tuple(sorted(p.items())) for p in mix})} distinct), cycled: "
        "category=user&status=active, status=suspended, category=worker&status=active, no filter, status=resigned, "
        f"q in {list(SEARCH_FRAGMENTS)}; pages 1..{args.max_page} within each filter's reach; 50 per page")

    var_dir = Path(tempfile.mkdtemp(prefix="solidaire-bench-"))
    server: Server | None = None
    pool = None
    exit_code = 0
    results: dict[tuple[str, int | None], Result] = {}  # (target, workers); the direct target has no server: None
    skipped: dict[tuple[str, int], str] = {}
    peaks: dict[int, list[int]] = {}
    restarted: dict[int, list[str]] = {}
    api_headers = {"authorization": f"Bearer {creds.token}"}
    page_headers = {"cookie": f"solidaire_session={creds.session}"}
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    try:
        pool = await asyncpg.create_pool(APP_URL, min_size=args.concurrency, max_size=args.concurrency)
        for workers in args.workers:
            server = Server(var_dir, workers)
            server.start()
            ready = await server.wait_healthy()
            say(f"server: uvicorn solidaire.app:create_app --factory --workers {workers} (pid {server.process.pid}, serving "
                f"processes {server.worker_pids()}), {server.url}, as {APP_ROLE} (RLS applies), QUEUE_IN_SERVER=0, ready in {ready:.1f} s")
            async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=60) as client:
                for name, path, headers in (("api", f"/api/t/{creds.slug}/members", api_headers), ("page", f"/t/{creds.slug}/members", page_headers)):
                    if name in targets and (problem := await probe(client, path, headers)):
                        skipped[name, workers] = problem
                if workers == args.workers[0] and "api" in targets and "direct" in targets and ("api", workers) not in skipped:
                    await check_equivalence(client, pool, creds, mix, api_headers)
                    say("checked: the direct queries return the same totals and rows, in the same order, as the API")
                for name in targets:
                    if name == "direct" and workers != args.workers[0]:
                        continue  # no server in it: measured once
                    if (name, workers) in skipped:
                        say(f"-- {name}, {plural(workers)}: SKIPPED, the probe request failed: {skipped[name, workers]}")
                        exit_code = 1
                        continue
                    key = (name, None if name == "direct" else workers)
                    say(f"-- {label(*key)}: {args.warmup:g} s warm-up, then {args.duration:g} s measured at {args.concurrency} concurrent clients ...")
                    if name == "direct":
                        operation = direct_operation(pool, creds.tenant_id)
                    elif name == "api":
                        operation = http_operation(client, f"/api/t/{creds.slug}/members", api_headers, "application/json")
                    else:
                        operation = http_operation(client, f"/t/{creds.slug}/members", page_headers, "text/html")
                    serving = server.worker_pids()
                    results[key] = result = await drive(name, operation, mix, args.concurrency, args.warmup, args.duration, server.process.pid if name != "direct" else None)
                    say(f"   {len(result.latencies):,} requests, {result.rps:.1f}/s, p50 {result.percentile(50):.1f} ms, "
                        f"p99 {result.percentile(99):.1f} ms, errors {len(result.errors)}"
                        + (f"; server cores by process {split_text(result.server_split)}" if name != "direct" else ""))
                    if server.worker_pids() != serving:
                        say(f"   WARNING: the serving processes changed during the measure ({serving} -> {server.worker_pids()}): "
                            "a worker died or was restarted, its CPU time is lost from the server column")
                    for error in result.errors[:3]:
                        say(f"   error: {error}")
                    if result.errors:
                        say("   the server's log ends with:\n" + server.log.read_text(errors="replace")[-2000:])
            peaks[workers], restarted[workers] = server.peak_rss_kib(), server.restarts()
            server.stop()
            server = None
    finally:
        if server is not None:
            server.stop()
        if pool is not None:
            await pool.close()
        shutil.rmtree(var_dir, ignore_errors=True)
        if not args.keep:
            await drop_database()

    rows = [["target", "requests", "req/s", "p50 ms", "p99 ms", "errors", "CPU: loadgen", "server", "postgres", "other", "idle",
             "server ms/req", "postgres ms/req", "backends"]]
    for key, result in results.items():
        cpu = result.cpu
        per_request = 1000 / result.rps if result.rps else float("nan")
        rows.append([
            label(*key), f"{len(result.latencies):,}", f"{result.rps:.1f}", f"{result.percentile(50):.1f}",
            f"{result.percentile(99):.1f}", str(len(result.errors)), f"{cpu['load generator']:.2f}",
            f"{cpu['server']:.2f}" if key[1] else "-", f"{cpu['postgres']:.2f}", f"{cpu['other']:.2f}", f"{cpu['idle']:.2f}",
            f"{cpu['server'] * per_request:.2f}" if key[1] else "-", f"{cpu['postgres'] * per_request:.2f}", str(result.backends),
        ])
    say()
    say(f"== Results: {args.members:,} members in the listed tenant, {args.tenants:,} other tenants, "
        f"{args.concurrency} concurrent clients, {args.duration:g} s each, 50 per page")
    say(table(rows))
    say("(CPU columns: cores used on average during the measured window, out of "
        f"{os.cpu_count()}; 'server' is every process of the server (uvicorn's supervisor and its workers), and the ms/req "
        "columns divide it, and PostgreSQL's, by the rate. The load generator (httpx or asyncpg, one Python process) shares "
        "the cores with the server and the PostgreSQL backends; 'other' is the rest of the machine: kernel network work "
        "(softirq), PostgreSQL's background processes and anything else running, which skews the figures when it is well above 0; "
        "'idle' what was left of the cores: near 0, a second worker has no core to run on. 'backends': PostgreSQL connections "
        "to the bench database at the end of the measure, the load generator's included.)")
    direct = results.get(("direct", None))
    for (name, workers), service in results.items():
        if direct and direct.rps and workers and service.latencies:
            say(f"ratio {label(name, workers)} / direct: throughput {service.rps / direct.rps:.2f}  (x{direct.rps / service.rps:.1f} slower), "
                f"p50 latency x{service.percentile(50) / direct.percentile(50):.1f}, p99 latency x{service.percentile(99) / direct.percentile(99):.1f}")
    first = args.workers[0]
    for (name, workers), service in results.items():
        one = results.get((name, first))
        if workers and workers != first and one and one.latencies and service.latencies:
            say(f"ratio {name} workers={workers} / workers={first}: throughput {service.rps / one.rps:.2f}, "
                f"p50 x{service.percentile(50) / one.percentile(50):.2f}, p99 x{service.percentile(99) / one.percentile(99):.2f}, "
                f"server CPU x{service.cpu['server'] / one.cpu['server']:.2f} ({service.cpu['server']:.2f} vs {one.cpu['server']:.2f} cores), "
                f"PostgreSQL CPU x{service.cpu['postgres'] / one.cpu['postgres']:.2f}")
    for workers, peak in peaks.items():
        say(f"server peak RSS (VmHWM), {plural(workers)}: " + (" + ".join(f"{kib / 1024:.1f}" for kib in peak) + " MiB"
            + (" (the supervisor, its children: the workers and multiprocessing's resource tracker)" if workers > 1 else "") if peak else "unknown"))
    for workers, lines in restarted.items():
        if lines:
            say(f"WARNING, {plural(workers)}: uvicorn restarted a process: " + " | ".join(lines[:3]))
    errors = sum(len(result.errors) for result in results.values())
    if errors:
        say(f"FAILED: {errors} request(s) did not answer 200")
        exit_code = 1
    if skipped:
        say(f"FAILED: skipped {', '.join(label(name, workers) for name, workers in skipped)} (see above)")
    return exit_code


LABELS = {"api": "API  GET /api/t/{slug}/members", "page": "page GET /t/{slug}/members", "direct": "asyncpg direct (same SQL, RLS)"}


def plural(workers: int) -> str:
    return f"{workers} worker{'s' if workers > 1 else ''}"


def label(name: str, workers: int | None) -> str:
    return LABELS[name] if workers is None else f"{LABELS[name]}, {plural(workers)}"


def worker_counts(text: str) -> list[int]:
    """`--workers 1,2`: the server's process counts, each measured in turn against the same data."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"expected worker counts such as 1,2, not {text!r}")
    return list(dict.fromkeys(counts))


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
