"""At the close the envelopes of the vote leave the table's pages, not only its rows: read page by
page as a superuser would from a disk snapshot (pageinspect), the table holds no byte of them; the
envelopes of the votes still open, of this tenant and of another, are kept and still close."""

import sqlite3
from pathlib import Path

import asyncpg
import pytest

from backend import db
from tests.conftest import BACKEND
from tests.meetings.support import in_session, open_vote, secretary, voters

postgres_only = pytest.mark.skipif(BACKEND != "postgres", reason="the pages of PostgreSQL's heap (pageinspect)")

PAGE = 8192


async def raw_pages(connection, table: str) -> bytes:
    """Every page of the table and of its TOAST table, as on disk, dead tuples included."""
    pages = []
    relations = [table, await connection.fetchval("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = $1::regclass AND reltoastrelid <> 0", table)]
    for relation in filter(None, relations):
        size = await connection.fetchval("SELECT pg_relation_size($1::regclass)", relation)
        pages += [await connection.fetchval("SELECT get_raw_page($1, $2)", relation, block) for block in range(size // PAGE)]
    return b"".join(pages)


async def tuple_data(connection, table: str) -> list[bytes]:
    """The data of every line pointer of every page (heap_page_items), dead ones included."""
    size = await connection.fetchval("SELECT pg_relation_size($1::regclass)", table)
    rows = []
    for block in range(size // PAGE):
        rows += await connection.fetch("SELECT t_data FROM heap_page_items(get_raw_page($1, $2)) WHERE t_data IS NOT NULL", table, block)
    return [bytes(row["t_data"]) for row in rows]


async def vote_with_ballots(client, world, database, count: int) -> tuple[dict, dict]:
    headers = await secretary(client, world)
    people = await voters(database, world, count)
    vote = await open_vote(client, world, headers, (await in_session(client, world, headers, people))["id"])
    for index, person in enumerate(people):
        response = await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot", json={"choice": "yes" if index % 3 else "no"}, headers=person.headers)
        assert response.status_code == 201, response.text
    return vote, headers


@postgres_only
async def test_no_page_of_the_table_keeps_a_closed_votes_envelopes(client, make_tenant, database):
    a, b = await make_tenant(), await make_tenant()
    closing, headers = await vote_with_ballots(client, a, database, 30)
    still_open, _ = await vote_with_ballots(client, a, database, 5)
    other_tenant, b_headers = await vote_with_ballots(client, b, database, 5)

    superuser = await asyncpg.connect(database.owner_url)
    try:
        await superuser.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        envelopes = {}
        for vote in (closing, still_open, other_tenant):
            envelopes[vote["id"]] = [r["envelope"].encode() for r in await superuser.fetch("SELECT envelope FROM ballot_envelope WHERE vote_id = $1", vote["id"])]
        assert len(envelopes[closing["id"]]) == 30
        before = await raw_pages(superuser, "ballot_envelope")
        assert all(envelope in before for envelope in envelopes[closing["id"]])

        # The scan would find what a DELETE leaves behind: a row deleted is still in its page.
        marker = b"deleted-envelope-marker-" * 20
        tenant_b = b.tenant.id
        await superuser.execute("INSERT INTO ballot_envelope (tenant_id, id, vote_id, envelope) VALUES ($1, gen_random_uuid(), $2, $3)", tenant_b, other_tenant["id"], marker.decode())
        await superuser.execute("DELETE FROM ballot_envelope WHERE envelope = $1", marker.decode())
        assert marker in await raw_pages(superuser, "ballot_envelope")

        closed = await client.post(f"/api/t/{a.tenant.slug}/votes/{closing['id']}/close", json={}, headers=headers)
        assert closed.status_code == 200, closed.text
        assert closed.json()["votes_cast"] == 30

        after = await raw_pages(superuser, "ballot_envelope")
        items = await tuple_data(superuser, "ballot_envelope")
        found = [e for e in envelopes[closing["id"]] if e in after or any(e in item for item in items)]
        assert found == [], f"{len(found)} of 30 envelopes of the closed vote are still in the table's pages"
        assert marker not in after  # the table's old pages went with the truncation
        for kept in (still_open, other_tenant):  # the others' envelopes, in their rows and pages
            rows = [r["envelope"].encode() for r in await superuser.fetch("SELECT envelope FROM ballot_envelope WHERE vote_id = $1", kept["id"])]
            assert sorted(rows) == sorted(envelopes[kept["id"]]) and all(e in after for e in rows)
    finally:
        await superuser.close()

    for world, vote, who in ((a, still_open, headers), (b, other_tenant, b_headers)):
        response = await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=who)
        assert response.status_code == 200 and response.json()["votes_cast"] == 5, response.text


@postgres_only
async def test_the_application_role_destroys_only_a_closed_vote_of_its_tenant(client, make_tenant, database):
    """destroy_ballot_envelopes runs as the owner: called by hand for an open vote, or for a vote of
    another tenant, it refuses and keeps every envelope."""
    a, b = await make_tenant(), await make_tenant()
    vote, _ = await vote_with_ballots(client, a, database, 2)
    connection = await asyncpg.connect(database.app_url)
    try:
        for tenant in (a.tenant.id, b.tenant.id):
            async with connection.transaction():
                await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
                with pytest.raises(asyncpg.InsufficientPrivilegeError, match="closed vote"):
                    await connection.fetchval("SELECT destroy_ballot_envelopes($1)", vote["id"])
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.execute("TRUNCATE ballot_envelope")
    finally:
        await connection.close()
    superuser = await asyncpg.connect(database.owner_url)
    try:
        assert await superuser.fetchval("SELECT count(*) FROM ballot_envelope WHERE vote_id = $1", vote["id"]) == 2
    finally:
        await superuser.close()


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's file")
async def test_sqlite_zeroes_a_closed_votes_envelopes_in_the_file(client, make_tenant, database):
    """secure_delete: once the write-ahead log is checkpointed into the file, no byte of them."""
    world = await make_tenant()
    vote, headers = await vote_with_ballots(client, world, database, 10)
    rows = await db.execute(database.owner, "SELECT envelope FROM ballot_envelope WHERE vote_id = {}", vote["id"])
    envelopes = [row["envelope"].encode() for row in rows]
    assert len(envelopes) == 10
    assert (await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)).status_code == 200
    path = Path(database.owner_url.removeprefix("sqlite:///"))
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    data = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes() if path.with_name(path.name + "-wal").exists() else b"")
    assert [e for e in envelopes if e in data] == []
