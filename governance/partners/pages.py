"""Server-rendered pages of the partner program. Public (no sign-in): apply, published minutes
(page, PDF, Atom feed), privacy contact, the questionnaire after a training (signed link). A
partner: my file, consents, pledge and certificates, my trainings, my hours, my expenses. The
coordinator: dashboard and reports, pipeline, partner files (pledge, mandates, certificate),
trainings, matching, follow-up of pledges and mandates, committees, meetings and minutes,
approvals and reimbursement batches. A refused form is shown again in place, with its values and
each field's message."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, MultipartBody, QueryParameter
from litestar.response import Redirect, Template

from backend import pdf, web
from backend.auth import requires, signed_in
from backend.clock import now
from backend.context import Context
from backend.errors import FieldError, Invalid, Problem
from backend.i18n import N_
from backend.tenancy import WRITES
from backend.web import Form, convert, errors_by_field, from_form, listed, page, submit, text, typed_scaled
from governance.partners import expenses as reports
from governance.partners import matching, rules, services
from governance.partners.controllers import (
    DEPENDENCIES,
    CertificateYear,
    CommitmentsDep,
    CommitteesDep,
    ExpensesDep,
    Program,
    TrainingsDep,
    certificate_response,
    form_secret,
)
from governance.partners.forms import converted
from governance.partners.guards import COORDINATORS
from governance.partners.labels import LABELS, label
from governance.partners.schemas import (
    ActionIn,
    Application,
    AttendanceIn,
    ClaimDecision,
    ClaimIn,
    CommitteeIn,
    ConsentChanges,
    DecisionIn,
    Ending,
    EnrolmentIn,
    ExpenseLineIn,
    FeedbackIn,
    HoursDecision,
    HoursIn,
    InterviewNotes,
    MandateIn,
    MeetingIn,
    MinutesMove,
    MinutesTextIn,
    NeedIn,
    PledgeIn,
    SeatEdit,
    SeatIn,
    StageMove,
    TrainingAttendanceIn,
    TrainingIn,
    TrainingSessionIn,
)
from governance.partners.trainings import Trainings
from tenants import services as tenants
from tenants.controllers import CurrentTenant

coordinator = requires(*COORDINATORS)
CHOICES = {"experience_areas": "area", "languages": "spoken", "availability": "availability", "contributions": "contribution"}
DECIDED_SHOWN = 50  # the approvals page lists the latest claims decided, with their reason
STAGES = "^(" + "|".join(LABELS["stage"]) + ")?$"
CONSENTS = ("consent_contact", "consent_public_name", "consent_photos", "consent_research")


def _here(request: Request, path: str, done: str | None = None, at: str | None = None) -> str:
    """The address of a page of this tenant's program; `done` names what the page then says was
    done (labels.DONE), `at` the part of the page to come back to."""
    return f"/t/{request.state.tenant.slug}{path}" + (f"?done={done}" if done else "") + (f"#{at}" if at else "")


def _back(request: Request, path: str, done: str | None = None, at: str | None = None) -> Redirect:
    return Redirect(_here(request, path, done, at))


# --- public ------------------------------------------------------------------------------------


class PublicPages(Controller):
    path = "/t/{slug:str}/public"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/apply")
    async def apply_form(self, request: Request, tenant: CurrentTenant) -> Template:
        return await self._form(request, tenant, {"language": tenant.locale, "kind": "resource_user"}, {})

    async def _form(self, request: Request, tenant, values: dict, errors: dict, status_code: int = 200) -> Template:
        return page(request, "partners/apply.html", status_code=status_code, values=values, errors=errors, choices=CHOICES, labels=LABELS,
                    call_deadline_days=(await services.policy(tenant)).call_deadline_days,
                    form_token=rules.form_token(form_secret(request), tenant.slug, now()))

    @post("/apply")
    async def apply(self, request: Request, tenant: CurrentTenant, data: Form) -> Template:
        names = ("first_name", "last_name", "email", "city", "language", "kind", "story", "form_token", "website")
        values = {name: text(data, name) for name in names if text(data, name)}  # a blank answer is a missing one
        values.update({name: listed(data, name) for name in CHOICES})
        values["phone"] = text(data, "phone") or None
        values["consent_contact"] = "consent_contact" in data
        try:
            application = converted(values, Application, {name: (name, N_("Tick at least one.")) for name in CHOICES})
            received = await services.apply(tenant, application, secret=form_secret(request))
        except Problem as problem:
            return await self._form(request, tenant, values, errors_by_field(problem), status_code=problem.status)
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

    @get("/feedback/{feedback_token:str}")
    async def feedback_form(self, request: Request, trainings: TrainingsDep, feedback_token: FromPath[str]) -> Template:
        enrolment = await trainings.enrolment_for_link(feedback_token)
        return page(request, "partners/feedback.html", enrolment=enrolment, values={}, errors={}, action=request.url.path)

    @post("/feedback/{feedback_token:str}")
    async def feedback(self, request: Request, trainings: TrainingsDep, feedback_token: FromPath[str], data: Form) -> Template:
        enrolment = await trainings.enrolment_for_link(feedback_token)
        try:
            await trainings.answer(enrolment["id"], from_form(data, FeedbackIn))
        except Problem as problem:
            return page(request, "partners/feedback.html", status_code=problem.status, enrolment=enrolment, values=data, errors=errors_by_field(problem), action=request.url.path)
        return page(request, "partners/feedback.html", enrolment={**enrolment, "feedback_at": now()}, values={}, errors={}, thanks=True, action=request.url.path)

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
    async def me(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep) -> Template:
        own = await program.own()
        return page(request, "partners/me.html", own=own, seats=await committees.of_partner(own["id"]), pledge=await commitments.pledge_of(own["id"]),
                    mandates=await commitments.mandates(own["id"]), certificate_years=_certificate_years(request), today=request.state.tenant.today())

    @get("/certificate", media_type="application/pdf")
    async def certificate(self, tenant: CurrentTenant, program: Program, year: CertificateYear = None) -> Response[bytes]:
        return await certificate_response(tenant, await program.own(), year)

    @post("/pledge")
    async def sign_pledge(self, request: Request, program: Program, commitments: CommitmentsDep, data: Form) -> Redirect:
        own = await program.own()
        await commitments.sign_pledge(own["id"], "accept" in data)
        return _back(request, "/program/me", "pledge_signed", "pledge")

    @post("/consents")
    async def consents(self, request: Request, program: Program, data: Form) -> Redirect:
        await program.change_consents(ConsentChanges(**{name: name in data for name in CONSENTS}))
        return _back(request, "/program/me", "consents_saved", "consents")

    @get("/trainings")
    async def trainings(self, request: Request, program: Program, trainings: TrainingsDep) -> Template:
        return await self._trainings(request, program, trainings, None, {}, {})

    async def _trainings(self, request, program, trainings, answering, values, errors, status_code=200) -> Template:
        own = await program.own()
        return page(request, "partners/my_trainings.html", status_code=status_code, enrolments=await trainings.of_partner(own["id"]),
                    answering=answering, values=values, errors=errors)

    @post("/trainings/{training_enrolment_id:uuid}/feedback")
    async def feedback(self, request: Request, program: Program, trainings: TrainingsDep, training_enrolment_id: FromPath[UUID], data: Form) -> Response:
        own = await program.own()
        return await submit(
            lambda: trainings.answer(training_enrolment_id, from_form(data, FeedbackIn), of_partner=own["id"]), _here(request, "/program/me/trainings", "feedback_sent"),
            again=partial(self._trainings, request, program, trainings, training_enrolment_id, data),
        )

    @get("/hours")
    async def hours(self, request: Request, program: Program, expenses: ExpensesDep, committees: CommitteesDep) -> Template:
        return await self._hours(request, program, expenses, committees, {"worked_on": request.state.tenant.today().isoformat()}, {})

    async def _hours(self, request, program, expenses, committees, values, errors, status_code=200) -> Template:
        own = await program.own()
        return page(request, "partners/my_hours.html", status_code=status_code, logged_hours=await expenses.hours_of(own["id"]),
                    committees=await committees.list(), values=values, errors=errors, activities=LABELS["activity"])

    @post("/hours")
    async def log_hours(self, request: Request, program: Program, expenses: ExpensesDep, committees: CommitteesDep, data: Form) -> Response:
        own = await program.own()

        return await submit(lambda: expenses.log_hours(own["id"], hours_from_form(data)), _here(request, "/program/me/hours", "hours_logged"),
                            again=partial(self._hours, request, program, expenses, committees, data))

    @get("/claims")
    async def claims(self, request: Request, program: Program, expenses: ExpensesDep) -> Template:
        return await self._claims(request, program, expenses, {"activity_on": request.state.tenant.today().isoformat()}, {})

    async def _claims(self, request, program, expenses, values, errors, receipt_errors: dict | None = None, status_code=200) -> Template:
        own = await program.own()
        claims = [await expenses.get_claim(c["id"]) for c in await expenses.claims(partner_id=own["id"])]
        policy = await services.policy(request.state.tenant)
        return page(request, "partners/my_claims.html", status_code=status_code, claims=claims, values=values, errors=errors,
                    receipt_errors=receipt_errors or {}, policy=policy, kinds=LABELS["expense"], receipt_kinds=", ".join(label("expense", kind) for kind in policy.receipt_required_kinds))

    @post("/claims")
    async def claim(self, request: Request, program: Program, expenses: ExpensesDep, data: Form) -> Response:
        own = await program.own()
        try:
            await expenses.claim(own["id"], claim_from_form(data))
        except Problem as problem:
            return await self._claims(request, program, expenses, data, errors_by_field(problem), status_code=problem.status)
        return _back(request, "/program/me/claims", "claim_sent")

    @post("/claims/{expense_claim_id:uuid}/receipts")
    async def receipt(self, request: Request, program: Program, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], data: MultipartBody[dict[str, Any]]) -> Response:
        own = await program.own()
        upload = data.get("file")
        try:
            if not isinstance(upload, UploadFile):
                raise Invalid(N_("Choose a receipt to send."), errors=[FieldError("file", N_("Choose a receipt to send."))])
            await expenses.attach_receipt(expense_claim_id, upload.filename, upload.content_type, await upload.read(), of_partner=own["id"])
        except Problem as problem:  # shown under that claim's file field
            return await self._claims(request, program, expenses, {"activity_on": request.state.tenant.today().isoformat()}, {}, _in_place(problem) | {"receipt_for": str(expense_claim_id)}, problem.status)
        return _back(request, "/program/me/claims", "receipt_added", f"claim-{expense_claim_id}")


def _certificate_years(request: Request) -> list[int]:
    """The certificates offered: this year's (so far) and last year's."""
    year = request.state.tenant.today().year
    return [year, year - 1]


def hours_from_form(form: dict) -> HoursIn:
    """Hours as the form sends them: typed as 1,5 or 0.75 hours, kept in whole minutes."""
    values = {k: text(form, k) for k in ("activity", "worked_on", "description", "committee_id") if text(form, k)}
    values["minutes"] = typed_scaled(text(form, "hours"), 60)
    return converted(values, HoursIn, {"minutes": ("hours", N_("Enter a number of hours up to 16, for example 1.5."))})


# A claim line's field: kilometres, hours of childcare, or an amount of money; what the line keeps
# of it (and by what it is multiplied); what its refusal says.
_LINE_FIELDS = {
    "mileage": ("km", 1, N_("Enter a distance in kilometres, up to 5000.")),
    "childcare": ("minutes", 60, N_("Enter a number of hours up to 24, for example 1.5.")),
}
_AMOUNT = ("amount_cents", 100, N_("Enter an amount of zero or more, for example 20.50."))


def claim_from_form(form: dict) -> ClaimIn:
    """A claim as its form sends it: every refused field at once, each under its own (an expense's
    line under its amount)."""
    errors: list[FieldError] = []
    lines = []
    for kind in LABELS["expense"]:
        if amount := text(form, f"{kind}_amount"):
            name, factor, message = _LINE_FIELDS.get(kind, _AMOUNT)
            try:
                lines.append(msgspec.structs.asdict(converted({"kind": kind, name: typed_scaled(amount, factor)}, ExpenseLineIn, {name: (f"{kind}_amount", message)})))
            except Problem as problem:
                errors += problem.errors
    values = {k: text(form, k) for k in ("activity_on", "starts_at", "ends_at", "description")}
    given = lines if lines or not errors else [{"kind": "transit"}]  # a refused line is an expense entered all the same
    try:
        claim = converted({**values, "lines": given}, ClaimIn, {"lines": ("lines", N_("Enter at least one expense."))})
    except Problem as problem:
        errors += problem.errors
    if errors:
        raise Invalid(N_("Some values are not valid."), errors=errors)
    return claim


# --- the coordinator's pages -------------------------------------------------------------------


class CoordinatorPages(Controller):
    path = "/t/{slug:str}/program"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [coordinator]

    @get("/")
    async def dashboard(self, request: Request, tenant: CurrentTenant, program: Program, expenses: ExpensesDep, commitments: CommitmentsDep) -> Template:
        year = tenant.today().year
        follow_up = await commitments.follow_up()
        return page(request, "partners/dashboard.html", report=await reports.hours_report(tenant, year), year=year,
                    overdue=await program.overdue(), hours_waiting=len(await expenses.hours_waiting()),
                    claims_waiting=len(await expenses.claims(status="submitted")),
                    to_follow_up=len(follow_up["pledges"]) + len(follow_up["mandates"]))

    @get("/reports")
    async def reports_page(self, request: Request, tenant: CurrentTenant, year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None) -> Template:
        year = year or tenant.today().year
        return page(request, "partners/reports.html", year=year, report=await reports.hours_report(tenant, year),
                    all_years=await reports.hours_report(tenant), months=await reports.expenses_per_month(tenant, year))

    @get("/pipeline")
    async def pipeline(self, request: Request, program: Program, stage: Annotated[str | None, QueryParameter(pattern=STAGES)] = None) -> Template:
        """The applications and partners, of one stage if asked (a search: by GET, writes nothing)."""
        return page(request, "partners/pipeline.html", partners=await program.pipeline(stage or None), stage=stage or "", stages=LABELS["stage"])

    @get("/partners/{partner_id:uuid}", opt=WRITES)
    async def partner(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep, partner_id: FromPath[UUID]) -> Template:
        return await self._partner(request, program, committees, commitments, partner_id)

    async def _partner(self, request, program, committees, commitments, partner_id, form: str = "", values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        """A partner's file; a refused form (`form`) is shown again with its values and errors."""
        partner = await program.open_file(partner_id)
        accesses = await program.file_accesses(partner_id)
        names = await tenants.actor_names([{"actor_user_id": access["user_id"]} for access in accesses])
        return page(request, "partners/partner.html", status_code=status_code, partner=partner, history=await program.history(partner_id),
                    accesses=[{**access, "name": names.get(access["user_id"], "")} for access in accesses[:20]], activities=LABELS["activity"],
                    seats=await committees.of_partner(partner_id), next_stages=sorted(rules.PIPELINE[rules.Stage(partner["stage"])]),
                    pledge=await commitments.pledge_of(partner_id), mandates=await commitments.mandates(partner_id), committees=await committees.list(),
                    trainings=await Trainings(Context(request.state.tenant)).of_partner(partner_id),
                    form=form, values=values or {}, errors=errors or {}, today=request.state.tenant.today(), certificate_years=_certificate_years(request))

    async def _on_file(self, request, program, committees, commitments, partner_id, form: str, data: dict, change, done: str) -> Response:
        """A form of the partner's file: back to the file (at the form, saying what was done), or
        the file again with the form refused."""
        return await submit(
            change, _here(request, f"/program/partners/{partner_id}", done, form),
            again=partial(self._partner, request, program, committees, commitments, partner_id, form, data),
        )

    @post("/partners/{partner_id:uuid}/hours")
    async def log_for(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep, expenses: ExpensesDep, partner_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_file(request, program, committees, commitments, partner_id, "hours", data, lambda: expenses.log_hours(partner_id, hours_from_form(data)), "hours_logged")

    @get("/partners/{partner_id:uuid}/certificate", media_type="application/pdf")
    async def certificate(self, tenant: CurrentTenant, program: Program, partner_id: FromPath[UUID], year: CertificateYear = None) -> Response[bytes]:
        return await certificate_response(tenant, await program._row(partner_id), year)

    @post("/partners/{partner_id:uuid}/pledges")
    async def record_pledge(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep, partner_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_file(request, program, committees, commitments, partner_id, "pledge", data, lambda: commitments.record_pledge(partner_id, from_form(data, PledgeIn)), "pledge_recorded")

    @post("/partners/{partner_id:uuid}/mandates")
    async def give_mandate(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep, partner_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_file(request, program, committees, commitments, partner_id, "mandate", data, lambda: commitments.give_mandate(partner_id, from_form(data, MandateIn)), "mandate_given")

    @get("/matching")
    async def matching_page(self, request: Request, tenant: CurrentTenant) -> Template:
        """The need's form (sent by GET: a search writes nothing) and the partners who fit it."""
        query = request.query_params
        values = {"kind": query.get("kind") or "", "areas": query.getall("areas", []), "language": query.get("language") or "", "availability": query.getall("availability", [])}
        found, errors, status_code = None, {}, 200
        if values["kind"]:
            try:
                need = convert({**values, "language": values["language"] or None}, NeedIn)
                found = await matching.matches(tenant, need)
            except Problem as problem:
                errors, status_code = errors_by_field(problem), problem.status
        return page(request, "partners/matching.html", status_code=status_code, values=values, errors=errors, found=found, labels=LABELS)

    @get("/follow-up")
    async def follow_up(self, request: Request, commitments: CommitmentsDep) -> Template:
        return page(request, "partners/follow_up.html", follow_up=await commitments.follow_up())

    @post("/partners/{partner_id:uuid}/stage")
    async def move(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep, partner_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_file(request, program, committees, commitments, partner_id, "stage", data, lambda: program.move(partner_id, from_form(data, StageMove)), "stage_changed")

    @post("/partners/{partner_id:uuid}/interview")
    async def interview(self, request: Request, program: Program, committees: CommitteesDep, commitments: CommitmentsDep, partner_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_file(request, program, committees, commitments, partner_id, "interview", data, lambda: program.note_interview(partner_id, from_form(data, InterviewNotes)), "interview_saved")

    @get("/committees")
    async def committees_page(self, request: Request, committees: CommitteesDep) -> Template:
        return await self._committees(request, committees)

    async def _committees(self, request, committees, values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        return page(request, "partners/committees.html", status_code=status_code, committees=await committees.list(), kinds=LABELS["committee_kind"],
                    values=values or {}, errors=errors or {})

    @post("/committees")
    async def create_committee(self, request: Request, committees: CommitteesDep, data: Form) -> Response:
        return await submit(
            lambda: committees.create(from_form(data, CommitteeIn)), lambda committee: _here(request, f"/program/committees/{committee['id']}", "committee_created"),
            again=partial(self._committees, request, committees, data),
        )

    @get("/committees/{committee_id:uuid}")
    async def committee(self, request: Request, program: Program, committees: CommitteesDep, committee_id: FromPath[UUID]) -> Template:
        return await self._committee(request, program, committees, committee_id)

    async def _committee(self, request, program, committees, committee_id, form: str = "", values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        return page(request, "partners/committee.html", status_code=status_code, committee=await committees.get(committee_id), seats=await committees.seats(committee_id),
                    meetings=await committees.meetings(committee_id), partners=await program.active(), roles=LABELS["seat_role"], kinds=LABELS["committee_kind"],
                    form=form, values=values or {}, errors=errors or {}, today=request.state.tenant.today())

    async def _on_committee(self, request, program, committees, committee_id, form: str, data, change, done: str, at: str) -> Response:
        """A form of the committee's page: back to where it was (saying what was done), or the page
        again with the form refused."""
        return await submit(change, _here(request, f"/program/committees/{committee_id}", done, at),
                            again=partial(self._committee, request, program, committees, committee_id, form, data))

    @get("/committees/{committee_id:uuid}/edit")
    async def edit_committee(self, request: Request, committees: CommitteesDep, committee_id: FromPath[UUID]) -> Template:
        return await self._edit_committee(request, committees, committee_id)

    async def _edit_committee(self, request, committees, committee_id, form: str = "", values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        """The committee's name, kind and mandate, and its end (a page of its own: its fields bear
        the names of the committee page's forms)."""
        return page(request, "partners/committee_edit.html", status_code=status_code, committee=await committees.get(committee_id), kinds=LABELS["committee_kind"],
                    form=form, values=values or {}, errors=errors or {}, today=request.state.tenant.today())

    @post("/committees/{committee_id:uuid}")
    async def change_committee(self, request: Request, committees: CommitteesDep, committee_id: FromPath[UUID], data: Form) -> Response:
        return await submit(lambda: committees.update(committee_id, from_form(data, CommitteeIn)), _here(request, f"/program/committees/{committee_id}", "committee_saved"),
                            again=partial(self._edit_committee, request, committees, committee_id, "edit", data))

    @post("/committees/{committee_id:uuid}/end")
    async def end_committee(self, request: Request, committees: CommitteesDep, committee_id: FromPath[UUID], data: Form) -> Response:
        return await submit(lambda: committees.end(committee_id, from_form(data, Ending)), _here(request, f"/program/committees/{committee_id}", "committee_ended", "members"),
                            again=partial(self._edit_committee, request, committees, committee_id, "end", data))

    @post("/committees/{committee_id:uuid}/members/{committee_member_id:uuid}")
    async def change_seat(self, request: Request, program: Program, committees: CommitteesDep, committee_id: FromPath[UUID], committee_member_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_committee(request, program, committees, committee_id, f"seat-{committee_member_id}", data,
                                        lambda: committees.update_seat(committee_id, committee_member_id, from_form(data, SeatEdit)), "seat_saved", f"seat-{committee_member_id}")

    @post("/committees/{committee_id:uuid}/members/{committee_member_id:uuid}/end")
    async def end_seat(self, request: Request, program: Program, committees: CommitteesDep, committee_id: FromPath[UUID], committee_member_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_committee(request, program, committees, committee_id, f"end-seat-{committee_member_id}", data,
                                        lambda: committees.end_seat(committee_id, committee_member_id, from_form(data, Ending)), "seat_ended", f"seat-{committee_member_id}")

    @post("/committees/{committee_id:uuid}/members")
    async def seat(self, request: Request, program: Program, committees: CommitteesDep, committee_id: FromPath[UUID], data: Form) -> Response:
        return await submit(
            lambda: committees.seat(committee_id, from_form(data, SeatIn)), _here(request, f"/program/committees/{committee_id}", "seat_added", "members"),
            again=partial(self._committee, request, program, committees, committee_id, "seat", data),
        )

    @post("/committees/{committee_id:uuid}/meetings")
    async def schedule(self, request: Request, program: Program, committees: CommitteesDep, committee_id: FromPath[UUID], data: Form) -> Response:
        values = {k: text(data, k) for k in ("starts_at", "ends_at", "place", "agenda")}
        for key in ("starts_at", "ends_at"):  # a browser's datetime-local has no seconds
            if len(values[key]) == 16:
                values[key] += ":00"
        return await submit(
            lambda: committees.schedule(committee_id, convert({k: v for k, v in values.items() if v or k == "agenda"}, MeetingIn)),
            lambda meeting: _here(request, f"/program/meetings/{meeting['id']}", "meeting_scheduled"), again=partial(self._committee, request, program, committees, committee_id, "meeting", data),
        )

    @get("/meetings/{committee_meeting_id:uuid}")
    async def meeting(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID]) -> Template:
        return await self._meeting(request, committees, committee_meeting_id)

    async def _meeting(self, request, committees, meeting_id, form: str = "", values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        meeting = await committees.meeting(meeting_id)
        present = {a["member_id"] for a in await committees.attendance(meeting_id) if a["present"]}
        return page(request, "partners/meeting.html", status_code=status_code, meeting=meeting, minutes=await committees.minutes(meeting_id, public=False),
                    seats=await committees.seats(meeting["committee_id"]), present=present, carried=await committees.actions_carried(meeting),
                    next_statuses=sorted(rules.MINUTES_FLOW[rules.MinutesStatus(meeting["minutes_status"])]), public=False,
                    form=form, values=values or {}, errors=errors or {})

    async def _on_meeting(self, request, committees, meeting_id, form: str, data, change, done: str | Callable[[Any], str]) -> Response:
        """Runs a change of the meeting page's form `form`: back to the form, saying what was done
        (`done`, or made from what the change returned); a refusal shows the page again with it."""
        return await submit(change, lambda changed: _here(request, f"/program/meetings/{meeting_id}", done(changed) if callable(done) else done, form),
                            again=partial(self._meeting, request, committees, meeting_id, form, data))

    @post("/meetings/{committee_meeting_id:uuid}/attendance")
    async def attendance(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_meeting(request, committees, committee_meeting_id, "attendance", data,
                                      lambda: committees.record_attendance(committee_meeting_id, convert({"present": listed(data, "present")}, AttendanceIn)), "attendance_saved")

    @post("/meetings/{committee_meeting_id:uuid}/decisions")
    async def decide(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_meeting(request, committees, committee_meeting_id, "decision", data,
                                      lambda: committees.decide(committee_meeting_id, from_form(data, DecisionIn)), "decision_recorded")

    @post("/meetings/{committee_meeting_id:uuid}/actions")
    async def add_action(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_meeting(request, committees, committee_meeting_id, "action", data,
                                      lambda: committees.add_action(committee_meeting_id, from_form(data, ActionIn)), "action_added")

    @post("/meetings/{committee_meeting_id:uuid}/minutes")
    async def write_minutes(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_meeting(request, committees, committee_meeting_id, "minutes", data,
                                      lambda: committees.write_minutes(committee_meeting_id, MinutesTextIn(text=text(data, "text"))), "minutes_saved")

    @post("/meetings/{committee_meeting_id:uuid}/minutes/status")
    async def move_minutes(self, request: Request, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_meeting(request, committees, committee_meeting_id, "status", data,
                                      lambda: committees.move_minutes(committee_meeting_id, from_form(data, MinutesMove)), lambda meeting: f"minutes_{meeting['minutes_status']}")

    @post("/actions/{action_item_id:uuid}/done")
    async def action_done(self, request: Request, committees: CommitteesDep, action_item_id: FromPath[UUID], data: Form) -> Redirect:
        action = await committees.complete_action(action_item_id)
        return _back(request, f"/program/meetings/{action['meeting_id']}", "action_done", "follow-up")

    @get("/trainings")
    async def trainings_page(self, request: Request, trainings: TrainingsDep) -> Template:
        return await self._trainings(request, trainings, {"required": True, "min_size": 1, "max_size": 26}, {})

    async def _trainings(self, request, trainings, values, errors, status_code=200) -> Template:
        return page(request, "partners/trainings.html", status_code=status_code, cohorts=await trainings.list(), values=values, errors=errors)

    @post("/trainings")
    async def create_training(self, request: Request, trainings: TrainingsDep, data: Form) -> Response:
        return await submit(
            lambda: trainings.create(from_form(data, TrainingIn, checkboxes=("required",))), lambda cohort: _here(request, f"/program/trainings/{cohort['id']}", "training_created"),
            again=partial(self._trainings, request, trainings, data),
        )

    @get("/trainings/{training_cohort_id:uuid}")
    async def training(self, request: Request, trainings: TrainingsDep, training_cohort_id: FromPath[UUID]) -> Template:
        return await self._training(request, trainings, training_cohort_id)

    async def _training(self, request, trainings, cohort_id, form: str = "", values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        """The cohort's page; a refused form (`form`) is shown again with its values and errors."""
        sessions = await trainings.sessions(cohort_id)
        cohort = await trainings.get(cohort_id)
        present = await trainings.present_at(cohort_id)
        return page(request, "partners/training.html", status_code=status_code, cohort=cohort, sessions=sessions,
                    enrolments=await trainings.enrolments(cohort_id), present=present, partners=await trainings.enrollable(),
                    summary=await trainings.summary(cohort_id), form=form, values=values or {}, errors=errors or {})

    @post("/trainings/{training_cohort_id:uuid}/sessions")
    async def add_training_session(self, request: Request, trainings: TrainingsDep, training_cohort_id: FromPath[UUID], data: Form) -> Response:
        try:
            values = {k: text(data, k) for k in ("starts_at", "ends_at", "place", "trainers") if text(data, k)}
            for key in ("starts_at", "ends_at"):  # a browser's datetime-local has no seconds
                if len(values.get(key, "")) == 16:
                    values[key] += ":00"
            await trainings.add_session(training_cohort_id, convert(values, TrainingSessionIn))
        except Problem as problem:
            return await self._training(request, trainings, training_cohort_id, "session", data, _in_place(problem), problem.status)
        return _back(request, f"/program/trainings/{training_cohort_id}", "session_added", "sessions")

    @post("/trainings/{training_cohort_id:uuid}/enrolments")
    async def enrol(self, request: Request, trainings: TrainingsDep, training_cohort_id: FromPath[UUID], data: Form) -> Response:
        return await submit(
            lambda: trainings.enrol(training_cohort_id, from_form(data, EnrolmentIn)), _here(request, f"/program/trainings/{training_cohort_id}", "enrolled", "enrolments"),
            again=partial(self._training, request, trainings, training_cohort_id, "enrol", data),
        )

    @post("/training-sessions/{training_session_id:uuid}/attendance")
    async def training_attendance(self, request: Request, trainings: TrainingsDep, training_session_id: FromPath[UUID], data: Form) -> Redirect:
        await trainings.record_attendance(training_session_id, convert({"present": listed(data, "present")}, TrainingAttendanceIn))
        session = await trainings._session(training_session_id)
        return _back(request, f"/program/trainings/{session['cohort_id']}", "training_attendance_saved", f"session-{training_session_id}")

    @post("/trainings/{training_cohort_id:uuid}/completion")
    async def complete_training(self, request: Request, trainings: TrainingsDep, training_cohort_id: FromPath[UUID], data: Form) -> Response:
        try:
            await trainings.complete(training_cohort_id)
        except Problem as problem:
            return await self._training(request, trainings, training_cohort_id, "complete", {}, _in_place(problem), problem.status)
        return _back(request, f"/program/trainings/{training_cohort_id}", "training_completed")

    @get("/approvals")
    async def approvals(self, request: Request, expenses: ExpensesDep) -> Template:
        return await self._approvals(request, expenses)

    async def _approvals(self, request, expenses, form: str = "", values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
        claims = [await expenses.get_claim(c["id"]) for c in await expenses.claims(status="submitted")]
        return page(request, "partners/approvals.html", status_code=status_code, hours=await expenses.hours_waiting(), claims=claims,
                    approved=await expenses.claims(status="approved"), batches=await expenses.batches(), form=form, values=values or {}, errors=errors or {},
                    decided=[claim for claim in await expenses.claims() if claim["status"] != "submitted"][:DECIDED_SHOWN])

    async def _on_approvals(self, request, expenses, form: str, data, change, done: str, at: str) -> Response:
        return await submit(change, _here(request, "/program/approvals", done, at), again=partial(self._approvals, request, expenses, form, data))

    @post("/hours/{hours_entry_id:uuid}/decision")
    async def decide_hours(self, request: Request, expenses: ExpensesDep, hours_entry_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_approvals(request, expenses, f"hours-{hours_entry_id}", data, lambda: expenses.decide_hours(hours_entry_id, from_form(data, HoursDecision)),
                                        f"hours_{text(data, 'status')}", "hours")

    @post("/claims/{expense_claim_id:uuid}/decision")
    async def decide_claim(self, request: Request, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_approvals(request, expenses, f"claim-{expense_claim_id}", data, lambda: expenses.decide_claim(expense_claim_id, from_form(data, ClaimDecision)),
                                        f"claim_{text(data, 'status')}", "claims")

    @post("/batches")
    async def make_batch(self, request: Request, expenses: ExpensesDep, data: Form) -> Response:
        return await self._on_approvals(request, expenses, "batch", data, expenses.make_batch, "batch_made", "reimbursements")

    @post("/batches/{reimbursement_batch_id:uuid}/paid")
    async def batch_paid(self, request: Request, expenses: ExpensesDep, reimbursement_batch_id: FromPath[UUID], data: Form) -> Response:
        return await self._on_approvals(request, expenses, "batch", data, lambda: expenses.mark_paid(reimbursement_batch_id), "batch_paid", "reimbursements")


def _in_place(problem: Problem) -> dict[str, str]:
    """A refusal shown on the page where the form was (an unknown identifier stays a 404 page)."""
    if problem.status == 404:
        raise problem
    return errors_by_field(problem)


ROUTES = [PublicPages, MyPages, CoordinatorPages]
