"""The seed of an election's draws by lot is committed to when the vote opens (commit-reveal): drawn
then and kept unseen, its SHA-256 published on the election, in the API and in the opening's audit
record; at the close the count uses it and reveals it, the minutes print both, and the verification
(online and offline) fails when the seed revealed is not the one committed to. An election opened
before commitments existed still closes, with a seed drawn at the close, and says so."""

import hashlib
import json

import httpx
from click.testing import CliRunner

from backend import db
from governance.meetings import election_rules as er
from governance.meetings.cli import verify_command
from governance.meetings.elections import ElectionVote
from governance.meetings.votes import VoteKind
from tests.conftest import sign_in
from tests.meetings.support import in_session, secretary, voters
from tests.meetings.test_elections import election, nominated_and_accepted
from tests.meetings.test_secrecy_and_verification import owner_rows, verify


async def tied_election(client, world, database):
    """One seat, two candidates with one mark each and a blank ballot: a tie decided by lot."""
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    meeting = await in_session(client, world, headers, people)
    made = await election(client, world, headers, meeting["id"], seats=1)
    await nominated_and_accepted(client, world, headers, made, people, people[:2])
    return headers, people, meeting, made


async def cast_and_close(client, world, headers, people, made) -> dict:
    base = f"/api/t/{world.tenant.slug}"
    for person, mark in zip(people, ([1], [2], []), strict=True):
        assert (await client.post(f"{base}/elections/{made['id']}/ballot", json={"candidates": mark}, headers=person.headers)).status_code == 201
    assert (await client.post(f"{base}/votes/{made['vote_id']}/close", json={}, headers=headers)).status_code == 200
    return (await client.get(f"{base}/elections/{made['id']}", headers=headers)).json()


async def forge(database, election_id, choices: list[str], seed: str, commitment: str | None = None) -> None:
    """As someone with full access to the database, after the ballots: another seed, the count
    redone with it (consistent with the box), and perhaps the commitment rewritten to fit it."""
    (row,) = await owner_rows(database, "SELECT result FROM election WHERE id = {}", election_id)
    record = row["result"] if isinstance(row["result"], dict) else json.loads(row["result"])
    redone = er.count(record["method"], choices, record["candidates"], record["seats"], seed).record()
    async with database.as_owner(), db.transaction(database.owner, write=True):
        await db.execute(database.owner, "UPDATE election SET tie_seed = {}, result = {} WHERE id = {}", seed, json.dumps(redone), election_id)
        if commitment is not None:
            await db.execute(database.owner, "UPDATE election SET seed_commitment = {} WHERE id = {}", commitment, election_id)


