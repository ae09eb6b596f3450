"""Processes and memory of `solidaire serve --workers N` on PostgreSQL: how many processes the
server's tree holds and their proportional memory (PSS, shared pages divided among the processes
sharing them) when idle, after a round of invoice PDFs downloaded through each server process, and
once the PDF pools have been idle past pdf.IDLE_SECONDS.

    .venv/bin/python bench/process_memory.py [--workers 2] [--pdfs 20]

Uses a database of its own (`solidaire_bench_memory`, dropped at the end) with the demo tenants,
and the demo treasurer of the Shawinigan co-op."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = "solidaire_bench_memory"
ROOT = Path(__file__).resolve().parent.parent
TREASURER = {"email": "tresorerie@coop-shawinigan.demo", "password": "solidaire-demo"}
SLUG = "coop-shawinigan"


def tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def pss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def snapshot(pid: int) -> tuple[int, float]:
    pids = tree(pid)
    return len(pids), sum(pss_mib(p) for p in pids)


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def download_pdfs(url: str, count: int) -> float:
    """`count` invoice PDFs, over fresh connections (so that they spread over the processes)."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        token = (await client.post(f"/api/t/{SLUG}/auth/token", json=TREASURER)).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        invoices = (await client.get(f"/api/t/{SLUG}/billing/invoices", headers=headers)).json()
    issued = [invoice["id"] for invoice in invoices if invoice["status"] != "draft"]
    started = time.monotonic()

    async def one(invoice_id: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:  # a connection each
            response = await client.get(f"/api/t/{SLUG}/billing/invoices/{invoice_id}/pdf", headers=headers)
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.text

    await asyncio.gather(*(one(issued[i % len(issued)]) for i in range(count)))
    return time.monotonic() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=65.0, help="seconds to wait for the pools to stop")
    args = parser.parse_args()
    await admin(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    await admin(f'CREATE DATABASE "{NAME}"')
    await admin("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'solidaire_app') THEN CREATE ROLE solidaire_app LOGIN; END IF; END $$")
    owner = ADMIN_URL.rsplit("/", 1)[0] + f"/{NAME}"
    port = free_port()
    env = {
        **os.environ, "MIGRATION_DATABASE_URL": owner, "DATABASE_URL": owner.replace("postgres@", "solidaire_app@", 1),
        "DATABASE_APP_ROLE": "solidaire_app", "SOLIDAIRE_VAR": tempfile.mkdtemp(), "PORT": str(port),
        "COOKIE_SECURE": "false", "QUEUE_IN_SERVER": "false", "SIGN_IN_ATTEMPTS_PER_MINUTE": "100000",
    }
    command = [sys.executable, "-c", "from solidaire.cli import main; main()", "serve", "--workers", str(args.workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        await asyncio.sleep(3)  # every process up
        rows = [("idle, no PDF yet", *snapshot(server.pid))]
        seconds = await download_pdfs(url, args.pdfs)
        rows.append((f"after {args.pdfs} PDFs ({seconds:.1f} s)", *snapshot(server.pid)))
        await asyncio.sleep(args.idle)
        rows.append((f"idle {args.idle:.0f} s later", *snapshot(server.pid)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        await admin(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    print(f"solidaire serve --workers {args.workers} (QUEUE_IN_SERVER=false), PostgreSQL, the demo tenants")
    print(f"  {'moment':<28} {'processes':>9} {'PSS MiB':>8}")
    for moment, processes, mib in rows:
        print(f"  {moment:<28} {processes:>9} {mib:>8.0f}")


if __name__ == "__main__":
    asyncio.run(main())
