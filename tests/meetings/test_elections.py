"""Elections of directors through the JSON API: nominations (deadline, eligibility, acceptance),
plurality for N seats and single transferable vote on the ballot machinery, ties by lot with the
seed recorded, the published box and `solidaire votes verify` redoing the count."""

import json
import re

import httpx
from click.testing import CliRunner

from backend import db
from backend.context import Context
from governance.meetings import election_rules as er
from governance.meetings.cli import verify_command
from governance.meetings.consultations import Consultations
from governance.meetings.elections import Elections
from governance.meetings.kinds import votes_for
from governance.meetings.services import Meetings
from solidaire.cli import load_demo
from tenants import demo, services
from tests.clock import in_days
from tests.conftest import sign_in
from tests.meetings.support import in_session, secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_pages import post_form
from tests.meetings.test_secrecy_and_verification import owner_rows, verify
from tests.tenants.test_pages import link_member


async def election(client, world, headers, meeting_id, **body) -> dict:
    response = await client.post(
        f"/api/t/{world.tenant.slug}/meetings/{meeting_id}/elections",
        json={"title": "Administrateurs, membres utilisateurs", "seats": 2, "nominations_close_at": in_days(5), **body}, headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def nominated_and_accepted(client, world, headers, elected, people, candidates) -> list[dict]:
    """Each candidate nominated by the next person, and accepting."""
    base = f"/api/t/{world.tenant.slug}"
    made = []
    for candidate in candidates:
        nominator = people[(people.index(candidate) + 1) % len(people)]
        response = await client.post(f"{base}/elections/{elected['id']}/nominations", json={"candidate_number": candidate.member["number"]}, headers=nominator.headers)
        assert response.status_code == 201, response.text
        accepted = await client.post(f"{base}/candidacies/{response.json()['id']}/accept", json={}, headers=candidate.headers)
        assert accepted.status_code == 200, accepted.text
        made.append(accepted.json())
    return made


async def test_a_plurality_election_from_nominations_to_the_verified_count(client, make_tenant, database, tmp_path):
    world = await make_tenant(categories=("user", "worker"))
    headers = await secretary(client, world)
    base = f"/api/t/{world.tenant.slug}"
    people = await voters(database, world, 6)
    (worker,) = await voters(database, world, 1, category="worker")
    (applicant,) = await voters(database, world, 1, status="applicant")
    meeting = await in_session(client, world, headers, [*people, worker], kind="annual_general", starts_at="2031-04-24T19:00:00")
    agenda_item = meeting["agenda"][1]["id"]
    made = await election(client, world, headers, meeting["id"], category="user", agenda_item_id=agenda_item)
    assert (made["status"], made["method"], made["seats"], made["candidates"], made["result"]) == ("draft", "plurality", 2, [], None)
    url = f"{base}/elections/{made['id']}"
    ann, bob, chloe, denis, eve, fred = people
    # Refused nominations, each with its reason, and nothing written.
    problem(await client.post(f"{url}/nominations", json={"candidate_number": ann.member["number"]}, headers=ann.headers), 422, "candidate_number")  # oneself
    problem(await client.post(f"{url}/nominations", json={"candidate_number": worker.member["number"]}, headers=ann.headers), 422, "candidate_number")  # another category
    problem(await client.post(f"{url}/nominations", json={"candidate_number": applicant.member["number"]}, headers=ann.headers), 422, "candidate_number")  # not active
    problem(await client.post(f"{url}/nominations", json={"candidate_number": ann.member["number"]}, headers=worker.headers), 422, "nominator_number")  # nominator of another category
    problem(await client.post(f"{url}/nominations", json={"candidate_number": ann.member["number"], "nominator_number": bob.member["number"]}, headers=chloe.headers), 403)
    problem(await client.post(f"{url}/nominations", json={"candidate_number": 99999}, headers=ann.headers), 422, "candidate_number")
    candidacies = await nominated_and_accepted(client, world, headers, made, people, [ann, bob, chloe])
    problem(await client.post(f"{url}/nominations", json={"candidate_number": ann.member["number"]}, headers=denis.headers), 409)  # nominated already
    # The secretary records a nomination made on paper, and the candidate's written consent.
    paper = await client.post(f"{url}/nominations", json={"candidate_number": denis.member["number"], "nominator_number": eve.member["number"]}, headers=headers)
    assert paper.status_code == 201 and paper.json()["nominated_by_number"] == eve.member["number"]
    problem(await client.post(f"{base}/candidacies/{paper.json()['id']}/accept", json={}, headers=fred.headers), 403)  # not the candidate
    assert (await client.post(f"{base}/candidacies/{paper.json()['id']}/accept", json={}, headers=headers)).status_code == 200
    problem(await client.post(f"{base}/candidacies/{candidacies[0]['id']}/accept", json={}, headers=ann.headers), 409)  # accepted once
    # Fred is nominated but does not accept: he is not on the ballot.
    await client.post(f"{url}/nominations", json={"candidate_number": fred.member["number"]}, headers=eve.headers)
    opened = await client.post(f"{base}/votes/{made['vote_id']}/open", json={}, headers=headers)
    assert opened.status_code == 200, opened.text
    current = (await client.get(url, headers=eve.headers)).json()
    assert current["status"] == "open" and current["eligible_count"] == 6  # the worker does not elect the users' directors
    numbers = {c["member_number"]: c["ballot_number"] for c in current["candidates"]}
    on_ballot = sorted(c["name"] for c in current["candidates"] if c["ballot_number"])
    assert numbers[fred.member["number"]] is None and len(on_ballot) == 4
    assert [c["ballot_number"] for c in current["candidates"] if c["ballot_number"]] == [1, 2, 3, 4]
    problem(await client.post(f"{url}/nominations", json={"candidate_number": eve.member["number"]}, headers=fred.headers), 409)  # closed by the opening
    ann_no, bob_no, chloe_no, denis_no = (numbers[p.member["number"]] for p in (ann, bob, chloe, denis))
    # Bad ballots: too many marks, twice the same, not on the ballot, a yes/no ballot; nothing counted.
    problem(await client.post(f"{url}/ballot", json={"candidates": [1, 2, 3]}, headers=ann.headers), 422, "candidates")
    problem(await client.post(f"{url}/ballot", json={"candidates": [1, 1]}, headers=ann.headers), 422, "candidates")
    problem(await client.post(f"{url}/ballot", json={"candidates": [9]}, headers=ann.headers), 422, "candidates")
    problem(await client.post(f"{base}/votes/{made['vote_id']}/ballot", json={"choice": "yes"}, headers=ann.headers), 422)
    problem(await client.post(f"{url}/ballot", json={"candidates": [1]}, headers=worker.headers), 403)
    ballots = [(ann, [ann_no, bob_no]), (bob, [bob_no]), (chloe, [chloe_no, bob_no]), (denis, [denis_no, ann_no]), (eve, [ann_no]), (fred, [])]
    receipts = []
    for person, marks in ballots:
        response = await client.post(f"{url}/ballot", json={"candidates": marks}, headers=person.headers)
        assert response.status_code == 201, response.text
        receipts.append(response.json()["receipt_code"])
    problem(await client.post(f"{url}/ballot", json={"candidates": [1]}, headers=ann.headers), 409)  # one member, one vote
    running = (await client.get(url, headers=ann.headers)).json()
    assert (running["ballots"], running["result"], running["elected"], running["tie_seed"]) == (6, None, None, None)
    assert (await client.post(f"{base}/votes/{made['vote_id']}/close", json={}, headers=headers)).status_code == 200
    closed = (await client.get(url, headers=ann.headers)).json()
    # Ann 3 marks, Bob 3, Chloé 1, Denis 1: Ann and Bob elected, no tie at the line.
    assert sorted(c["member_number"] for c in closed["elected"]) == sorted([ann.member["number"], bob.member["number"]])
    assert closed["result"]["votes"] == {str(ann_no): 3, str(bob_no): 3, str(chloe_no): 1, str(denis_no): 1}
    assert (closed["result"]["valid"], closed["result"]["blank"], closed["result"]["draws"]) == (5, 1, [])
    assert len(closed["tie_seed"]) == 32
    # The meeting's yes/no votes do not list the election.
    assert (await client.get(f"{base}/meetings/{meeting['id']}/votes", headers=headers)).json() == []
    assert [e["id"] for e in (await client.get(f"{base}/meetings/{meeting['id']}/elections", headers=ann.headers)).json()] == [made["id"]]
    # The published box: each receipt in it, and the count redone offline from it with the seed.
    box = (await client.get(f"{base}/votes/{made['vote_id']}/ballot-box", headers=ann.headers)).json()
    assert box["election"]["tie_seed"] == closed["tie_seed"] and len(box["ballots"]) == 6
    assert er.verify(box["election"]["result"], [b["choice"] for b in box["ballots"]], box["election"]["tie_seed"]) == []
    path = tmp_path / "box.json"
    path.write_text(json.dumps(box))
    offline = CliRunner().invoke(verify_command, ["--box", str(path), "--receipt", receipts[0]])
    assert offline.exit_code == 0 and "election recounted" in offline.output, offline.output
    online = await verify(database, "--tenant", world.tenant.slug, "--vote", made["vote_id"])
    assert online.returncode == 0 and "election recounted" in online.stdout, online.stderr
    # A changed result (Chloé instead of Bob) fails the verification, offline and online.
    forged = {**box["election"]["result"], "elected": [ann_no, chloe_no]}
    path.write_text(json.dumps({**box, "election": {**box["election"], "result": forged}}))
    refused = CliRunner().invoke(verify_command, ["--box", str(path)])
    assert refused.exit_code == 1 and "elected" in refused.output, refused.output
    async with database.as_owner(), db.transaction(database.owner, write=True):
        await db.execute(database.owner, "UPDATE election SET result = {} WHERE id = {}", json.dumps(forged), made["id"])
    failed = await verify(database, "--tenant", world.tenant.slug, "--vote", made["vote_id"])
    assert failed.returncode == 1 and "elected" in failed.stderr, failed.stderr
    problem(await client.post(f"{base}/votes/{made['vote_id']}/certify", json={}, headers=ann.headers), 403)


async def test_nominations_close_at_the_deadline_and_an_election_needs_a_candidate(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    ann, bob = await voters(database, world, 2)
    meeting = await in_session(client, world, headers, [ann, bob])
    late = await election(client, world, headers, meeting["id"], nominations_close_at=in_days(-1), seats=1)
    refused = problem(await client.post(f"/api/t/{world.tenant.slug}/elections/{late['id']}/nominations", json={"candidate_number": bob.member["number"]}, headers=ann.headers), 409)
    assert refused["detail"]
    problem(await client.post(f"/api/t/{world.tenant.slug}/votes/{late['vote_id']}/open", json={}, headers=headers), 409)  # nobody to elect
    assert (await client.get(f"/api/t/{world.tenant.slug}/elections/{late['id']}", headers=headers)).json()["status"] == "draft"
    problem(await client.post(f"/api/t/{world.tenant.slug}/meetings/{meeting['id']}/elections", json={"title": "X", "seats": 0, "nominations_close_at": in_days(1)}, headers=headers), 400)
    problem(await client.post(f"/api/t/{world.tenant.slug}/meetings/{meeting['id']}/elections", json={"title": "X", "seats": 1, "nominations_close_at": in_days(1), "agenda_item_id": late["id"]}, headers=headers), 422, "agenda_item_id")
    problem(await client.post(f"/api/t/{world.tenant.slug}/meetings/{meeting['id']}/elections", json={"title": "X", "seats": 1, "nominations_close_at": in_days(1)}, headers=ann.headers), 403)


async def test_a_tie_is_decided_by_lot_and_anyone_can_redo_the_draw(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    meeting = await in_session(client, world, headers, people)
    made = await election(client, world, headers, meeting["id"], seats=1)
    base = f"/api/t/{world.tenant.slug}"
    await nominated_and_accepted(client, world, headers, made, people, people[:2])
    await client.post(f"{base}/votes/{made['vote_id']}/open", json={}, headers=headers)
    for person, mark in zip(people, ([1], [2], []), strict=True):
        assert (await client.post(f"{base}/elections/{made['id']}/ballot", json={"candidates": mark}, headers=person.headers)).status_code == 201
    await client.post(f"{base}/votes/{made['vote_id']}/close", json={}, headers=headers)
    closed = (await client.get(f"{base}/elections/{made['id']}", headers=headers)).json()
    (draw,) = closed["result"]["draws"]
    assert draw["tied"] == [1, 2] and draw["order"] == er.lot_order(closed["tie_seed"], "plurality", [1, 2])
    assert [c["ballot_number"] for c in closed["elected"]] == draw["order"][:1]
    rows = await owner_rows(database, "SELECT tie_seed FROM election WHERE id = {}", made["id"])
    assert rows[0]["tie_seed"] == closed["tie_seed"]


async def test_a_ranked_choice_election(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 5)
    meeting = await in_session(client, world, headers, people)
    made = await election(client, world, headers, meeting["id"], seats=1, method="stv")
    base = f"/api/t/{world.tenant.slug}"
    await nominated_and_accepted(client, world, headers, made, people, people[:3])
    await client.post(f"{base}/votes/{made['vote_id']}/open", json={}, headers=headers)
    rankings = ([1, 3], [1], [2, 3], [3, 2], [3, 2])  # 1: 2, 2: 1, 3: 2 -> 2 out, to 3: 3 of 5
    for person, ranking in zip(people, rankings, strict=True):
        assert (await client.post(f"{base}/elections/{made['id']}/ballot", json={"candidates": ranking}, headers=person.headers)).status_code == 201
    await client.post(f"{base}/votes/{made['vote_id']}/close", json={}, headers=headers)
    closed = (await client.get(f"{base}/elections/{made['id']}", headers=headers)).json()
    assert [c["ballot_number"] for c in closed["elected"]] == [3]
    assert closed["result"]["quota"] == "3" and [r["action"] for r in closed["result"]["rounds"]] == ["excluded", "elected"]
    box = (await client.get(f"{base}/votes/{made['vote_id']}/ballot-box", headers=headers)).json()
    assert er.verify(box["election"]["result"], [b["choice"] for b in box["ballots"]], box["election"]["tie_seed"]) == []


async def test_an_election_through_the_pages_and_in_the_minutes(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    api = await secretary(client, world)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member:
        await sign_in(keeper, world, "secretary")
        await sign_in(member, world, "member")
        own = await link_member(database, world, "member")
        others = await voters(database, world, 3)
        meeting = await in_session(client, world, api, others)
        await client.post(f"/api/t/{slug}/meetings/{meeting['id']}/attendance", json={"member_number": own["number"]}, headers=api)
        refused = await post_form(keeper, f"/t/{slug}/meetings/{meeting['id']}/elections", {"title": "CA", "seats": "0", "method": "stv", "nominations_close_at": in_days(3)[:16]})
        assert refused.status_code == 422 and "alert-error" in refused.text
        created = await post_form(keeper, f"/t/{slug}/meetings/{meeting['id']}/elections", {
            "title": "Conseil d'administration", "seats": "1", "method": "stv", "nominations_close_at": in_days(3)[:16], "agenda_item_id": meeting["agenda"][1]["id"],
        })
        assert created.status_code in (302, 303), created.text
        url = created.headers["location"].split("?")[0]  # (the page says what was done: ?done=created)
        election_id = url.rsplit("/", 1)[1]
        # The member nominates two others, who accept through the API; nominating oneself is refused on the page.
        mine = await post_form(member, f"{url}/nominations", {"candidate_number": str(own["number"])})
        assert mine.status_code == 422 and "f-candidate_number-error" in mine.text
        for candidate in others[:2]:
            assert (await post_form(member, f"{url}/nominations", {"candidate_number": str(candidate.member["number"])})).status_code in (302, 303)
        for candidacy in (await client.get(f"/api/t/{slug}/elections/{election_id}", headers=api)).json()["candidates"]:
            holder = next(o for o in others if o.member["number"] == candidacy["member_number"])
            assert (await client.post(f"/api/t/{slug}/candidacies/{candidacy['id']}/accept", json={}, headers=holder.headers)).status_code == 200
        console = await keeper.get(f"/t/{slug}/meetings/{meeting['id']}/console")
        assert "Conseil d&#39;administration" in console.text
        vote_id = re.search(r'/votes/([0-9a-f-]{36})/open"', (await keeper.get(url)).text).group(1)
        assert (await post_form(keeper, f"/t/{slug}/votes/{vote_id}/open", {})).status_code in (302, 303)
        ballot = await member.get(url)
        assert ballot.status_code == 200 and '<select id="rank-1" name="rank-1">' in ballot.text and "<legend>" in ballot.text
        twice = await post_form(member, f"{url}/ballot", {"rank-1": "1", "rank-2": "1"})
        assert twice.status_code == 422
        cast = await post_form(member, f"{url}/ballot", {"rank-1": "2", "rank-2": "1"})
        assert cast.status_code == 201 and "receipt-code" in cast.text
        for other, ranking in zip(others, ([1, 2], [2, 1], [2]), strict=True):
            await client.post(f"/api/t/{slug}/elections/{election_id}/ballot", json={"candidates": ranking}, headers=other.headers)
        assert (await post_form(keeper, f"/t/{slug}/votes/{vote_id}/close", {})).status_code in (302, 303)
        results = await member.get(url)
        assert results.status_code == 200 and "<svg" in results.text and "vote-chart" in results.text
        closed = (await client.get(f"/api/t/{slug}/elections/{election_id}", headers=api)).json()
        (winner,) = closed["elected"]
        assert winner["ballot_number"] == 2 and winner["name"] in results.text  # 3 of 4 first preferences
        for step in ("adjourn",):
            await client.post(f"/api/t/{slug}/meetings/{meeting['id']}/{step}", json={}, headers=api)
        minutes = (await client.post(f"/api/t/{slug}/meetings/{meeting['id']}/minutes", json={}, headers=api)).json()
        assert "Conseil d'administration" in minutes["body"] and winner["name"] in minutes["body"]
        assert closed["tie_seed"] in minutes["body"]  # the seed is printed, tie or not
        assert "Participation par catégorie : Membre utilisateur 4/4." in minutes["body"]


async def test_the_demo_has_a_certified_election_and_an_open_consultation(database):
    async with database.as_owner():
        await load_demo(database.owner)  # once for the run
        tenant = await services.tenant_by_slug(demo.FIRST_SLUG)
        async with db.tenant_transaction(database.owner, tenant.id, write=False):
            votes = votes_for(Meetings(Context(tenant)))
            held = next(m for m in await votes.meetings.meetings() if m["status"] == "adjourned")
            (elected,) = await Elections(votes).of_meeting(held["id"])
            assert elected["status"] == "closed" and elected["certified_at"] and len(elected["elected"]) == 2
            assert await votes.verify(elected["vote_id"]) == []
            (consulted,) = await Consultations(votes).all()
            assert consulted["status"] == "open" and consulted["ballots"] > 0 and consulted["counts"] is None
