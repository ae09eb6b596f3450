"""How a vote is taken, through the JSON API: an open (named) vote lists who voted what; a show of
hands is counted by the scrutineers; a hybrid vote adds the room's count to the secret online
ballots, each member counted once; the count is entered once, before the certification."""

import asyncio
import re

import httpx
from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import minutes as minutes_module
from governance.meetings import rules, vote_rules
from tests.conftest import sign_in
from tests.meetings.support import in_session, open_vote, secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_pages import post_form


async def test_an_open_vote_lists_who_voted_what_after_the_close(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    meeting = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, meeting["id"], mode="named")
    assert (vote["mode"], vote["secret"]) == ("named", False)
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    for person, choice in zip(people, ("yes", "no", "yes"), strict=True):
        assert (await client.post(f"{url}/ballot", json={"choice": choice}, headers=person.headers)).status_code == 201
    problem(await client.get(f"{url}/named", headers=people[0].headers), 409)  # results at the close
    await client.post(f"{url}/close", json={}, headers=headers)
    named = (await client.get(f"{url}/named", headers=people[0].headers)).json()
    assert [(n["member_number"], n["choice"]) for n in named] == sorted((p.member["number"], c) for p, c in zip(people, ("yes", "no", "yes"), strict=True))
    secret = await open_vote(client, world, headers, meeting["id"])
    await client.post(f"/api/t/{world.tenant.slug}/votes/{secret['id']}/close", json={}, headers=headers)
    problem(await client.get(f"/api/t/{world.tenant.slug}/votes/{secret['id']}/named", headers=headers), 409)  # a secret ballot names nobody


async def test_a_show_of_hands_is_counted_once_by_the_scrutineers(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    meeting = await in_session(client, world, headers, people)
    motion = (await client.post(f"/api/t/{world.tenant.slug}/meetings/{meeting['id']}/motions", json={"text": "Adopter l'ordre du jour.", "proposer_number": people[0].member["number"], "seconder_number": people[1].member["number"]}, headers=headers)).json()
    vote = await open_vote(client, world, headers, meeting["id"], mode="hands", motion_id=motion["id"])
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=people[0].headers), 409)  # no ballot online
    problem(await client.post(f"{url}/room-count", json={"yes": 2, "no": 1}, headers=headers), 409)  # close first
    closed = (await client.post(f"{url}/close", json={}, headers=headers)).json()
    assert (closed["adopted"], closed["votes_cast"]) == (None, None)  # decided by the room's count
    problem(await client.post(f"{url}/certify", json={}, headers=headers), 409)  # count first
    problem(await client.post(f"{url}/room-count", json={"yes": 3, "no": 1}, headers=headers), 422, "yes")  # 3 present
    problem(await client.post(f"{url}/room-count", json={"yes": -1, "no": 1}, headers=headers), 400)
    problem(await client.post(f"{url}/room-count", json={"yes": 2, "no": 1}, headers=people[0].headers), 403)
    counted = await client.post(f"{url}/room-count", json={"yes": 2, "no": 1}, headers=headers)
    assert counted.status_code == 200, counted.text
    assert (counted.json()["counts"], counted.json()["room_counts"], counted.json()["adopted"]) == ({"yes": 2, "no": 1, "abstain": 0}, {"yes": 2, "no": 1, "abstain": 0}, True)
    problem(await client.post(f"{url}/room-count", json={"yes": 1, "no": 2}, headers=headers), 409)  # once
    motions = (await client.get(f"/api/t/{world.tenant.slug}/meetings/{meeting['id']}/motions", headers=headers)).json()
    assert motions[0]["status"] == "adopted"
    assert (await client.post(f"{url}/certify", json={}, headers=headers)).status_code == 200
    problem(await client.post(f"{url}/room-count", json={"yes": 1, "no": 2}, headers=headers), 409)  # certified
    assert (await client.get(url, headers=headers)).json()["room_counts"] == {"yes": 2, "no": 1, "abstain": 0}


