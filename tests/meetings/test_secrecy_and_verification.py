"""Secret ballots: with full access to the database, after the close, nothing links a voter to a
ballot; and the published box verifies, and fails loudly on a single changed byte."""

import asyncio
import base64
import json
import os
import subprocess
import sys
import uuid

import pytest

from backend import db, sealing
from tests.conftest import BACKEND
from tests.meetings.support import in_session, open_vote, secretary, voters

VOTERS = 60
# A link by any order or column that did better than chance would match most ballots; chance
# matches half of them (P(>= 80 % of 60 by chance) < 1e-5).
BETTER_THAN_CHANCE = 0.8
ROW_ORDER = "ctid" if BACKEND == "postgres" else "rowid"


async def owner_rows(database, sql: str, *args) -> list[dict]:
    """As the tables' owner (on PostgreSQL a superuser: row-level security does not apply)."""
    async with database.as_owner():
        return await db.execute(database.owner, sql, *args)


async def closed_vote(client, world, database, count: int):
    headers = await secretary(client, world)
    people = await voters(database, world, count)
    created = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, created["id"])
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}"
    # The first half votes yes, the second no: any order kept from arrival would give it away.
    choices, receipts = {}, {}
    for index, person in enumerate(people):
        choice = "yes" if index < count // 2 else "no"
        response = await client.post(f"{url}/ballot", json={"choice": choice}, headers=person.headers)
        assert response.status_code == 201
        choices[str(person.member["id"])] = choice
        receipts[str(person.member["id"])] = response.json()
    assert (await client.post(f"{url}/close", json={}, headers=headers)).status_code == 200
    return vote["id"], choices, receipts, headers


async def test_no_column_and_no_row_order_links_a_voter_to_a_ballot(client, make_tenant, database):
    world = await make_tenant()
    vote_id, choices, receipts, _ = await closed_vote(client, world, database, VOTERS)
    columns = {row["name"] for row in await owner_rows(database, _columns_sql("ballot"))}
    assert columns == {"tenant_id", "id", "vote_id", "position", "choice", "receipt_hash", "chain_hash"}  # no voter, no time
    assert await owner_rows(database, "SELECT * FROM ballot_envelope WHERE vote_id = {}", vote_id) == []  # emptied at the close
    cast_columns = {row["name"] for row in await owner_rows(database, _columns_sql("vote_cast"))}
    assert cast_columns == {"tenant_id", "id", "vote_id", "member_id", "named_choice"}  # no time, no ballot
    ledger_orders = {
        "by row": f"SELECT member_id FROM vote_cast WHERE vote_id = {{}} ORDER BY {ROW_ORDER}",
        "by id": "SELECT member_id FROM vote_cast WHERE vote_id = {} ORDER BY id",
        "by member": "SELECT member_id FROM vote_cast WHERE vote_id = {} ORDER BY member_id",
    }
    box_orders = {
        "by row": f"SELECT choice FROM ballot WHERE vote_id = {{}} ORDER BY {ROW_ORDER}",
        "by id": "SELECT choice FROM ballot WHERE vote_id = {} ORDER BY id",
        "by position": "SELECT choice FROM ballot WHERE vote_id = {} ORDER BY position",
        "by receipt": "SELECT choice FROM ballot WHERE vote_id = {} ORDER BY receipt_hash",
        "by chain": "SELECT choice FROM ballot WHERE vote_id = {} ORDER BY chain_hash",
    }
    for ledger_name, ledger_sql in ledger_orders.items():
        voters_in_order = [str(row["member_id"]) for row in await owner_rows(database, ledger_sql, vote_id)]
        for box_name, box_sql in box_orders.items():
            ballots_in_order = [row["choice"] for row in await owner_rows(database, box_sql, vote_id)]
            matched = sum(choices[voter] == choice for voter, choice in zip(voters_in_order, ballots_in_order, strict=True))
            assert matched < BETTER_THAN_CHANCE * VOTERS, (ledger_name, box_name, matched)
            assert matched > (1 - BETTER_THAN_CHANCE) * VOTERS, (ledger_name, box_name, matched)  # nor the reverse
    # No value of a voter's row appears in a ballot's row, nor the other way round.
    ledger_values = {str(v) for row in await owner_rows(database, "SELECT * FROM vote_cast WHERE vote_id = {}", vote_id) for k, v in row.items() if k not in ("tenant_id", "vote_id") and v is not None}
    ballot_values = {str(v) for row in await owner_rows(database, "SELECT * FROM ballot WHERE vote_id = {}", vote_id) for k, v in row.items() if k not in ("tenant_id", "vote_id")}
    assert not ledger_values & ballot_values
    # The audit log tells who voted nothing, and holds no receipt.
    audit = json.dumps([row for row in await owner_rows(database, "SELECT details FROM audit_event WHERE tenant_id = {}", world.tenant.id)], default=str)
    assert not any(r["receipt_hash"] in audit or r["receipt_code"] in audit for r in receipts.values())
    if BACKEND == "postgres":
        # The transaction that wrote a row is a hidden column: all published ballots share one.
        assert len(await owner_rows(database, "SELECT DISTINCT xmin::text AS x FROM ballot WHERE vote_id = {}", vote_id)) == 1


