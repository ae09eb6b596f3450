"""The probes a load balancer or an orchestrator asks: /healthz (the process is up) and /readyz
(the database answers and has this version's migrations)."""

import socket

from backend import db
from solidaire.app import readiness


async def test_a_migrated_database_that_answers_is_ready(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_a_database_missing_a_migration_is_not_ready_until_migrated(client, database):
    [last] = await db.execute(database.owner, "SELECT id FROM schema_migration ORDER BY applied_at DESC, id DESC LIMIT 1")
    await db.execute(database.owner, "DELETE FROM schema_migration WHERE id = {}", last["id"])
    try:
        waiting = await client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json()["missing"] == [last["id"]] and "solidaire migrate" in waiting.json()["reason"]
    finally:
        await db.execute(database.owner, "INSERT INTO schema_migration (id) VALUES ({})", last["id"])
    assert (await client.get("/readyz")).status_code == 200


async def test_a_database_that_does_not_answer_is_not_ready():
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    status, body = await readiness(db.make_engine(f"postgresql://postgres@127.0.0.1:{closed}/solidaire"))
    assert status == 503 and body["reason"].startswith("the database does not answer")
