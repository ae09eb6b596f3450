"""Choosing a password through an e-mailed link: the forgotten-password pages and API, one use
per link (also under concurrent requests), expiry, the same answer for unknown addresses, and
every open session closed once the password changes."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from backend import db
from tenants import passwords
from tenants.tables import PasswordLink
from tests.conftest import PASSWORD, sign_in

NEW_PASSWORD = "une phrase que je retiens"
LINK = re.compile(r"https?://\S+/password\?token=(\S+)")


async def link_secret(mailbox, address: str) -> str:
    [*_, message] = await mailbox.received_by(address)
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return match.group(1)


async def ask_for_link(client, slug: str, email: str):
    await client.get(f"/t/{slug}/password/forgot")
    return await client.post(f"/t/{slug}/password/forgot", data={"email": email, "_csrf_token": client.cookies["csrftoken"]})


@given(st.text(max_size=9))
def test_a_short_password_is_refused(password):
    assert passwords.password_problem(password, "eve@exemple.ca") is not None


def test_the_address_itself_is_refused_and_a_long_sentence_accepted():
    assert passwords.password_problem("Eve@Exemple.ca", "eve@exemple.ca") is not None
    assert passwords.password_problem(NEW_PASSWORD, "eve@exemple.ca") is None


async def test_a_forgotten_password_is_replaced_through_the_e_mailed_link(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, email = world.tenant.slug, world.emails["member"]
    await sign_in(client, world, "member")  # a session open elsewhere, closed by the change
    login = await client.get(f"/t/{slug}/login")
    assert f"/t/{slug}/password/forgot" in login.text

    response = await ask_for_link(client, slug, email)
    assert response.status_code == 200
    assert "un lien pour choisir un mot de passe" in response.text
    [message] = await mailbox.received_by(email)
    assert message["Subject"] == f"Choisissez un nouveau mot de passe pour {world.tenant.name}"
    secret = await link_secret(mailbox, email)
    assert f"http://127.0.0.1:8000/t/{slug}/password?token=" in message.get_content()  # PUBLIC_URL, not the Host header

    form = await client.get(f"/t/{slug}/password", params={"token": secret})
    assert form.status_code == 200 and f'value="{secret}"' in form.text
    assert form.headers["referrer-policy"] == "no-referrer" and form.headers["cache-control"] == "no-store"
    response = await client.post(f"/t/{slug}/password", data={"token": secret, "password": NEW_PASSWORD, "_csrf_token": client.cookies["csrftoken"]})
    assert response.status_code in (302, 303)
    assert response.headers["location"] == f"/t/{slug}/login?password=chosen"

    assert (await client.get(f"/t/{slug}/")).status_code in (302, 303, 401)  # the old session is closed
    refused = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 422
    accepted = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": NEW_PASSWORD})
    assert accepted.status_code == 201

    again = await client.post(f"/t/{slug}/password", data={"token": secret, "password": "encore une autre phrase", "_csrf_token": client.cookies["csrftoken"]})
    assert again.status_code == 422
    assert "Ce lien n’est plus valide" in again.text or "plus valide" in again.text


async def test_an_unknown_address_gets_the_same_answer_and_no_message(client, make_tenant, mailbox):
    world = await make_tenant()
    other = await make_tenant()
    known = await ask_for_link(client, world.tenant.slug, world.emails["treasurer"])
    unknown = await ask_for_link(client, world.tenant.slug, "personne@exemple.ca")
    elsewhere = await ask_for_link(client, world.tenant.slug, other.emails["treasurer"])  # a login, but not of this tenant
    assert known.status_code == unknown.status_code == elsewhere.status_code == 200
    assert re.sub(r'value="[^"]*"', "", unknown.text) == re.sub(r'value="[^"]*"', "", known.text)
    assert await mailbox.received_by("personne@exemple.ca") == []
    assert await mailbox.received_by(other.emails["treasurer"]) == []
    api = await client.post(f"/api/t/{world.tenant.slug}/auth/password-link", json={"email": "personne@exemple.ca"})
    assert api.status_code == 202 and api.json()["detail"]


async def test_asking_again_and_again_floods_nobodys_mailbox(client, make_tenant, mailbox):
    world = await make_tenant()
    address = world.emails["treasurer"]
    answers = [await ask_for_link(client, world.tenant.slug, address) for _ in range(passwords.LINKS_PER_HOUR + 3)]
    assert {a.status_code for a in answers} == {200}
    assert len(await mailbox.received_by(address)) == passwords.LINKS_PER_HOUR
    # The last link sent still works.
    secret = await link_secret(mailbox, address)
    chosen = await client.post(f"/api/t/{world.tenant.slug}/auth/password", json={"token": secret, "password": NEW_PASSWORD})
    assert chosen.status_code == 204, chosen.text


async def test_a_weak_password_is_refused_in_place_and_the_link_still_works(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, email = world.tenant.slug, world.emails["secretary"]
    assert (await client.post(f"/api/t/{slug}/auth/password-link", json={"email": email})).status_code == 202
    secret = await link_secret(mailbox, email)
    weak = await client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": "court"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    assert (await client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": NEW_PASSWORD})).status_code == 204


async def test_an_expired_link_is_refused(client, database, make_tenant, mailbox):
    world = await make_tenant()
    slug, email = world.tenant.slug, world.emails["administrator"]
    await client.post(f"/api/t/{slug}/auth/password-link", json={"email": email})
    secret = await link_secret(mailbox, email)
    async with database.as_owner(), db.transaction(database.owner, write=True):
        await PasswordLink.update({PasswordLink.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)}).where(
            PasswordLink.user_id == world.users["administrator"]
        )
    response = await client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": NEW_PASSWORD})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "token"


async def test_a_link_is_spent_once_under_concurrent_requests(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, email = world.tenant.slug, world.emails["treasurer"]
    await client.post(f"/api/t/{slug}/auth/password-link", json={"email": email})
    secret = await link_secret(mailbox, email)
    responses = await asyncio.gather(*(
        client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": f"{NEW_PASSWORD} {n}"}) for n in range(10)
    ))
    assert sorted(r.status_code for r in responses) == [204] + [422] * 9
    [winner] = [n for n, r in enumerate(responses) if r.status_code == 204]
    signed = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": f"{NEW_PASSWORD} {winner}"})
    assert signed.status_code == 201


async def test_a_reset_spends_every_link_and_ends_the_tokens_issued_before(client, make_tenant, mailbox):
    world = await make_tenant()
    slug, email = world.tenant.slug, world.emails["treasurer"]
    stolen = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": PASSWORD})
    stolen_headers = {"authorization": f"Bearer {stolen.json()['token']}"}
    assert (await client.get(f"/api/t/{slug}/me", headers=stolen_headers)).status_code != 401
    for _ in range(2):
        await client.post(f"/api/t/{slug}/auth/password-link", json={"email": email})
    [first, second] = [LINK.search(m.get_content()).group(1) for m in await mailbox.received_by(email)]
    assert (await client.post(f"/api/t/{slug}/auth/password", json={"token": second, "password": NEW_PASSWORD})).status_code == 204
    assert (await client.post(f"/api/t/{slug}/auth/password", json={"token": first, "password": "une autre longue phrase"})).status_code == 422
    assert (await client.get(f"/api/t/{slug}/me", headers=stolen_headers)).status_code == 401


async def test_a_link_works_only_at_the_organisation_that_sent_it(client, make_tenant, mailbox):
    world, other = await make_tenant(), await make_tenant()
    email = world.emails["secretary"]
    await client.post(f"/api/t/{world.tenant.slug}/auth/password-link", json={"email": email})
    secret = await link_secret(mailbox, email)
    elsewhere = await client.post(f"/api/t/{other.tenant.slug}/auth/password", json={"token": secret, "password": NEW_PASSWORD})
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "token"
    assert (await client.post(f"/api/t/{world.tenant.slug}/auth/password", json={"token": secret, "password": NEW_PASSWORD})).status_code == 204
