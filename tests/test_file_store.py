"""The file store (backend/files.py): uploaded files are rows of the database, written in the
request's transaction, read by (tenant, id), kept apart by row-level security on PostgreSQL; the
files an earlier version kept under SOLIDAIRE_VAR move in with the migrations."""

import dataclasses
import uuid

import asyncpg
import pytest

from backend import db, files
from backend.cli import migrate
from backend.context import Context
from governance.meetings.documents import MeetingDocuments
from governance.meetings.services import Meetings
from tests.conftest import APP_ROLE, BACKEND
from tests.meetings.support import meeting, secretary
from tests.partners.test_hours_and_expenses_api import PNG, active_partner, claim

REPORT = b"%PDF-1.4\n% Rapport annuel\n%%EOF\n"
PDF = {"content-type": "application/pdf"}


class Refused(Exception):
    pass


async def stored_rows(database, file_id) -> int:
    """Rows with this id, whatever the tenant (as the owner: PostgreSQL's superuser)."""
    return len(await db.execute(database.owner, "SELECT id FROM stored_file WHERE id = {}", file_id))


async def add_document(client, world) -> tuple[str, dict]:
    headers = await secretary(client, world)
    called = await meeting(client, world, headers)
    url = f"/api/t/{world.tenant.slug}/meetings/{called['id']}/documents"
    added = await client.post(url, params={"kind": "annual_report", "title": "Rapport annuel", "filename": "rapport.pdf"}, content=REPORT, headers={**headers, **PDF})
    assert added.status_code == 201, added.text
    return f"{url}/{added.json()['id']}", headers


async def test_a_rolled_back_upload_leaves_no_file(client, make_tenant, database):
    world = await make_tenant()
    called = await meeting(client, world, await secretary(client, world))
    documents = MeetingDocuments(Meetings(Context(world.tenant)))
    with pytest.raises(Refused):
        async with db.tenant_transaction(database.app, world.tenant.id, write=True):
            added = await documents.add(uuid.UUID(called["id"]), "annual_report", "Rapport", "rapport.pdf", "application/pdf", REPORT)
            assert await files.read(world.tenant.id, added["id"]) == REPORT  # there, in the transaction
            raise Refused
    assert await stored_rows(database, added["id"]) == 0
    async with db.tenant_transaction(database.app, world.tenant.id, write=False):
        assert await documents.of_meeting(uuid.UUID(called["id"])) == []
        with pytest.raises(LookupError):
            await files.read(world.tenant.id, added["id"])


async def test_a_refused_request_leaves_no_file(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    called = await meeting(client, world, headers)
    url = f"/api/t/{world.tenant.slug}/meetings/{called['id']}/documents"
    before = len(await db.execute(database.owner, "SELECT id FROM stored_file"))
    refused = await client.post(url, params={"kind": "annual_report", "title": "Rapport", "filename": "x.pdf"}, content=PNG, headers={**headers, **PDF})
    assert refused.status_code == 415
    assert len(await db.execute(database.owner, "SELECT id FROM stored_file")) == before


async def test_a_file_is_served_by_any_process_of_the_deployment(client, make_tenant, settings):
    """Nothing is written to this host's files folder: another process, on another host, reads
    the same database."""
    world = await make_tenant()
    document, headers = await add_document(client, world)
    assert not (settings.var_dir / "meeting-documents").exists()
    got = await client.get(document, headers=headers)
    assert got.status_code == 200 and got.content == REPORT


@pytest.mark.skipif(BACKEND != "postgres", reason="row-level security is PostgreSQL's")
async def test_a_file_of_one_tenant_cannot_be_read_under_another(client, make_tenant, database):
    a, b = await make_tenant(), await make_tenant()
    document, _ = await add_document(client, a)
    file_id = uuid.UUID(document.rsplit("/", 1)[1])
    async with db.tenant_transaction(database.app, b.tenant.id, write=False):
        with pytest.raises(LookupError):  # even asking by A's own id and tenant
            await files.read(a.tenant.id, file_id)
    async with db.tenant_transaction(database.app, a.tenant.id, write=False):
        assert await files.read(a.tenant.id, file_id) == REPORT
    connection = await asyncpg.connect(database.app_url)
    try:
        assert await connection.fetchval("SELECT current_user") == APP_ROLE
        assert await connection.fetchval("SELECT count(*) FROM stored_file WHERE id = $1", file_id) == 0  # no tenant: nothing
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(b.tenant.id))
            assert await connection.fetchval("SELECT count(*) FROM stored_file WHERE id = $1", file_id) == 0
            with pytest.raises(asyncpg.InsufficientPrivilegeError):  # WITH CHECK: no file slipped in under A
                await connection.execute(
                    "INSERT INTO stored_file (tenant_id, id, content_type, size_bytes, sha256, content, created_at) VALUES ($1, $2, 'application/pdf', 1, '', 'x', now())",
                    a.tenant.id, uuid.uuid4(),
                )
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(a.tenant.id))
            with pytest.raises(asyncpg.InsufficientPrivilegeError):  # kept: neither changed nor deleted
                await connection.execute("DELETE FROM stored_file WHERE id = $1", file_id)
    finally:
        await connection.close()


