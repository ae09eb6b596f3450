"""Proxies, only where the tenant enables them, with a cap per holder (also under concurrent
requests); a represented member counts for the quorum and the frozen eligibility when the holder
is present, and the holder casts their ballot as theirs: one member, one vote."""

import asyncio

import httpx
from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import rules
from tests.conftest import sign_in
from tests.meetings.support import in_session, open_vote, secretary, voters
from tests.meetings.test_meetings_api import SETTINGS, problem
from tests.meetings.test_pages import post_form
from tests.tenants.test_pages import link_member


@given(st.sets(st.integers(1, 12)), st.integers(0, 10))
def test_a_free_slot_is_the_lowest_not_taken_within_the_cap(taken, cap):
    slot = rules.free_proxy_slot(taken, cap)
    free = [s for s in range(1, cap + 1) if s not in taken]
    assert slot == (free[0] if free else None)


async def allow_proxies(client, world, headers, cap: int) -> None:
    response = await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={**SETTINGS, "proxies_allowed": True, "proxy_cap": cap}, headers=headers)
    assert response.status_code == 200, response.text


async def test_proxies_are_refused_by_default_then_capped_counted_and_voted_once(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    holder, bea, carl, dora, emil = await voters(database, world, 5)
    created = await in_session(client, world, headers, [holder])
    base = f"/api/t/{world.tenant.slug}/meetings/{created['id']}"

    def proxy(member, by=holder):
        return {"member_number": member.member["number"], "holder_number": by.member["number"]}

    problem(await client.post(f"{base}/proxies", json=proxy(bea), headers=headers), 422, "holder_number")  # the Act: no proxies
    await allow_proxies(client, world, headers, 2)
    problem(await client.post(f"{base}/proxies", json=proxy(bea), headers=holder.headers), 403)  # the secretary records them
    problem(await client.post(f"{base}/proxies", json=proxy(holder), headers=headers), 422, "holder_number")  # oneself
    for member in (bea, carl):
        assert (await client.post(f"{base}/proxies", json=proxy(member), headers=headers)).status_code == 201
    problem(await client.post(f"{base}/proxies", json=proxy(dora), headers=headers), 409)  # the cap
    problem(await client.post(f"{base}/proxies", json=proxy(bea, by=emil), headers=headers), 409)  # already represented
    problem(await client.post(f"{base}/proxies", json=proxy(emil, by=bea), headers=headers), 422, "holder_number")  # no chains
    listed = (await client.get(f"{base}/proxies", headers=headers)).json()
    assert [(p["member_number"], p["holder_number"]) for p in listed] == [(bea.member["number"], holder.member["number"]), (carl.member["number"], holder.member["number"])]
    assert [p["member_number"] for p in (await client.get(f"{base}/proxies/mine", headers=holder.headers)).json()] == [bea.member["number"], carl.member["number"]]

    quorum = (await client.get(f"{base}/quorum", headers=headers)).json()
    assert quorum["present"] == 3  # the holder, and the two members represented
    vote = await open_vote(client, world, headers, created["id"])
    assert vote["eligible_count"] == 3
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    assert (await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=holder.headers)).status_code == 201
    for_bea = await client.post(f"{url}/proxy-ballot", json={"member_number": bea.member["number"], "choice": "no"}, headers=holder.headers)
    assert for_bea.status_code == 201 and for_bea.json()["receipt_code"]
    problem(await client.post(f"{url}/proxy-ballot", json={"member_number": bea.member["number"], "choice": "yes"}, headers=holder.headers), 409)
    problem(await client.post(f"{url}/proxy-ballot", json={"member_number": dora.member["number"], "choice": "yes"}, headers=holder.headers), 403)
    problem(await client.post(f"{url}/proxy-ballot", json={"member_number": carl.member["number"], "choice": "yes"}, headers=emil.headers), 403)
    # Carl, represented and away, votes through his holder; checked in, he still has one vote only.
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=carl.headers), 409)
    assert (await client.post(f"{url}/proxy-ballot", json={"member_number": carl.member["number"], "choice": "abstain"}, headers=holder.headers)).status_code == 201
    assert (await client.post(f"{base}/attendance", json={"member_number": carl.member["number"]}, headers=headers)).status_code == 200
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=carl.headers), 409)
    closed = (await client.post(f"{url}/close", json={}, headers=headers)).json()
    assert closed["counts"] == {"yes": 1, "no": 1, "abstain": 1}

    withdrawn = await client.post(f"/api/t/{world.tenant.slug}/proxies/{listed[0]['id']}/withdraw", json={}, headers=headers)
    assert withdrawn.status_code == 200
    assert (await client.get(f"{base}/quorum", headers=headers)).json()["present"] == 2
    await client.post(f"{base}/adjourn", json={}, headers=headers)
    body = (await client.post(f"{base}/minutes", json={}, headers=headers)).json()["body"]
    assert f"({carl.member['number']}), représenté par procuration par Ève Côté ({holder.member['number']})" in body  # the minutes record it
    assert f"({bea.member['number']}), représenté" not in body  # withdrawn


async def test_the_cap_holds_when_proxies_are_recorded_at_once(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    holder, *others = await voters(database, world, 9)
    await allow_proxies(client, world, headers, 3)
    created = await in_session(client, world, headers, [holder])
    url = f"/api/t/{world.tenant.slug}/meetings/{created['id']}/proxies"
    responses = await asyncio.gather(*(
        client.post(url, json={"member_number": m.member["number"], "holder_number": holder.member["number"]}, headers=headers) for m in others
    ))
    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 5, [r.text for r in responses]
    assert len((await client.get(url, headers=headers)).json()) == 3
    assert (await client.get(f"/api/t/{world.tenant.slug}/meetings/{created['id']}/quorum", headers=headers)).json()["present"] == 4


async def test_proxies_through_the_console_and_the_holders_page(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    await allow_proxies(client, world, headers, 1)
    own = await link_member(database, world, "member")
    (represented,) = await voters(database, world, 1)
    created = await in_session(client, world, headers, [])
    await client.post(f"/api/t/{slug}/meetings/{created['id']}/attendance", json={"member_number": own["number"]}, headers=headers)
    page = f"/t/{slug}/meetings/{created['id']}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member:
        await sign_in(keeper, world, "secretary")
        await sign_in(member, world, "member")
        refused = await post_form(keeper, f"{page}/proxies", {"represented_number": str(own["number"]), "holder_number": str(own["number"])})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        given = await post_form(keeper, f"{page}/proxies", {"represented_number": str(represented.member["number"]), "holder_number": str(own["number"])})
        assert given.status_code in (302, 303), given.text
        assert "Procurations" in (await keeper.get(f"{page}/console")).text
        vote = await open_vote(client, world, headers, created["id"])
        seen = await member.get(page)
        assert f'action="/t/{slug}/votes/{vote["id"]}/proxy-ballot"' in seen.text
        cast = await post_form(member, f"/t/{slug}/votes/{vote['id']}/proxy-ballot", {"member_number": str(represented.member["number"]), "choice": "yes"})
        assert cast.status_code == 201 and "procuration" in cast.text
        assert f'action="/t/{slug}/votes/{vote["id"]}/proxy-ballot"' not in (await member.get(page)).text
