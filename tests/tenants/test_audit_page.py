"""The administrator reads the audit log in a page (who did what, when, in words) and checks its
hash chain there; nobody else reads it."""

from tests.conftest import bearer, sign_in
from tests.meetings.test_pages import post_form
from tests.tenants.test_pages import admit_by_api

ORGANISATION = {"name": "Coop du log", "locale": "fr_CA", "timezone": "America/Montreal", "member_categories": ["user", "worker"], "share_price": "10", "qualifying_shares": "1"}


async def test_the_administrator_reads_who_changed_what_and_checks_the_chain(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    await admit_by_api(client, world, await bearer(client, world, "secretary"))  # another domain's action
    await sign_in(client, world, "administrator")
    assert (await post_form(client, f"/t/{slug}/organisation", ORGANISATION)).status_code in (302, 303)
    log = await client.get(f"/t/{slug}/audit/")
    assert log.status_code == 200
    assert "Paramètres de l’organisation modifiés" in log.text and f"Administrator {slug}" in log.text
    assert "Membre admis" in log.text
    assert "tenant.settings_changed" not in log.text and "member.admitted" not in log.text  # in words, not codes
    checked = await client.get(f"/t/{slug}/audit/?check=true")
    assert "La chaîne est intacte" in checked.text

    await sign_in(client, world, "secretary")
    assert (await client.get(f"/t/{slug}/audit/")).status_code == 403
