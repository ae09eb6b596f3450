"""`votes verify` checks every field of the box it publishes: a box whose chain_start was changed,
or left out, does not verify, offline or through the rules."""

import json
import random
import uuid

from click.testing import CliRunner

from governance.meetings import rules
from governance.meetings.cli import verify_command
from tests.meetings.test_secrecy_and_verification import closed_vote


async def test_a_changed_or_missing_chain_start_fails_the_verification(client, make_tenant, database, tmp_path):
    world = await make_tenant()
    vote_id, _, _, headers = await closed_vote(client, world, database, 3)
    box = (await client.get(f"/api/t/{world.tenant.slug}/votes/{vote_id}/ballot-box", headers=headers)).json()
    path = tmp_path / "box.json"
    path.write_text(json.dumps(box))
    assert CliRunner().invoke(verify_command, ["--box", str(path)]).exit_code == 0
    forged = rules.chain_start(uuid.uuid4())
    for changed in ({**box, "chain_start": forged}, {k: v for k, v in box.items() if k != "chain_start"}):
        path.write_text(json.dumps(changed))
        refused = CliRunner().invoke(verify_command, ["--box", str(path)])
        assert refused.exit_code == 1 and "chain_start" in refused.output, refused.output


def test_verify_box_compares_the_published_start_with_the_votes():
    vote_id = uuid.uuid4()
    published = rules.seal(vote_id, [("yes", "r1"), ("no", "r2")], random.Random(1))
    head, counts = rules.chain_head(vote_id, published), {"yes": 1, "no": 1}
    assert rules.verify_box(vote_id, published, head, counts, rules.chain_start(vote_id)) == []
    assert any("chain_start" in fault for fault in rules.verify_box(vote_id, published, head, counts, "0" * 64))
