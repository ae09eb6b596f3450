"""What a test was doing when it hung, printed before pytest-timeout ends its process.

A test waiting for ever (a lock held by a connection some other code left open, a task nobody
awaits) is ended by pytest-timeout's thread method, which kills the test process; pytest-xdist
reports the test as failed and starts another process, and what that process printed is lost. This
report, written a little earlier to a file the first process prints at the end of the run, says what
the waiting is about: the event loop's tasks with their stacks and, on PostgreSQL, every session of
the test databases with its state, its query and the lock it waits for.
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
import threading
from pathlib import Path

import asyncpg
import pytest

SESSIONS = """
SELECT pid, usename, state, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by,
       now() - xact_start AS in_transaction_for, left(query, 300) AS query
FROM pg_stat_activity WHERE datname LIKE 'solidaire_%' AND pid <> pg_backend_pid() ORDER BY pid
"""

_loops: set[asyncio.AbstractEventLoop] = set()


@pytest.fixture(scope="session", autouse=True)
async def _watched_loop() -> None:
    """The tests' event loop (one for the session): its tasks go in the report."""
    _loops.add(asyncio.get_running_loop())


def _tasks() -> str:
    out = io.StringIO()
    for loop in list(_loops):
        for task in list(asyncio.all_tasks(loop)):
            task.print_stack(limit=12, file=out)
    return out.getvalue()


def _sessions(postgres_url: str) -> str:
    async def read() -> str:
        connection = await asyncpg.connect(postgres_url, timeout=5)
        try:
            return "\n".join(str(dict(row)) for row in await connection.fetch(SESSIONS))
        finally:
            await connection.close()

    try:
        return asyncio.run(read())
    except Exception as error:  # a report is only diagnostics: say why it could not be read
        return f"(PostgreSQL sessions could not be read: {error!r})"


REPORTS = "SOLIDAIRE_HANG_REPORTS"  # the folder, shared with pytest-xdist's processes


def _report(nodeid: str, after: float) -> None:
    parts = [f"===== {nodeid} still running after {after:.0f} s =====", "--- event loop tasks ---", _tasks()]
    if os.environ.get("SOLIDAIRE_TEST_DATABASE") == "postgres":
        postgres_url = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        parts += ["--- PostgreSQL sessions of the test databases ---", _sessions(postgres_url)]
    report = Path(os.environ[REPORTS]) / f"{os.getpid()}-{threading.get_ident()}.txt"
    report.write_text("\n".join(parts) + "\n")


def pytest_configure(config) -> None:
    os.environ.setdefault(REPORTS, tempfile.mkdtemp(prefix="solidaire-hangs-"))


def pytest_terminal_summary(terminalreporter) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for report in sorted(Path(os.environ[REPORTS]).glob("*.txt")):
        terminalreporter.write_line(report.read_text())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    after = float(item.config.getini("timeout")) * 5 / 6  # before pytest-timeout ends the process
    timer = threading.Timer(after, _report, args=(item.nodeid, after))
    timer.daemon = True
    timer.start()
    try:
        return (yield)
    finally:
        timer.cancel()