async def test_a_hybrid_vote_counts_each_member_once(client, make_tenant, database):
    world = await make_tenant(categories=("user", "worker"))
    headers = await secretary(client, world)
    users = await voters(database, world, 3)
    (worker,) = await voters(database, world, 1, category="worker")
    people = [*users, worker]
    meeting = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, meeting["id"], mode="hybrid")
    assert (vote["mode"], vote["secret"], vote["eligible_count"]) == ("hybrid", True, 4)
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    for person, choice in ((users[0], "yes"), (worker, "no")):  # following from home, secretly
        assert (await client.post(f"{url}/ballot", json={"choice": choice}, headers=person.headers)).status_code == 201
    await client.post(f"{url}/close", json={}, headers=headers)
    # 4 present, 2 voted online: the room counts at most 2; one leaves: at most 1.
    problem(await client.post(f"{url}/room-count", json={"yes": 2, "no": 1}, headers=headers), 422, "yes")
    await client.post(f"/api/t/{world.tenant.slug}/meetings/{meeting['id']}/attendance", json={"member_number": users[2].member["number"], "present": False}, headers=headers)
    problem(await client.post(f"{url}/room-count", json={"yes": 2, "no": 0}, headers=headers), 422, "yes")
    # Two scrutineers entering the count at once: one is recorded.
    answers = await asyncio.gather(*(client.post(f"{url}/room-count", json={"yes": 1, "no": 0}, headers=headers) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    result = (await client.get(url, headers=headers)).json()
    assert (result["online_counts"], result["room_counts"], result["counts"]) == (
        {"yes": 1, "no": 1, "abstain": 0}, {"yes": 1, "no": 0, "abstain": 0}, {"yes": 2, "no": 1, "abstain": 0})
    assert (result["votes_cast"], result["adopted"]) == (3, True)
    # The published box holds the online ballots alone, and verifies.
    box = (await client.get(f"{url}/ballot-box", headers=headers)).json()
    assert rules.verify_box(vote["id"], [rules.PublishedBallot(**b) for b in box["ballots"]], box["chain_head"], box["counts"]) == []
    turnout = (await client.get(f"{url}/turnout", headers=headers)).json()
    assert turnout == {"by_category": [{"category": "user", "voted": 1, "eligible": 3}, {"category": "worker", "voted": 1, "eligible": 1}], "online": 2, "room": 1, "eligible": 4}


@given(st.dictionaries(st.sampled_from(rules.CHOICES), st.integers(0, 50)), st.integers(0, 120))
def test_the_room_never_counts_more_than_its_capacity(counts, capacity):
    problem = vote_rules.room_count_problem(counts, capacity)
    assert (problem == "too_many") == (sum(counts.values()) > capacity)


@given(st.dictionaries(st.sampled_from(rules.CHOICES), st.integers(0, 50)), st.dictionaries(st.sampled_from(rules.CHOICES), st.integers(0, 50)))
def test_online_and_room_counts_add_up(online, room):
    total = vote_rules.combined(online, room)
    assert sum(total.values()) == sum(online.values()) + sum(room.values())


async def test_the_minutes_give_the_turnout_by_category_and_the_pdf_the_charts(client, make_tenant, database, monkeypatch):
    world = await make_tenant(categories=("user", "worker"))
    headers = await secretary(client, world)
    users = await voters(database, world, 2)
    (worker,) = await voters(database, world, 1, category="worker")
    meeting = await in_session(client, world, headers, [*users, worker])
    base = f"/api/t/{world.tenant.slug}"
    vote = await open_vote(client, world, headers, meeting["id"], mode="hybrid", question="Adopter le plan stratégique?")
    await client.post(f"{base}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=worker.headers)
    await client.post(f"{base}/votes/{vote['id']}/close", json={}, headers=headers)
    assert (await client.post(f"{base}/votes/{vote['id']}/room-count", json={"yes": 1, "no": 1}, headers=headers)).status_code == 200
    await client.post(f"{base}/meetings/{meeting['id']}/adjourn", json={}, headers=headers)
    drafted = (await client.post(f"{base}/meetings/{meeting['id']}/minutes", json={}, headers=headers)).json()
    assert "Membre utilisateur 0/2; Membre travailleur 1/1; compté dans la salle : 2" in drafted["body"], drafted["body"]
    rendered = {}

    async def capture(html: str) -> bytes:
        rendered["html"] = html
        return b"%PDF-1.7 captured"

    monkeypatch.setattr(minutes_module.pdf, "html_to_pdf", capture)
    response = await client.get(f"{base}/minutes/{drafted['id']}/pdf", headers=headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert rendered["html"].count("<svg") == 1 and "Adopter le plan stratégique?" in rendered["html"] and re.search(r">2 \(66,7\s%\)<", rendered["html"])


async def test_the_console_takes_the_mode_and_the_room_count(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    meeting = await in_session(client, world, headers, people)
    console_url = f"/t/{slug}/meetings/{meeting['id']}/console"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper:
        await sign_in(keeper, world, "secretary")
        assert 'name="mode"' in (await keeper.get(console_url)).text
        assert (await post_form(keeper, f"/t/{slug}/meetings/{meeting['id']}/votes", {"question": "À main levée?", "majority": "majority", "mode": "hands"})).status_code in (302, 303)
        vote_id = re.search(r'/votes/([0-9a-f-]{36})/open"', (await keeper.get(console_url)).text).group(1)
        for step in ("open", "close"):
            assert (await post_form(keeper, f"/t/{slug}/votes/{vote_id}/{step}", {})).status_code in (302, 303)
        console = (await keeper.get(console_url)).text
        assert f'/votes/{vote_id}/room-count"' in console and f'/votes/{vote_id}/certify"' not in console
        too_many = await post_form(keeper, f"/t/{slug}/votes/{vote_id}/room-count", {"yes": "3", "no": "1", "abstain": "0"})
        assert too_many.status_code == 422 and "f-yes-error" in too_many.text
        assert (await post_form(keeper, f"/t/{slug}/votes/{vote_id}/room-count", {"yes": "2", "no": "1", "abstain": ""})).status_code in (302, 303)
        results = (await keeper.get(f"/t/{slug}/votes/{vote_id}")).text
        assert "<svg" in results and "Comptés dans la salle : 3" in results
