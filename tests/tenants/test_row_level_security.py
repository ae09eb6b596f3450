"""PostgreSQL alone keeps tenants apart: raw SQL as the application role, with app.tenant_id set
to tenant A, sees and changes none of tenant B's rows, even without the service layer."""

import asyncpg
import pytest

from tests.conftest import APP_ROLE, BACKEND, admission, bearer

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="row-level security is PostgreSQL's")


async def tenant_tables(connection) -> list[str]:
    """Every tenant-owned table, of every domain: those with a tenant_id column."""
    rows = await connection.fetch(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1"
    )
    return [row["table_name"] for row in rows]


async def test_the_application_role_cannot_bypass_row_level_security(database):
    connection = await asyncpg.connect(database.app_url)
    try:
        tables = await tenant_tables(connection)
        assert {"member", "audit_event", "number_sequence"} <= set(tables)
        role = await connection.fetchrow("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert (await connection.fetchval("SELECT current_user")) == APP_ROLE
        assert not role["rolsuper"] and not role["rolbypassrls"]
        for table in tables:
            owner = await connection.fetchval("SELECT tableowner FROM pg_tables WHERE tablename = $1", table)
            forced = await connection.fetchrow("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = $1", table)
            assert owner != APP_ROLE and forced["relrowsecurity"] and forced["relforcerowsecurity"], table
    finally:
        await connection.close()


async def test_raw_sql_as_tenant_a_sees_and_changes_nothing_of_tenant_b(client, make_tenant, database):
    a, b = await make_tenant(), await make_tenant()
    for world in (a, b):
        headers = await bearer(client, world, "secretary")
        for _ in range(3):
            assert (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(), headers=headers)).status_code == 201

    connection = await asyncpg.connect(database.app_url)
    try:
        tables = await tenant_tables(connection)
        # Without a tenant, nothing at all is visible.
        assert await connection.fetchval("SELECT count(*) FROM member WHERE tenant_id = $1", b.tenant.id) == 0
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(a.tenant.id))
            for table in tables:
                assert await connection.fetchval(f"SELECT count(*) FROM {table} WHERE tenant_id = $1", b.tenant.id) == 0, table
                assert await connection.fetchval(f"SELECT count(*) FROM {table} WHERE tenant_id <> $1", a.tenant.id) == 0, table
            assert await connection.fetchval("SELECT count(*) FROM member") == 3
            assert await connection.execute("UPDATE member SET city = 'Volé' WHERE tenant_id = $1", b.tenant.id) == "UPDATE 0"
            assert await connection.execute("DELETE FROM member_status_change WHERE tenant_id = $1", b.tenant.id) == "DELETE 0"
            b_member = await _any_member_of(database, b)
            with pytest.raises(asyncpg.InsufficientPrivilegeError):  # WITH CHECK refuses rows of B
                await connection.execute(
                    "INSERT INTO member_status_change (tenant_id, id, member_id, to_status, effective_on, reason, recorded_at) "
                    "VALUES ($1, gen_random_uuid(), $2, 'active', current_date, 'x', now())",
                    b.tenant.id, b_member,
                )
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(a.tenant.id))
            with pytest.raises(asyncpg.InsufficientPrivilegeError):  # the audit log is append-only
                await connection.execute("DELETE FROM audit_event")
    finally:
        await connection.close()
    # B is intact.
    headers = await bearer(client, b, "secretary")
    listing = (await client.get(f"/api/t/{b.tenant.slug}/members", headers=headers)).json()
    assert listing["total"] == 3 and all(m["city"] == "Shawinigan" for m in listing["items"])


async def _any_member_of(database, world):
    owner = await asyncpg.connect(database.owner_url)  # superuser: sees every tenant
    try:
        return await owner.fetchval("SELECT id FROM member WHERE tenant_id = $1 LIMIT 1", world.tenant.id)
    finally:
        await owner.close()


async def test_a_row_cannot_point_into_another_tenant(make_tenant, client, database):
    """Composite foreign keys: even the owner cannot attach A's history to B's member."""
    a, b = await make_tenant(), await make_tenant()
    headers = await bearer(client, b, "secretary")
    await client.post(f"/api/t/{b.tenant.slug}/members", json=admission(), headers=headers)
    b_member = await _any_member_of(database, b)
    owner = await asyncpg.connect(database.owner_url)
    try:
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await owner.execute(
                "INSERT INTO member_status_change (tenant_id, id, member_id, to_status, effective_on, reason, recorded_at) "
                "VALUES ($1, gen_random_uuid(), $2, 'active', current_date, 'x', now())",
                a.tenant.id, b_member,
            )
    finally:
        await owner.close()
