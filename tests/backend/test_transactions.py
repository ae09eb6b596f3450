"""The request's transaction gives its connection back whatever happens, even when the commit fails."""

import asyncio
import sqlite3

import asyncpg
import pytest

from backend import db
from tests.conftest import BACKEND

# Statements whose transaction fails only at its commit: a constraint checked at the end.
FAILS_AT_COMMIT = {
    "postgres": [
        "CREATE TEMP TABLE once (x int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP",
        "INSERT INTO once VALUES (1), (1)",
    ],
    "sqlite": [
        "CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY)",
        "CREATE TEMP TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
        "INSERT INTO child VALUES (5)",
    ],
}


async def test_a_transaction_whose_commit_fails_gives_its_connection_back(app, database):
    engine = database.app
    # More failures than the pool has connections: a connection kept by each would leave none.
    # (On SQLite the first one kept would hold the write lock, and the next writer would wait.)
    for _ in range(25):
        with pytest.raises((asyncpg.UniqueViolationError, sqlite3.IntegrityError)):
            async with asyncio.timeout(10):
                async with db.transaction(engine, write=True):
                    for statement in FAILS_AT_COMMIT[BACKEND]:
                        await db.execute(engine, statement)
        assert engine.current_transaction.get() is None
    async with asyncio.timeout(10):
        async with db.transaction(engine, write=True):
            assert (await db.execute(engine, "SELECT 1 AS one"))[0]["one"] == 1
