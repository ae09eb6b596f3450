"""The share ledger through the API and the pages, on SQLite and PostgreSQL: each operation dated
and numbered, the register's figures its sums, reversals instead of changes (the database refuses
an update), members' requests answered by the secretary, the documents, the counters of a
register made before the ledger turned into opening operations, and concurrent operations."""

import asyncio
import datetime as dt
import sqlite3
import uuid
from pathlib import Path

import asyncpg
import pytest

from backend import db
from backend.auth import LANGUAGE_COOKIE
from governance.members import share_rules
from tenants import services
from tests.clock import ZONE, today
from tests.conftest import BACKEND, bearer, sign_in
from tests.members.test_invitations import admitted
from tests.tenants.test_pages import assert_accessible, link_member, post_form


async def ledger(client, world, headers, member_id) -> dict:
    response = await client.get(f"/api/t/{world.tenant.slug}/members/{member_id}/shares", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def held(shares: dict) -> dict:
    return {h["share_kind"]: (h["subscribed"], h["paid"]) for h in shares["holdings"]}


async def test_each_operation_is_numbered_and_the_register_shows_the_ledgers_sums(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    ann = await admitted(client, world, secretary, last_name="Bédard", shares_subscribed=1, shares_paid=1)
    bob = await admitted(client, world, secretary, last_name="Blais", shares_subscribed=1, shares_paid=0)
    url = f"/api/t/{slug}/members/{ann['id']}/shares"

    async def operate(**body):
        return await client.post(url, json=body, headers=secretary)

    assert (await operate(kind="subscription", shares=4)).status_code == 201
    assert (await operate(kind="payment", shares=3)).status_code == 201
    transfer = await operate(kind="transfer", shares=2, to_member_number=bob["number"], decision="CA-2026-3")
    assert transfer.status_code == 201 and [m["member_number"] for m in transfer.json()["movements"]] == [ann["number"], bob["number"]]
    assert (await operate(kind="conversion", shares=1, to_kind="preferred")).status_code == 201
    too_many = await operate(kind="transfer", shares=5, to_member_number=bob["number"])
    assert too_many.status_code == 409  # more than she holds paid: refused, nothing written
    redemption = await operate(kind="redemption", shares=1, ground="resignation")
    assert redemption.status_code == 422 and {e["field"] for e in redemption.json()["errors"]} == {"decision"}
    refund = await operate(kind="redemption", share_kind="preferred", shares=1, ground="resignation", decision="CA-2026-4", paid_on=today().isoformat())
    assert refund.status_code == 201, refund.text

    shares = await ledger(client, world, secretary, ann["id"])
    # 1 + 4 subscribed, 1 + 3 paid; 2 transferred, 1 converted (then redeemed)
    assert held(shares) == {"qualifying": (2, 1), "preferred": (0, 0)}
    assert [o["kind"] for o in shares["operations"]] == ["opening", "subscription", "payment", "transfer", "conversion", "redemption"]
    numbers = [o["number"] for o in shares["operations"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    entry = (await client.get(f"/api/t/{slug}/members/{ann['id']}", headers=secretary)).json()
    assert (entry["shares_subscribed"], entry["shares_paid"]) == (2, 1)
    bobs = (await client.get(f"/api/t/{slug}/members/{bob['id']}", headers=secretary)).json()
    assert (bobs["shares_subscribed"], bobs["shares_paid"]) == (3, 2)

    # Reversed, never changed: the payment's reversal is an operation of its own, once.
    payment = shares["operations"][2]
    reversal = await client.post(f"/api/t/{slug}/shares/operations/{payment['id']}/reversal", json={"reason": "cheque returned"}, headers=secretary)
    assert reversal.status_code == 409  # she has 1 paid share left; the payment of 3 cannot be taken back whole
    subscription = shares["operations"][1]
    assert (await operate(kind="payment", shares=1)).status_code == 201
    reversal = await client.post(f"/api/t/{slug}/shares/operations/{subscription['id']}/reversal", json={"reason": "entered twice"}, headers=secretary)
    assert reversal.status_code == 409  # the subscription's shares are paid or moved
    last = (await ledger(client, world, secretary, ann["id"]))["operations"][-1]
    undone = await client.post(f"/api/t/{slug}/shares/operations/{last['id']}/reversal", json={"reason": "entered twice"}, headers=secretary)
    assert undone.status_code == 201 and undone.json()["reverses_number"] == last["number"]
    again = await client.post(f"/api/t/{slug}/shares/operations/{last['id']}/reversal", json={"reason": "again"}, headers=secretary)
    assert again.status_code == 409
    assert held(await ledger(client, world, secretary, ann["id"]))["qualifying"] == (2, 1)

    treasurer = await bearer(client, world, "treasurer")
    assert (await client.post(url, json={"kind": "subscription", "shares": 1}, headers=treasurer)).status_code == 403


REFUSED = (sqlite3.DatabaseError, asyncpg.PostgresError)  # a trigger (SQLite), a missing grant (PostgreSQL)


async def test_the_database_refuses_to_change_an_operation(client, make_tenant, database):
    world = await make_tenant()
    secretary = await bearer(client, world, "secretary")
    member = await admitted(client, world, secretary)
    with pytest.raises(REFUSED) as refused:
        async with db.tenant_transaction(database.app, world.tenant.id, write=True):
            await db.execute(database.app, "UPDATE share_movement SET paid = 5 WHERE tenant_id = {} AND member_id = {}", world.tenant.id, uuid.UUID(member["id"]))
    assert "append-only" in str(refused.value) or "permission denied" in str(refused.value)
    with pytest.raises(REFUSED):
        async with db.tenant_transaction(database.app, world.tenant.id, write=True):
            await db.execute(database.app, "DELETE FROM share_operation WHERE tenant_id = {}", world.tenant.id)


async def test_a_member_asks_and_the_secretary_answers_in_the_pages(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    member = await link_member(database, world)
    await sign_in(client, world, "member")
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    mine = await client.get(f"/t/{slug}/me/shares")
    assert mine.status_code == 200 and "Parts de qualification" in mine.text
    blank = await post_form(client, f"/t/{slug}/me/shares/requests", {"kind": "", "share_kind": "qualifying", "shares": "0"})
    assert blank.status_code == 422 and 'id="f-kind-error"' in blank.text and 'id="f-shares-error"' in blank.text
    asked = await post_form(client, f"/t/{slug}/me/shares/requests", {"kind": "subscription", "share_kind": "preferred", "shares": "2", "note": "Pour soutenir la clinique"})
    assert asked.status_code in (302, 303) and asked.headers["location"].endswith("done=asked")
    refund = await post_form(client, f"/t/{slug}/me/shares/requests", {"kind": "refund", "share_kind": "qualifying", "shares": "1"})
    assert refund.status_code in (302, 303)

    client.cookies.clear()
    secretary = await bearer(client, world, "secretary")
    await sign_in(client, world, "secretary")
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    page = await client.get(f"/t/{slug}/shares")
    assert page.status_code == 200 and "Pour soutenir la clinique" in page.text
    pending = (await client.get(f"/api/t/{slug}/share-requests", params={"status": "pending"}, headers=secretary)).json()
    subscription, redemption = sorted(pending, key=lambda r: r["kind"] != "subscription")
    without_reason = await post_form(client, f"/t/{slug}/shares/requests/{redemption['id']}/answer", {"approved": "no", "reason": ""})
    assert without_reason.status_code == 422 and 'id="f-reason-error"' in without_reason.text and 'href="#f-reason"' in without_reason.text
    assert_accessible(page.text)  # two requests waiting, two answer forms: their fields' ids differ
    assert_accessible(without_reason.text)
    refused = await post_form(client, f"/t/{slug}/shares/requests/{redemption['id']}/answer", {"approved": "no", "reason": "Le conseil ne rembourse qu'à la démission."})
    assert refused.status_code in (302, 303) and refused.headers["location"].endswith("done=refused")
    approved = await client.post(f"/api/t/{slug}/share-requests/{subscription['id']}/answer", json={"approved": True, "reason": "Bienvenue"}, headers=secretary)
    assert approved.status_code == 200 and approved.json()["status"] == "approved" and approved.json()["operation_id"]
    twice = await client.post(f"/api/t/{slug}/share-requests/{subscription['id']}/answer", json={"approved": False, "reason": "non"}, headers=secretary)
    assert twice.status_code == 409
    assert held(await ledger(client, world, secretary, member["id"]))["preferred"] == (2, 0)

    client.cookies.clear()
    await sign_in(client, world, "member")
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    mine = (await client.get(f"/t/{slug}/me/shares")).text
    assert "Le conseil ne rembourse qu&#39;à la démission." in mine and "Refusé" in mine and "Approuvé" in mine


async def test_the_secretary_records_and_reverses_from_the_members_entry(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    member = await admitted(client, world, secretary, last_name="Côté")
    await sign_in(client, world, "secretary")
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    url = f"/t/{slug}/members/{member['id']}"
    entry = (await client.get(url)).text
    assert "Ouverture" in entry and '<option value="">Choisissez l’opération</option>' in entry
    refused = await post_form(client, f"{url}/shares", {"kind": "redemption", "share_kind": "qualifying", "shares": "1", "occurred_on": today().isoformat(), "ground": ""})
    assert refused.status_code == 422 and 'id="f-ground-error"' in refused.text and 'id="f-decision-error"' in refused.text
    done = await post_form(client, f"{url}/shares", {"kind": "subscription", "share_kind": "qualifying", "shares": "2", "occurred_on": today().isoformat(), "note": ""})
    assert done.status_code in (302, 303) and "done=recorded" in done.headers["location"]
    shown = (await client.get(done.headers["location"])).text
    assert "a été inscrite au registre des parts" in shown or "inscrite" in shown
    operation = (await ledger(client, world, secretary, member["id"]))["operations"][-1]
    blank = await post_form(client, f"{url}/shares/{operation['id']}/reversal", {"reason": ""})
    assert blank.status_code == 422
    reversed_ = await post_form(client, f"{url}/shares/{operation['id']}/reversal", {"reason": "Inscrite par erreur"})
    assert reversed_.status_code in (302, 303) and "done=reversed" in reversed_.headers["location"]
    assert held(await ledger(client, world, secretary, member["id"]))["qualifying"] == (1, 1)


async def test_the_ledger_csv_the_register_of_shares_and_a_certificate(client, make_tenant, tmp_path):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    member = await admitted(client, world, secretary, last_name="Bédard", first_name="Élise")
    settings = await client.put(f"/api/t/{slug}/shares/settings", json={"preferred_price_cents": 5000, "signatories": "Marie Roy, présidente\nLuc Gélinas, secrétaire"}, headers=secretary)
    assert settings.status_code == 200 and settings.json()["qualifying_price_cents"] == world.tenant.share_price_cents
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    csv = await client.get(f"/api/t/{slug}/shares/ledger.csv", headers=secretary)
    text = csv.content.decode("utf-8-sig")
    assert csv.content.startswith(b"\xef\xbb\xbf") and ";Ouverture;" in text and ";Parts de qualification;" in text and "Bédard, Élise" in text
    register = await client.get(f"/api/t/{slug}/shares/register.pdf", headers=secretary)
    certificate = await client.get(f"/api/t/{slug}/members/{member['id']}/shares/certificate.pdf", headers=secretary)
    for document in (register, certificate):
        assert document.status_code == 200 and document.content.startswith(b"%PDF")
    keep = Path("/tmp/solidaire-share-pdfs")  # where a person looks at them (pdftoppm -png)
    if keep.is_dir():
        (keep / f"register-{BACKEND}.pdf").write_bytes(register.content)
        (keep / f"certificate-{BACKEND}.pdf").write_bytes(certificate.content)


async def test_concurrent_operations_keep_the_figures_the_ledgers_sums(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    members = [await admitted(client, world, secretary, shares_subscribed=10, shares_paid=5) for _ in range(2)]
    url = f"/api/t/{slug}/members/{{}}/shares"

    async def operate(n: int):
        a, b = members[n % 2], members[(n + 1) % 2]
        body = [
            {"kind": "payment", "shares": 1}, {"kind": "subscription", "shares": 1},
            {"kind": "transfer", "shares": 1, "to_member_number": b["number"]}, {"kind": "redemption", "shares": 1, "ground": "resignation", "decision": "CA-1"},
        ][n % 4]
        return (await client.post(url.format(a["id"]), json=body, headers=secretary)).status_code

    statuses = await asyncio.gather(*(operate(n) for n in range(40)))
    assert set(statuses) <= {201, 409} and statuses.count(201) > 0
    for member in members:
        shares = await ledger(client, world, secretary, member["id"])
        sums = share_rules.holdings(
            share_rules.Movement(m["member_id"], m["share_kind"], m["subscribed"], m["paid"]) for o in shares["operations"] for m in o["movements"] if m["member_id"] == member["id"]
        )
        entry = (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=secretary)).json()
        figures = sums[(member["id"], "qualifying")]
        assert (entry["shares_subscribed"], entry["shares_paid"]) == (figures.subscribed, figures.paid)
        assert 0 <= figures.paid <= figures.subscribed
    numbers = [o["number"] for o in (await ledger(client, world, secretary, members[0]["id"]))["operations"]]
    assert len(numbers) == len(set(numbers))


async def test_the_counters_of_a_register_before_the_ledger_become_opening_operations(empty_database_url, database):
    """Migration 0005 on a register whose members hold shares as two counters: one opening
    operation per member holding any, numbered in the order of the members' numbers, and the
    tenant's counter of operations after them."""
    engine = db.make_engine(empty_database_url)
    await db.start(engine)
    try:
        await db.migrate(engine)
        db.bind_tables(engine)
        async with db.transaction(engine, write=True):
            tenant = await services.create_tenant(slug="avant", name="Avant", kind="coop", locale="fr_CA", timezone=ZONE.key, currency="CAD", member_categories=["user"])
            for number, (subscribed, paid) in enumerate([(3, 2), (0, 0), (1, 1)], start=1):
                await db.execute(
                    engine,
                    "INSERT INTO member (tenant_id, id, number, first_name, last_name, street, city, region, postal_code, country, language, category, status,"
                    " status_since, shares_subscribed, shares_paid, admitted_on, consent_contact, consent_publish_name, consent_photos, consent_research,"
                    " search_text, name_key, name_key_fi, created_at, updated_at) VALUES ({}, {}, {}, 'A', 'B', 'rue', 'ville', 'QC', 'G9N', 'CA', 'fr_CA',"
                    " 'user', 'active', {}, {}, {}, {}, false, false, false, false, '', '', '', {}, {})",
                    tenant.id, uuid.uuid4(), number, today(), subscribed, paid, today(), dt.datetime.now(dt.UTC), dt.datetime.now(dt.UTC),
                )
            dialect = "postgres" if db.is_postgres(engine) else "sqlite"
            sql = (Path(share_rules.__file__).parent / "migrations" / f"0005_opening_operations.{dialect}.sql").read_text()
            for statement in db._split(sql):
                if "\n".join(line for line in statement.splitlines() if not line.startswith("--")).lstrip().startswith("INSERT"):
                    await engine.run_ddl(statement)
            operations = await db.execute(engine, "SELECT o.number, o.kind, m.number AS member, v.subscribed, v.paid FROM share_operation o JOIN share_movement v ON v.operation_id = o.id JOIN member m ON m.id = v.member_id ORDER BY o.number")
            assert [(o["number"], o["kind"], o["member"], o["subscribed"], o["paid"]) for o in operations] == [(1, "opening", 1, 3, 2), (2, "opening", 3, 1, 1)]
            assert await services.next_number(tenant, "share_operation") == 3
    finally:
        db.bind_tables(database.app)
        await db.stop(engine)
