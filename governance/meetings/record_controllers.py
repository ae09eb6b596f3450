"""JSON API of the meeting's record: requests for a special meeting, a meeting's documents,
proxies, QR check-in, the projector's live figures, the approval and publication of minutes, the
register of resolutions and the annual report's governance part."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.auth import signed_in
from backend.context import provider
from backend.errors import FieldError, Invalid
from backend.i18n import N_
from backend.tenancy import BURST
from governance.meetings import projector
from governance.meetings.checkin import CheckIns
from governance.meetings.controllers import DEPENDENCIES as MEETING_DEPENDENCIES
from governance.meetings.controllers import Empty, VotesDep, keeps_meetings, pdf_response
from governance.meetings.documents import MeetingDocuments
from governance.meetings.proxies import Proxies
from governance.meetings.record import Record
from governance.meetings.requisitions import Requisitions
from governance.meetings.schemas import (
    AnnualReportOut,
    AttendanceOut,
    CardOut,
    DocumentKind,
    DocumentOut,
    LiveOut,
    ProxyBallotIn,
    ProxyIn,
    ProxyOut,
    ReceiptOut,
    RequisitionIn,
    RequisitionMeetingIn,
    RequisitionOut,
    ResolutionOut,
    ScanIn,
    SignatoryOut,
)

DEPENDENCIES = {
    **MEETING_DEPENDENCIES,
    "requisitions": provider(Requisitions, source="meetings"), "documents": provider(MeetingDocuments, source="meetings"),
    "check_ins": provider(CheckIns, source="meetings"), "proxies": provider(Proxies, source="votes"), "record": provider(Record, source="votes"),
}
RequisitionsDep = NamedDependency[Requisitions]
DocumentsDep = NamedDependency[MeetingDocuments]
ProxiesDep = NamedDependency[Proxies]
CheckInsDep = NamedDependency[CheckIns]
RecordDep = NamedDependency[Record]
Year = Annotated[int, QueryParameter(ge=1900, le=2200)]
ProxyId = FromPath[UUID]
VoteId = FromPath[UUID]
RequisitionId = FromPath[UUID]
MeetingId = FromPath[UUID]
DocumentId = FromPath[UUID]


def requisition_out(row: dict) -> RequisitionOut:
    return msgspec.convert(row, RequisitionOut, from_attributes=True)


class RequisitionController(Controller):
    path = "/api/t/{slug:str}/requisitions"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/", guards=[signed_in], summary="Requests for a special meeting, latest first")
    async def list_requisitions(self, requisitions: RequisitionsDep) -> list[RequisitionOut]:
        return [requisition_out(row) for row in await requisitions.all()]

    @post("/", guards=[signed_in], summary="Request a special meeting (with its object), signing the request")
    async def open_requisition(self, requisitions: RequisitionsDep, data: JSONBody[RequisitionIn]) -> RequisitionOut:
        return requisition_out(await requisitions.open(data.object))

    @get("/{requisition_id:uuid}", guards=[signed_in], summary="A request, its signatures and the threshold")
    async def get_requisition(self, requisitions: RequisitionsDep, requisition_id: RequisitionId) -> RequisitionOut:
        return requisition_out(await requisitions.get(requisition_id))

    @post("/{requisition_id:uuid}/signatures", guards=[signed_in], summary="Sign a request (once per member)")
    async def sign(self, requisitions: RequisitionsDep, requisition_id: RequisitionId, data: JSONBody[Empty]) -> RequisitionOut:
        return requisition_out(await requisitions.sign(requisition_id))

    @get("/{requisition_id:uuid}/signatures", guards=[keeps_meetings], summary="Who signed a request")
    async def signatories(self, requisitions: RequisitionsDep, requisition_id: RequisitionId) -> list[SignatoryOut]:
        return [msgspec.convert(row, SignatoryOut) for row in await requisitions.signatories(requisition_id)]

    @post("/{requisition_id:uuid}/meeting", guards=[keeps_meetings], status_code=200, summary="Record the special meeting called on a request")
    async def link_meeting(self, requisitions: RequisitionsDep, requisition_id: RequisitionId, data: JSONBody[RequisitionMeetingIn]) -> RequisitionOut:
        return requisition_out(await requisitions.link_meeting(requisition_id, data.meeting_id))


def document_response(row: dict, data: bytes) -> Response:
    """The file under its own name: `filename*` in UTF-8 (RFC 6266), an ASCII `filename` for old
    clients (headers are Latin-1: a name like "États–2030" would not fit as it is)."""
    ascii_name = row["filename"].encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row['filename'])}"
    return Response(data, media_type=row["content_type"], headers={"content-disposition": disposition, "x-content-type-options": "nosniff"})


class DocumentController(Controller):
    path = "/api/t/{slug:str}/meetings/{meeting_id:uuid}/documents"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/", guards=[signed_in], summary="The meeting's documents (annual report, financial statements...)")
    async def list_documents(self, documents: DocumentsDep, meeting_id: MeetingId) -> list[DocumentOut]:
        return [msgspec.convert(row, DocumentOut) for row in await documents.of_meeting(meeting_id)]

    @post("/", guards=[keeps_meetings], summary="Add a document: the PDF as the body (content-type application/pdf), its kind and title in the query")
    async def add_document(
        self, request: Request, documents: DocumentsDep, meeting_id: MeetingId,
        kind: Annotated[DocumentKind, QueryParameter()] = "other", title: Annotated[str | None, QueryParameter(max_length=200)] = None,
        filename: Annotated[str, QueryParameter(max_length=200)] = "document.pdf",
    ) -> DocumentOut:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if not content_type:
            raise Invalid(N_("Send the document as the request body with its content type."), errors=[FieldError("file", N_("Choose a PDF file."))])
        return msgspec.convert(await documents.add(meeting_id, kind, title or filename.rsplit('.', 1)[0], filename, content_type, await request.body()), DocumentOut)

    @get("/{document_id:uuid}", guards=[signed_in], summary="A document's file")
    async def document(self, documents: DocumentsDep, meeting_id: MeetingId, document_id: DocumentId) -> Response:
        return document_response(*await documents.content(meeting_id, document_id))


def proxy_out(row: dict) -> ProxyOut:
    return msgspec.convert(row, ProxyOut)


class ProxyController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/meetings/{meeting_id:uuid}/proxies", guards=[keeps_meetings], summary="The proxies recorded for a meeting")
    async def list_proxies(self, proxies: ProxiesDep, meeting_id: MeetingId) -> list[ProxyOut]:
        return [proxy_out(row) for row in await proxies.of_meeting(meeting_id)]

    @post("/meetings/{meeting_id:uuid}/proxies", guards=[keeps_meetings], summary="Record a proxy (where the by-laws allow them, within the cap per holder)")
    async def give(self, proxies: ProxiesDep, meeting_id: MeetingId, data: JSONBody[ProxyIn]) -> ProxyOut:
        return proxy_out(await proxies.give(meeting_id, data))

    @get("/meetings/{meeting_id:uuid}/proxies/mine", guards=[signed_in], summary="The members I represent at a meeting")
    async def mine(self, proxies: ProxiesDep, meeting_id: MeetingId) -> list[ProxyOut]:
        return [proxy_out(row) for row in await proxies.held_by_me(meeting_id)]

    @post("/proxies/{proxy_id:uuid}/withdraw", guards=[keeps_meetings], status_code=200, summary="Withdraw a proxy")
    async def withdraw(self, proxies: ProxiesDep, proxy_id: ProxyId, data: JSONBody[Empty]) -> ProxyOut:
        return proxy_out(await proxies.withdraw(proxy_id))

    @post("/votes/{vote_id:uuid}/proxy-ballot", guards=[signed_in], opt=BURST, summary="Cast the ballot of a member I represent; returns that ballot's receipt code")
    async def cast_for(self, proxies: ProxiesDep, vote_id: VoteId, data: JSONBody[ProxyBallotIn]) -> ReceiptOut:
        return msgspec.convert(await proxies.cast_for(vote_id, data.member_number, data.choice), ReceiptOut)


class CheckInController(Controller):
    path = "/api/t/{slug:str}/meetings"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/card", guards=[signed_in], summary="My meeting card: the token my QR code holds")
    async def card(self, check_ins: CheckInsDep) -> CardOut:
        return msgspec.convert(await check_ins.card(), CardOut)

    @post("/{meeting_id:uuid}/scan", guards=[keeps_meetings], status_code=200, summary="Check a member in (or out) by the token of their card, or by number")
    async def scan(self, check_ins: CheckInsDep, meeting_id: MeetingId, data: JSONBody[ScanIn]) -> AttendanceOut:
        return msgspec.convert(await check_ins.scan(meeting_id, data.code, data.present), AttendanceOut)

    @get("/{meeting_id:uuid}/live", guards=[signed_in], summary="What the projector shows: turnout, quorum, the open vote, results after the close")
    async def live(self, votes: VotesDep, meeting_id: MeetingId) -> LiveOut:
        return msgspec.convert(await projector.live(votes, meeting_id), LiveOut)


def csv_response(text: str, filename: str) -> Response:
    return Response(text.encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers={"content-disposition": f'attachment; filename="{filename}"'})


class RecordController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/resolutions", guards=[signed_in], summary="The register of resolutions: every adopted resolution by number (members: the general meetings')")
    async def resolutions(self, record: RecordDep) -> list[ResolutionOut]:
        return [msgspec.convert(row, ResolutionOut) for row in await record.resolutions()]

    @get("/resolutions.csv", guards=[signed_in], summary="The register of resolutions as CSV")
    async def resolutions_csv(self, record: RecordDep) -> Response:
        return csv_response(await record.resolutions_csv(), "resolutions.csv")

    @get("/resolutions.pdf", guards=[signed_in], summary="The register of resolutions as PDF, in the organisation's language")
    async def resolutions_pdf(self, record: RecordDep) -> Response:
        return pdf_response(await record.resolutions_pdf(), "resolutions.pdf")

    @get("/annual-report/governance", guards=[keeps_meetings], summary="The annual report's governance part: directors elected, members by category, the annual meeting")
    async def annual_report(self, record: RecordDep, year: Year) -> AnnualReportOut:
        return msgspec.convert(await record.annual_report(year), AnnualReportOut)

    @get("/annual-report/governance.pdf", guards=[keeps_meetings], summary="The annual report's governance part as PDF")
    async def annual_report_pdf(self, record: RecordDep, year: Year) -> Response:
        return pdf_response(await record.annual_report_pdf(year), f"rapport-annuel-gouvernance-{year}.pdf")


ROUTES = [RequisitionController, DocumentController, ProxyController, CheckInController, RecordController]