async def test_while_the_vote_is_open_the_ballot_written_with_a_voter_tells_nothing(client, make_tenant, database, settings):
    """Rows written in one transaction can be paired (xmin on PostgreSQL, neighbouring rowids on
    SQLite): the ballot paired with a voter is an envelope of one fixed length that the database
    cannot open, holding neither the choice nor the receipt in clear."""
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 6)
    created = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, created["id"])
    receipts = []
    for index, person in enumerate(people):
        response = await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot", json={"choice": ("yes", "no", "abstain")[index % 3]}, headers=person.headers)
        assert response.status_code == 201
        receipts.append(response.json())
    if BACKEND == "postgres":
        paired = await owner_rows(database, "SELECT c.member_id, e.envelope FROM vote_cast c JOIN ballot_envelope e ON c.xmin = e.xmin AND e.vote_id = c.vote_id WHERE c.vote_id = {}", vote["id"])
        envelopes = [row["envelope"] for row in paired]
    else:  # both tables in arrival order
        envelopes = [row["envelope"] for row in await owner_rows(database, "SELECT envelope FROM ballot_envelope WHERE vote_id = {} ORDER BY rowid", vote["id"])]
    assert len(envelopes) == len(people)  # the pairing works ...
    assert len({len(envelope) for envelope in envelopes}) == 1  # ... and yields envelopes alike in size
    for envelope in envelopes:
        raw = base64.b64decode(envelope)
        assert not any(f'"{word}"'.encode() in raw for word in ("yes", "no", "abstain"))
        assert not any(r["receipt_hash"] in envelope or r["receipt_hash"].encode() in raw or r["receipt_code"] in envelope for r in receipts)
    with pytest.raises(sealing.Unopenable):  # sealed for this vote only
        sealing.unseal(f"ballot:{uuid.uuid4()}", envelopes[0])
    sealing.configure("another secret key")  # the service restarted with another SECRET_KEY
    try:
        refused = await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)
    finally:
        sealing.configure(settings.secret_key)
    assert refused.status_code == 409 and "SECRET_KEY" in refused.json()["detail"]
    closed = await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)
    assert closed.status_code == 200 and closed.json()["counts"] == {"yes": 2, "no": 2, "abstain": 2}


def _columns_sql(table: str) -> str:
    if BACKEND == "postgres":
        return f"SELECT column_name AS name FROM information_schema.columns WHERE table_name = '{table}'"
    return f"SELECT name FROM pragma_table_info('{table}')"


async def verify(database, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MIGRATION_DATABASE_URL": database.owner_url, "DATABASE_URL": database.owner_url}
    command = [sys.executable, "-c", "from solidaire.cli import main; main()", "votes", "verify", *args]
    return await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=100)


async def tamper(database, sql: str, *args) -> None:
    """As an attacker with full access: on SQLite, past the append-only triggers too."""
    async with database.as_owner(), db.transaction(database.owner, write=True):
        if BACKEND == "sqlite":
            await db.execute(database.owner, "DROP TRIGGER ballot_no_update")
        await db.execute(database.owner, sql, *args)
        if BACKEND == "sqlite":
            await db.execute(database.owner, "CREATE TRIGGER ballot_no_update BEFORE UPDATE ON ballot BEGIN SELECT RAISE(ABORT, 'ballot is append-only'); END")


async def test_the_box_verifies_with_a_receipt_and_fails_loudly_on_one_changed_byte(client, make_tenant, database, tmp_path):
    world = await make_tenant()
    vote_id, _, receipts, headers = await closed_vote(client, world, database, 4)
    slug = world.tenant.slug
    ok = await verify(database, "--tenant", slug, "--vote", vote_id)
    assert ok.returncode == 0 and "verified: 4 ballots" in ok.stdout, ok.stderr
    # Offline, as any member: the published box and their receipt.
    box = (await client.get(f"/api/t/{slug}/votes/{vote_id}/ballot-box", headers=headers)).json()
    path = tmp_path / "box.json"
    path.write_text(json.dumps(box))
    code = next(iter(receipts.values()))["receipt_code"]
    assert (await verify(database, "--box", str(path), "--receipt", code)).returncode == 0
    assert (await verify(database, "--box", str(path), "--receipt", "AAAA-BBBB-CCCC-DDDD")).returncode == 1
    flipped = path.read_text().replace(box["ballots"][2]["receipt_hash"], box["ballots"][2]["receipt_hash"][:-1] + ("0" if box["ballots"][2]["receipt_hash"][-1] != "0" else "1"))
    path.write_text(flipped)
    offline = await verify(database, "--box", str(path))
    assert offline.returncode == 1 and "chain breaks at position 3" in offline.stderr
    # In the database: one byte of one ballot.
    row = (await owner_rows(database, "SELECT id, receipt_hash FROM ballot WHERE vote_id = {} AND position = 2", vote_id))[0]
    changed = row["receipt_hash"][:10] + ("a" if row["receipt_hash"][10] != "a" else "b") + row["receipt_hash"][11:]
    await tamper(database, "UPDATE ballot SET receipt_hash = {} WHERE id = {}", changed, row["id"])
    broken = await verify(database, "--tenant", slug, "--vote", vote_id)
    assert broken.returncode == 1 and "does NOT verify" in broken.stderr and "position 2" in broken.stderr
    await tamper(database, "UPDATE ballot SET receipt_hash = {} WHERE id = {}", row["receipt_hash"], row["id"])
    assert (await verify(database, "--tenant", slug, "--vote", vote_id)).returncode == 0
    # The recorded counts, or the recorded head, changed after the close.
    await tamper(database, "UPDATE vote SET counts = {} WHERE id = {}", json.dumps({"yes": 3, "no": 1, "abstain": 0}), vote_id)
    assert (await verify(database, "--tenant", slug, "--vote", vote_id)).returncode == 1
