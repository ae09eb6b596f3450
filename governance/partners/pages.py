"""Server-rendered pages of the partner program. Public (no sign-in): apply, published minutes
(page, PDF, Atom feed), privacy contact. A partner: my file and consents, my hours, my expenses.
The coordinator: dashboard and reports, pipeline, partner files, committees, meetings and
minutes, approvals and reimbursement batches."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, MultipartBody, QueryParameter
from litestar.response import Redirect, Template

from backend import pdf, web
from backend.auth import now, requires, signed_in
from backend.errors import Invalid, Problem, field_error
from backend.tenancy import WRITES
from backend.i18n import N_
from backend.web import Form, convert, errors_by_field, from_form, page, text
from governance.partners import expenses as reports
from governance.partners import rules, services
from governance.partners.controllers import DEPENDENCIES, CommitteesDep, ExpensesDep, Program, form_secret
from governance.partners.labels import LABELS
from governance.partners.schemas import (
    ActionIn,
    Application,
    AttendanceIn,
    ClaimDecision,
    ClaimIn,
    CommitteeIn,
    ConsentChanges,
    DecisionIn,
    HoursDecision,
    HoursIn,
    InterviewNotes,
    MeetingIn,
    MinutesMove,
    MinutesTextIn,
    SeatIn,
    StageMove,
)
from governance.partners.services import COORDINATORS
from tenants.controllers import CurrentTenant

coordinator = requires(*COORDINATORS)
CHOICES = {"experience_areas": "area", "languages": "spoken", "availability": "availability", "contributions": "contribution"}
CONSENTS = ("consent_contact", "consent_public_name", "consent_photos", "consent_research")


def _list(form: dict[str, Any], name: str) -> list[str]:
    value = form.get(name)
    values = value if isinstance(value, list) else [value] if value is not None else []
    return [v for v in values if isinstance(v, str) and v]


def _back(request: Request, path: str) -> Redirect:
    return Redirect(f"/t/{request.state.tenant.slug}{path}")


# --- public ------------------------------------------------------------------------------------


class PublicPages(Controller):
    path = "/t/{slug:str}/public"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/apply")
    async def apply_form(self, request: Request, tenant: CurrentTenant) -> Template:
        return self._form(request, tenant, {"language": tenant.locale, "kind": "resource_user"}, {})

    def _form(self, request: Request, tenant, values: dict, errors: dict, status_code: int = 200) -> Template:
        return page(request, "partners/apply.html", status_code=status_code, values=values, errors=errors, choices=CHOICES, labels=LABELS,
                    form_token=rules.form_token(form_secret(request), tenant.slug, now()))

    @post("/apply")
    async def apply(self, request: Request, tenant: CurrentTenant, data: Form) -> Template:
        names = ("first_name", "last_name", "email", "city", "language", "kind", "story", "form_token", "website")
        values = {name: text(data, name) for name in names if text(data, name)}  # a blank answer is a missing one
        values.update({name: _list(data, name) for name in CHOICES})
        values["phone"] = text(data, "phone") or None
        values["consent_contact"] = "consent_contact" in data
        try:
            received = await services.apply(tenant, convert(values, Application), secret=form_secret(request))
        except Problem as problem:
            return self._form(request, tenant, values, errors_by_field(problem), status_code=problem.status)
        return page(request, "partners/applied.html", status_code=201, received=received)

    @get("/committees")
    async def minutes_list(self, request: Request, tenant: CurrentTenant, committees: CommitteesDep) -> Template:
        return page(request, "partners/public_minutes.html", published=await committees.published(), policy=await services.policy(tenant))

    @get("/committees/minutes/{committee_meeting_id:uuid}")
    async def minutes(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID]) -> Template:
        return page(request, "partners/minutes.html", minutes=await committees.minutes(committee_meeting_id, public=True), public=True)

    @get("/committees/minutes/{committee_meeting_id:uuid}/pdf", media_type="application/pdf")
    async def minutes_pdf(self, tenant: CurrentTenant, committees: CommitteesDep, committee_meeting_id: FromPath[UUID]) -> Response[bytes]:
        minutes = await committees.minutes(committee_meeting_id, public=True)
        document = await pdf.html_to_pdf(web.render("partners/minutes_pdf.html", tenant=tenant, minutes=minutes))
        return Response(document, media_type="application/pdf", headers={"content-disposition": f'inline; filename="minutes-{committee_meeting_id}.pdf"'})

    @get("/committees/feed.atom", media_type="application/atom+xml")
    async def feed(self, request: Request, tenant: CurrentTenant, committees: CommitteesDep) -> Response[str]:
        published = await committees.published()
        base = f"{request.base_url}".rstrip("/") + f"/t/{tenant.slug}/public/committees"
        body = web.render("partners/feed.xml", tenant=tenant, published=published, base=base, updated=max((p["published_at"] for p in published), default=now()))
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @get("/privacy")
    async def privacy(self, request: Request, tenant: CurrentTenant) -> Template:
        return page(request, "partners/privacy.html", policy=await services.policy(tenant))


# --- a partner's own pages ----------------------------------------------------------------------


class MyPages(Controller):
    path = "/t/{slug:str}/program/me"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [signed_in]

    @get("/")
    async def me(self, request: Request, program: Program, committees: CommitteesDep) -> Template:
        own = await program.own()
        return page(request, "partners/me.html", own=own, seats=await committees.of_partner(own["id"]))

    @post("/consents")
    async def consents(self, request: Request, program: Program, data: Form) -> Redirect:
        await program.change_consents(ConsentChanges(**{name: name in data for name in CONSENTS}))
        return _back(request, "/program/me")

    @get("/hours")
    async def hours(self, request: Request, program: Program, expenses: ExpensesDep, committees: CommitteesDep) -> Template:
        return await self._hours(request, program, expenses, committees, {"worked_on": request.state.tenant.today().isoformat()}, {})

    async def _hours(self, request, program, expenses, committees, values, errors, status_code=200) -> Template:
        own = await program.own()
        return page(request, "partners/my_hours.html", status_code=status_code, entries=await expenses.hours_of(own["id"]),
                    committees=await committees.list(), values=values, errors=errors, activities=LABELS["activity"])

    @post("/hours")
    async def log_hours(self, request: Request, program: Program, expenses: ExpensesDep, committees: CommitteesDep, data: Form) -> Response:
        own = await program.own()
        try:
            values = {k: text(data, k) for k in ("activity", "worked_on", "description", "committee_id") if text(data, k)}
            values["minutes"] = _minutes(text(data, "hours"))
            await expenses.log_hours(own["id"], convert(values, HoursIn))
        except Problem as problem:
            return await self._hours(request, program, expenses, committees, data, errors_by_field(problem), problem.status)
        return _back(request, "/program/me/hours")

    @get("/claims")
    async def claims(self, request: Request, program: Program, expenses: ExpensesDep) -> Template:
        return await self._claims(request, program, expenses, {"activity_on": request.state.tenant.today().isoformat()}, {})

    async def _claims(self, request, program, expenses, values, errors, status_code=200) -> Template:
        own = await program.own()
        claims = [await expenses.get_claim(c["id"]) for c in await expenses.claims(partner_id=own["id"])]
        return page(request, "partners/my_claims.html", status_code=status_code, claims=claims, values=values, errors=errors,
                    policy=await services.policy(request.state.tenant), kinds=LABELS["expense"])

    @post("/claims")
    async def claim(self, request: Request, program: Program, expenses: ExpensesDep, data: Form) -> Response:
        own = await program.own()
        try:
            lines = []
            for kind in LABELS["expense"]:
                amount = text(data, f"{kind}_amount")
                if amount:
                    lines.append({"kind": kind, **_line_value(kind, amount)})
            values = {k: text(data, k) for k in ("activity_on", "starts_at", "ends_at", "description")}
            await expenses.claim(own["id"], convert({**values, "lines": lines}, ClaimIn))
        except Problem as problem:
            return await self._claims(request, program, expenses, data, errors_by_field(problem), problem.status)
        return _back(request, "/program/me/claims")

    @post("/claims/{expense_claim_id:uuid}/receipts")
    async def receipt(self, request: Request, program: Program, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], data: MultipartBody[dict[str, Any]]) -> Response:
        own = await program.own()
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise Invalid(N_("Choose a receipt to send."))
        await expenses.attach_receipt(expense_claim_id, upload.filename, upload.content_type, await upload.read(), of_partner=own["id"])
        return _back(request, "/program/me/claims")


def _minutes(hours: str) -> int:
    """Hours as typed ("1,5", "2", "0.75") to whole minutes."""
    try:
        return round(float(hours.replace(",", ".")) * 60)
    except ValueError as error:
        raise Invalid(N_("Some values are not valid."), errors=[field_error({"message": "Expected `int`", "key": "hours"})]) from error


def _line_value(kind: str, amount: str) -> dict:
    """A claim line's form field: kilometres, hours of childcare, or an amount in dollars."""
    try:
        number = float(amount.replace(",", ".").replace("$", "").strip())
    except ValueError as error:
        raise Invalid(N_("Some values are not valid."), errors=[field_error({"message": "Expected `int`", "key": f"{kind}_amount"})]) from error
    if kind == "mileage":
        return {"km": round(number)}
    if kind == "childcare":
        return {"minutes": round(number * 60)}
    return {"amount_cents": round(number * 100)}


