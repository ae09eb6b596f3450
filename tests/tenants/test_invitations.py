"""Invitations and logins, run by the administrator from the people page (and the API): staff
invited by e-mail (a real SMTP server) follow the link, choose a password and land signed in on
their home page; a link works once and expires; an invitation is sent again or revoked; the page
lists who is invited, active, never signed in; a login is deactivated (no more sign-in, its
sessions and tokens here end) and reactivated; every change is in the audit log; the organisation
never loses its last administrator, also when two act at once."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import httpx

from backend import db
from tenants.tables import PasswordLink, TenantLogin
from tests.conftest import PASSWORD, bearer, sign_in
from tests.meetings.test_pages import post_form

LINK = re.compile(r"https?://\S+/t/[a-z0-9-]+/password\?token=(\S+)")
CHOSEN = "ma phrase de passe à moi"


async def link_in(mailbox, address: str) -> str:
    """The link of the last e-mail this address received (as PUBLIC_URL makes it)."""
    [*_, message] = await mailbox.received_by(address)
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return match.group(0)


def new_browser(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local")


async def accept(browser: httpx.AsyncClient, link: str, password: str = CHOSEN) -> httpx.Response:
    """The browser follows the invitation's link and chooses a password: the answer (a redirect)."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = await browser.get(f"/{path}")
    assert form.status_code == 200 and form.headers["referrer-policy"] == "no-referrer"
    token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)
    slug = path.split("/")[1]
    chosen = await post_form(browser, f"/t/{slug}/password", {"token": token, "password": password})
    assert chosen.status_code in (302, 303), chosen.text
    return chosen


async def person(client, slug: str, headers: dict, email: str) -> dict:
    return next(p for p in (await client.get(f"/api/t/{slug}/people", headers=headers)).json() if p["email"] == email)


async def audit_actions(client, slug: str, headers: dict, object_id: str) -> list[str]:
    return [e["action"] for e in (await client.get(f"/api/t/{slug}/audit?object_id={object_id}", headers=headers)).json()]


async def confirmed_on_the_page(client, slug: str, action: str, done: str, said: str) -> None:
    """The people page's button for `action` asks first; posted, it says what happened."""
    page = await client.get(f"/t/{slug}/people")
    assert f'action="/t/{slug}/people/{action}" data-confirm=' in page.text
    answer = await post_form(client, f"/t/{slug}/people/{action}", {})
    assert answer.status_code in (302, 303) and answer.headers["location"].endswith(f"?done={done}")
    assert said in (await client.get(answer.headers["location"])).text


async def test_staff_invited_from_the_page_choose_a_password_and_land_on_their_home_signed_in(app, client, make_tenant, mailbox):
    world = await make_tenant()
    slug = world.tenant.slug
    await sign_in(client, world, "administrator")
    sent = await post_form(client, f"/t/{slug}/people", {"email": "Secretariat@Exemple.ca", "full_name": "Sophie Secrétaire", "roles": ["secretary"]})
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith("?invited=1")
    listed = await client.get(f"/t/{slug}/people?show=invited")
    assert "Sophie Secrétaire" in listed.text and "Invité" in listed.text and "Lien valide jusqu’au" in listed.text
    assert "Sophie Secrétaire" not in (await client.get(f"/t/{slug}/people?show=active")).text
    assert "Sophie Secrétaire" in (await client.get(f"/t/{slug}/people?show=never")).text
    [welcome] = await mailbox.received_by("secretariat@exemple.ca")
    assert welcome["Subject"] == f"Votre accès à {world.tenant.name}"  # the organisation's language: fr_CA
    link = await link_in(mailbox, "secretariat@exemple.ca")
    assert link.startswith(f"{app.state.settings.base_url}/t/{slug}/password?token=")  # PUBLIC_URL

    async with new_browser(app) as browser:
        landed = await accept(browser, link)
        assert landed.headers["location"] == f"/t/{slug}/?welcome=1"
        home = await browser.get(f"/t/{slug}/")
        assert home.status_code == 200 and "Bienvenue, Sophie Secrétaire" in home.text
        landed = await browser.get(f"/t/{slug}/?welcome=1")
        assert "Votre mot de passe est enregistré et vous êtes connecté" in landed.text
        # One use: the same link again is refused, in words, with a way to ask for a new one.
        path = link.split("/", 3)[3]
        token = path.split("token=")[1]
        again = await post_form(browser, f"/t/{slug}/password", {"token": token, "password": "une autre phrase encore"})
        assert again.status_code == 422 and "Ce lien n’est plus valide" in again.text

    admin = await bearer(client, world, "administrator")
    sophie = await person(client, slug, admin, "secretariat@exemple.ca")
    assert sophie["status"] == "active" and sophie["last_sign_in"] is not None and sophie["roles"] == ["secretary"]
    assert {"person.invited", "password.chosen"} <= set(await audit_actions(client, slug, admin, sophie["id"]))
    assert "Sophie Secrétaire" in (await client.get(f"/t/{slug}/people?show=active")).text
    assert "Sophie Secrétaire" not in (await client.get(f"/t/{slug}/people?show=never")).text


