"""JSON API of consultations between meetings: /api/t/{slug}/consultations. The published ballot
box and its verification are those of the consultation's vote (/api/t/{slug}/votes/{vote_id}/…)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from backend.auth import signed_in
from backend.context import provider
from backend.tenancy import BURST
from governance.meetings.consultations import Consultations
from governance.meetings.controllers import DEPENDENCIES, Empty, keeps_meetings
from governance.meetings.schemas import BallotIn, ConsultationIn, ConsultationOut, ReceiptOut

CONSULTATION_DEPENDENCIES = {**DEPENDENCIES, "consultations": provider(Consultations, source="votes")}
ConsultationsDep = NamedDependency[Consultations]
ConsultationId = FromPath[UUID]


def consultation_out(row: dict) -> ConsultationOut:
    return msgspec.convert(row, ConsultationOut, from_attributes=True)


class ConsultationController(Controller):
    path = "/api/t/{slug:str}/consultations"
    tags = ["consultations"]
    dependencies = CONSULTATION_DEPENDENCIES

    @get("/", guards=[signed_in], summary="Consultations between meetings, latest first")
    async def list_consultations(self, consultations: ConsultationsDep) -> list[ConsultationOut]:
        return [consultation_out(row) for row in await consultations.all()]

    @post("/", guards=[keeps_meetings], summary="Prepare a consultation (question, opening and closing times, category)")
    async def create(self, consultations: ConsultationsDep, data: JSONBody[ConsultationIn]) -> ConsultationOut:
        return consultation_out(await consultations.create(data))

    @get("/{consultation_id:uuid}", guards=[signed_in], summary="A consultation (counts hidden until closed)")
    async def get_consultation(self, consultations: ConsultationsDep, consultation_id: ConsultationId) -> ConsultationOut:
        return consultation_out(await consultations.get(consultation_id))

    @post("/{consultation_id:uuid}/open", guards=[keeps_meetings], status_code=200, summary="Open it (not before its opening time): freezes who may vote, invites them by e-mail")
    async def open_consultation(self, consultations: ConsultationsDep, consultation_id: ConsultationId, data: JSONBody[Empty]) -> ConsultationOut:
        return consultation_out(await consultations.open(consultation_id))

    @post("/{consultation_id:uuid}/ballot", guards=[signed_in], opt=BURST, summary="Cast my ballot; returns my receipt code")
    async def cast(self, consultations: ConsultationsDep, consultation_id: ConsultationId, data: JSONBody[BallotIn]) -> ReceiptOut:
        return msgspec.convert(await consultations.cast(consultation_id, data.choice), ReceiptOut)

    @post("/{consultation_id:uuid}/close", guards=[keeps_meetings], status_code=200, summary="Close it (not before its closing time): shuffle, chain and count")
    async def close(self, consultations: ConsultationsDep, consultation_id: ConsultationId, data: JSONBody[Empty]) -> ConsultationOut:
        return consultation_out(await consultations.close(consultation_id))

    @post("/{consultation_id:uuid}/certify", guards=[keeps_meetings], status_code=200, summary="Certify the result (once)")
    async def certify(self, consultations: ConsultationsDep, consultation_id: ConsultationId, data: JSONBody[Empty]) -> ConsultationOut:
        return consultation_out(await consultations.certify(consultation_id))


ROUTES = [ConsultationController]
