"""Putting members online from the register: the secretary invites one member, or every active member
with an e-mail address and no login yet; each gets an e-mail (a real SMTP server) in their language
with a one-use link to choose a password, and their login is linked to their entry."""

import asyncio
import re
import uuid

import httpx

from tests.conftest import admission, bearer, sign_in
from tests.meetings.test_pages import post_form
from tests.tenants.test_invitations import accept


async def admitted(client, world, headers, **overrides) -> dict:
    response = await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(**{"status": "active", **overrides}), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_invited_member_chooses_a_password_and_reads_their_own_entry(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    member = await admitted(client, world, secretary, first_name="Aline", last_name="Bourassa")
    invited = await client.post(f"/api/t/{slug}/members/{member['id']}/invitation", headers=secretary)
    assert (invited.status_code, invited.json()) == (200, {"invited": 1}), invited.text
    [invitation] = await mailbox.received_by(member["email"])
    assert invitation["Subject"] == f"Votre accès à {world.tenant.name}"  # in the member's language (fr_CA)
    secret = re.search(r"/password\?token=(\S+)", invitation.get_content()).group(1)
    assert (await client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": "ma coopérative en ligne"})).status_code == 204
    token = await client.post(f"/api/t/{slug}/auth/token", json={"email": member["email"], "password": "ma coopérative en ligne"})
    assert token.status_code == 201, token.text
    me = await client.get(f"/api/t/{slug}/me", headers={"authorization": f"Bearer {token.json()['token']}"})
    assert me.status_code == 200 and me.json()["number"] == member["number"]
    # Sent again: a new link, the same login.
    again = await client.post(f"/api/t/{slug}/members/{member['id']}/invitation", headers=secretary)
    assert again.json() == {"invited": 1} and len(await mailbox.received_by(member["email"])) == 2


async def test_only_active_members_with_an_address_are_invited_and_only_by_the_registers_keepers(client, make_tenant):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    applicant = await admitted(client, world, secretary, status="applicant")
    assert (await client.post(f"/api/t/{slug}/members/{applicant['id']}/invitation", headers=secretary)).status_code == 409
    unreachable = await admitted(client, world, secretary, email=None)
    refused = await client.post(f"/api/t/{slug}/members/{unreachable['id']}/invitation", headers=secretary)
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["email"]
    treasurer = await bearer(client, world, "treasurer")
    assert (await client.post(f"/api/t/{slug}/members/invitations", headers=treasurer)).status_code == 403


async def test_every_member_without_a_login_is_invited_at_once_then_nobody_twice(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    members = [await admitted(client, world, secretary) for _ in range(3)]
    await admitted(client, world, secretary, email=None)  # nobody to write to
    waiting = (await client.post(f"/api/t/{slug}/members/invitations", headers=secretary)).json()["invited"]
    assert waiting == 3  # (the tenant's own member login is already linked)
    for member in members:
        assert len(await mailbox.received_by(member["email"])) == 1
    assert (await client.post(f"/api/t/{slug}/members/invitations", headers=secretary)).json() == {"invited": 0}


async def test_the_secretary_puts_members_online_from_the_pages(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    one, other = await admitted(client, world, secretary, first_name="Rémi"), await admitted(client, world, secretary)
    await sign_in(client, world, "secretary")
    entry = await client.get(f"/t/{slug}/members/{one['id']}")
    assert "Inviter à se connecter" in entry.text and f"/members/{one['id']}/invitation" in entry.text
    sent = await post_form(client, f"/t/{slug}/members/{one['id']}/invitation", {})
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith("?invited=1")
    after = await client.get(sent.headers["location"])
    assert one["email"] in after.text and "Renvoyer l’invitation" in after.text
    assert "le lien de la dernière invitation fonctionne jusqu’au" in after.text
    listing = await client.get(f"/t/{slug}/members")
    assert "Envoyer 1 invitation" in listing.text  # the other member is still waiting
    done = await post_form(client, f"/t/{slug}/members/invitations", {})
    assert done.headers["location"].endswith("/members?invited=1")
    assert "1 invitation" in (await client.get(done.headers["location"])).text
    assert len(await mailbox.received_by(other["email"])) == 1



async def test_inviting_every_member_twice_at_once_sends_one_invitation_each(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    members = [await admitted(client, world, secretary) for _ in range(4)]
    answers = await asyncio.gather(*(client.post(f"/api/t/{slug}/members/invitations", headers=secretary) for _ in range(2)))
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert sorted(a.json()["invited"] for a in answers) == [0, 4]
    for member in members:
        assert len(await mailbox.received_by(member["email"])) == 1


async def test_a_selection_of_members_is_invited_from_the_list_all_or_none(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    one, two, three = [await admitted(client, world, secretary) for _ in range(3)]
    applicant = await admitted(client, world, secretary, status="applicant")
    await sign_in(client, world, "secretary")
    listing = await client.get(f"/t/{slug}/members")
    assert f'value="{one["id"]}" form="invite-selection"' in listing.text and f'value="{applicant["id"]}"' not in listing.text
    refused = await post_form(client, f"/t/{slug}/members/invitations", {"member_ids": [one["id"], applicant["id"]]})
    assert refused.status_code == 422 and f"nº {applicant['number']}" in refused.text and "Membres à inviter" in refused.text
    assert f'value="{one["id"]}" form="invite-selection" checked' in refused.text  # the ticks kept
    assert await mailbox.received_by(one["email"]) == []  # nothing half-done
    done = await post_form(client, f"/t/{slug}/members/invitations", {"member_ids": [one["id"], two["id"]]})
    assert done.status_code in (302, 303) and done.headers["location"].endswith("/members?invited=2")
    assert "2 invitations à se connecter ont été envoyées" in (await client.get(done.headers["location"])).text
    assert len(await mailbox.received_by(one["email"])) == 1 and len(await mailbox.received_by(two["email"])) == 1
    assert await mailbox.received_by(three["email"]) == []
    by_api = await client.post(f"/api/t/{slug}/members/invitations/selection", json={"member_ids": [three["id"]]}, headers=secretary)
    assert by_api.json() == {"invited": 1}
    empty = await client.post(f"/api/t/{slug}/members/invitations/selection", json={"member_ids": []}, headers=secretary)
    assert empty.status_code in (400, 422)
    unknown = await client.post(f"/api/t/{slug}/members/invitations/selection", json={"member_ids": [str(uuid.uuid4())]}, headers=secretary)
    assert unknown.status_code == 404


async def test_an_invited_member_follows_the_link_and_lands_on_their_home_in_their_language(app, client, make_tenant, mailbox):
    world = await make_tenant()
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    member = await admitted(client, world, secretary, first_name="Aino", last_name="Virtanen", language="fi")
    await client.post(f"/api/t/{slug}/members/{member['id']}/invitation", headers=secretary)
    [invitation] = await mailbox.received_by(member["email"])
    assert invitation["Subject"] == f"Käyttäjätunnuksesi palveluun {world.tenant.name}"  # the member's language
    link = re.search(r"https?://\S+/password\?token=\S+", invitation.get_content()).group(0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as phone:
        landed = await accept(phone, link, "minun osuuskuntani verkossa")
        assert landed.headers["location"] == f"/t/{slug}/?welcome=1"
        home = await phone.get(landed.headers["location"])
        assert home.status_code == 200 and "Aino Virtanen" in home.text and str(member["number"]) in home.text
        assert "Tervetuloa" in home.text  # in the member's language (their login's)
    admin = await bearer(client, world, "administrator")
    await sign_in(client, world, "secretary")
    assert "Dernière connexion :" in (await client.get(f"/t/{slug}/members/{member['id']}")).text
    aino = next(p for p in (await client.get(f"/api/t/{slug}/people", headers=admin)).json() if p["email"] == member["email"])
    assert aino["status"] == "active" and aino["roles"] == ["member"] and aino["last_sign_in"]
