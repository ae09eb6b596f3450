"""Server-rendered pages of consultations between meetings: the list (and the secretary's form),
a consultation's page with the ballot, the secretary's steps, and the results with their chart."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from backend.auth import signed_in
from backend.i18n import N_
from backend.tenancy import BURST
from backend.web import Form, from_form, page, submit, text
from governance.meetings import feedback, rules
from governance.meetings.consultation_controllers import CONSULTATION_DEPENDENCIES, ConsultationId, ConsultationsDep
from governance.meetings.controllers import keeps_meetings
from governance.meetings.guards import SECRETARIES
from governance.meetings.schemas import BallotIn, ConsultationIn


def consultation_from_form(form: dict[str, Any]) -> ConsultationIn:
    values = dict(form)
    for name in ("opens_at", "closes_at"):
        if len(text(values, name)) == 16:  # a browser's datetime-local has no seconds
            values[name] = text(values, name) + ":00"
    return from_form(values, ConsultationIn)


class ConsultationPages(Controller):
    path = "/t/{slug:str}/consultations"
    dependencies = CONSULTATION_DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[signed_in])
    async def list_consultations(self, request: Request, consultations: ConsultationsDep) -> Template:
        return await list_page(request, consultations)

    @post("/", guards=[keeps_meetings])
    async def create(self, request: Request, consultations: ConsultationsDep, data: Form) -> Response:
        return await submit(
            lambda: consultations.create(consultation_from_form(data)),
            lambda created: f"/t/{request.state.tenant.slug}/consultations/{created['id']}?done=created",
            again=partial(list_page, request, consultations, values=data),
        )

    @get("/{consultation_id:uuid}", guards=[signed_in])
    async def consultation(self, request: Request, consultations: ConsultationsDep, consultation_id: ConsultationId) -> Template:
        consultation = await consultations.get(consultation_id)
        votes = consultations.votes
        vote = await votes.get(consultation["vote_id"])
        return page(
            request, "meetings/consultation.html", consultation=consultation, own=await votes.meetings.register.of_user(request.user.user_id),
            voted=consultation["status"] == "open" and await votes.has_voted(consultation["vote_id"]), keeper=request.user.has_any(SECRETARIES),
            choices=rules.CHOICES, bars=rules.bars(vote), turnout=await votes.turnout_by_category(consultation["vote_id"]) if vote["status"] == "closed" else {},
            done=feedback.done(request, CONSULTATION_DONE),
        )

    @post("/{consultation_id:uuid}/ballot", guards=[signed_in], opt=BURST)
    async def cast(self, request: Request, consultations: ConsultationsDep, consultation_id: ConsultationId, data: Form) -> Template:
        consultation = await consultations.get(consultation_id)
        receipt = await consultations.cast(consultation_id, from_form(data, BallotIn).choice)
        vote = await consultations.votes.get(consultation["vote_id"])
        return page(request, "meetings/receipt.html", status_code=201, vote=vote, receipt=receipt, back=f"/t/{request.state.tenant.slug}/consultations/{consultation_id}")

    @post("/{consultation_id:uuid}/open", guards=[keeps_meetings])
    async def open_consultation(self, request: Request, consultations: ConsultationsDep, consultation_id: ConsultationId) -> Response:
        await consultations.open(consultation_id)
        return Redirect(f"/t/{request.state.tenant.slug}/consultations/{consultation_id}?done=opened")

    @post("/{consultation_id:uuid}/close", guards=[keeps_meetings])
    async def close(self, request: Request, consultations: ConsultationsDep, consultation_id: ConsultationId) -> Response:
        await consultations.close(consultation_id)
        return Redirect(f"/t/{request.state.tenant.slug}/consultations/{consultation_id}?done=closed")

    @post("/{consultation_id:uuid}/certify", guards=[keeps_meetings])
    async def certify(self, request: Request, consultations: ConsultationsDep, consultation_id: ConsultationId) -> Response:
        await consultations.certify(consultation_id)
        return Redirect(f"/t/{request.state.tenant.slug}/consultations/{consultation_id}?done=certified")




CONSULTATION_DONE = {
    "created": N_("The consultation was prepared: open it to invite the members."),
    "opened": N_("The consultation is open: the members were invited by e-mail."),
    "closed": N_("The consultation is closed: the box was counted and published."),
    "certified": N_("The result was certified."),
}


async def list_page(request: Request, consultations: ConsultationsDep, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    return page(
        request, "meetings/consultations.html", status_code=status_code, consultations=await consultations.all(),
        keeper=request.user.has_any(SECRETARIES), errors=errors or {}, values=values or {},
    )


ROUTES = [ConsultationPages]
