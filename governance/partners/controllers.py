"""JSON API of the partner program: /api/t/{slug}/public/apply and /public/feedback/{token}
(anyone), /api/t/{slug}/program/… (the coordinator: pipeline, pledges and mandates, matching,
trainings, committees, hours and expenses, certificates, reports), /api/t/{slug}/program/me/… (a
partner's own file, pledge, trainings, hours, claims, data as JSON or PDF, certificate)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend.auth import requires, signed_in
from backend.bodies import applied
from backend.clock import now
from backend.context import Context, provider
from backend.errors import Invalid
from backend.i18n import N_
from backend.tenancy import WRITES
from backend.web import convert
from governance.partners import expenses as expense_reports
from governance.partners import matching, recognition, rules, services
from governance.partners.commitments import Commitments
from governance.partners.committees import Committees
from governance.partners.expenses import Expenses
from governance.partners.guards import COORDINATORS
from governance.partners.schemas import (
    ActionIn,
    Application,
    ApplicationForm,
    ApplicationReceived,
    AttendanceIn,
    ClaimDecision,
    ClaimIn,
    CommitteeChanges,
    CommitteeIn,
    ConsentChanges,
    DecisionIn,
    Ending,
    EnrolmentIn,
    FeedbackIn,
    HoursDecision,
    HoursIn,
    InterviewNotes,
    MandateIn,
    MeetingIn,
    MinutesMove,
    MinutesTextIn,
    NeedIn,
    PartnerOut,
    PledgeIn,
    PolicyChanges,
    PolicyIn,
    SeatChanges,
    SeatIn,
    SignPledge,
    Stage,
    StageMove,
    TrainingAttendanceIn,
    TrainingIn,
    TrainingSessionIn,
    partner_out,
)
from governance.partners.services import PartnerProgram
from governance.partners.trainings import Trainings, summary_out
from tenants.controllers import DEPENDENCIES as TENANT_DEPENDENCIES
from tenants.controllers import CurrentTenant

coordinator = requires(*COORDINATORS)


DEPENDENCIES = {
    **TENANT_DEPENDENCIES, "program": provider(PartnerProgram), "committees": provider(Committees), "expenses": provider(Expenses),
    "trainings": provider(Trainings), "commitments": provider(Commitments),
}
Program = NamedDependency[PartnerProgram]
CommitteesDep = NamedDependency[Committees]
ExpensesDep = NamedDependency[Expenses]
TrainingsDep = NamedDependency[Trainings]
CommitmentsDep = NamedDependency[Commitments]
Year = Annotated[int | None, QueryParameter(ge=1900, le=2200)]


CertificateYear = Annotated[int | None, QueryParameter(ge=1900, le=2200, description="The year (by default the last one)")]


async def certificate_response(tenant, partner: dict, year: int | None) -> Response[bytes]:
    year = year or tenant.today().year - 1
    document = await recognition.certificate_pdf(tenant, partner, year)
    return Response(document, media_type="application/pdf", headers={"content-disposition": f'inline; filename="certificate-{partner["number"]}-{year}.pdf"'})


async def commitments_partner(commitments: Commitments, partner_id: UUID) -> None:
    """404 for a partner of another organisation."""
    await PartnerProgram(Context(commitments.tenant))._row(partner_id)


def form_secret(request: Request) -> str:
    return request.app.state.settings.secret_key


class PublicApplicationController(Controller):
    path = "/api/t/{slug:str}/public/apply"
    tags = ["partner program: public"]
    dependencies = DEPENDENCIES

    @get("/", summary="A fresh application form token (send the application at least a few seconds later)")
    async def form(self, request: Request, tenant: CurrentTenant) -> ApplicationForm:
        return ApplicationForm(form_token=rules.form_token(form_secret(request), tenant.slug, now()), minimum_seconds=rules.MIN_FILL_SECONDS)

    @post("/", summary="Apply to become a partner (no sign-in)")
    async def apply(self, request: Request, tenant: CurrentTenant, data: JSONBody[Application]) -> ApplicationReceived:
        received = await services.apply(tenant, data, secret=form_secret(request))
        return ApplicationReceived(number=received["number"], call_by=received["call_by"])


class PublicFeedbackController(Controller):
    path = "/api/t/{slug:str}/public/feedback"
    tags = ["partner program: public"]
    dependencies = DEPENDENCIES

    @post("/{feedback_token:str}", status_code=200, summary="Answer the questionnaire after a training through the signed link e-mailed (once)")
    async def answer(self, trainings: TrainingsDep, feedback_token: FromPath[str], data: JSONBody[FeedbackIn]) -> dict:
        enrolment = await trainings.enrolment_for_link(feedback_token)
        return await trainings.answer(enrolment["id"], data)


class ProgramController(Controller):
    path = "/api/t/{slug:str}/program"
    tags = ["partner program: coordination"]
    dependencies = DEPENDENCIES
    guards = [coordinator]

    @get("/policy", summary="The program's policy (deadline, rates, caps, receipts, privacy)")
    async def get_policy(self, tenant: CurrentTenant) -> dict:
        return services.policy_out(await services.policy(tenant))

    @put("/policy", summary="Change the program's policy (the fields given; the others keep their values)")
    async def set_policy(self, request: Request, tenant: CurrentTenant, data: JSONBody[PolicyChanges]) -> dict:
        return services.policy_out(await services.set_policy(tenant, request.user, applied(services.policy_out(await services.policy(tenant)), data, PolicyIn)))

    @get("/partners", summary="The pipeline: applications and partners, oldest first, overdue flagged")
    async def partners(self, program: Program, stage: FromQuery[Stage | None] = None) -> list[PartnerOut]:
        return [partner_out(row) for row in await program.pipeline(stage)]

    @get("/partners/{partner_id:uuid}", opt=WRITES, summary="A partner's file (the opening is logged)")
    async def partner(self, program: Program, partner_id: FromPath[UUID]) -> PartnerOut:
        return partner_out(await program.open_file(partner_id))

    @post("/partners/{partner_id:uuid}/stage", status_code=200, summary="Move an application along the pipeline")
    async def move(self, program: Program, partner_id: FromPath[UUID], data: JSONBody[StageMove]) -> PartnerOut:
        return partner_out(await program.move(partner_id, data))

    @put("/partners/{partner_id:uuid}/interview", summary="Interview notes and decision")
    async def interview(self, program: Program, partner_id: FromPath[UUID], data: JSONBody[InterviewNotes]) -> PartnerOut:
        return partner_out(await program.note_interview(partner_id, data))

    @get("/partners/{partner_id:uuid}/history", summary="The application's stages")
    async def history(self, program: Program, partner_id: FromPath[UUID]) -> list[dict]:
        return await program.history(partner_id)

    @get("/partners/{partner_id:uuid}/accesses", summary="Who opened this partner's file")
    async def accesses(self, program: Program, partner_id: FromPath[UUID]) -> list[dict]:
        return await program.file_accesses(partner_id)

    @post("/partners/{partner_id:uuid}/hours", summary="Log hours for a partner")
    async def log_for(self, expenses: ExpensesDep, partner_id: FromPath[UUID], data: JSONBody[HoursIn]) -> dict:
        return await expenses.log_hours(partner_id, data)

    @get("/partners/{partner_id:uuid}/certificate", media_type="application/pdf", summary="A partner's recognition certificate of a year (PDF, in their language)")
    async def certificate(self, tenant: CurrentTenant, program: Program, partner_id: FromPath[UUID], year: CertificateYear = None) -> Response[bytes]:
        return await certificate_response(tenant, await program._row(partner_id), year)

    @get("/partners/{partner_id:uuid}/pledge", summary="A partner's confidentiality pledge: its state and signatures")
    async def pledge(self, commitments: CommitmentsDep, partner_id: FromPath[UUID]) -> dict:
        await commitments_partner(commitments, partner_id)
        return await commitments.pledge_of(partner_id)

    @post("/partners/{partner_id:uuid}/pledges", summary="Record a confidentiality pledge signed on paper (date, version of the text)")
    async def record_pledge(self, commitments: CommitmentsDep, partner_id: FromPath[UUID], data: JSONBody[PledgeIn]) -> dict:
        return await commitments.record_pledge(partner_id, data)

    @get("/partners/{partner_id:uuid}/mandates", summary="A partner's mandates")
    async def mandates(self, commitments: CommitmentsDep, partner_id: FromPath[UUID]) -> list[dict]:
        await commitments_partner(commitments, partner_id)
        return await commitments.mandates(partner_id)

    @post("/partners/{partner_id:uuid}/mandates", summary="Give a mandate for an involvement (a committee seat or a project, with its dates)")
    async def give_mandate(self, commitments: CommitmentsDep, partner_id: FromPath[UUID], data: JSONBody[MandateIn]) -> dict:
        return await commitments.give_mandate(partner_id, data)

    @get("/matches", summary="The active partners who fit a need (a committee seat, a document to review, a training to co-teach), best first")
    async def matches(
        self, tenant: CurrentTenant, kind: FromQuery[str], areas: Annotated[list[str] | None, QueryParameter(max_items=10)] = None,
        language: FromQuery[str | None] = None, availability: Annotated[list[str] | None, QueryParameter(max_items=4)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> list[dict]:
        need = convert({"kind": kind, "areas": areas or [], "language": language or None, "availability": availability or [], "limit": limit}, NeedIn)
        return await matching.matches(tenant, need)

    @get("/follow-up", summary="Active partners without a valid pledge; seats held today without a current mandate")
    async def follow_up(self, commitments: CommitmentsDep) -> dict:
        return await commitments.follow_up()

    @get("/committees", summary="Committees")
    async def committees(self, committees: CommitteesDep) -> list[dict]:
        return await committees.list()

    @post("/committees", summary="Create a committee")
    async def create_committee(self, committees: CommitteesDep, data: JSONBody[CommitteeIn]) -> dict:
        return await committees.create(data)

    @get("/committees/{committee_id:uuid}", summary="A committee, its members and meetings")
    async def committee(self, committees: CommitteesDep, committee_id: FromPath[UUID]) -> dict:
        return {**await committees.get(committee_id), "members": await committees.seats(committee_id), "meetings": await committees.meetings(committee_id)}

    @patch("/committees/{committee_id:uuid}", summary="Change a committee's name, kind or mandate (the fields given)")
    async def change_committee(self, committees: CommitteesDep, committee_id: FromPath[UUID], data: JSONBody[CommitteeChanges]) -> dict:
        return await committees.update(committee_id, data)

    @post("/committees/{committee_id:uuid}/end", status_code=200, summary="End a committee on a day (the terms still running end with it)")
    async def end_committee(self, committees: CommitteesDep, committee_id: FromPath[UUID], data: JSONBody[Ending]) -> dict:
        return await committees.end(committee_id, data)

    @post("/committees/{committee_id:uuid}/members", summary="Seat a member (a partner or staff) for a term")
    async def seat(self, committees: CommitteesDep, committee_id: FromPath[UUID], data: JSONBody[SeatIn]) -> dict:
        return await committees.seat(committee_id, data)

    @patch("/committees/{committee_id:uuid}/members/{committee_member_id:uuid}", summary="Change a member's role or term (the fields given)")
    async def change_seat(self, committees: CommitteesDep, committee_id: FromPath[UUID], committee_member_id: FromPath[UUID], data: JSONBody[SeatChanges]) -> dict:
        return await committees.update_seat(committee_id, committee_member_id, data)

    @post("/committees/{committee_id:uuid}/members/{committee_member_id:uuid}/end", status_code=200, summary="End a member's term on a day")
    async def end_seat(self, committees: CommitteesDep, committee_id: FromPath[UUID], committee_member_id: FromPath[UUID], data: JSONBody[Ending]) -> dict:
        return await committees.end_seat(committee_id, committee_member_id, data)

    @post("/committees/{committee_id:uuid}/meetings", summary="Schedule a meeting")
    async def schedule(self, committees: CommitteesDep, committee_id: FromPath[UUID], data: JSONBody[MeetingIn]) -> dict:
        return await committees.schedule(committee_id, data)

    @get("/meetings/{committee_meeting_id:uuid}", summary="A meeting with its minutes as they stand")
    async def meeting(self, committees: CommitteesDep, committee_meeting_id: FromPath[UUID]) -> dict:
        minutes = await committees.minutes(committee_meeting_id, public=False)
        return {**minutes, "attendance": await committees.attendance(committee_meeting_id)}

    @put("/meetings/{committee_meeting_id:uuid}/attendance", summary="Who was present (logs the partners' hours)")
    async def attendance(self, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: JSONBody[AttendanceIn]) -> list[dict]:
        return await committees.record_attendance(committee_meeting_id, data)

    @post("/meetings/{committee_meeting_id:uuid}/decisions", summary="Record a decision")
    async def decide(self, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: JSONBody[DecisionIn]) -> dict:
        return await committees.decide(committee_meeting_id, data)

    @post("/meetings/{committee_meeting_id:uuid}/actions", summary="Add an action item")
    async def add_action(self, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: JSONBody[ActionIn]) -> dict:
        return await committees.add_action(committee_meeting_id, data)

    @put("/meetings/{committee_meeting_id:uuid}/minutes", summary="Write the minutes' text (not once approved)")
    async def write_minutes(self, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: JSONBody[MinutesTextIn]) -> dict:
        return await committees.write_minutes(committee_meeting_id, data)

    @post("/meetings/{committee_meeting_id:uuid}/minutes/status", status_code=200, summary="Circulate, approve (freezes) or publish the minutes")
    async def move_minutes(self, committees: CommitteesDep, committee_meeting_id: FromPath[UUID], data: JSONBody[MinutesMove]) -> dict:
        return await committees.move_minutes(committee_meeting_id, data)

    @post("/actions/{action_item_id:uuid}/done", status_code=200, summary="Mark an action item done")
    async def action_done(self, committees: CommitteesDep, action_item_id: FromPath[UUID]) -> dict:
        return await committees.complete_action(action_item_id)

    @get("/hours", summary="Hours waiting for approval")
    async def hours_waiting(self, expenses: ExpensesDep) -> list[dict]:
        return await expenses.hours_waiting()

    @post("/hours/{hours_entry_id:uuid}/decision", status_code=200, summary="Approve or reject hours (never one's own)")
    async def decide_hours(self, expenses: ExpensesDep, hours_entry_id: FromPath[UUID], data: JSONBody[HoursDecision]) -> dict:
        return await expenses.decide_hours(hours_entry_id, data)

    @get("/claims", summary="Expense claims")
    async def claims(self, expenses: ExpensesDep, status: FromQuery[str | None] = None) -> list[dict]:
        return await expenses.claims(status=status)

    @get("/claims/{expense_claim_id:uuid}", summary="An expense claim with its lines and receipts")
    async def claim(self, expenses: ExpensesDep, expense_claim_id: FromPath[UUID]) -> dict:
        return await expenses.get_claim(expense_claim_id)

    @post("/claims/{expense_claim_id:uuid}/decision", status_code=200, summary="Approve or reject a claim (never one's own)")
    async def decide_claim(self, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], data: JSONBody[ClaimDecision]) -> dict:
        return await expenses.decide_claim(expense_claim_id, data)

    @get("/claims/{expense_claim_id:uuid}/receipts/{expense_receipt_id:uuid}", summary="A receipt's file")
    async def receipt(self, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], expense_receipt_id: FromPath[UUID]) -> Response[bytes]:
        row, data = await expenses.receipt(expense_claim_id, expense_receipt_id)
        return Response(data, media_type=row["content_type"], headers={"content-disposition": f'inline; filename="{row["filename"]}"', "x-content-type-options": "nosniff"})

    @get("/batches", summary="Reimbursement batches")
    async def batches(self, expenses: ExpensesDep) -> list[dict]:
        return await expenses.batches()

    @post("/batches", summary="Gather the approved claims into a reimbursement batch")
    async def make_batch(self, expenses: ExpensesDep) -> dict:
        return await expenses.make_batch()

    @get("/batches/{reimbursement_batch_id:uuid}/csv", media_type="text/csv", summary="The batch as CSV for the finance department")
    async def batch_csv(self, expenses: ExpensesDep, reimbursement_batch_id: FromPath[UUID]) -> Response[str]:
        return Response(await expenses.batch_csv(reimbursement_batch_id), media_type="text/csv; charset=utf-8", headers={"content-disposition": f'attachment; filename="reimbursements-{reimbursement_batch_id}.csv"'})

    @post("/batches/{reimbursement_batch_id:uuid}/paid", status_code=200, summary="Mark the batch (and its claims) paid")
    async def batch_paid(self, expenses: ExpensesDep, reimbursement_batch_id: FromPath[UUID]) -> dict:
        return await expenses.mark_paid(reimbursement_batch_id)

    @get("/trainings", summary="Trainings (cohorts), with their sessions and people enrolled counted")
    async def list_trainings(self, trainings: TrainingsDep) -> list[dict]:
        return await trainings.list()

    @post("/trainings", summary="Create a training (a cohort: the partnership training, a group with a partner school)")
    async def create_training(self, trainings: TrainingsDep, data: JSONBody[TrainingIn]) -> dict:
        return await trainings.create(data)

    @get("/trainings/{training_cohort_id:uuid}", summary="A training: its sessions, enrolments and the summary of its questionnaire")
    async def training(self, trainings: TrainingsDep, training_cohort_id: FromPath[UUID]) -> dict:
        return {**await trainings.get(training_cohort_id), "sessions": await trainings.sessions(training_cohort_id),
                "enrolments": await trainings.enrolments(training_cohort_id), "feedback": summary_out(await trainings.summary(training_cohort_id))}

    @post("/trainings/{training_cohort_id:uuid}/sessions", summary="Add a session (date, place, trainers)")
    async def add_session(self, trainings: TrainingsDep, training_cohort_id: FromPath[UUID], data: JSONBody[TrainingSessionIn]) -> dict:
        return await trainings.add_session(training_cohort_id, data)

    @post("/trainings/{training_cohort_id:uuid}/enrolments", summary="Enrol a partner in training or active (within the cohort's size)")
    async def enrol(self, trainings: TrainingsDep, training_cohort_id: FromPath[UUID], data: JSONBody[EnrolmentIn]) -> dict:
        return await trainings.enrol(training_cohort_id, data)

    @put("/training-sessions/{training_session_id:uuid}/attendance", summary="Who was present at a session")
    async def training_attendance(self, trainings: TrainingsDep, training_session_id: FromPath[UUID], data: JSONBody[TrainingAttendanceIn]) -> list[dict]:
        return await trainings.record_attendance(training_session_id, data)

    @post("/trainings/{training_cohort_id:uuid}/completion", status_code=200,
          summary="Close the training: who attended every session completes it (the required one moves them from training to active) and gets the questionnaire")
    async def complete_training(self, trainings: TrainingsDep, training_cohort_id: FromPath[UUID]) -> dict:
        return await trainings.complete(training_cohort_id)

    @get("/reports/hours", summary="Approved hours per year, person, committee and activity")
    async def hours_report(self, tenant: CurrentTenant, year: Year = None) -> dict:
        return await expense_reports.hours_report(tenant, year)

    @get("/reports/expenses", summary="Approved expenses per month of a year")
    async def expenses_report(self, tenant: CurrentTenant, year: Annotated[int, QueryParameter(ge=1900, le=2200)]) -> list[dict]:
        return await expense_reports.expenses_per_month(tenant, year)


class MyProgramController(Controller):
    path = "/api/t/{slug:str}/program/me"
    tags = ["partner program: my file"]
    dependencies = DEPENDENCIES
    guards = [signed_in]

    @get("/", summary="My partner file")
    async def me(self, program: Program) -> PartnerOut:
        return partner_out(await program.own())

    @patch("/consents", summary="Give or withdraw my consents (contact, public name, photos, research)")
    async def consents(self, program: Program, data: JSONBody[ConsentChanges]) -> PartnerOut:
        return partner_out(await program.change_consents(data))

    @get("/data", summary="All the data held about me (JSON)")
    async def my_data(self, tenant: CurrentTenant, program: Program) -> Response[dict]:
        document = await recognition.my_data(tenant, program, await program.own())
        return Response(document, headers={"content-disposition": 'attachment; filename="my-data.json"'})

    @get("/data.pdf", media_type="application/pdf", summary="All the data held about me (PDF)")
    async def my_data_pdf(self, tenant: CurrentTenant, program: Program) -> Response[bytes]:
        document = await recognition.my_data(tenant, program, await program.own())
        return Response(await recognition.my_data_pdf(tenant, document), media_type="application/pdf", headers={"content-disposition": 'attachment; filename="my-data.pdf"'})

    @get("/certificate", media_type="application/pdf", summary="My recognition certificate of a year (PDF)")
    async def my_certificate(self, tenant: CurrentTenant, program: Program, year: CertificateYear = None) -> Response[bytes]:
        return await certificate_response(tenant, await program.own(), year)

    @get("/pledge", summary="My confidentiality pledge")
    async def my_pledge(self, program: Program, commitments: CommitmentsDep) -> dict:
        return await commitments.pledge_of((await program.own())["id"])

    @post("/pledge", summary="Sign the current confidentiality pledge today")
    async def sign_pledge(self, program: Program, commitments: CommitmentsDep, data: JSONBody[SignPledge]) -> dict:
        return await commitments.sign_pledge((await program.own())["id"], data.accept)

    @get("/trainings", summary="My trainings")
    async def my_trainings(self, program: Program, trainings: TrainingsDep) -> list[dict]:
        return await trainings.of_partner((await program.own())["id"])

    @post("/trainings/{training_enrolment_id:uuid}/feedback", status_code=200, summary="Answer the questionnaire after a training (once)")
    async def my_feedback(self, program: Program, trainings: TrainingsDep, training_enrolment_id: FromPath[UUID], data: JSONBody[FeedbackIn]) -> dict:
        return await trainings.answer(training_enrolment_id, data, of_partner=(await program.own())["id"])

    @get("/committees", summary="My committee seats")
    async def my_committees(self, program: Program, committees: CommitteesDep) -> list[dict]:
        return await committees.of_partner((await program.own())["id"])

    @get("/hours", summary="My hours")
    async def my_hours(self, program: Program, expenses: ExpensesDep) -> list[dict]:
        return await expenses.hours_of((await program.own())["id"])

    @post("/hours", summary="Log my hours")
    async def log_hours(self, program: Program, expenses: ExpensesDep, data: JSONBody[HoursIn]) -> dict:
        return await expenses.log_hours((await program.own())["id"], data)

    @get("/claims", summary="My expense claims")
    async def my_claims(self, program: Program, expenses: ExpensesDep) -> list[dict]:
        return await expenses.claims(partner_id=(await program.own())["id"])

    @post("/claims", summary="Claim expenses")
    async def claim(self, program: Program, expenses: ExpensesDep, data: JSONBody[ClaimIn]) -> dict:
        return await expenses.claim((await program.own())["id"], data)

    @post("/claims/{expense_claim_id:uuid}/receipts", summary="Add a receipt (the file as the body, with its type: PDF, JPEG or PNG)")
    async def add_receipt(self, request: Request, program: Program, expenses: ExpensesDep, expense_claim_id: FromPath[UUID], filename: Annotated[str, QueryParameter(max_length=200)] = "receipt") -> dict:
        own = await program.own()
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if not content_type:
            raise Invalid(N_("Send the receipt as the request body with its content type."))
        return await expenses.attach_receipt(expense_claim_id, filename, content_type, await request.body(), of_partner=own["id"])


ROUTES = [PublicApplicationController, PublicFeedbackController, ProgramController, MyProgramController]
