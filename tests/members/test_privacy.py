"""Members' privacy (Quebec's Law 25), on SQLite and PostgreSQL: a member downloads all the
register holds about them (JSON, and a PDF in their language with their consents in words) and
nothing of another member; whoever other than the member opens an entry (its page, its API, its
share certificate) is logged, listed for the register's keepers and shown to the member; the
member's own reading and a search of the register are not openings."""

import json
import subprocess

from backend.auth import LANGUAGE_COOKIE
from governance.members import documents
from tests.clock import today
from tests.conftest import bearer, sign_in
from tests.members.test_invitations import admitted
from tests.tenants import test_pages


async def link_member(database, world, role: str, **overrides) -> dict:
    """An entry linked to the login of `role`, its id as the API writes it."""
    entry = await test_pages.link_member(database, world, role, **overrides)
    return {**entry, "id": str(entry["id"])}


async def openings(client, world, headers, member_id) -> list[dict]:
    response = await client.get(f"/api/t/{world.tenant.slug}/members/{member_id}/openings", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_member_downloads_all_the_register_holds_about_them_and_nothing_of_another(client, make_tenant, database):
    world = await make_tenant(roles=("clinician",))
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    own = await link_member(database, world, "member", first_name="Aline", last_name="Bourassa", consent_contact=True, consent_research=True, phone="819 555-0101")
    other = await link_member(database, world, "clinician", first_name="Xavier", last_name="Autremembre", email="xavier.autre@exemple.ca")
    member, clinician = await bearer(client, world, "member"), await bearer(client, world, "clinician")
    for body in ({"kind": "subscription", "shares": 2}, {"kind": "payment", "shares": 2}, {"kind": "transfer", "shares": 1, "to_member_number": other["number"]}):
        assert (await client.post(f"/api/t/{slug}/members/{own['id']}/shares", json=body, headers=secretary)).status_code == 201
    asked = await client.post(f"/api/t/{slug}/me/shares/requests", json={"kind": "subscription", "shares": 1, "note": "Une de plus"}, headers=member)
    assert asked.status_code == 201, asked.text
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}", headers=secretary)).status_code == 200  # an opening, logged

    response = await client.get(f"/api/t/{slug}/me/data", headers=member)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == f'attachment; filename="my-data-{slug}-{today().isoformat()}.json"'
    data = json.loads(response.content)
    entry = data["entry"]
    assert entry["id"] == own["id"] and entry["phone"] == "819 555-0101" and entry["street"] == own["street"]
    assert {name: entry[name] for name in documents.CONSENTS} == {"consent_contact": True, "consent_publish_name": False, "consent_photos": False, "consent_research": True}
    assert data["generated_on"] == today().isoformat() and data["organisation"] == world.tenant.name
    assert [change["to_status"] for change in data["status_history"]] == ["active"]
    assert [o["kind"] for o in data["shares"]["operations"]] == ["opening", "subscription", "payment", "transfer"]
    assert {(h["share_kind"], h["subscribed"], h["paid"]) for h in data["shares"]["holdings"]} == {("qualifying", 2, 2)}
    assert [r["note"] for r in data["shares"]["requests"]] == ["Une de plus"]
    assert [(o["opened"], o["reader"]) for o in data["openings"]] == [("api", f"Secretary {slug}")]
    # Nothing of the other member, even in the transfer that gave them a share: only the member's own movements.
    transfer = data["shares"]["operations"][-1]
    assert [m["member_id"] for m in transfer["movements"]] == [own["id"]]
    for secret in (other["id"], "Autremembre", "xavier.autre@exemple.ca"):
        assert secret not in response.text

    # The other member's download is theirs alone; a login without an entry, or no login, gets nothing.
    theirs = await client.get(f"/api/t/{slug}/me/data", headers=clinician)
    assert theirs.status_code == 200 and theirs.json()["entry"]["id"] == other["id"] and theirs.json()["openings"] == []
    assert [o["kind"] for o in theirs.json()["shares"]["operations"]] == ["opening", "transfer"]
    for secret in (own["id"], "Bourassa", own["email"], "819 555-0101", "Une de plus"):
        assert secret not in theirs.text
    for path in ("data", "data.pdf"):
        assert (await client.get(f"/api/t/{slug}/me/{path}", headers=secretary)).status_code == 404
        assert (await client.get(f"/api/t/{slug}/me/{path}")).status_code == 401