# --- the coordinator's pages -------------------------------------------------------------------


class CoordinatorPages(Controller):
    path = "/t/{slug:str}/program"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [coordinator]

    @get("/")
    async def dashboard(self, request: Request, tenant: CurrentTenant, program: Program, expenses: ExpensesDep) -> Template:
        year = tenant.today().year
        return page(request, "partners/dashboard.html", report=await reports.hours_report(tenant, year), year=year,
                    overdue=await program.overdue(), hours_waiting=len(await expenses.hours_waiting()),
                    claims_waiting=len(await expenses.claims(status="submitted")))

    @get("/reports")
    async def reports_page(self, request: Request, tenant: CurrentTenant, year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None) -> Template:
        year = year or tenant.today().year
        return page(request, "partners/reports.html", year=year, report=await reports.hours_report(tenant, year),
                    all_years=await reports.hours_report(tenant), months=await reports.expenses_per_month(tenant, year))

    @get("/pipeline")
    async def pipeline(self, request: Request, program: Program) -> Template:
        return page(request, "partners/pipeline.html", partners=await program.pipeline())

    @get("/partners/{partner_id:uuid}", opt=WRITES)
    async def partner(self, request: Request, program: Program, committees: CommitteesDep, partner_id: FromPath[UUID]) -> Template:
        partner = await program.open_file(partner_id)
        return page(request, "partners/partner.html", partner=partner, history=await program.history(partner_id),
                    seats=await committees.of_partner(partner_id), next_stages=sorted(rules.PIPELINE[rules.Stage(partner["stage"])]))

    @post("/partners/{partner_id:uuid}/stage")
    async def move(self, request: Request, program: Program, partner_id: FromPath[UUID], data: Form) -> Redirect:
        await program.move(partner_id, from_form(data, StageMove))
        return _back(request, f"/program/partners/{partner_id}")

    @post("/partners/{partner_id:uuid}/interview")
    async def interview(self, request: Request, program: Program, partner_id: FromPath[UUID], data: Form) -> Redirect:
        await program.note_interview(partner_id, from_form(data, InterviewNotes))
        return _back(request, f"/program/partners/{partner_id}")

    @get("/committees")
    async def committees_page(self, request: Request, committees: CommitteesDep) -> Template:
        return page(request, "partners/committees.html", committees=await committees.list(), kinds=LABELS["committee_kind"])

    @post("/committees")
    async def create_committee(self, request: Request, committees: CommitteesDep, data: Form) -> Redirect:
        committee = await committees.create(from_form(data, CommitteeIn))
        return _back(request, f"/program/committees/{committee['id']}")

    @get("/committees/{committee_id:uuid}")
    async def committee(self, request: Request, program: Program, committees: CommitteesDep, committee_id: FromPath[UUID]) -> Template:
        return page(request, "partners/committee.html", committee=await committees.get(committee_id), seats=await committees.seats(committee_id),
                    meetings=await committees.meetings(committee_id), partners=await program.active(), roles=LABELS["seat_role"])

    @post("/committees/{committee_id:uuid}/members")
    async def seat(self, request: Request, committees: CommitteesDep, committee_id: FromPath[UUID], data: Form) -> Redirect:
        await committees.seat(committee_id, from_form(data, SeatIn))
        return _back(request, f"/program/committees/{committee_id}")

    @post("/committees/{committee_id:uuid}/meetings")
    async def schedule(self, request: Request, committees: CommitteesDep, committee_id: FromPath[UUID], data: Form) -> Redirect:
        values = {k: text(data, k) for k in ("starts_at", "ends_at", "place", "agenda")}
        for key in ("starts_at", "ends_at"):  # a browser's datetime-local has no seconds
            if len(values[key]) == 16:
                values[key] += ":00"
        meeting = await committees.schedule(committee_id, convert(values, MeetingIn))
        return _back(request, f"/program/meetings/{meeting['id']}")

    @get("/meetings/{committee_meeting_id:uuid}")
    async def meeting(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID]) -> Template:
        meeting = await committees.meeting(committee_meeting_id)
        present = {a["member_id"] for a in await committees.attendance(committee_meeting_id) if a["present"]}
        return page(request, "partners/meeting.html", meeting=meeting, minutes=await committees.minutes(committee_meeting_id, public=False),
                    seats=await committees.seats(meeting["committee_id"]), present=present, carried=await committees.actions_carried(meeting),
                    next_statuses=sorted(rules.MINUTES_FLOW[rules.MinutesStatus(meeting["minutes_status"])]), public=False)

    @post("/meetings/{committee_meeting_id:uuid}/attendance")
    async def attendance(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Redirect:
        await committees.record_attendance(committee_meeting_id, convert({"present": _list(data, "present")}, AttendanceIn))
        return _back(request, f"/program/meetings/{committee_meeting_id}")

    @post("/meetings/{committee_meeting_id:uuid}/decisions")
    async def decide(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Redirect:
        await committees.decide(committee_meeting_id, from_form(data, DecisionIn))
        return _back(request, f"/program/meetings/{committee_meeting_id}")

    @post("/meetings/{committee_meeting_id:uuid}/actions")
    async def add_action(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Redirect:
        await committees.add_action(committee_meeting_id, from_form(data, ActionIn))
        return _back(request, f"/program/meetings/{committee_meeting_id}")

    @post("/meetings/{committee_meeting_id:uuid}/minutes")
    async def write_minutes(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Redirect:
        await committees.write_minutes(committee_meeting_id, MinutesTextIn(text=text(data, "text")))
        return _back(request, f"/program/meetings/{committee_meeting_id}")

    @post("/meetings/{committee_meeting_id:uuid}/minutes/status")
    async def move_minutes(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Redirect:
        await committees.move_minutes(committee_meeting_id, from_form(data, MinutesMove))
        return _back(request, f"/program/meetings/{committee_meeting_id}")

    @post("/actions/{action_item_id:uuid}/done")
    async def action_done(self, request: Request, committees: CommitteesDep, action_item_id: FromPath[UUID], data: Form) -> Redirect:
        action = await committees.complete_action(action_item_id)
        return _back(request, f"/program/meetings/{action['meeting_id']}")

    @get("/approvals")
    async def approvals(self, request: Request, expenses: ExpensesDep) -> Template:
        claims = [await expenses.get_claim(c["id"]) for c in await expenses.claims(status="submitted")]
        return page(request, "partners/approvals.html", hours=await expenses.hours_waiting(), claims=claims,
                    approved=await expenses.claims(status="approved"), batches=await expenses.batches())

    @post("/hours/{hours_entry_id:uuid}/decision")
    async def decide_hours(self, request: Request, expenses: ExpensesDep, hours_entry_id: FromPath[UUID], data: Form) -> Redirect:
        await expenses.decide_hours(hours_entry_id, from_form(data, HoursDecision))
        return _back(request, "/program/approvals")

    @post("/claims/{expense_claim_id:uuid}/decision")
    async def decide_claim(self, request: Request, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], data: Form) -> Redirect:
        await expenses.decide_claim(expense_claim_id, from_form(data, ClaimDecision))
        return _back(request, "/program/approvals")

    @post("/batches")
    async def make_batch(self, request: Request, expenses: ExpensesDep, data: Form) -> Redirect:
        await expenses.make_batch()
        return _back(request, "/program/approvals")

    @post("/batches/{reimbursement_batch_id:uuid}/paid")
    async def batch_paid(self, request: Request, expenses: ExpensesDep, reimbursement_batch_id: FromPath[UUID], data: Form) -> Redirect:
        await expenses.mark_paid(reimbursement_batch_id)
        return _back(request, "/program/approvals")


ROUTES = [PublicPages, MyPages, CoordinatorPages]
