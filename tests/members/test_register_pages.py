"""The register's pages as their people use them: the search with the form's defaults, a status
change that starts on no status, and the home page that sends each role where it works."""

from tests.conftest import bearer, sign_in
from tests.members.test_invitations import admitted


async def test_the_register_search_with_every_category_and_status_answers_and_no_status_is_preselected(client, make_tenant):
    world = await make_tenant()
    secretary = await bearer(client, world, "secretary")
    member = await admitted(client, world, secretary, last_name="Bédard")
    await sign_in(client, world, "secretary")
    searched = await client.get(f"/t/{world.tenant.slug}/members", params={"q": "", "category": "", "status": ""})  # the form as sent by default
    assert searched.status_code == 200 and "Bédard" in searched.text
    assert (await client.get(f"/t/{world.tenant.slug}/members", params={"q": "bedard", "category": "user", "status": ""})).status_code == 200
    entry = await client.get(f"/t/{world.tenant.slug}/members/{member['id']}")
    assert '<option value="">Choisissez le nouveau statut</option>' in entry.text and " selected>Décédé" not in entry.text


async def test_each_role_lands_where_it_works(client, make_tenant):
    world = await make_tenant(roles=("clinician", "partner"))
    slug = world.tenant.slug
    for role, landing in (("clinician", f"/t/{slug}/billing"), ("partner", f"/t/{slug}/program/me")):
        client.cookies.clear()
        await sign_in(client, world, role)
        home = await client.get(f"/t/{slug}/")
        assert home.status_code in (302, 303) and home.headers["location"] == landing, (role, home.headers.get("location"))
    client.cookies.clear()
    await sign_in(client, world, "secretary")
    assert (await client.get(f"/t/{slug}/")).status_code == 200  # the register's people keep the home page