async def test_the_seed_is_committed_to_at_the_opening_and_revealed_at_the_close(app, client, make_tenant, database, tmp_path):
    world = await make_tenant()
    slug = world.tenant.slug
    base = f"/api/t/{slug}"
    headers, people, meeting, made = await tied_election(client, world, database)
    assert made["seed_commitment"] is None  # nothing drawn before the opening
    assert (await client.post(f"{base}/votes/{made['vote_id']}/open", json={}, headers=headers)).status_code == 200
    running = (await client.get(f"{base}/elections/{made['id']}", headers=people[0].headers)).json()
    commitment = running["seed_commitment"]
    assert len(commitment) == 64 and int(commitment, 16) >= 0 and running["tie_seed"] is None  # published; the seed is not
    (stored,) = await owner_rows(database, "SELECT tie_seed, seed_commitment FROM election WHERE id = {}", made["id"])
    assert stored["seed_commitment"] == commitment == hashlib.sha256(stored["tie_seed"].encode()).hexdigest()
    opening = await owner_rows(database, "SELECT details FROM audit_event WHERE object_id = {} AND action = 'vote.opened'", made["vote_id"])
    details = opening[0]["details"] if isinstance(opening[0]["details"], dict) else json.loads(opening[0]["details"])
    assert details["seed_commitment"] == commitment and stored["tie_seed"] not in json.dumps(details)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper:
        await sign_in(keeper, world, "secretary")
        page = await keeper.get(f"/t/{slug}/elections/{made['id']}")
        assert page.status_code == 200 and commitment in page.text and stored["tie_seed"] not in page.text
        closed = await cast_and_close(client, world, headers, people, made)
        # The count used the seed drawn at the opening, revealed now, which fits the commitment.
        assert closed["tie_seed"] == stored["tie_seed"] and closed["seed_commitment"] == commitment
        (draw,) = closed["result"]["draws"]
        assert draw["order"] == er.lot_order(stored["tie_seed"], "plurality", [1, 2])
        results = await keeper.get(f"/t/{slug}/elections/{made['id']}")
        assert closed["tie_seed"] in results.text and commitment in results.text
    # The minutes of the tie state the seed and the commitment published at the opening.
    await client.post(f"{base}/meetings/{meeting['id']}/adjourn", json={}, headers=headers)
    minutes = (await client.post(f"{base}/meetings/{meeting['id']}/minutes", json={}, headers=headers)).json()
    (line,) = [text for text in minutes["body"].splitlines() if closed["tie_seed"] in text]
    assert commitment in line
    # The verification: online and offline, it says the seed matches its commitment.
    online = await verify(database, "--tenant", slug, "--vote", made["vote_id"])
    assert online.returncode == 0 and commitment in online.stdout, online.stderr
    box = (await client.get(f"{base}/votes/{made['vote_id']}/ballot-box", headers=headers)).json()
    assert box["election"]["seed_commitment"] == commitment
    path = tmp_path / "box.json"
    path.write_text(json.dumps(box))
    offline = CliRunner().invoke(verify_command, ["--box", str(path)])
    assert offline.exit_code == 0 and "matching the commitment" in offline.output, offline.output
    # A seed redrawn after the ballots, with its count consistent, fails on the commitment offline…
    other = "0" * 32 if closed["tie_seed"] != "0" * 32 else "1" * 32
    choices = [b["choice"] for b in box["ballots"]]
    forged_record = er.count("plurality", choices, [1, 2], 1, other).record()
    assert er.verify(forged_record, choices, other) == []  # (the count alone would not tell)
    path.write_text(json.dumps({**box, "election": {**box["election"], "tie_seed": other, "result": forged_record}}))
    refused = CliRunner().invoke(verify_command, ["--box", str(path)])
    assert refused.exit_code == 1 and "commitment" in refused.output, refused.output
    # …and online, even with its commitment rewritten too (the opening's audit record keeps the first).
    await forge(database, made["id"], choices, other)
    failed = await verify(database, "--tenant", slug, "--vote", made["vote_id"])
    assert failed.returncode == 1 and "commitment (SHA-256) was published" in failed.stderr, failed.stderr
    await forge(database, made["id"], choices, other, er.seed_commitment(other))
    failed = await verify(database, "--tenant", slug, "--vote", made["vote_id"])
    assert failed.returncode == 1 and "audit log at the opening" in failed.stderr, failed.stderr


async def test_an_election_opened_before_commitments_draws_its_seed_at_the_close(app, client, make_tenant, database, monkeypatch):
    world = await make_tenant()
    slug = world.tenant.slug
    base = f"/api/t/{slug}"
    headers, people, meeting, made = await tied_election(client, world, database)
    with monkeypatch.context() as before:  # opened as before the change: no seed, no commitment
        before.setattr(ElectionVote, "opened", VoteKind.opened)
        assert (await client.post(f"{base}/votes/{made['vote_id']}/open", json={}, headers=headers)).status_code == 200
    (stored,) = await owner_rows(database, "SELECT tie_seed, seed_commitment FROM election WHERE id = {}", made["id"])
    assert (stored["tie_seed"], stored["seed_commitment"]) == (None, None)
    closed = await cast_and_close(client, world, headers, people, made)
    assert len(closed["tie_seed"]) == 32 and closed["seed_commitment"] is None and len(closed["result"]["draws"]) == 1
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper:
        await sign_in(keeper, world, "secretary")
        page = await keeper.get(f"/t/{slug}/elections/{made['id']}")
        assert page.status_code == 200 and closed["tie_seed"] in page.text
    await client.post(f"{base}/meetings/{meeting['id']}/adjourn", json={}, headers=headers)
    minutes = (await client.post(f"{base}/meetings/{meeting['id']}/minutes", json={}, headers=headers)).json()
    assert closed["tie_seed"] in minutes["body"]
    online = await verify(database, "--tenant", slug, "--vote", made["vote_id"])
    assert online.returncode == 0 and "drawn at the close" in online.stdout, online.stderr
