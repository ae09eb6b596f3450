"""The secretary's page of the register of directors: the current board, appoint, end a term."""

from __future__ import annotations

from functools import partial

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from backend.i18n import N_
from backend.web import Form, from_form, page, submit
from governance.meetings import feedback
from governance.meetings.board_controllers import DEPENDENCIES, BoardDep, DirectorId
from governance.meetings.controllers import keeps_meetings
from governance.meetings.schemas import DirectorChangeIn, DirectorIn, TermEndIn


async def directors_page(request: Request, board: BoardDep, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    return page(request, "meetings/directors.html", status_code=status_code, directors=await board.current(), errors=errors or {},
                values=values or {"term_starts_on": request.state.tenant.today().isoformat()}, today=request.state.tenant.today(),
                done=None if errors else feedback.done(request, DIRECTORS_DONE))


DIRECTORS_DONE = {
    "appointed": N_("The director was entered in the register of directors."),
    "ended": N_("The term was ended: the member no longer sits on the board from that day."),
    "corrected": N_("The director's entry was corrected."),
}


class DirectorPages(Controller):
    path = "/t/{slug:str}/directors"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[keeps_meetings])
    async def directors(self, request: Request, board: BoardDep) -> Template:
        return await directors_page(request, board)

    @post("/", guards=[keeps_meetings])
    async def appoint(self, request: Request, board: BoardDep, data: Form) -> Response:
        return await submit(
            lambda: board.appoint(from_form(data, DirectorIn)),
            f"/t/{request.state.tenant.slug}/directors?done=appointed",
            again=partial(directors_page, request, board, values=data),
        )

    @post("/{director_id:uuid}", guards=[keeps_meetings])
    async def correct(self, request: Request, board: BoardDep, director_id: DirectorId, data: Form) -> Response:
        return await submit(
            lambda: board.correct(director_id, from_form(data, DirectorChangeIn)),
            f"/t/{request.state.tenant.slug}/directors?done=corrected",
            again=partial(directors_page, request, board, values={**data, "corrected": str(director_id)}),
        )

    @post("/{director_id:uuid}/end", guards=[keeps_meetings])
    async def end(self, request: Request, board: BoardDep, director_id: DirectorId, data: Form) -> Response:
        return await submit(
            lambda: board.end(director_id, from_form(data, TermEndIn)),
            f"/t/{request.state.tenant.slug}/directors?done=ended",
            again=partial(directors_page, request, board, values=data),
        )


ROUTES = [DirectorPages]