async def test_an_expired_invitation_says_so_and_is_sent_again_with_a_link_that_works(app, client, database, make_tenant, mailbox):
    world = await make_tenant(locale="en_CA")
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    invited = await client.post(f"/api/t/{slug}/people", json={"email": "clinique@exemple.ca", "full_name": "Claude Clinicien", "roles": ["clinician"]}, headers=admin)
    assert invited.json() == {"invited": True}
    first = await link_in(mailbox, "clinique@exemple.ca")
    claude = await person(client, slug, admin, "clinique@exemple.ca")
    assert claude["status"] == "invited" and claude["invitations_sent"] == 1 and claude["last_sign_in"] is None
    expires = dt.datetime.fromisoformat(claude["invitation_expires_at"])
    assert dt.timedelta(days=6, hours=23) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=7)
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7, minutes=1)
    async with database.as_owner(), db.transaction(database.owner, write=True):
        await PasswordLink.update({PasswordLink.expires_at: week_ago + dt.timedelta(days=7)}).where(PasswordLink.user_id == claude["id"])
        await TenantLogin.update({TenantLogin.invitation_sent_at: week_ago}).where(TenantLogin.user_id == claude["id"])
    assert (await person(client, slug, admin, "clinique@exemple.ca"))["status"] == "invitation_expired"
    await sign_in(client, world, "administrator")
    page = await client.get(f"/t/{slug}/people?show=invited")
    assert "Invitation expired" in page.text and "Send the invitation again" in page.text
    async with new_browser(app) as browser:
        await browser.get(f"/t/{slug}/login")
        refused = await post_form(browser, f"/t/{slug}/password", {"token": first.split("token=")[1], "password": CHOSEN})
        assert refused.status_code == 422 and "This link is not valid any more" in refused.text

    resent = await post_form(client, f"/t/{slug}/people/{claude['id']}/invitation", {})
    assert resent.status_code in (302, 303) and resent.headers["location"].endswith("?done=resent")
    assert "The invitation was sent again" in (await client.get(resent.headers["location"])).text
    messages = await mailbox.received_by("clinique@exemple.ca")
    assert len(messages) == 2 and messages[-1]["Subject"] == f"Your login to {world.tenant.name}"
    second = await link_in(mailbox, "clinique@exemple.ca")
    assert second != first
    async with new_browser(app) as browser:
        await accept(browser, second)
        landed = await browser.get(f"/t/{slug}/")  # a clinician lands on their first menu entry
        assert landed.status_code in (302, 303) and "/billing" in landed.headers["location"]
    claude = await person(client, slug, admin, "clinique@exemple.ca")
    assert claude["status"] == "active" and claude["invitations_sent"] == 2
    assert "person.invitation_resent" in await audit_actions(client, slug, admin, claude["id"])
    accepted = await client.post(f"/api/t/{slug}/people/{claude['id']}/invitation", headers=admin)
    assert accepted.status_code == 409 and accepted.json()["detail"]


