"""Requests for a special meeting (s. 77): members sign online, once each; when the signatures
reach the threshold, the board is e-mailed once (also when many sign at once); the secretary links
the special meeting called."""

import asyncio

import httpx
from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import rules
from tests.conftest import bearer, sign_in
from tests.meetings.support import meeting, secretary, voters
from tests.meetings.test_meetings_api import SETTINGS, problem
from tests.meetings.test_pages import post_form
from tests.tenants.test_pages import link_member


@given(st.integers(0, 100_000), st.integers(1, 5000), st.integers(1, 5000), st.integers(1, 100))
def test_the_threshold_is_the_large_count_from_the_large_membership_else_the_share(members, large_membership, large_count, percent):
    needed = rules.requisition_threshold(members, large_membership=large_membership, large_count=large_count, percent=percent)
    if members >= large_membership:
        assert needed == large_count
    else:
        assert needed >= 1 and needed * 100 >= members * percent and (needed - 1) * 100 < max(members * percent, 100)


def test_the_acts_numbers():
    assert rules.requisition_threshold(2000) == rules.requisition_threshold(50_000) == 500
    assert rules.requisition_threshold(1999) == 500  # a quarter of 1,999, rounded up
    assert rules.requisition_threshold(100) == 25 and rules.requisition_threshold(101) == 26 and rules.requisition_threshold(0) == 1


async def board_mail(mailbox, world) -> list:
    return [m for role in ("administrator", "secretary") for m in await mailbox.received_by(world.emails[role]) if "extraordinaire" in m["Subject"] or "special" in m["Subject"]]


async def test_members_sign_once_and_the_board_is_told_once_when_the_threshold_is_reached(client, make_tenant, database, mailbox):
    world = await make_tenant()
    headers = await secretary(client, world)
    await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={**SETTINGS, "requisition_percent": 50}, headers=headers)
    people = await voters(database, world, 6)  # 6 active members: 3 signatures needed
    base = f"/api/t/{world.tenant.slug}/requisitions"
    problem(await client.post(base, json={"object": "Dissolution"}, headers=headers), 403)  # the secretary has no register entry
    problem(await client.post(base, json={"object": ""}, headers=people[0].headers), 400, "object")
    opened = await client.post(base, json={"object": "Révision du règlement de régie interne"}, headers=people[0].headers)
    assert opened.status_code == 201, opened.text
    requisition = opened.json()
    assert (requisition["signatures"], requisition["needed"], requisition["status"], requisition["signed"]) == (1, 3, "collecting", True)
    url = f"{base}/{requisition['id']}"
    problem(await client.post(f"{url}/signatures", json={}, headers=people[0].headers), 409)  # signed when opening
    assert (await client.post(f"{url}/signatures", json={}, headers=people[1].headers)).json()["signatures"] == 2
    assert [r["signed"] for r in (await client.get(base, headers=people[1].headers)).json()] == [True]
    assert [r["signed"] for r in (await client.get(base, headers=people[2].headers)).json()] == [False]
    assert await board_mail(mailbox, world) == []
    reached = (await client.post(f"{url}/signatures", json={}, headers=people[2].headers)).json()
    assert (reached["signatures"], reached["status"]) == (3, "threshold_reached")
    assert (await client.post(f"{url}/signatures", json={}, headers=people[3].headers)).json()["signatures"] == 4
    told = await board_mail(mailbox, world)
    assert sorted(m["X-Envelope-To"] for m in told) == sorted([world.emails["administrator"], world.emails["secretary"]])
    assert "Révision du règlement de régie interne" in told[0].get_body(("plain",)).get_content()
    assert [s["member_number"] for s in (await client.get(f"{url}/signatures", headers=headers)).json()] == [p.member["number"] for p in people[:4]]
    problem(await client.get(f"{url}/signatures", headers=people[0].headers), 403)

    # The secretary links the special meeting called; a board meeting does not answer it.
    board = await meeting(client, world, headers, kind="board")
    problem(await client.post(f"{url}/meeting", json={"meeting_id": board["id"]}, headers=headers), 422, "meeting_id")
    special = await meeting(client, world, headers)
    problem(await client.post(f"{url}/meeting", json={"meeting_id": special["id"]}, headers=people[0].headers), 403)
    linked = await client.post(f"{url}/meeting", json={"meeting_id": special["id"]}, headers=headers)
    assert linked.status_code == 200 and linked.json()["status"] == "called" and linked.json()["meeting_id"] == special["id"]
    problem(await client.post(f"{url}/meeting", json={"meeting_id": special["id"]}, headers=headers), 409)
    problem(await client.post(f"{url}/signatures", json={}, headers=people[4].headers), 409)  # closed
    assert len(await board_mail(mailbox, world)) == 2


async def test_many_signing_at_once_tell_the_board_exactly_once(client, make_tenant, database, mailbox):
    world = await make_tenant()
    headers = await secretary(client, world)
    settings = {**SETTINGS, "requisition_large_membership": 10, "requisition_large_count": 8}  # 12 members: 8 signatures
    await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json=settings, headers=headers)
    people = await voters(database, world, 12)
    base = f"/api/t/{world.tenant.slug}/requisitions"
    requisition = (await client.post(base, json={"object": "Fusion avec la coopérative voisine"}, headers=people[0].headers)).json()
    url = f"{base}/{requisition['id']}/signatures"
    # Every other member signs at once, the first signer twice more.
    responses = await asyncio.gather(*(client.post(url, json={}, headers=p.headers) for p in [*people[1:], people[0], people[0]]))
    assert sorted(r.status_code for r in responses) == [201] * 11 + [409] * 2, [r.text for r in responses]
    final = (await client.get(f"{base}/{requisition['id']}", headers=headers)).json()
    assert (final["signatures"], final["needed"], final["status"]) == (12, 8, "threshold_reached")
    assert len(await board_mail(mailbox, world)) == 2  # once to each of the administrator and the secretary


async def test_the_request_through_the_pages(app, client, make_tenant, database, mailbox):
    world = await make_tenant()
    slug = world.tenant.slug
    await voters(database, world, 3)

    await link_member(database, world, "member")  # 4 active members: 1 signature needed
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper:
        await sign_in(member, world, "member")
        await sign_in(keeper, world, "secretary")
        listing = await member.get(f"/t/{slug}/requisitions")
        assert listing.status_code == 200 and "Demander une assemblée extraordinaire" in listing.text
        refused = await post_form(member, f"/t/{slug}/requisitions", {"object": ""})
        assert refused.status_code in (400, 422) and 'aria-invalid="true"' in refused.text
        sent = await post_form(member, f"/t/{slug}/requisitions", {"object": "Budget 2031"})
        assert sent.status_code in (302, 303), sent.text
        page = await member.get(sent.headers["location"])
        assert "Budget 2031" in page.text and "Vous avez signé cette demande." in page.text
        requisition_id = sent.headers["location"].rsplit("/", 1)[1]
        special = await meeting(client, world, await bearer(client, world, "secretary"))
        linked = await post_form(keeper, f"/t/{slug}/requisitions/{requisition_id}/meeting", {"meeting_id": special["id"]})
        assert linked.status_code in (302, 303), linked.text
        page = await keeper.get(f"/t/{slug}/requisitions/{requisition_id}")
        assert "Assemblée extraordinaire" in page.text and "Budget 2031" in page.text
    assert len(await board_mail(mailbox, world)) == 2
