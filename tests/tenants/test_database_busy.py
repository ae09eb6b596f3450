"""SQLite's lock met by a request (its timeout passed, or the write-ahead log's index was being
rebuilt): a page that only reads is tried once more, and answers as if nothing happened; a write
answers 503 with Retry-After, nothing written, instead of a 500. The lock is raised here by a
stand-in for the service (a real one cannot be made to appear at will), as SQLite raises it."""

import sqlite3

from tenants import services
from tests.conftest import sign_in
from tests.meetings.test_pages import post_form


def locked_once(real):
    calls = []

    async def stand_in(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return await real(*args, **kwargs)

    return stand_in, calls


async def test_a_page_that_reads_is_tried_again_once_the_lock_is_gone(client, make_tenant, monkeypatch):
    world = await make_tenant()
    await sign_in(client, world, "administrator")
    stand_in, calls = locked_once(services.audit_events)
    monkeypatch.setattr(services, "audit_events", stand_in)
    shown = await client.get(f"/t/{world.tenant.slug}/audit/")
    assert shown.status_code == 200 and "Journal d’audit" in shown.text and len(calls) == 2


async def test_a_write_that_meets_the_lock_says_to_try_again(client, make_tenant, monkeypatch):
    world = await make_tenant()
    await sign_in(client, world, "administrator")
    stand_in, calls = locked_once(services.update_tenant)
    monkeypatch.setattr(services, "update_tenant", stand_in)
    form = {"name": "Autre nom", "locale": "fr_CA", "timezone": "America/Montreal", "member_categories": ["user"], "share_price": "10", "qualifying_shares": "1"}
    refused = await post_form(client, f"/t/{world.tenant.slug}/organisation", form)
    assert refused.status_code == 503 and refused.headers["retry-after"] == "2" and "occupé" in refused.text and len(calls) == 1
    assert (await services.tenant_by_slug(world.tenant.slug)).name == world.tenant.name