async def test_a_revoked_invitation_stops_its_link_and_takes_the_roles_back(app, client, make_tenant, mailbox):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    await client.post(f"/api/t/{slug}/people", json={"email": "erreur@exemple.ca", "full_name": "Mauvaise Adresse", "roles": ["treasurer"]}, headers=admin)
    link = await link_in(mailbox, "erreur@exemple.ca")
    wrong = await person(client, slug, admin, "erreur@exemple.ca")
    await sign_in(client, world, "administrator")
    await confirmed_on_the_page(client, slug, f"{wrong['id']}/invitation/revoke", "revoked", "L’invitation a été révoquée")
    assert "erreur@exemple.ca" not in [p["email"] for p in (await client.get(f"/api/t/{slug}/people", headers=admin)).json()]
    async with new_browser(app) as browser:
        await browser.get(f"/t/{slug}/login")
        refused = await post_form(browser, f"/t/{slug}/password", {"token": link.split("token=")[1], "password": CHOSEN})
        assert refused.status_code == 422
    assert {"person.invitation_revoked", "person.roles_changed"} <= set(await audit_actions(client, slug, admin, wrong["id"]))
    # Gone: nothing more to revoke, resend or deactivate here.
    assert (await client.delete(f"/api/t/{slug}/people/{wrong['id']}/invitation", headers=admin)).status_code == 404
    # Someone who accepted is not revoked (deactivated instead).
    active = await client.delete(f"/api/t/{slug}/people/{world.users['treasurer']}/invitation", headers=admin)
    assert active.status_code == 409


async def test_a_deactivated_login_cannot_sign_in_and_its_sessions_and_tokens_end_until_reactivated(app, client, make_tenant, mailbox):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    treasurer = str(world.users["treasurer"])
    token = await bearer(client, world, "treasurer")
    async with new_browser(app) as browser:
        await sign_in(browser, world, "treasurer")
        assert (await browser.get(f"/t/{slug}/")).status_code in (200, 302, 303)
        await sign_in(client, world, "administrator")
        await confirmed_on_the_page(client, slug, f"{treasurer}/deactivate", "deactivated", "Le compte a été désactivé")
        # The open session no longer signs anything here: the person is sent to sign in.
        after = await browser.get(f"/t/{slug}/", follow_redirects=False)
        assert after.status_code in (302, 303, 401) and "/login" in after.headers.get("location", "/login")
    assert (await client.get(f"/api/t/{slug}/me", headers=token)).status_code == 401
    refused = await client.post(f"/api/t/{slug}/auth/token", json={"email": world.emails["treasurer"], "password": PASSWORD})
    assert refused.status_code in (400, 422)
    async with new_browser(app) as other:
        await other.get(f"/t/{slug}/login")
        denied = await post_form(other, f"/t/{slug}/login", {"email": world.emails["treasurer"], "password": PASSWORD})
        assert denied.status_code == 422 and "a été désactivé par son administrateur" in denied.text
        wrong = await post_form(other, f"/t/{slug}/login", {"email": world.emails["treasurer"], "password": "pas le bon mot de passe"})
        assert wrong.status_code == 422 and "désactivé" not in wrong.text  # only who knows the password learns it
    # No password link either (the form answers the same).
    before = len(await mailbox.received_by(world.emails["treasurer"]))
    await client.post(f"/api/t/{slug}/auth/password-link", json={"email": world.emails["treasurer"]})
    assert len(await mailbox.received_by(world.emails["treasurer"])) == before
    shown = await person(client, slug, admin, world.emails["treasurer"])
    assert shown["status"] == "deactivated" and shown["roles"] == ["treasurer"]
    assert "Trésorier" in (await client.get(f"/t/{slug}/people?show=deactivated")).text
    assert (await client.post(f"/api/t/{slug}/people/{treasurer}/deactivation", headers=admin)).status_code == 409  # already

    back = await client.delete(f"/api/t/{slug}/people/{treasurer}/deactivation", headers=admin)
    assert back.status_code == 200 and back.json()["status"] == "active"
    assert (await client.get(f"/api/t/{slug}/me", headers=token)).status_code == 401  # revoked tokens stay revoked
    assert (await client.post(f"/api/t/{slug}/auth/token", json={"email": world.emails["treasurer"], "password": PASSWORD})).status_code == 201
    assert {"person.deactivated", "person.reactivated"} <= set(await audit_actions(client, slug, admin, treasurer))


