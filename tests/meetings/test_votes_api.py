"""Motions and votes through the JSON API: quorum, eligibility, one member one vote (also under
concurrent requests), results hidden until the close, certification, the published box."""

import asyncio

from tests.conftest import bearer
from tests.meetings.support import in_session, open_vote, secretary, voters
from tests.meetings.test_meetings_api import SETTINGS, problem


async def ballot_box_state(client, world, headers, vote_id) -> tuple:
    vote = (await client.get(f"/api/t/{world.tenant.slug}/votes/{vote_id}", headers=headers)).json()
    return vote["status"], vote["ballots"], vote["counts"]


async def test_a_secret_vote_from_open_to_certified_result(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 5)
    created = await in_session(client, world, headers, people[:4])  # the fifth stays home
    vote = await open_vote(client, world, headers, created["id"])
    assert (vote["status"], vote["eligible_count"], vote["counts"]) == ("open", 4, None)
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    receipts = []
    for voter, choice in zip(people[:4], ("yes", "yes", "no", "abstain"), strict=True):
        response = await client.post(f"{url}/ballot", json={"choice": choice}, headers=voter.headers)
        assert response.status_code == 201, response.text
        receipts.append(response.json())
    # Results stay hidden until the close, and so does the box; the turnout does not.
    running = (await client.get(url, headers=people[0].headers)).json()
    assert (running["ballots"], running["counts"], running["adopted"], running["votes_cast"]) == (4, None, None, None)
    problem(await client.get(f"{url}/ballot-box", headers=headers), 409)
    problem(await client.post(f"{url}/certify", json={}, headers=headers), 409)
    closed = (await client.post(f"{url}/close", json={}, headers=headers)).json()
    # Abstentions are reported but are not votes cast (the default setting): 2 of 3 is a majority.
    assert closed["counts"] == {"yes": 2, "no": 1, "abstain": 1}
    assert (closed["votes_cast"], closed["adopted"], closed["status"]) == (3, True, "closed")
    box = (await client.get(f"{url}/ballot-box", headers=people[4].headers)).json()
    assert box["chain_head"] == closed["chain_head"] and len(box["ballots"]) == 4
    assert {r["receipt_hash"] for r in receipts} == {b["receipt_hash"] for b in box["ballots"]}
    # Late ballots are refused with a reason, and change nothing.
    late = problem(await client.post(f"{url}/ballot", json={"choice": "no"}, headers=people[4].headers), 409)
    assert "closed" in (await client.post(f"{url}/ballot", json={"choice": "no"}, headers={**people[4].headers, "accept-language": "en"})).json()["detail"]
    assert late["detail"]
    certified = await client.post(f"{url}/certify", json={}, headers=headers)
    assert certified.status_code == 200 and certified.json()["certified_at"]
    problem(await client.post(f"{url}/certify", json={}, headers=headers), 409)  # certified once
    problem(await client.post(f"{url}/close", json={}, headers=headers), 409)
    assert await ballot_box_state(client, world, headers, vote["id"]) == ("closed", 4, {"yes": 2, "no": 1, "abstain": 1})


async def test_abstentions_count_when_the_setting_says_so_and_two_thirds(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={**SETTINGS, "abstentions_count": True}, headers=headers)
    people = await voters(database, world, 3)
    created = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, created["id"], majority="two_thirds")
    for voter, choice in zip(people, ("yes", "yes", "abstain"), strict=True):
        assert (await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot", json={"choice": choice}, headers=voter.headers)).status_code == 201
    closed = (await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)).json()
    assert (closed["votes_cast"], closed["adopted"]) == (3, True)  # 2 of 3 is two thirds


async def test_refusals_leave_the_ballot_box_unchanged(client, make_tenant, database):
    world = await make_tenant(categories=("user", "worker"))
    headers = await secretary(client, world)
    ann, bob, away = await voters(database, world, 3)
    (worker,) = await voters(database, world, 1, category="worker")
    empty = await in_session(client, world, headers, [])
    draft = (await client.post(f"/api/t/{world.tenant.slug}/meetings/{empty['id']}/votes", json={"question": "Q?"}, headers=headers)).json()
    # No quorum: nobody is present.
    problem(await client.post(f"/api/t/{world.tenant.slug}/votes/{draft['id']}/open", json={}, headers=headers), 409)
    assert (await client.get(f"/api/t/{world.tenant.slug}/votes/{draft['id']}", headers=headers)).json()["status"] == "draft"
    created = await in_session(client, world, headers, [ann, bob, worker])
    vote = await open_vote(client, world, headers, created["id"], category="user")
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    assert vote["eligible_count"] == 2
    problem(await client.post(f"{url}/open", json={}, headers=headers), 409)  # opened once
    assert (await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=ann.headers)).status_code == 201
    before = await ballot_box_state(client, world, headers, vote["id"])
    cases = [
        (ann.headers, {"choice": "no"}, 409),  # voting twice
        (bob.headers, {"choice": "maybe"}, 400),  # a choice that is not on the ballot
        (bob.headers, {}, 400),  # no choice
        (away.headers, {"choice": "yes"}, 403),  # not present when the vote opened
        (worker.headers, {"choice": "yes"}, 403),  # another category
        (await bearer(client, world, "treasurer"), {"choice": "yes"}, 403),  # no register entry
    ]
    for voter_headers, body, status in cases:
        problem(await client.post(f"{url}/ballot", json=body, headers=voter_headers), status)
    assert await ballot_box_state(client, world, headers, vote["id"]) == before
    # Arriving after the vote opened does not make a member eligible: eligibility is frozen.
    await client.post(f"/api/t/{world.tenant.slug}/meetings/{created['id']}/attendance", json={"member_number": away.member["number"]}, headers=headers)
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=away.headers), 403)
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=ann.headers | {"authorization": "Bearer nope"}), 401)
    problem(await client.post(f"{url}/close", json={}, headers=ann.headers), 403)
    assert await ballot_box_state(client, world, headers, vote["id"]) == before


