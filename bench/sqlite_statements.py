"""The embedded default's cost per statement: the same statements in one transaction through
Piccolo's own SQLite engine and through ours (backend.db.SQLite, one trip to aiosqlite's thread per
statement), then the demo's load (`solidaire demo` on a fresh SQLite file) with each.

    .venv/bin/python bench/sqlite_statements.py [--statements 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from piccolo.engine.sqlite import SQLiteEngine

from backend import db
from backend.settings import Settings
from solidaire.app import configure_process
from solidaire.cli import load_demo


async def per_statement(engine, statements: int) -> float:
    """Milliseconds per statement: a read by key and a small insert, in turn, in one transaction."""
    await engine.run_ddl("CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, label TEXT)")
    async with engine.transaction():
        started = time.perf_counter()
        for i in range(statements // 2):
            await db.execute(engine, "INSERT INTO bench_row (label) VALUES ({})", f"row {i}")
            await db.execute(engine, "SELECT label FROM bench_row WHERE id = {}", i + 1)
        elapsed = time.perf_counter() - started
    return elapsed / statements * 1000


async def demo_load(engine) -> float:
    configure_process(Settings.from_env(), engine)
    await db.start(engine)  # as the server starts it: WAL
    await db.migrate(engine)
    started = time.perf_counter()
    await load_demo(engine)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SOLIDAIRE_VAR"] = folder
        print(f"{'engine':<28}{'ms per statement':>18}{'demo load (s)':>16}")
        for name, make in (("Piccolo's SQLiteEngine", SQLiteEngine), ("backend.db.SQLite", db.SQLite)):
            path = Path(folder) / f"{make.__name__}.sqlite3"
            engine = make(path=str(path), timeout=30)
            db.bind_tables(engine)
            statement = asyncio.run(per_statement(engine, args.statements))
            demo_path = Path(folder) / f"demo-{make.__name__}.sqlite3"
            engine = make(path=str(demo_path), timeout=30)
            db.bind_tables(engine)
            demo = asyncio.run(demo_load(engine))
            print(f"{name:<28}{statement:>18.3f}{demo:>16.1f}")


if __name__ == "__main__":
    main()
