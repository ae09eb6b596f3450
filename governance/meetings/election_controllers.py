"""JSON API of elections of directors: /api/t/{slug}/meetings/{id}/elections, /elections, /candidacies.
The election's vote opens, closes and is certified through /api/t/{slug}/votes/{vote_id}/…"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from backend.auth import signed_in
from backend.context import provider
from backend.tenancy import BURST
from governance.meetings.controllers import DEPENDENCIES, Empty, MeetingId, keeps_meetings
from governance.meetings.elections import Elections
from governance.meetings.schemas import CandidacyOut, ElectionBallotIn, ElectionIn, ElectionOut, NominationIn, ReceiptOut

ELECTION_DEPENDENCIES = {**DEPENDENCIES, "elections": provider(Elections, source="votes")}
ElectionsDep = NamedDependency[Elections]
ElectionId = FromPath[UUID]
CandidacyId = FromPath[UUID]


def election_out(row: dict) -> ElectionOut:
    return msgspec.convert(row, ElectionOut, from_attributes=True)


class ElectionController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["elections"]
    dependencies = ELECTION_DEPENDENCIES

    @get("/meetings/{meeting_id:uuid}/elections", guards=[signed_in], summary="Elections of directors at a meeting")
    async def of_meeting(self, elections: ElectionsDep, meeting_id: MeetingId) -> list[ElectionOut]:
        return [election_out(row) for row in await elections.of_meeting(meeting_id)]

    @post("/meetings/{meeting_id:uuid}/elections", guards=[keeps_meetings], summary="Set up an election of directors (seats, method, category, nominations deadline)")
    async def create(self, elections: ElectionsDep, meeting_id: MeetingId, data: JSONBody[ElectionIn]) -> ElectionOut:
        return election_out(await elections.create(meeting_id, data))

    @get("/elections/{election_id:uuid}", guards=[signed_in], summary="An election: candidates, and the count once closed")
    async def get_election(self, elections: ElectionsDep, election_id: ElectionId) -> ElectionOut:
        return election_out(await elections.get(election_id))

    @post("/elections/{election_id:uuid}/nominations", guards=[signed_in], summary="Nominate another member (before the deadline)")
    async def nominate(self, elections: ElectionsDep, election_id: ElectionId, data: JSONBody[NominationIn]) -> CandidacyOut:
        return msgspec.convert(await elections.nominate(election_id, data), CandidacyOut)

    @post("/candidacies/{candidacy_id:uuid}/accept", guards=[signed_in], status_code=200, summary="Accept a nomination (the candidate, or the secretary)")
    async def accept(self, elections: ElectionsDep, candidacy_id: CandidacyId, data: JSONBody[Empty]) -> CandidacyOut:
        return msgspec.convert(await elections.accept(candidacy_id), CandidacyOut)

    @post("/elections/{election_id:uuid}/ballot", guards=[signed_in], opt=BURST, summary="Cast my ballot (marks or a ranking of ballot numbers); returns my receipt code")
    async def cast(self, request: Request, elections: ElectionsDep, election_id: ElectionId, data: JSONBody[ElectionBallotIn]) -> ReceiptOut:
        return msgspec.convert(await elections.cast(election_id, list(data.candidates)), ReceiptOut)


ROUTES = [ElectionController]
