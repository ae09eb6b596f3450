"""The organisation's settings, set by its administrator in a page (and the API): name, address,
language, time zone, member categories, share price and qualifying shares (they were fixed at
creation), and the person in charge of the protection of personal information."""

import pytest

from backend import db
from tests.conftest import BACKEND, bearer, sign_in
from tests.meetings.test_pages import post_form


async def test_the_administrator_changes_the_share_price_and_nothing_else(client, make_tenant):
    world = await make_tenant()
    url, admin = f"/api/t/{world.tenant.slug}/organisation", await bearer(client, world, "administrator")
    before = (await client.get(url, headers=admin)).json()
    assert (before["share_price_cents"], before["qualifying_shares"], before["timezone"]) == (1000, 1, "America/Montreal")
    after = await client.put(url, json={"share_price_cents": 5000}, headers=admin)
    assert after.status_code == 200 and after.json() == {**before, "share_price_cents": 5000}
    assert (await client.get(url, headers=admin)).json()["share_price_cents"] == 5000  # the next request reads it
    zone = await client.put(url, json={"timezone": "Mars/Olympus_Mons"}, headers=admin)
    assert zone.status_code == 422 and [e["field"] for e in zone.json()["errors"]] == ["timezone"]
    assert (await client.put(url, json={"member_categories": []}, headers=admin)).status_code == 400
    assert (await client.get(url, headers=admin)).json() == {**before, "share_price_cents": 5000}  # nothing half written
    assert (await client.put(url, json={}, headers=await bearer(client, world, "secretary"))).status_code == 403
    actions = [e["action"] for e in (await client.get(f"/api/t/{world.tenant.slug}/audit", headers=admin)).json()]
    assert actions.count("tenant.settings_changed") == 1


async def test_the_organisation_page_saves_a_price_typed_the_french_way(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    await sign_in(client, world, "administrator")
    shown = await client.get(f"/t/{slug}/organisation")
    assert shown.status_code == 200 and 'value="10.00"' in shown.text and "Catégories de membres" in shown.text
    form = {"name": "Coop renommée", "locale": "fr_CA", "timezone": "America/Toronto", "member_categories": ["user", "worker"], "share_price": "50,00", "qualifying_shares": "2"}
    saved = await post_form(client, f"/t/{slug}/organisation", form)
    assert saved.status_code in (302, 303) and saved.headers["location"].endswith("?saved=1")
    assert "ont été enregistrés" in (await client.get(saved.headers["location"])).text
    settings = (await client.get(f"/api/t/{slug}/organisation", headers=await bearer(client, world, "administrator"))).json()
    assert (settings["name"], settings["share_price_cents"], settings["qualifying_shares"], settings["member_categories"], settings["timezone"]) == (
        "Coop renommée", 5000, 2, ["user", "worker"], "America/Toronto")
    refused = await post_form(client, f"/t/{slug}/organisation", {**form, "share_price": "cinquante"})
    assert refused.status_code in (400, 422) and 'id="f-share_price-error"' in refused.text and 'value="cinquante"' in refused.text


async def test_the_privacy_officer_is_shown_at_the_foot_of_every_page(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    await sign_in(client, world, "administrator")
    form = {"name": world.tenant.name, "locale": "fr_CA", "timezone": "America/Montreal", "member_categories": ["user", "worker"], "share_price": "10",
            "qualifying_shares": "1", "address": "2255, avenue de la Paix\r\nShawinigan (Québec) G9N 0A1", "privacy_officer_name": "Secrétaire du conseil",
            "privacy_officer_email": "vie-privee"}
    refused = await post_form(client, f"/t/{slug}/organisation", form)
    assert refused.status_code in (400, 422) and 'id="f-privacy_officer_email-error"' in refused.text and "Secrétaire du conseil" in refused.text
    saved = await post_form(client, f"/t/{slug}/organisation", {**form, "privacy_officer_email": "vie-privee@coop.example"})
    assert saved.status_code in (302, 303)
    settings = (await client.get(f"/api/t/{slug}/organisation", headers=await bearer(client, world, "administrator"))).json()
    assert (settings["address"], settings["privacy_officer_name"], settings["privacy_officer_email"]) == (
        "2255, avenue de la Paix\nShawinigan (Québec) G9N 0A1", "Secrétaire du conseil", "vie-privee@coop.example")
    await sign_in(client, world, "member")
    foot = (await client.get(f"/t/{slug}/me")).text
    assert "Protection des renseignements personnels" in foot and 'href="mailto:vie-privee@coop.example"' in foot


@pytest.mark.skipif(BACKEND != "postgres", reason="row-level security is PostgreSQL's")
async def test_the_application_changes_only_the_organisation_of_the_request(database, make_tenant):
    a, b = await make_tenant(), await make_tenant()
    async with db.tenant_transaction(database.app, a.tenant.id, write=True):
        assert await db.execute(database.app, "UPDATE tenant SET name = 'prise' WHERE id = {} RETURNING id", b.tenant.id) == []
        assert len(await db.execute(database.app, "UPDATE tenant SET name = 'la mienne' WHERE id = {} RETURNING id", a.tenant.id)) == 1
        assert await db.execute(database.app, "SELECT slug FROM tenant WHERE id = {}", b.tenant.id)  # (still read: its address is public)
