"""`solidaire votes …`: the operator's and any member's check of a published ballot box, and the
consultations opened and closed on time (as the job queue does every minute, governance/meetings/jobs.py)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import click

from backend import db
from backend.cli import run_with_engine
from backend.context import Context
from governance.meetings import election_rules, rules
from tenants.cli import tenant_named


@click.group(name="votes", help="Votes of general meetings.")
def votes_group() -> None: ...


@votes_group.command(name="verify", help="Recompute a closed vote's hash chain and tally; exit 1 on any fault.")
@click.option("--tenant", "slug", help="The organisation (with --vote: read the box from the database).")
@click.option("--vote", "vote_id", type=click.UUID, help="The vote's identifier.")
@click.option("--box", "box_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A ballot box as published (JSON from /api/t/…/votes/…/ballot-box), checked offline.")
@click.option("--receipt", "receipt_code", help="Also check that the ballot with this receipt code is in the box.")
def verify_command(slug: str | None, vote_id: uuid.UUID | None, box_file: Path | None, receipt_code: str | None) -> None:
    if box_file is not None:
        box = json.loads(box_file.read_text())
        # Every published field: the chain from its start (a box without one fails) to its head, the counts.
        faults = rules.verify_box(box["vote_id"], [rules.PublishedBallot(**b) for b in box["ballots"]], box["chain_head"], box["counts"], box.get("chain_start", ""))
        if box.get("election"):  # an election: its count redone from the ballots with the recorded seed
            election = box["election"]
            faults += election_rules.verify(election["result"] or {}, [b["choice"] for b in box["ballots"]], election["tie_seed"])
            faults += election_rules.commitment_faults(election["tie_seed"], election.get("seed_commitment"))  # the seed committed to at the opening
            faults += [f"the published {key} of the election is not its result's" for key in ("method", "seats") if election.get(key) != (election["result"] or {}).get(key)]
    elif slug and vote_id:
        box, faults = run_with_engine(lambda engine, settings: _from_database(engine, slug, vote_id))
    else:
        raise click.UsageError("give --tenant and --vote, or --box")
    if receipt_code is not None and rules.receipt_hash(box["vote_id"], receipt_code.strip().upper()) not in {b["receipt_hash"] for b in box["ballots"]}:
        faults.append("no ballot of the box has this receipt code")
    if faults:
        for fault in faults:
            click.echo(f"FAULT: {fault}", err=True)
        raise click.ClickException(f"the ballot box of vote {box['vote_id']} does NOT verify ({len(faults)} fault(s))")
    click.echo(f"verified: {len(box['ballots'])} ballots, chain head {box['chain_head']}, counts {json.dumps(box['counts'], sort_keys=True)}")
    if box.get("election"):
        election = box["election"]
        if election.get("seed_commitment"):
            drawn = f"drawn at the opening, matching the commitment {election['seed_commitment']} published then (SHA-256 of the seed)"
        else:
            drawn = "drawn at the close (the vote opened before a commitment to the seed was published)"
        click.echo(f"election recounted: elected {election['result']['elected']} (ballot numbers), seed {election['tie_seed']} {drawn}")


async def _from_database(engine, slug: str, vote_id: uuid.UUID) -> tuple[dict, list[str]]:
    from backend.errors import Problem
    from governance.meetings.kinds import votes_for
    from governance.meetings.services import Meetings

    tenant = await tenant_named(slug)
    async with db.tenant_transaction(engine, tenant.id, write=False):
        votes = votes_for(Meetings(Context(tenant)))
        try:
            box = await votes.ballot_box(vote_id)
            return {**box, "vote_id": str(vote_id)}, await votes.verify(vote_id)
        except Problem as problem:
            raise click.ClickException(problem.detail) from problem


@votes_group.command(name="advance", help="Open the consultations whose opening time has come, close those past their closing time (the server does it too).")
@click.option("--tenant", "slug", required=True, help="The organisation.")
def advance_command(slug: str) -> None:
    from governance.meetings.jobs import advance

    async def work(engine, settings):
        return await advance(engine, await tenant_named(slug))

    report = run_with_engine(work)
    for step in ("opened", "closed", "refused"):
        for title in report[step]:
            click.echo(f"{step}: {title}")
    if not any(report.values()):
        click.echo("no consultation to open or close")


COMMANDS = [votes_group]
