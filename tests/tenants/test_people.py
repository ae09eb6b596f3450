"""The organisation's people, run by its administrator from a page (and the API): staff invited by
e-mail with their roles (a real SMTP server), roles given and withdrawn, someone taken out of the
organisation, every change in the audit log, and never the last administrator removed."""

import asyncio
import re

from tests.conftest import bearer, sign_in
from tests.meetings.test_pages import post_form


async def test_the_administrator_invites_a_treasurer_who_chooses_a_password_and_signs_in(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    invited = await client.post(f"/api/t/{slug}/people", json={"email": "comptable@exemple.ca", "full_name": "Carole Comptable", "roles": ["treasurer"]}, headers=admin)
    assert (invited.status_code, invited.json()) == (200, {"invited": True}), invited.text
    [welcome] = await mailbox.received_by("comptable@exemple.ca")
    secret = re.search(r"/password\?token=(\S+)", welcome.get_content()).group(1)
    assert (await client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": "les comptes de la coop"})).status_code == 204
    token = await client.post(f"/api/t/{slug}/auth/token", json={"email": "comptable@exemple.ca", "password": "les comptes de la coop"})
    assert token.status_code == 201
    people = (await client.get(f"/api/t/{slug}/people", headers=admin)).json()
    carole = next(p for p in people if p["email"] == "comptable@exemple.ca")
    assert carole["roles"] == ["treasurer"] and carole["is_active"]
    assert "person.invited" in [e["action"] for e in (await client.get(f"/api/t/{slug}/audit?object_id={carole['id']}", headers=admin)).json()]


async def test_roles_are_given_and_withdrawn_and_a_person_taken_out_can_no_longer_sign_in(client, make_tenant):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    treasurer = str(world.users["treasurer"])
    changed = await client.put(f"/api/t/{slug}/people/{treasurer}/roles", json={"roles": ["treasurer", "secretary"]}, headers=admin)
    assert changed.status_code == 200
    assert next(p for p in changed.json() if p["id"] == treasurer)["roles"] == ["secretary", "treasurer"]
    bad = await client.put(f"/api/t/{slug}/people/{treasurer}/roles", json={"roles": ["emperor"]}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "roles"
    assert (await client.put(f"/api/t/{slug}/people/{treasurer}/roles", json={"roles": []}, headers=admin)).status_code == 200
    assert treasurer not in [p["id"] for p in (await client.get(f"/api/t/{slug}/people", headers=admin)).json()]
    refused = await client.post(f"/api/t/{slug}/auth/token", json={"email": world.emails["treasurer"], "password": "un mot de passe assez long"})
    assert refused.status_code in (400, 422)
    events = [e["action"] for e in (await client.get(f"/api/t/{slug}/audit?object_id={treasurer}", headers=admin)).json()]
    assert events.count("person.roles_changed") == 2
    assert (await client.get(f"/api/t/{slug}/people", headers=await bearer(client, world, "secretary"))).status_code == 403


async def test_the_last_administrator_stays_even_when_two_withdraw_each_other_at_once(client, make_tenant):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    me = str(world.users["administrator"])
    alone = await client.put(f"/api/t/{slug}/people/{me}/roles", json={"roles": ["member"]}, headers=admin)
    assert alone.status_code == 409 and alone.json()["detail"]
    other = str(world.users["secretary"])
    assert (await client.put(f"/api/t/{slug}/people/{other}/roles", json={"roles": ["secretary", "administrator"]}, headers=admin)).status_code == 200
    other_admin = await bearer(client, world, "secretary")
    answers = await asyncio.gather(
        client.put(f"/api/t/{slug}/people/{other}/roles", json={"roles": ["secretary"]}, headers=admin),
        client.put(f"/api/t/{slug}/people/{me}/roles", json={"roles": ["member"]}, headers=other_admin),
    )
    assert sorted(a.status_code for a in answers) in ([200, 409], [200, 403])  # never both
    admins = [p for p in (await client.get(f"/api/t/{slug}/people", headers=admin if answers[1].status_code != 200 else other_admin)).json() if "administrator" in p["roles"]]
    assert len(admins) == 1


async def test_the_people_page_invites_changes_roles_and_says_so(client, make_tenant, mailbox):
    world = await make_tenant(roles=("clinician",))
    slug = world.tenant.slug
    await sign_in(client, world, "administrator")
    shown = await client.get(f"/t/{slug}/people")
    assert shown.status_code == 200 and "Inviter quelqu’un" in shown.text and "Trésorier" in shown.text and "Clinicien" in shown.text
    refused = await post_form(client, f"/t/{slug}/people", {"email": "pas-une-adresse", "full_name": "X"})
    assert refused.status_code in (400, 422) and "Choisissez au moins un rôle" in refused.text
    sent = await post_form(client, f"/t/{slug}/people", {"email": "accueil@exemple.ca", "full_name": "Anne Accueil", "roles": ["secretary"]})
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith("?invited=1")
    assert "L’invitation a été envoyée" in (await client.get(sent.headers["location"])).text
    assert len(await mailbox.received_by("accueil@exemple.ca")) == 1
    saved = await post_form(client, f"/t/{slug}/people/{world.users['clinician']}/roles", {"roles": ["clinician", "member"]})
    assert saved.status_code in (302, 303) and "Les rôles ont été enregistrés" in (await client.get(saved.headers["location"])).text
