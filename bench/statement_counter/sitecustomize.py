"""Counts the SQL statements a server process sends to PostgreSQL (bench/votes_burst.py
--statements puts this folder on the PYTHONPATH of the service's server: never in production).

Every statement through asyncpg (with or without arguments; BEGIN and COMMIT are statements too)
adds one; on SIGUSR1 the process writes its count to $STATEMENT_COUNT_FILE, so the benchmark reads
it before and after a run of requests of one kind and divides."""

import os
import signal

import asyncpg.connection

count = 0
_execute = asyncpg.connection.Connection._execute
_plain = asyncpg.connection.Connection.execute


async def _counted_execute(self, *args, **kwargs):
    global count
    count += 1
    return await _execute(self, *args, **kwargs)


async def _counted_plain(self, query, *args, timeout=None):
    global count
    if not args:  # (with arguments, execute goes through _execute, counted there)
        count += 1
    return await _plain(self, query, *args, timeout=timeout)


def _report(*_):
    with open(os.environ["STATEMENT_COUNT_FILE"], "w") as out:
        out.write(str(count))


asyncpg.connection.Connection._execute = _counted_execute
asyncpg.connection.Connection.execute = _counted_plain
if os.environ.get("STATEMENT_COUNT_FILE"):
    signal.signal(signal.SIGUSR1, _report)
