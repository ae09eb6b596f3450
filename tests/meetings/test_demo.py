"""The demo of meetings: the Shawinigan co-op's next annual meeting and last year's closed vote."""

import pytest

from backend import db
from backend.context import Context
from governance.meetings.demo import LAST_AGM, NEXT_AGM
from governance.meetings.kinds import votes_for
from governance.meetings.services import Meetings
from solidaire.cli import load_demo
from tenants import demo, services


@pytest.fixture(scope="module")
async def shawinigan(database):
    async with database.as_owner():
        await load_demo(database.owner)  # once for the run: False if an earlier module loaded it
        return await services.tenant_by_slug(demo.FIRST_SLUG)


async def test_the_coop_has_its_next_annual_meeting_and_a_certified_vote_that_verifies(database, shawinigan):
    async with database.as_owner(), db.tenant_transaction(database.owner, shawinigan.id, write=False):
        votes = votes_for(Meetings(Context(shawinigan)))
        held = await votes.meetings.meetings()
        assert [(m["title"], m["status"]) for m in held] == [
            (f"Assemblée générale annuelle {NEXT_AGM.year}", "scheduled"), (f"Assemblée générale annuelle {LAST_AGM.year}", "adjourned"),
        ]
        upcoming = await votes.meetings.get(held[0]["id"])
        assert len(upcoming["agenda"]) == 10 and upcoming["video_url"] and upcoming["place"]
        (vote,) = await votes.of_meeting(held[1]["id"])
        assert vote["status"] == "closed" and vote["certified_at"] and vote["adopted"] is True
        assert sum(vote["counts"].values()) == vote["ballots"] == vote["eligible_count"] >= 15
        assert await votes.verify(vote["id"]) == []
        (motion,) = await votes.meetings.motions(held[1]["id"])
        assert motion["resolution_number"] == f"AGA-{LAST_AGM.year}-01"