async def test_the_files_of_an_upgraded_installation_move_into_the_database(client, make_tenant, database, settings, tmp_path):
    """As the previous version left them: var/meeting-documents/<tenant>/<id> and
    var/receipts/<tenant>/<id>, with their rows in the database. The migrations move them in, and
    remove each from the folder once committed; run again, they find nothing to do."""
    world = await make_tenant(roles=("partner_coordinator",))
    document, headers = await add_document(client, world)
    document_id = document.rsplit("/", 1)[1]
    _, coordinator, mine = await active_partner(client, settings, world)
    created = (await client.post(f"/api/t/{world.tenant.slug}/program/me/claims", json=claim(), headers=mine)).json()
    receipt = (await client.post(f"/api/t/{world.tenant.slug}/program/me/claims/{created['id']}/receipts", content=PNG, headers={**mine, "content-type": "image/png"})).json()
    receipt_url = f"/api/t/{world.tenant.slug}/program/claims/{created['id']}/receipts/{receipt['id']}"

    var = tmp_path / "var"
    planted = {var / "meeting-documents" / str(world.tenant.id) / document_id: REPORT, var / "receipts" / str(world.tenant.id) / receipt["id"]: PNG}
    for path, data in planted.items():
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        await db.execute(database.owner, "DELETE FROM stored_file WHERE id = {}", uuid.UUID(path.name))  # on disk only, as before
    stray = var / "receipts" / str(uuid.uuid4()) / str(uuid.uuid4())  # a tenant this database does not know
    stray.parent.mkdir(parents=True)
    stray.write_bytes(PNG)

    upgraded = dataclasses.replace(settings, var_dir=var)
    await migrate(database.owner, upgraded)
    got = await client.get(document, headers=headers)
    assert got.status_code == 200 and got.content == REPORT
    got = await client.get(receipt_url, headers=coordinator)
    assert got.status_code == 200 and got.content == PNG
    rows = await db.execute(database.owner, "SELECT content_type, size_bytes FROM stored_file WHERE id IN ({}, {}) ORDER BY content_type", uuid.UUID(document_id), uuid.UUID(receipt["id"]))
    assert [(r["content_type"], r["size_bytes"]) for r in rows] == [("application/pdf", len(REPORT)), ("image/png", len(PNG))]
    assert not any(path.exists() for path in planted) and not (var / "meeting-documents").exists()
    assert stray.read_bytes() == PNG  # left where it was, logged

    # Interrupted after a commit, before the removal: the file is there again, and stored already.
    again = next(iter(planted))
    again.parent.mkdir(parents=True)
    again.write_bytes(REPORT)
    assert await files.import_folders(database.owner, var) == 1 and not again.exists()
    assert await stored_rows(database, uuid.UUID(document_id)) == 1
    assert await files.import_folders(database.owner, var) == 0