async def test_fifty_concurrent_ballots_of_one_member_count_once(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    ann, bob = await voters(database, world, 2)
    created = await in_session(client, world, headers, [ann, bob])
    vote = await open_vote(client, world, headers, created["id"])
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot"
    responses = await asyncio.gather(*(client.post(url, json={"choice": ("yes", "no")[i % 2]}, headers=ann.headers) for i in range(50)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 49, statuses
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in responses if r.status_code == 409)
    closed = (await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)).json()
    assert sum(closed["counts"].values()) == 1


async def test_motions_amendments_first_withdrawal_and_resolution_numbers(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    created = await in_session(client, world, headers, people, kind="annual_general", starts_at="2031-04-24T19:00:00")
    base = f"/api/t/{world.tenant.slug}"
    numbers = [p.member["number"] for p in people]

    async def move(text, **extra):
        response = await client.post(f"{base}/meetings/{created['id']}/motions", json={"text": text, "proposer_number": numbers[0], "seconder_number": numbers[1], **extra}, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    async def vote_on(motion, choices):
        vote = await open_vote(client, world, headers, created["id"], motion_id=motion["id"])
        for person, choice in zip(people, choices, strict=True):
            assert (await client.post(f"{base}/votes/{vote['id']}/ballot", json={"choice": choice}, headers=person.headers)).status_code == 201
        return (await client.post(f"{base}/votes/{vote['id']}/close", json={}, headers=headers)).json()

    main = await move("Adopter les états financiers 2030.")
    amendment = await move("Ajouter : tels que vérifiés.", amends_id=main["id"])
    draft = (await client.post(f"{base}/meetings/{created['id']}/votes", json={"motion_id": main["id"]}, headers=headers)).json()
    assert draft["question"] == main["text"]
    problem(await client.post(f"{base}/votes/{draft['id']}/open", json={}, headers=headers), 409)  # amendment first
    assert (await vote_on(amendment, ("yes", "yes", "no")))["adopted"] is True
    decided = await client.post(f"{base}/votes/{draft['id']}/open", json={}, headers=headers)
    assert decided.status_code == 200
    for person in people:
        await client.post(f"{base}/votes/{draft['id']}/ballot", json={"choice": "yes"}, headers=person.headers)
    await client.post(f"{base}/votes/{draft['id']}/close", json={}, headers=headers)
    two_thirds = await move("Modifier le règlement 4.", majority="two_thirds")
    assert (await vote_on(two_thirds, ("yes", "no", "no")))["adopted"] is False
    third = await move("Nommer l'auditeur.")
    withdrawn = await move("Motion retirée.")
    assert (await client.post(f"{base}/motions/{withdrawn['id']}/withdraw", json={}, headers=headers)).json()["status"] == "withdrawn"
    problem(await client.post(f"{base}/motions/{withdrawn['id']}/withdraw", json={}, headers=headers), 409)
    await vote_on(third, ("yes", "yes", "yes"))
    motions = {m["id"]: m for m in (await client.get(f"{base}/meetings/{created['id']}/motions", headers=headers)).json()}
    assert [motions[m["id"]]["resolution_number"] for m in (main, third)] == ["AGA-2031-01", "AGA-2031-02"]
    assert motions[amendment["id"]]["status"] == "adopted" and motions[amendment["id"]]["resolution_number"] is None
    assert motions[two_thirds["id"]]["status"] == "rejected" and motions[two_thirds["id"]]["resolution_number"] is None
    # Refused motions: seconded by the proposer, unknown member.
    problem(await client.post(f"{base}/meetings/{created['id']}/motions", json={"text": "X", "proposer_number": numbers[0], "seconder_number": numbers[0]}, headers=headers), 422, "seconder_number")
    problem(await client.post(f"{base}/meetings/{created['id']}/motions", json={"text": "X", "proposer_number": numbers[0], "seconder_number": 9999}, headers=headers), 422, "seconder_number")
    assert len((await client.get(f"{base}/meetings/{created['id']}/motions", headers=headers)).json()) == 5


async def test_the_scrutineers_sign_the_certified_result(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    created = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, created["id"])
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    for person in people:
        assert (await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=person.headers)).status_code == 201
    assert (await client.post(f"{url}/close", json={}, headers=headers)).status_code == 200
    problem(await client.post(f"{url}/certify", json={"scrutineers": [f"Scrutateur {n}" for n in range(7)]}, headers=headers), 400)
    problem(await client.post(f"{url}/certify", json={"scrutineers": ["Rémi\nDoucet"]}, headers=headers), 400)
    assert (await client.get(url, headers=headers)).json()["certified_at"] is None  # refused: nothing certified
    certified = await client.post(f"{url}/certify", json={"scrutineers": ["Rémi Doucet", "Aline Pellerin"]}, headers=headers)
    assert certified.status_code == 200 and certified.json()["scrutineers"] == ["Rémi Doucet", "Aline Pellerin"]
    assert (await client.post(f"/api/t/{world.tenant.slug}/meetings/{created['id']}/adjourn", json={}, headers=headers)).status_code == 200
    draft = await client.post(f"/api/t/{world.tenant.slug}/meetings/{created['id']}/minutes", json={}, headers=headers)
    assert "Rémi Doucet, Aline Pellerin" in draft.json()["body"], draft.text
