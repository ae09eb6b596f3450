"""The audit log is append-only for every role but a superuser, and chained: each row of a tenant
holds the hash of the row before it and of its own content, and `solidaire audit verify` recomputes
the chain and names the first row that breaks it."""

import asyncio
import os
import secrets
import sqlite3
import subprocess
import sys

import asyncpg
import pytest

from backend import db, jobqueue
from tenants import rules, services
from tests.clock import ZONE
from tests.conftest import APP_ROLE, BACKEND, POSTGRES_URL, _with_user

postgres_only = pytest.mark.skipif(BACKEND != "postgres", reason="roles and superusers are PostgreSQL's")


def solidaire(*args: str, env: dict, ok: bool) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", "from solidaire.cli import main; main()", *args], env=env, capture_output=True, text=True, timeout=120)
    assert (result.returncode == 0) == ok, (args, result.stdout, result.stderr)
    return result


async def _tenant_with_events(engine, count: int) -> services.TenantInfo:
    """A tenant and `count` audit events, written through the service on `engine`. The tables are
    bound to `engine` meanwhile: the work earlier tests left running after their commits ends first,
    or it would write to this database (and hold a tenant's audit chain there)."""
    await jobqueue.drain()
    db.bind_tables(engine)
    async with db.transaction(engine, write=True):
        tenant = await services.create_tenant(
            slug=f"coop-{secrets.token_hex(4)}", name="Coop", kind="coop", locale="fr_CA", timezone=ZONE.key, currency="CAD", member_categories=["user", "worker"]
        )
    for index in range(count):
        async with db.tenant_transaction(engine, tenant.id, write=True):
            await services.record(tenant, None, "test.event", "test", None, {"index": index, "when": tenant.today(), "name": "Ève"})
    return tenant


async def _verify(engine, tenant) -> services.ChainReport:
    async with db.tenant_transaction(engine, tenant.id, write=False):
        return await services.verify_audit_chain(tenant)


@postgres_only
async def test_the_owner_cannot_rewrite_the_audit_log_only_a_superuser_can(database, empty_database_url, tmp_path):
    """The tables' owner (who runs the migrations), not a superuser: UPDATE, DELETE and TRUNCATE of
    audit_event are refused; a superuser's UPDATE goes through, and the chain names that row."""
    owner_role = f"solidaire_owner_{secrets.token_hex(4)}"
    name = empty_database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_URL)
    await admin.execute(f"CREATE ROLE {owner_role} LOGIN NOSUPERUSER NOBYPASSRLS")
    await admin.execute(f'ALTER DATABASE "{name}" OWNER TO {owner_role}')
    owner_url = _with_user(empty_database_url, owner_role)
    engine = db.make_engine(owner_url)
    try:
        await db.start(engine)
        await db.migrate(engine, app_role=APP_ROLE)
        tenant = await _tenant_with_events(engine, 3)
        assert (await _verify(engine, tenant)).broken is None

        owner = await asyncpg.connect(owner_url)
        try:
            assert not await owner.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            for statement in ("UPDATE audit_event SET action = 'test.rewritten'", "DELETE FROM audit_event", "TRUNCATE audit_event"):
                async with owner.transaction():
                    await owner.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
                    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                        await owner.execute(statement)
        finally:
            await owner.close()

        superuser = await asyncpg.connect(empty_database_url)
        try:
            assert await superuser.execute("UPDATE audit_event SET details = '{\"index\": 7}' WHERE chain_position = 2") == "UPDATE 1"
            changed = await superuser.fetchval("SELECT id FROM audit_event WHERE chain_position = 2")
        finally:
            await superuser.close()
        report = await _verify(engine, tenant)
        assert report.broken is not None and report.broken.position == 2 and report.broken.row_id == changed

        env = {**os.environ, "SOLIDAIRE_VAR": str(tmp_path), "DATABASE_URL": _with_user(empty_database_url, APP_ROLE), "MIGRATION_DATABASE_URL": owner_url}
        failed = solidaire("audit", "verify", "--tenant", tenant.slug, env=env, ok=False)
        assert f"broken at row 2 (id {changed})" in failed.stderr
    finally:
        await db.stop(engine)
        db.bind_tables(database.app)
        inside = await asyncpg.connect(empty_database_url)  # the role goes; the fixture drops the database
        await inside.execute(f"DROP OWNED BY {owner_role}")
        await inside.close()
        await admin.execute(f'ALTER DATABASE "{name}" OWNER TO CURRENT_USER')
        await admin.execute(f"DROP ROLE {owner_role}")
        await admin.close()


async def test_concurrent_writers_of_one_tenant_chain_one_after_the_other(database):
    """Twenty transactions of one tenant record at once: positions 1 to 20, each pointing to the one
    before it; another tenant's chain is its own."""
    async with database.as_owner():
        tenant = await _tenant_with_events(database.owner, 0)
        other = await _tenant_with_events(database.owner, 2)

    async def write(index: int) -> None:
        async with db.tenant_transaction(database.app, tenant.id, write=True):
            await services.record(tenant, None, "test.event", "test", None, {"index": index})
            await asyncio.sleep(0.01)  # the transaction holds the chain's head a while

    await asyncio.gather(*(write(index) for index in range(20)))
    report = await _verify(database.app, tenant)
    assert (report.chained, report.unchained, report.broken) == (20, 0, None)
    assert (await _verify(database.app, other)).chained == 2


async def test_a_chained_row_reads_back_as_it_was_hashed(database):
    async with database.as_owner():
        tenant = await _tenant_with_events(database.owner, 2)
    async with db.tenant_transaction(database.app, tenant.id, write=False):
        rows = await services.AuditEvent.select().where(services.AuditEvent.tenant_id == tenant.id).order_by(services.AuditEvent.chain_position)
    assert rows[0]["previous_hash"] == rules.CHAIN_START and rows[1]["previous_hash"] == rows[0]["content_hash"]
    assert rules.first_broken_link(rows) is None
    assert rules.first_broken_link([rows[1]]).position == 1  # the first row missing
    assert rules.first_broken_link([rows[0], {**rows[1], "action": "test.other"}]).reason.startswith("its content")


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's triggers; its file's owner is the only way around them")
async def test_sqlite_refuses_changes_and_verify_names_the_row_changed_behind_the_triggers(database, tmp_path):
    path = tmp_path / "solidaire.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    await db.start(engine)
    await db.migrate(engine, app_role=APP_ROLE)
    try:
        tenant = await _tenant_with_events(engine, 3)
    finally:
        db.bind_tables(database.app)
    env = {**os.environ, "SOLIDAIRE_VAR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("MIGRATION_DATABASE_URL", None)
    assert "holds: 3 rows" in solidaire("audit", "verify", "--tenant", tenant.slug, env=env, ok=True).stdout
    connection = sqlite3.connect(path)
    try:
        for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)
        connection.executescript(
            "BEGIN; DROP TRIGGER audit_event_no_update; UPDATE audit_event SET action = 'test.rewritten' WHERE chain_position = 3; "
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END; COMMIT;"
        )
    finally:
        connection.close()
    assert "broken at row 3" in solidaire("audit", "verify", "--tenant", tenant.slug, env=env, ok=False).stderr
    assert "no tenant" in solidaire("audit", "verify", "--tenant", "nobody", env=env, ok=False).stderr
