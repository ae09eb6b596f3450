"""JSON API of the ways a vote is taken (vote_modes.py): the scrutineers' count from the room, the
named results of an open vote, and the turnout by category."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody

from backend.auth import signed_in
from governance.meetings import vote_modes
from governance.meetings.controllers import DEPENDENCIES, VoteId, VotesDep, keeps_meetings, vote_out
from governance.meetings.schemas import NamedVoteOut, RoomCountIn, TurnoutReportOut, VoteOut


class VoteModeController(Controller):
    path = "/api/t/{slug:str}/votes"
    tags = ["votes"]
    dependencies = DEPENDENCIES

    @post("/{vote_id:uuid}/room-count", guards=[keeps_meetings], status_code=200,
          summary="Enter the scrutineers' count from the room (show of hands, paper, hybrid): once, after the close, before the certification")
    async def room_count(self, votes: VotesDep, vote_id: VoteId, data: JSONBody[RoomCountIn]) -> VoteOut:
        return vote_out(await vote_modes.enter_room_count(votes, vote_id, data))

    @get("/{vote_id:uuid}/named", guards=[signed_in], summary="Who voted what, for an open (named) vote once closed")
    async def named(self, votes: VotesDep, vote_id: VoteId) -> list[NamedVoteOut]:
        return [msgspec.convert(row, NamedVoteOut) for row in await vote_modes.named_results(votes, vote_id)]

    @get("/{vote_id:uuid}/turnout", guards=[signed_in], summary="Turnout by category (online ballots) and the room's count")
    async def turnout(self, votes: VotesDep, vote_id: VoteId) -> TurnoutReportOut:
        return msgspec.convert(await vote_modes.turnout(votes, vote_id), TurnoutReportOut)


ROUTES = [VoteModeController]
