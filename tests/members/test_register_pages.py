"""The register's pages as their people use them: the search with the form's defaults, a status
change that starts on no status, the home page that sends each role where it works, the list
sorted by its columns as its readers read names, the CSV as a spreadsheet opens it."""

from backend.auth import LANGUAGE_COOKIE
from tests.conftest import admission, bearer, sign_in
from tests.members.test_invitations import admitted
from tests.tenants.test_pages import post_form


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


async def test_the_list_sorts_by_each_column_and_names_as_their_readers_read_them(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    for last_name, category in (("Zola", "worker"), ("Öberg", "user"), ("Blais", "supporting"), ("Bédard", "user"), ("Åberg", "user")):
        await admitted(client, world, secretary, last_name=last_name, category=category)

    async def names(language: str, **params) -> list[str]:
        client.cookies.set(LANGUAGE_COOKIE, language)
        listed = await client.get(f"/api/t/{slug}/members", params=params, headers=secretary)
        assert listed.status_code == 200, listed.text
        return [m["last_name"] for m in listed.json()["items"]]

    assert await names("fr_CA") == ["Åberg", "Bédard", "Blais", "Öberg", "Zola"]  # accents only break ties
    assert await names("fi") == ["Bédard", "Blais", "Zola", "Åberg", "Öberg"]  # å, ä, ö after z
    assert await names("fr_CA", sort="name", order="desc") == ["Zola", "Öberg", "Blais", "Bédard", "Åberg"]
    assert await names("fr_CA", sort="number", order="desc") == ["Åberg", "Bédard", "Blais", "Öberg", "Zola"]  # the last admitted first
    assert (await names("fr_CA", sort="number"))[0] == "Zola"
    # Categories in the order of their names: membre de soutien, membre travailleur, membre utilisateur
    assert await names("fr_CA", sort="category") == ["Blais", "Zola", "Åberg", "Bédard", "Öberg"]
    assert (await client.get(f"/api/t/{slug}/members", params={"sort": "colour"}, headers=secretary)).status_code == 400

    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    await sign_in(client, world, "secretary")
    html = (await client.get(f"/t/{slug}/members", params={"q": "", "category": "", "status": "", "sort": "name", "order": "asc"})).text
    assert 'aria-sort="ascending"' in html and f'href="/t/{slug}/members?order=desc&amp;sort=name"' in html
    assert f'href="/t/{slug}/members?order=asc&amp;sort=admitted_on"' in html
    by_status = await client.get(f"/t/{slug}/members", params={"sort": "status", "order": "desc"})
    assert by_status.status_code == 200 and 'aria-sort="descending"' in by_status.text


async def test_the_register_csv_opens_in_a_french_spreadsheet_with_words(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    await admitted(client, world, secretary, last_name="Bédard", category="worker", consent_contact=True)
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    exported = await client.get(f"/api/t/{slug}/register.csv", headers=secretary)
    assert exported.content.startswith(b"\xef\xbb\xbf")
    header, row = exported.content.decode("utf-8-sig").splitlines()
    assert header.startswith("Numéro de membre;Nom de famille;Prénom;") and ";Membre travailleur;Actif;" in row and ";Oui;" in row and "Bédard" in row
    client.cookies.set(LANGUAGE_COOKIE, "en_CA")
    english = (await client.get(f"/api/t/{slug}/register.csv", headers=secretary)).content.decode("utf-8-sig")
    assert english.startswith("Member number,Last name,First name,") and ",Worker member,Active," in english
    # What the export wrote, an import reads back (in another language than it was written in).
    client.cookies.set(LANGUAGE_COOKIE, "fi")
    again = await client.post(f"/api/t/{slug}/members/import?dry_run=true", content=exported.content, headers={**secretary, "content-type": "text/csv"})
    assert again.status_code == 422 and {e["field"] for e in again.json()["errors"]} == {"email"}  # only the e-mail, already taken


async def test_a_member_that_is_a_legal_person_with_its_representative(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    await admitted(client, world, secretary, last_name="Bédard")
    await admitted(client, world, secretary, last_name="Zola")
    await sign_in(client, world, "secretary")
    client.cookies.set(LANGUAGE_COOKIE, "fr_CA")
    form = (await client.get(f"/t/{slug}/members/new")).text
    assert 'name="organisation_name"' in form and 'name="representative_role"' in form
    values = {k: str(v) for k, v in admission(first_name="Line", last_name="Gagnon", organisation_name="Centre d'action bénévole", representative_role="Directrice générale").items() if v is not None}
    admitted_page = await post_form(client, f"/t/{slug}/members/new", {**values, "status": "active"})
    assert admitted_page.status_code in (302, 303), admitted_page.text
    entry = (await client.get(admitted_page.headers["location"])).text
    assert "Centre d&#39;action bénévole" in entry and "représenté par Line Gagnon" in entry and "Directrice générale" in entry
    listed = await client.get(f"/api/t/{slug}/members", params={"q": "benevole"}, headers=secretary)
    assert [m["organisation_name"] for m in listed.json()["items"]] == ["Centre d'action bénévole"]
    names = [m["organisation_name"] or m["last_name"] for m in (await client.get(f"/api/t/{slug}/members", headers=secretary)).json()["items"]]
    assert names == ["Bédard", "Centre d'action bénévole", "Zola"]  # a legal person sorts by its own name
    exported = (await client.get(f"/api/t/{slug}/register.csv", headers=secretary)).content.decode("utf-8-sig")
    assert ";Centre d'action bénévole;Directrice générale;" in exported
