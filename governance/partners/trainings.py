"""Trainings: cohorts (the 2-hour partnership training, or a group trained with a partner school)
and their sessions, enrolment, attendance per session, completion (which moves a partner in
training to active when the training is the required one, and logs the hours received), and the
questionnaire after the training, answered once per enrolment through the partner's login or the
signed link e-mailed to them, summarised per cohort without saying who answered what."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import msgspec

from backend import db, i18n, mail
from backend.clock import now, to_utc
from backend.context import Context, TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from governance.partners import rules
from governance.partners.rules import Stage
from governance.partners.schemas import EnrolmentIn, FeedbackIn, StageMove, TrainingAttendanceIn, TrainingIn, TrainingSessionIn
from governance.partners.services import PartnerProgram, as_uuid
from governance.partners.tables import (
    HoursEntry,
    Partner,
    TrainingAttendance,
    TrainingCohort,
    TrainingEnrolment,
    TrainingFeedback,
    TrainingSession,
)
from tenants import services as tenants


class Trainings(TenantService):
    def __init__(self, context: Context):
        """The context's settings sign the questionnaire's links (None: no questionnaire is e-mailed,
        as in the demo)."""
        super().__init__(context)
        self.settings = context.settings

    def _t(self, table):
        return table.tenant_id == self.tenant.id

    # --- cohorts and sessions ---

    async def create(self, data: TrainingIn) -> dict:
        if data.max_size < data.min_size:
            raise Invalid(N_("Some values are not valid."), errors=[FieldError("max_size", N_("Enter a number no smaller than %(n)s."), {"n": data.min_size})])
        cohort_id = uuid.uuid4()
        await TrainingCohort.insert(TrainingCohort(tenant_id=self.tenant.id, id=cohort_id, **msgspec.structs.asdict(data), created_at=now()))
        await tenants.record(self.tenant, self.actor_id, "training.created", "training_cohort", cohort_id, {"name": data.name})
        return await self.get(cohort_id)

    async def get(self, cohort_id: uuid.UUID) -> dict:
        row = await TrainingCohort.select().where(self._t(TrainingCohort) & (TrainingCohort.id == cohort_id)).first()
        if row is None:
            raise NotFound(N_("No training of this organisation has this identifier."))
        return row

    async def list(self) -> list[dict]:
        """Cohorts, the next or latest first, with their number of sessions and people enrolled."""
        rows = await TrainingCohort.raw(
            "SELECT c.*, (SELECT MIN(s.starts_at) FROM training_session s WHERE s.tenant_id = c.tenant_id AND s.cohort_id = c.id) AS starts_at, "
            "(SELECT COUNT(*) FROM training_session s WHERE s.tenant_id = c.tenant_id AND s.cohort_id = c.id) AS sessions, "
            "(SELECT COUNT(*) FROM training_enrolment e WHERE e.tenant_id = c.tenant_id AND e.cohort_id = c.id) AS enrolled "
            "FROM training_cohort c WHERE c.tenant_id = {} ORDER BY c.created_at DESC",
            self.tenant.id,
        )
        for row in rows:
            if isinstance(row["starts_at"], str):  # SQLite returns an aggregate's timestamp as text
                row["starts_at"] = _parse(row["starts_at"])
        return rows

    async def _open(self, cohort_id: uuid.UUID, *, lock: bool = False) -> dict:
        """A cohort that is not completed yet (locked on PostgreSQL when `lock`: enrolments queue)."""
        if lock and db.is_postgres(TrainingCohort._meta.db):
            await TrainingCohort.raw("SELECT id FROM training_cohort WHERE tenant_id = {} AND id = {} FOR UPDATE", self.tenant.id, cohort_id)
        cohort = await self.get(cohort_id)
        if cohort["completed_at"] is not None:
            raise Conflict(N_("This training is completed: it cannot be changed any more."))
        return cohort

    async def add_session(self, cohort_id: uuid.UUID, data: TrainingSessionIn) -> dict:
        await self._open(cohort_id)
        try:
            starts_at, ends_at = (to_utc(moment, self.tenant.timezone, field=name) for name, moment in (("starts_at", data.starts_at), ("ends_at", data.ends_at)))
        except (OverflowError, ValueError) as error:  # the first or last moments a datetime can hold
            raise Invalid(N_("Some values are not valid."), errors=[FieldError("starts_at", N_("Enter a date between the years 1900 and 2200."))]) from error
        if not (dt.datetime(1900, 1, 1, tzinfo=dt.UTC) <= starts_at and ends_at <= dt.datetime(2200, 1, 1, tzinfo=dt.UTC)):
            raise Invalid(N_("Some values are not valid."), errors=[FieldError("starts_at", N_("Enter a date between the years 1900 and 2200."))])
        if ends_at <= starts_at:
            raise Invalid(N_("A session ends after it starts."), errors=[FieldError("ends_at", N_("Enter a time after the start."))])
        session_id = uuid.uuid4()
        await TrainingSession.insert(TrainingSession(tenant_id=self.tenant.id, id=session_id, cohort_id=cohort_id, starts_at=starts_at, ends_at=ends_at, place=data.place, trainers=data.trainers))
        await tenants.record(self.tenant, self.actor_id, "training.session_added", "training_cohort", cohort_id, {"session": session_id})
        return await self._session(session_id)

    async def _session(self, session_id: uuid.UUID) -> dict:
        row = await TrainingSession.select().where(self._t(TrainingSession) & (TrainingSession.id == session_id)).first()
        if row is None:
            raise NotFound(N_("No training session of this organisation has this identifier."))
        return row

    async def sessions(self, cohort_id: uuid.UUID) -> list[dict]:
        return await TrainingSession.select().where(self._t(TrainingSession) & (TrainingSession.cohort_id == cohort_id)).order_by(TrainingSession.starts_at)

    # --- enrolment and attendance ---

    async def enrol(self, cohort_id: uuid.UUID, data: EnrolmentIn) -> dict:
        cohort = await self._open(cohort_id, lock=True)  # two enrolments at once queue on the cohort
        partner = await PartnerProgram(Context(self.tenant))._row(data.partner_id)
        if await TrainingEnrolment.exists().where(self._t(TrainingEnrolment) & (TrainingEnrolment.cohort_id == cohort_id) & (TrainingEnrolment.partner_id == data.partner_id)):
            raise Conflict(N_("This partner is already enrolled in this training."))
        enrolled = await TrainingEnrolment.count().where(self._t(TrainingEnrolment) & (TrainingEnrolment.cohort_id == cohort_id))
        rules.check_enrolment(Stage(partner["stage"]), enrolled, cohort["max_size"], cohort["completed_at"] is not None)
        enrolment_id = uuid.uuid4()
        await TrainingEnrolment.insert(TrainingEnrolment(tenant_id=self.tenant.id, id=enrolment_id, cohort_id=cohort_id, partner_id=data.partner_id, enrolled_at=now()))
        await tenants.record(self.tenant, self.actor_id, "training.enrolled", "training_cohort", cohort_id, {"partner": data.partner_id})
        return await self._enrolment(enrolment_id)

    async def _enrolment(self, enrolment_id: uuid.UUID | str) -> dict:
        row = await TrainingEnrolment.select().where(self._t(TrainingEnrolment) & (TrainingEnrolment.id == enrolment_id)).first()
        if row is None:
            raise NotFound(N_("No enrolment of this organisation has this identifier."))
        return row

    async def enrolments(self, cohort_id: uuid.UUID) -> list[dict]:
        """Who is enrolled, with the sessions they attended."""
        rows = await TrainingEnrolment.raw(
            "SELECT e.id, e.partner_id, e.enrolled_at, e.completed_at, e.feedback_at, p.number, p.first_name, p.last_name, p.kind, p.stage, "
            "(SELECT COUNT(*) FROM training_attendance a WHERE a.tenant_id = e.tenant_id AND a.enrolment_id = e.id AND a.present) AS attended "
            "FROM training_enrolment e JOIN partner p ON p.tenant_id = e.tenant_id AND p.id = e.partner_id "
            "WHERE e.tenant_id = {} AND e.cohort_id = {} ORDER BY p.last_name, p.first_name, p.number",
            self.tenant.id, cohort_id,
        )
        return rows

    async def record_attendance(self, session_id: uuid.UUID, data: TrainingAttendanceIn) -> list[dict]:
        session = await self._session(session_id)
        await self._open(session["cohort_id"])
        enrolled = {row["id"] for row in await TrainingEnrolment.select(TrainingEnrolment.id).where(self._t(TrainingEnrolment) & (TrainingEnrolment.cohort_id == session["cohort_id"]))}
        if set(data.present) - enrolled:
            raise Invalid(N_("Only the people enrolled can be present."), errors=[FieldError("present", N_("This identifier is not valid."))])
        await TrainingAttendance.delete().where(self._t(TrainingAttendance) & (TrainingAttendance.session_id == session_id))
        if enrolled:
            await TrainingAttendance.insert(*(
                TrainingAttendance(tenant_id=self.tenant.id, id=uuid.uuid4(), session_id=session_id, enrolment_id=enrolment, present=enrolment in data.present)
                for enrolment in enrolled
            ))
        await tenants.record(self.tenant, self.actor_id, "training.attendance_recorded", "training_cohort", session["cohort_id"], {"session": session_id, "present": len(data.present)})
        return await self.attendance(session_id)

    async def attendance(self, session_id: uuid.UUID) -> list[dict]:
        return await TrainingAttendance.select(TrainingAttendance.enrolment_id, TrainingAttendance.present).where(self._t(TrainingAttendance) & (TrainingAttendance.session_id == session_id))

    async def present_at(self, cohort_id: uuid.UUID) -> dict[uuid.UUID, set[uuid.UUID]]:
        """Each enrolment of the cohort, with the sessions it attended."""
        present: dict[uuid.UUID, set[uuid.UUID]] = {row["id"]: set() for row in await TrainingEnrolment.select(TrainingEnrolment.id).where(self._t(TrainingEnrolment) & (TrainingEnrolment.cohort_id == cohort_id))}
        rows = await TrainingAttendance.raw(
            "SELECT a.enrolment_id, a.session_id FROM training_attendance a JOIN training_session s ON s.tenant_id = a.tenant_id AND s.id = a.session_id "
            "WHERE a.tenant_id = {} AND s.cohort_id = {} AND a.present", self.tenant.id, cohort_id,
        )
        for row in rows:
            present[as_uuid(row["enrolment_id"])].add(as_uuid(row["session_id"]))
        return present

    # --- completion ---

    async def complete(self, cohort_id: uuid.UUID) -> dict:
        """Closes the training: whoever attended every session completes it, has the hours received
        logged, moves from training to active (the required training), and gets the questionnaire."""
        cohort = await self._open(cohort_id, lock=True)
        sessions = await self.sessions(cohort_id)
        rules.check_completion(max((s["ends_at"] for s in sessions), default=None), now())
        done = rules.completers([s["id"] for s in sessions], await self.present_at(cohort_id))
        moment = now()
        await TrainingCohort.update({TrainingCohort.completed_at: moment}).where(self._t(TrainingCohort) & (TrainingCohort.id == cohort_id))
        program = PartnerProgram(self.context)
        activated = 0
        zone = ZoneInfo(self.tenant.timezone)
        length = {s["id"]: int((s["ends_at"] - s["starts_at"]).total_seconds() // 60) for s in sessions}
        for enrolment in sorted(done, key=str):
            row = await self._enrolment(enrolment)
            await TrainingEnrolment.update({TrainingEnrolment.completed_at: moment}).where(self._t(TrainingEnrolment) & (TrainingEnrolment.id == enrolment))
            partner = await program._row(row["partner_id"])
            for session in sessions:  # the hours received, one entry a session, approved by whoever closes the training
                approved = partner["user_id"] != self.actor_id
                await HoursEntry.insert(HoursEntry(
                    tenant_id=self.tenant.id, id=uuid.uuid4(), partner_id=partner["id"], activity="training_received", worked_on=session["starts_at"].astimezone(zone).date(),
                    minutes=min(max(1, length[session["id"]]), rules.MAX_MINUTES_A_DAY), description=cohort["name"][:200], status="approved" if approved else "submitted",
                    logged_by=self.actor_id, decided_by=self.actor_id if approved else None, decided_at=moment if approved else None, created_at=moment,
                ))
            if cohort["required"] and partner["stage"] == Stage.TRAINING:
                partner = await program.move(partner["id"], StageMove(stage="active", reason=""))
                activated += 1
            await program.touch(partner["id"], self.tenant.today())
            await self._send_questionnaire(cohort, enrolment, partner)
        await tenants.record(self.tenant, self.actor_id, "training.completed", "training_cohort", cohort_id, {"completed": len(done), "activated": activated})
        return {"completed": len(done), "activated": activated, "not_completed": len(await self.present_at(cohort_id)) - len(done)}

    async def _send_questionnaire(self, cohort: dict, enrolment_id: uuid.UUID, partner: dict) -> None:
        if not partner["email"] or self.settings is None:
            return
        link = f"{self.settings.base_url}/t/{self.tenant.slug}/public/feedback/{rules.feedback_token(self.settings.secret_key, self.tenant.slug, enrolment_id)}"
        with i18n.using(partner["language"]):
            await mail.queue(
                self.tenant.id, to=partner["email"], purpose="training.feedback", object_id=enrolment_id,
                subject=gettext(N_("Your opinion of the training “%(training)s”"), training=cohort["name"]),
                text=gettext(N_("Thank you for taking part in the training “%(training)s” of %(organisation)s.\n\nFour questions, two minutes: what did you think of it? The answers are read per group, without your name.\n\n%(link)s\n\nThe link answers once."),
                             training=cohort["name"], organisation=self.tenant.name, link=link),
            )

    # --- the questionnaire ---

    async def answer(self, enrolment_id: uuid.UUID | str, data: FeedbackIn, *, of_partner: uuid.UUID | None = None) -> dict:
        """One answer per enrolment, once the training is completed: the enrolment is marked in the
        same statement that checks it (two answers at once: one is refused)."""
        mine = self._t(TrainingEnrolment) & (TrainingEnrolment.id == as_uuid(enrolment_id))
        if of_partner is not None:
            mine &= TrainingEnrolment.partner_id == of_partner
        claimed = await TrainingEnrolment.update({TrainingEnrolment.feedback_at: now()}).where(
            mine & TrainingEnrolment.completed_at.is_not_null() & TrainingEnrolment.feedback_at.is_null()
        ).returning(TrainingEnrolment.cohort_id)
        if not claimed:
            row = await TrainingEnrolment.select(TrainingEnrolment.completed_at).where(mine).first()
            if row is None:
                raise NotFound(N_("No enrolment of this organisation has this identifier."))
            if row["completed_at"] is None:
                raise Conflict(N_("The questionnaire opens once the training is completed."))
            raise Conflict(N_("This questionnaire has already been answered. Thank you!"))
        cohort_id = as_uuid(claimed[0]["cohort_id"])
        await TrainingFeedback.insert(TrainingFeedback(tenant_id=self.tenant.id, id=uuid.uuid4(), cohort_id=cohort_id, **msgspec.structs.asdict(data), answered_on=self.tenant.today()))
        return {"cohort_id": cohort_id, "answered": True}

    async def enrolment_for_link(self, token: str) -> dict:
        """The enrolment a signed feedback link is for (404 for a link of another tenant or forged)."""
        assert self.settings is not None
        enrolment = rules.enrolment_of_token(self.settings.secret_key, self.tenant.slug, token)
        try:
            enrolment_id = uuid.UUID(enrolment or "")
        except ValueError:
            enrolment_id = None
        if enrolment_id is None:
            raise NotFound(N_("This link is not valid."))
        row = await self._enrolment(enrolment_id)
        return {**row, "cohort": await self.get(row["cohort_id"])}

    async def summary(self, cohort_id: uuid.UUID) -> rules.FeedbackSummary:
        await self.get(cohort_id)
        answers = await TrainingFeedback.select(*(getattr(TrainingFeedback, q) for q in rules.QUESTIONS), TrainingFeedback.comment).where(self._t(TrainingFeedback) & (TrainingFeedback.cohort_id == cohort_id))
        completed = await TrainingEnrolment.count().where(self._t(TrainingEnrolment) & (TrainingEnrolment.cohort_id == cohort_id) & TrainingEnrolment.completed_at.is_not_null())
        return rules.summarise_feedback(answers, completed)

    async def of_partner(self, partner_id: uuid.UUID) -> list[dict]:
        """A partner's trainings: each enrolment with its cohort and sessions."""
        rows = await TrainingEnrolment.select().where(self._t(TrainingEnrolment) & (TrainingEnrolment.partner_id == partner_id)).order_by(TrainingEnrolment.enrolled_at, ascending=False)
        return [{**row, "cohort": await self.get(row["cohort_id"]), "sessions": await self.sessions(row["cohort_id"])} for row in rows]

    async def completed_required(self, partner_id: uuid.UUID) -> bool:
        rows = await TrainingEnrolment.raw(
            "SELECT 1 AS done FROM training_enrolment e JOIN training_cohort c ON c.tenant_id = e.tenant_id AND c.id = e.cohort_id "
            "WHERE e.tenant_id = {} AND e.partner_id = {} AND e.completed_at IS NOT NULL AND c.required LIMIT 1", self.tenant.id, partner_id,
        )
        return bool(rows)

    async def enrollable(self) -> list[dict]:
        """The partners a training can take: in training or active."""
        return await Partner.select(Partner.id, Partner.number, Partner.first_name, Partner.last_name, Partner.stage).where(
            self._t(Partner) & Partner.stage.is_in([s.value for s in rules.ENROLLABLE]) & Partner.anonymised_at.is_null()
        ).order_by(Partner.last_name).order_by(Partner.first_name)


def summary_out(summary: rules.FeedbackSummary) -> dict:
    return msgspec.to_builtins(summary)


def _parse(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
