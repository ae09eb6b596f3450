"""Migrations: applied once, in order, even by processes that start together."""

import asyncio

import pytest

from backend import db, domains


async def test_two_processes_migrating_together_apply_each_migration_once(empty_database_url):
    engines = [db.make_engine(empty_database_url) for _ in range(2)]
    for engine in engines:
        await db.start(engine)
    try:
        first, second = await asyncio.gather(*(db.migrate(engine) for engine in engines))
        dialect = "postgres" if db.is_postgres(engines[0]) else "sqlite"
        every = [name for package in domains.migrating_packages() for name, _ in db._migrations(package, dialect)]
        assert sorted(first + second) == sorted(every)  # each applied once, by one of the two
        assert await db.migrate(engines[0]) == []
        rows = await db.execute(engines[0], "SELECT id FROM schema_migration ORDER BY id")
        assert [row["id"] for row in rows] == sorted(first + second)
    finally:
        for engine in engines:
            await db.stop(engine)


async def test_the_role_name_is_checked_before_it_is_written_into_sql(empty_database_url):
    engine = db.make_engine(empty_database_url)
    with pytest.raises(ValueError):
        await db.migrate(engine, app_role="app; DROP TABLE member")
