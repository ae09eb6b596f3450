"""JSON API of the register of directors: /api/t/{slug}/directors. The board reads it (the
secretaries and the current directors); the secretaries appoint and end terms."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from backend.auth import signed_in
from backend.context import provider
from governance.meetings.board import Board
from governance.meetings.controllers import DEPENDENCIES as MEETING_DEPENDENCIES
from governance.meetings.controllers import keeps_meetings
from governance.meetings.schemas import BoardSeatOut, DirectorChangeIn, DirectorIn, TermEndIn

DEPENDENCIES = {**MEETING_DEPENDENCIES, "board": provider(Board, source="meetings")}
BoardDep = NamedDependency[Board]
DirectorId = FromPath[UUID]


def director_out(row: dict) -> BoardSeatOut:
    return msgspec.convert(row, BoardSeatOut)


class DirectorController(Controller):
    path = "/api/t/{slug:str}/directors"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/", guards=[signed_in], summary="The current directors (the board and the secretaries read them)")
    async def current(self, board: BoardDep) -> list[BoardSeatOut]:
        return [director_out(row) for row in await board.current()]

    @post("/", guards=[keeps_meetings], summary="Appoint an active member to the board, from a term's start")
    async def appoint(self, board: BoardDep, data: JSONBody[DirectorIn]) -> BoardSeatOut:
        return director_out(await board.appoint(data))

    @patch("/{director_id:uuid}", guards=[keeps_meetings], summary="Correct a current term's entry (its seat, the day it started)")
    async def correct(self, board: BoardDep, director_id: DirectorId, data: JSONBody[DirectorChangeIn]) -> BoardSeatOut:
        return director_out(await board.correct(director_id, data))

    @post("/{director_id:uuid}/end", guards=[keeps_meetings], status_code=200, summary="End a director's term")
    async def end(self, board: BoardDep, director_id: DirectorId, data: JSONBody[TermEndIn]) -> BoardSeatOut:
        return director_out(await board.end(director_id, data))


ROUTES = [DirectorController]
