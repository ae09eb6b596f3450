"""Pages of the meeting's record: requests for a special meeting, a meeting's documents, proxies,
the member's card with its QR code, check-in by scanning, the projector, the register of
resolutions and the annual report's governance part."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import MultipartBody, QueryParameter
from litestar.response import Redirect, Template
from markupsafe import Markup

from backend.auth import signed_in
from backend.errors import FieldError, Invalid, Problem
from backend.i18n import N_
from backend.tenancy import BURST
from backend.web import Form, errors_by_field, from_form, page, submit, text
from governance.meetings import (
    labels,  # noqa: F401  (registers meeting_label for the templates)
    projector,
    rules,
)
from governance.meetings.consoles import console_page, console_url
from governance.meetings.controllers import MeetingsDep, VotesDep, keeps_meetings, pdf_response
from governance.meetings.record_controllers import (
    DEPENDENCIES,
    CheckInsDep,
    DocumentId,
    DocumentsDep,
    MeetingId,
    ProxiesDep,
    ProxyId,
    RecordDep,
    RequisitionId,
    RequisitionsDep,
    VoteId,
    csv_response,
    document_response,
)
from governance.meetings.schemas import ProxyBallotIn, ProxyIn, RequisitionIn, RequisitionMeetingIn, ScanIn

REFRESH_SECONDS = 5  # the projector page reloads itself
OptionalYear = Annotated[int | None, QueryParameter(ge=1900, le=2200)]


class RequisitionPages(Controller):
    path = "/t/{slug:str}/requisitions"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[signed_in])
    async def list_requisitions(self, request: Request, requisitions: RequisitionsDep) -> Template:
        return await requisitions_page(request, requisitions)

    @post("/", guards=[signed_in])
    async def open_requisition(self, request: Request, requisitions: RequisitionsDep, data: Form) -> Response:
        return await submit(
            lambda: requisitions.open(from_form(data, RequisitionIn).object),
            lambda opened: f"/t/{request.state.tenant.slug}/requisitions/{opened['id']}",
            again=partial(requisitions_page, request, requisitions, values=data),
        )

    @get("/{requisition_id:uuid}", guards=[signed_in])
    async def requisition(self, request: Request, meetings: MeetingsDep, requisitions: RequisitionsDep, requisition_id: RequisitionId) -> Template:
        return await requisition_page(request, meetings, requisitions, requisition_id)

    @post("/{requisition_id:uuid}/sign", guards=[signed_in])
    async def sign(self, request: Request, requisitions: RequisitionsDep, requisition_id: RequisitionId) -> Response:
        await requisitions.sign(requisition_id)
        return Redirect(f"/t/{request.state.tenant.slug}/requisitions/{requisition_id}")

    @post("/{requisition_id:uuid}/meeting", guards=[keeps_meetings])
    async def link_meeting(self, request: Request, meetings: MeetingsDep, requisitions: RequisitionsDep, requisition_id: RequisitionId, data: Form) -> Response:
        return await submit(
            lambda: requisitions.link_meeting(requisition_id, from_form(data, RequisitionMeetingIn).meeting_id),
            f"/t/{request.state.tenant.slug}/requisitions/{requisition_id}",
            again=partial(requisition_page, request, meetings, requisitions, requisition_id, values=data),
        )


async def requisitions_page(request: Request, requisitions: RequisitionsDep, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    return page(
        request, "meetings/requisitions.html", status_code=status_code, requisitions=await requisitions.all(), threshold=await requisitions.threshold(),
        errors=errors or {}, values=values or {},
    )


async def requisition_page(request: Request, meetings: MeetingsDep, requisitions: RequisitionsDep, requisition_id, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    requisition = await requisitions.get(requisition_id)
    keeper = requisitions.may_link()
    specials = [(str(m["id"]), m["title"]) for m in await meetings.meetings() if m["kind"] == "special_general"] if keeper else []
    return page(
        request, "meetings/requisition.html", status_code=status_code, requisition=requisition, keeper=keeper,
        signatories=await requisitions.signatories(requisition_id) if keeper else [], specials=specials,
        meeting=await meetings.get(requisition["meeting_id"]) if requisition["meeting_id"] else None,
        errors=errors or {}, values=values or {},
    )


class MeetingRecordPages(Controller):
    path = "/t/{slug:str}/meetings/{meeting_id:uuid}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @post("/documents", guards=[keeps_meetings])
    async def add_document(self, request: Request, votes: VotesDep, documents: DocumentsDep, meeting_id: MeetingId, data: MultipartBody[dict[str, Any]]) -> Response:
        upload = data.get("file")
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        try:
            if not isinstance(upload, UploadFile):
                raise Invalid(N_("Choose a PDF file."), errors=[FieldError("file", N_("Choose a PDF file."))])
            await documents.add(meeting_id, values.get("kind", ""), values.get("title", ""), upload.filename, upload.content_type, await upload.read())
        except Problem as problem:
            if problem.status == 404:
                raise
            return await console_page(request, votes, meeting_id, status_code=problem.status, errors=errors_by_field(problem), values=values)
        return Redirect(console_url(request, meeting_id, "document", "documents"))

    @get("/documents/{document_id:uuid}", guards=[signed_in])
    async def document(self, documents: DocumentsDep, meeting_id: MeetingId, document_id: DocumentId) -> Response:
        return document_response(*await documents.content(meeting_id, document_id))


class ProxyPages(Controller):
    path = "/t/{slug:str}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @post("/meetings/{meeting_id:uuid}/proxies", guards=[keeps_meetings])
    async def give(self, request: Request, votes: VotesDep, proxies: ProxiesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(  # (the console's check-in form has its own member_number field)
            lambda: proxies.give(meeting_id, from_form({**data, "member_number": text(data, "represented_number")}, ProxyIn)),
            console_url(request, meeting_id, "proxy", "proxies"),
            again=partial(console_page, request, votes, meeting_id, values=data),
            errors=lambda problem: {("represented_number" if field == "member_number" else field): message for field, message in errors_by_field(problem).items()},
        )

    @post("/proxies/{proxy_id:uuid}/withdraw", guards=[keeps_meetings])
    async def withdraw(self, request: Request, proxies: ProxiesDep, proxy_id: ProxyId) -> Response:
        proxy = await proxies.withdraw(proxy_id)
        return Redirect(console_url(request, proxy["meeting_id"], "proxy_withdrawn", "proxies"))

    @post("/votes/{vote_id:uuid}/proxy-ballot", guards=[signed_in], opt=BURST)
    async def cast_for(self, request: Request, votes: VotesDep, proxies: ProxiesDep, vote_id: VoteId, data: Form) -> Template:
        vote = await votes.get(vote_id)
        ballot = from_form(data, ProxyBallotIn)
        receipt = await proxies.cast_for(vote_id, ballot.member_number, ballot.choice)
        return page(request, "meetings/receipt.html", status_code=201, vote=vote, receipt=receipt, represented=ballot.member_number)


class CheckInPages(Controller):
    path = "/t/{slug:str}/meetings"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/card", guards=[signed_in])
    async def card(self, request: Request, check_ins: CheckInsDep) -> Template:
        card = await check_ins.card()
        return page(request, "meetings/card.html", card={**card, "svg": Markup(check_ins.card_svg(card))})

    @post("/{meeting_id:uuid}/scan", guards=[keeps_meetings])
    async def scan(self, request: Request, votes: VotesDep, check_ins: CheckInsDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: check_ins.scan(meeting_id, from_form(data, ScanIn).code, text(data, "present") != "false"),
            lambda scanned: f"/t/{request.state.tenant.slug}/meetings/{meeting_id}/console?scanned={scanned['member_number']}#scan",
            again=partial(console_page, request, votes, meeting_id, values={k: v for k, v in data.items() if k != "code"}),
        )

    @get("/{meeting_id:uuid}/projector", guards=[keeps_meetings])
    async def projector(self, request: Request, votes: VotesDep, meeting_id: MeetingId) -> Template:
        shown = await projector.live(votes, meeting_id)
        open_vote = next((v for v in shown["votes"] if v["status"] == "open"), None)
        closed_vote = next((v for v in reversed(shown["votes"]) if v["status"] == "closed"), None)  # the latest result
        if closed_vote:
            closed_vote = {**closed_vote, "bars": rules.bars(closed_vote)}
        return page(request, "meetings/projector.html", live=shown, open_vote=open_vote, closed_vote=closed_vote, refresh_seconds=REFRESH_SECONDS)


class RecordPages(Controller):
    path = "/t/{slug:str}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/resolutions", guards=[signed_in])
    async def resolutions(self, request: Request, record: RecordDep) -> Template:
        return page(request, "meetings/resolutions.html", resolutions=await record.resolutions())

    @get("/resolutions.csv", guards=[signed_in])
    async def resolutions_csv(self, record: RecordDep) -> Response:
        return csv_response(await record.resolutions_csv(), "resolutions.csv")

    @get("/resolutions.pdf", guards=[signed_in])
    async def resolutions_pdf(self, record: RecordDep) -> Response:
        return pdf_response(await record.resolutions_pdf(), "resolutions.pdf")

    @get("/annual-report", guards=[keeps_meetings])
    async def annual_report(self, request: Request, record: RecordDep, year: OptionalYear = None) -> Template:
        year = year or request.state.tenant.today().year
        return page(request, "meetings/annual_report.html", report=await record.annual_report(year))

    @get("/annual-report.pdf", guards=[keeps_meetings])
    async def annual_report_pdf(self, request: Request, record: RecordDep, year: OptionalYear = None) -> Response:
        year = year or request.state.tenant.today().year
        return pdf_response(await record.annual_report_pdf(year), f"rapport-annuel-gouvernance-{year}.pdf")


ROUTES = [RequisitionPages, MeetingRecordPages, ProxyPages, CheckInPages, RecordPages]
