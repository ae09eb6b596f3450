"""Server-rendered pages of elections: the secretary sets one up on an agenda item (console), members
nominate and accept, vote (marks or ranks, plain form controls with labels: keyboard and screen
reader friendly), and read the results with their SVG chart."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from backend.auth import signed_in
from backend.errors import FieldError, Invalid, Problem
from backend.i18n import N_
from backend.tenancy import BURST
from backend.web import Form, errors_by_field, from_form, page, submit, text
from governance.meetings import election_rules as er
from governance.meetings import feedback
from governance.meetings.consoles import console_page
from governance.meetings.controllers import MeetingId, keeps_meetings
from governance.meetings.election_controllers import ELECTION_DEPENDENCIES, CandidacyId, ElectionId, ElectionsDep
from governance.meetings.guards import SECRETARIES
from governance.meetings.schemas import ElectionIn, NominationIn


def election_from_form(form: dict[str, Any]) -> ElectionIn:
    values = dict(form)
    if len(text(values, "nominations_close_at")) == 16:  # a browser's datetime-local has no seconds
        values["nominations_close_at"] = text(values, "nominations_close_at") + ":00"
    return from_form(values, ElectionIn)


def ballot_from_form(form: dict[str, Any], election: dict) -> list[int]:
    """Plurality: the ticked boxes (mark-N). Ranked: the rank chosen for each candidate (rank-N),
    in the order of the ranks; a rank given twice is refused."""
    numbers = [c["ballot_number"] for c in election["candidates"] if c["ballot_number"]]
    if election["method"] == er.Method.PLURALITY:
        return [n for n in numbers if text(form, f"mark-{n}")]
    ranks: dict[int, int] = {}
    for n in numbers:
        chosen = text(form, f"rank-{n}")
        if chosen.isdigit():
            ranks[n] = int(chosen)
    if len(set(ranks.values())) != len(ranks):
        raise Invalid(N_("Give each rank to one candidate only."), errors=[FieldError("candidates", N_("Give each rank to one candidate only."))])
    return sorted(ranks, key=ranks.get)


def bars(election: dict) -> list[dict]:
    """The chart's bars: each candidate's votes (plurality: marks; STV: first preferences)."""
    if not election["result"]:
        return []
    votes = election["result"]["votes"]
    elected = {c["ballot_number"] for c in election["elected"] or []}
    listed = [c for c in election["candidates"] if c["ballot_number"]]
    top = max((votes.get(str(c["ballot_number"]), 0) for c in listed), default=0) or 1
    total = election["result"]["valid"] or 1
    return [
        {"name": c["name"], "count": votes.get(str(c["ballot_number"]), 0), "elected": c["ballot_number"] in elected,
         "width": round(100 * votes.get(str(c["ballot_number"]), 0) / top), "percent": round(100 * votes.get(str(c["ballot_number"]), 0) / total, 1)}
        for c in listed
    ]


class ElectionPages(Controller):
    path = "/t/{slug:str}"
    dependencies = ELECTION_DEPENDENCIES
    include_in_schema = False

    @post("/meetings/{meeting_id:uuid}/elections", guards=[keeps_meetings])
    async def create(self, request: Request, elections: ElectionsDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: elections.create(meeting_id, election_from_form(data)),
            lambda created: f"/t/{request.state.tenant.slug}/elections/{created['id']}?done=created",
            again=partial(console_page, request, elections.votes, meeting_id, values=data),
        )

    @get("/elections/{election_id:uuid}", guards=[signed_in])
    async def election(self, request: Request, elections: ElectionsDep, election_id: ElectionId) -> Template:
        return await election_page(request, elections, election_id)

    @post("/elections/{election_id:uuid}/nominations", guards=[signed_in])
    async def nominate(self, request: Request, elections: ElectionsDep, election_id: ElectionId, data: Form) -> Response:
        return await submit(
            lambda: elections.nominate(election_id, from_form(data, NominationIn)),
            f"/t/{request.state.tenant.slug}/elections/{election_id}?done=nominated#candidates",
            again=partial(election_page, request, elections, election_id, values=data),
        )

    @post("/candidacies/{candidacy_id:uuid}/accept", guards=[signed_in])
    async def accept(self, request: Request, elections: ElectionsDep, candidacy_id: CandidacyId) -> Response:
        accepted = await elections.accept(candidacy_id)
        return Redirect(f"/t/{request.state.tenant.slug}/elections/{accepted['election_id']}?done=accepted#candidates")

    @post("/elections/{election_id:uuid}/ballot", guards=[signed_in], opt=BURST)
    async def cast(self, request: Request, elections: ElectionsDep, election_id: ElectionId, data: Form) -> Template:
        election = await elections.get(election_id)
        try:
            receipt = await elections.cast(election_id, ballot_from_form(data, election))
        except Problem as problem:
            if problem.status not in (400, 422):
                raise
            return await election_page(request, elections, election_id, status_code=problem.status, errors=errors_by_field(problem), values=data)
        vote = await elections.votes.get(election["vote_id"])
        return page(request, "meetings/receipt.html", status_code=201, vote=vote, receipt=receipt)


async def election_page(request: Request, elections: ElectionsDep, election_id, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    election = await elections.get(election_id)
    meetings = elections.meetings
    own = await meetings.register.of_user(request.user.user_id)
    return page(
        request, "meetings/election.html", status_code=status_code, election=election, meeting=await meetings.get(election["meeting_id"]),
        own=own, voted=election["status"] == "open" and await elections.votes.has_voted(election["vote_id"]),
        keeper=request.user.has_any(SECRETARIES), bars=bars(election), errors=errors or {}, values=values or {},
        turnout=await elections.votes.turnout_by_category(election["vote_id"]) if election["status"] == "closed" else {},
        done=None if errors else feedback.done(request, ELECTION_DONE),
    )


ELECTION_DONE = {
    "created": N_("The election was created: nominations are open until their closing time."),
    "nominated": N_("The nomination was recorded: the candidate accepts it from this page."),
    "accepted": N_("The candidacy was accepted: the candidate is on the ballot."),
}


ROUTES = [ElectionPages]
