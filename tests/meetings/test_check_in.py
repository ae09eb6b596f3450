"""Check-in by QR code: the member's card holds a signed token; the console takes what a scanner
types (or a member number); a made-up, altered or other tenant's token is refused."""

import httpx
from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import rules
from tests.conftest import sign_in
from tests.meetings.support import in_session, secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_pages import post_form
from tests.tenants.test_pages import link_member


@given(st.uuids(), st.uuids(), st.integers(1, 10_000_000), st.text(min_size=8, max_size=40))
def test_a_token_names_its_member_and_only_its_own(tenant_id, member_id, number, secret):
    token = rules.check_in_token(secret, tenant_id, member_id, number)
    assert rules.check_in_number(token) == number and rules.check_in_number(token.lower()) == number
    assert rules.check_in_valid(token, secret, tenant_id, member_id, number)
    assert set(token) <= set("SOL-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")  # any keyboard layout types it
    assert not rules.check_in_valid(token, secret + "x", tenant_id, member_id, number)
    assert not rules.check_in_valid(rules.check_in_token(secret, tenant_id, member_id, number + 1).replace(f"-{number + 1}-", f"-{number}-"), secret, tenant_id, member_id, number)


def test_what_is_not_a_token():
    for text in ("", "12", "SOL-12", "SOL-x-ABC", "XYZ-12-ABC", "SOL-1234567890-ABC"):
        assert rules.check_in_number(text) is None


async def test_a_member_is_checked_in_by_scanning_their_card(client, make_tenant, database):
    world = await make_tenant()
    other = await make_tenant()
    headers = await secretary(client, world)
    ann, bob = await voters(database, world, 2)
    (stranger,) = await voters(database, other, 1)
    created = await in_session(client, world, headers, [])
    scan = f"/api/t/{world.tenant.slug}/meetings/{created['id']}/scan"
    card = (await client.get(f"/api/t/{world.tenant.slug}/meetings/card", headers=ann.headers)).json()
    assert card["member_number"] == ann.member["number"] and card["token"].startswith(f"SOL-{ann.member['number']}-")
    problem(await client.get(f"/api/t/{world.tenant.slug}/meetings/card", headers=headers), 403)  # no register entry

    checked = await client.post(scan, json={"code": card["token"] + "\n"}, headers=headers)
    assert checked.status_code == 200 and checked.json()["member_number"] == ann.member["number"] and checked.json()["present"]
    left = await client.post(scan, json={"code": card["token"].lower(), "present": False}, headers=headers)
    assert left.status_code == 200 and not left.json()["present"]
    assert (await client.post(scan, json={"code": str(bob.member["number"])}, headers=headers)).status_code == 200
    forged = card["token"].replace(f"SOL-{ann.member['number']}-", f"SOL-{bob.member['number']}-")
    problem(await client.post(scan, json={"code": forged}, headers=headers), 422, "code")
    foreign = (await client.get(f"/api/t/{other.tenant.slug}/meetings/card", headers=stranger.headers)).json()["token"]
    problem(await client.post(scan, json={"code": foreign}, headers=headers), 422, "code")
    problem(await client.post(scan, json={"code": "SOL-999999-AAAAAAAAAAAAAAAA"}, headers=headers), 422, "code")
    problem(await client.post(scan, json={"code": card["token"]}, headers=ann.headers), 403)
    attendance = (await client.get(f"/api/t/{world.tenant.slug}/meetings/{created['id']}/attendance", headers=headers)).json()
    assert [(a["member_number"], a["present"]) for a in attendance] == [(ann.member["number"], False), (bob.member["number"], True)]


async def test_the_card_page_and_the_consoles_scanner_field(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    own = await link_member(database, world, "member")
    created = await in_session(client, world, await secretary(client, world), [])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper:
        await sign_in(member, world, "member")
        await sign_in(keeper, world, "secretary")
        card = await member.get(f"/t/{slug}/meetings/card")
        assert card.status_code == 200 and "<svg" in card.text and 'class="segno"' in card.text
        token = card.text.split("<code>")[1].split("</code>")[0]
        assert token.startswith(f"SOL-{own['number']}-")
        assert token in (await member.get(f"/t/{slug}/meetings/{created['id']}")).text  # the meeting page shows it too
        console = await keeper.get(f"/t/{slug}/meetings/{created['id']}/console")
        assert 'name="code"' in console.text and "autofocus" in console.text
        refused = await post_form(keeper, f"/t/{slug}/meetings/{created['id']}/scan", {"code": "SOL-1-AAAA", "present": "true"})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        scanned = await post_form(keeper, f"/t/{slug}/meetings/{created['id']}/scan", {"code": token, "present": "true"})
        assert scanned.status_code in (302, 303) and f"scanned={own['number']}" in scanned.headers["location"]
        assert "Votre présence est enregistrée." in (await member.get(f"/t/{slug}/meetings/{created['id']}")).text