async def test_the_pdf_of_my_data_is_in_my_language_with_my_consents_in_words(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    await link_member(database, world, "member", first_name="Aino", last_name="Virtanen", language="fi", consent_contact=True)
    secretary = await bearer(client, world, "secretary")
    await sign_in(client, world, "member")
    own = (await client.get(f"/api/t/{slug}/me")).json()
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}/shares/certificate.pdf", headers=secretary)).status_code == 200  # an opening, logged
    page = await client.get(f"/t/{slug}/me")
    assert f'href="/api/t/{slug}/me/data.pdf"' in page.text and f'href="/api/t/{slug}/me/data"' in page.text
    response = await client.get(f"/api/t/{slug}/me/data.pdf", headers={"accept-language": "fr-CA"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/pdf")
    assert response.headers["content-disposition"] == f'attachment; filename="my-data-{slug}-{today().isoformat()}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode().split())
    # In the member's language (Finnish), whatever the browser's: the consents in words.
    assert "Kaikki jäsenluettelon minusta säilyttämät tiedot" in text and "Virtanen" in text
    assert "Kyllä, annan suostumukseni" in text and "Ei, en anna suostumustani" in text
    assert "Osuustodistus" in text and f"Secretary {slug}" in text  # who opened what


async def test_a_secretary_opening_an_entry_is_logged_and_listed_and_a_search_is_not(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    own = await link_member(database, world, "member", first_name="Aline", last_name="Bourassa")
    secretary, treasurer = await bearer(client, world, "secretary"), await bearer(client, world, "treasurer")
    assert await openings(client, world, secretary, own["id"]) == []

    await sign_in(client, world, "secretary")
    assert (await client.get(f"/t/{slug}/members", params={"q": "Bourassa"})).status_code == 200  # a search opens no entry
    assert (await client.get(f"/api/t/{slug}/members", params={"q": "Bourassa"}, headers=secretary)).status_code == 200
    assert await openings(client, world, secretary, own["id"]) == []
    page = await client.get(f"/t/{slug}/members/{own['id']}")
    assert page.status_code == 200
    assert "Qui a consulté cette fiche" in page.text and f"Secretary {slug}" in page.text and "La page de la fiche" in page.text
    assert (await client.get(f"/t/{slug}/members/{own['id']}/edit")).status_code == 200  # the correction form shows the whole entry
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}", headers=treasurer)).status_code == 200
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}/shares/certificate.pdf", headers=treasurer)).status_code == 200
    logged = await openings(client, world, secretary, own["id"])
    assert [(o["opened"], o["reader"], o["user_id"]) for o in logged] == [
        ("certificate", f"Treasurer {slug}", str(world.users["treasurer"])),
        ("api", f"Treasurer {slug}", str(world.users["treasurer"])),
        ("page", f"Secretary {slug}", str(world.users["secretary"])),
        ("page", f"Secretary {slug}", str(world.users["secretary"])),
    ]
    # The keepers see who consulted; a treasurer reads the entry but not that list.
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}/openings", headers=treasurer)).status_code == 403
    client.cookies.clear()
    await sign_in(client, world, "treasurer")
    assert "Qui a consulté cette fiche" not in (await client.get(f"/t/{slug}/members/{own['id']}")).text
    # An entry of no one here logs nothing and is a 404.
    assert (await client.get(f"/t/{slug}/members/{world.users['member']}")).status_code == 404

    # The member sees who consulted their entry on their own page, in their language.
    client.cookies.clear()
    await sign_in(client, world, "member")
    mine = (await client.get(f"/t/{slug}/me")).text
    assert "Qui a consulté ma fiche" in mine and f"Secretary {slug}" in mine and f"Treasurer {slug}" in mine and "Le certificat de parts" in mine
    client.cookies.set(LANGUAGE_COOKIE, "fi")
    fi = (await client.get(f"/t/{slug}/me")).text
    assert "Ketkä ovat avanneet merkintäni" in fi and "Lataa tietoni (PDF)" in fi


async def test_the_members_own_reading_of_their_entry_is_not_logged(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    # The secretary is a member too: reading her own entry is no opening.
    own = await link_member(database, world, "secretary", first_name="Sophie", last_name="Lemieux")
    secretary = await bearer(client, world, "secretary")
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}", headers=secretary)).status_code == 200
    assert (await client.get(f"/api/t/{slug}/members/{own['id']}/shares/certificate.pdf", headers=secretary)).status_code == 200
    await sign_in(client, world, "secretary")
    page = await client.get(f"/t/{slug}/members/{own['id']}")
    assert page.status_code == 200 and "Personne d'autre que le membre n'a consulté cette fiche." in page.text
    assert (await client.get(f"/api/t/{slug}/me/data", headers=secretary)).status_code == 200
    assert await openings(client, world, secretary, own["id"]) == []
    # Another member entry read by her is one.
    somebody = await admitted(client, world, secretary, last_name="Gagnon")
    assert (await client.get(f"/t/{slug}/members/{somebody['id']}")).status_code == 200
    assert [o["opened"] for o in await openings(client, world, secretary, somebody["id"])] == ["page"]
