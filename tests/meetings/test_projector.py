"""The projector page: live turnout and quorum, the open vote's turnout (never its counts), the
results after the close; it reloads itself and is the secretary's."""

import re

import httpx

from tests.conftest import sign_in
from tests.meetings.support import in_session, open_vote, secretary, voters
from tests.meetings.test_meetings_api import problem


async def test_the_projector_shows_turnout_then_the_results(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    ann, bob, cid = await voters(database, world, 3)
    created = await in_session(client, world, headers, [ann, bob])
    live = f"/api/t/{slug}/meetings/{created['id']}/live"
    shown = (await client.get(live, headers=ann.headers)).json()
    assert shown["quorum"] == {"present": 2, "entitled": 3, "needed": 1, "reached": True} and shown["votes"] == []
    vote = await open_vote(client, world, headers, created["id"], question="Adopter le budget 2031?")
    await client.post(f"/api/t/{slug}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=ann.headers)
    (during,) = (await client.get(live, headers=ann.headers)).json()["votes"]
    assert (during["status"], during["ballots"], during["eligible_count"], during["counts"], during["adopted"]) == ("open", 1, 2, None, None)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member:
        await sign_in(keeper, world, "secretary")
        await sign_in(member, world, "member")
        page = f"/t/{slug}/meetings/{created['id']}/projector"
        assert (await member.get(page)).status_code == 403
        screen = await keeper.get(page)
        assert screen.status_code == 200 and 'http-equiv="refresh"' in screen.text and 'class="projector"' in screen.text
        assert "Adopter le budget 2031?" in screen.text and ">1</span> / 2" in screen.text and "<svg class=\"vote-chart\"" not in screen.text
        await client.post(f"/api/t/{slug}/votes/{vote['id']}/ballot", json={"choice": "no"}, headers=bob.headers)
        await client.post(f"/api/t/{slug}/votes/{vote['id']}/close", json={}, headers=headers)
        screen = await keeper.get(page)
        assert "<svg class=\"vote-chart\"" in screen.text and "Rejeté" in screen.text and re.search(r"1 \(50,0\s%\)", screen.text)  # Babel's French percentage
    (after,) = (await client.get(live, headers=cid.headers)).json()["votes"]
    assert (after["counts"], after["adopted"]) == ({"yes": 1, "no": 1, "abstain": 0}, False)
    problem(await client.get(f"/api/t/{slug}/meetings/00000000-0000-4000-8000-000000000000/live", headers=headers), 404)