async def test_a_login_deactivated_in_one_organisation_still_signs_in_to_another(client, make_tenant):
    one, other = await make_tenant(), await make_tenant()
    admin = await bearer(client, one, "administrator")
    # The same person (one login) is also the other organisation's treasurer.
    other_admin = await bearer(client, other, "administrator")
    await client.post(f"/api/t/{other.tenant.slug}/people", json={"email": one.emails["treasurer"], "full_name": "X", "roles": ["treasurer"]}, headers=other_admin)
    assert (await client.post(f"/api/t/{one.tenant.slug}/people/{one.users['treasurer']}/deactivation", headers=admin)).status_code == 200
    assert (await client.post(f"/api/t/{one.tenant.slug}/auth/token", json={"email": one.emails["treasurer"], "password": PASSWORD})).status_code in (400, 422)
    assert (await client.post(f"/api/t/{other.tenant.slug}/auth/token", json={"email": one.emails["treasurer"], "password": PASSWORD})).status_code == 201


async def test_the_last_administrator_is_never_deactivated_nor_left_without_the_role(client, make_tenant):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    me, other = str(world.users["administrator"]), str(world.users["secretary"])
    alone = await client.post(f"/api/t/{slug}/people/{me}/deactivation", headers=admin)
    assert alone.status_code == 409 and "administrateur" in alone.json()["detail"]
    assert (await client.put(f"/api/t/{slug}/people/{me}/roles", json={"roles": []}, headers=admin)).status_code == 409
    # A second administrator, deactivated, does not count: the first still cannot go.
    assert (await client.put(f"/api/t/{slug}/people/{other}/roles", json={"roles": ["secretary", "administrator"]}, headers=admin)).status_code == 200
    other_admin = await bearer(client, world, "secretary")
    assert (await client.post(f"/api/t/{slug}/people/{other}/deactivation", headers=admin)).status_code == 200
    assert (await client.put(f"/api/t/{slug}/people/{me}/roles", json={"roles": ["member"]}, headers=admin)).status_code == 409
    assert (await client.delete(f"/api/t/{slug}/people/{other}/deactivation", headers=admin)).status_code == 200
    other_admin = await bearer(client, world, "secretary")
    # Two administrators deactivating each other at once: one of them stays.
    answers = await asyncio.gather(
        client.post(f"/api/t/{slug}/people/{other}/deactivation", headers=admin),
        client.post(f"/api/t/{slug}/people/{me}/deactivation", headers=other_admin),
    )
    assert sorted(a.status_code for a in answers) in ([200, 409], [200, 401])
    remaining = admin if answers[0].status_code == 200 else other_admin
    people = (await client.get(f"/api/t/{slug}/people", headers=remaining)).json()
    assert [p["status"] for p in people if "administrator" in p["roles"]].count("active") == 1


async def test_the_people_page_refuses_in_words_and_the_api_too(client, make_tenant):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    await sign_in(client, world, "administrator")
    me = world.users["administrator"]
    refused = await post_form(client, f"/t/{slug}/people/{me}/invitation", {})  # an active login: nothing to resend
    assert refused.status_code == 409 and "a déjà accepté l’invitation" in refused.text and "Erreur" not in refused.text.split("<h1>")[1][:40]
    own = await post_form(client, f"/t/{slug}/people/{me}/deactivate", {})
    assert own.status_code == 409 and "au moins un administrateur" in own.text
    assert (await client.post(f"/api/t/{slug}/people/{world.users['member']}/deactivation", headers=await bearer(client, world, "secretary"))).status_code == 403
    missing = await client.post(f"/api/t/{slug}/people/00000000-0000-4000-8000-000000000000/deactivation", headers=admin)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


async def test_one_address_invited_twice_at_once_makes_one_login(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, admin = world.tenant.slug, await bearer(client, world, "administrator")
    body = {"email": "double@exemple.ca", "full_name": "Dominique Double", "roles": ["secretary"]}
    answers = await asyncio.gather(*(client.post(f"/api/t/{slug}/people", json=body, headers=admin) for _ in range(3)))
    assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
    people = [p for p in (await client.get(f"/api/t/{slug}/people", headers=admin)).json() if p["email"] == "double@exemple.ca"]
    assert len(people) == 1 and people[0]["roles"] == ["secretary"] and people[0]["invitations_sent"] == 3
