"""Committees, their seats and meetings: attendance (which logs the partners' hours), decisions,
action items carried until done, and the minutes (draft → circulated → approved → published).
Approved minutes are frozen as a snapshot; public minutes name a partner only with their consent."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from backend.bodies import applied
from backend.clock import local_date, now, to_utc
from backend.context import Context, TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, format_date, gettext
from governance.partners import rules
from governance.partners.commitments import Commitments
from governance.partners.labels import label
from governance.partners.rules import MinutesStatus, PartnerKind, Person
from governance.partners.schemas import (
    ActionIn,
    AttendanceIn,
    CommitteeChanges,
    CommitteeIn,
    DecisionIn,
    Ending,
    MeetingIn,
    MinutesMove,
    MinutesTextIn,
    SeatChanges,
    SeatEdit,
    SeatIn,
)
from governance.partners.services import PartnerProgram, decoded
from governance.partners.tables import (
    ActionItem,
    Committee,
    CommitteeMeeting,
    CommitteeMember,
    HoursEntry,
    MeetingAttendance,
    MeetingDecision,
    Partner,
)
from tenants import services as tenants


class Committees(TenantService):
    def _t(self, table):
        return table.tenant_id == self.tenant.id

    # --- committees and seats ---

    async def create(self, data: CommitteeIn) -> dict:
        committee_id = uuid.uuid4()
        await Committee.insert(Committee(tenant_id=self.tenant.id, id=committee_id, **msgspec.structs.asdict(data), created_at=now()))
        await tenants.record(self.tenant, self.actor_id, "committee.created", "committee", committee_id, {"name": data.name})
        return await self.get(committee_id)

    async def list(self) -> list[dict]:
        return await Committee.select().where(self._t(Committee)).order_by(Committee.name)

    async def get(self, committee_id: uuid.UUID) -> dict:
        row = await Committee.select().where(self._t(Committee) & (Committee.id == committee_id)).first()
        if row is None:
            raise NotFound(N_("No committee of this organisation has this identifier."))
        return row

    async def update(self, committee_id: uuid.UUID, changes: CommitteeChanges | CommitteeIn) -> dict:
        current = await self._open(committee_id)
        data = applied(current, changes, CommitteeIn)
        values = msgspec.structs.asdict(data)
        await Committee.update(values).where(self._t(Committee) & (Committee.id == committee_id))
        await tenants.record(self.tenant, self.actor_id, "committee.changed", "committee", committee_id, {k: v for k, v in values.items() if v != current[k]})
        return await self.get(committee_id)

    async def end(self, committee_id: uuid.UUID, data: Ending) -> dict:
        """The committee ends that day, and so do the terms of its members still running then. No
        member starts after it, no meeting is held after it; once ended, it takes neither."""
        await self._open(committee_id)
        seats = await self.seats(committee_id)
        later_meetings = await CommitteeMeeting.exists().where(
            self._t(CommitteeMeeting) & (CommitteeMeeting.committee_id == committee_id) & (CommitteeMeeting.starts_at >= to_utc(dt.datetime.combine(data.ended_on + dt.timedelta(days=1), dt.time()), self.tenant.timezone, field="ended_on"))
        )
        rules.check_committee_end(data.ended_on, [seat["term_start"] for seat in seats], later_meetings)
        await Committee.update({Committee.ended_on: data.ended_on}).where(self._t(Committee) & (Committee.id == committee_id))
        running = [seat["id"] for seat in seats if seat["term_end"] is None or seat["term_end"] > data.ended_on]
        if running:
            await CommitteeMember.update({CommitteeMember.term_end: data.ended_on}).where(self._t(CommitteeMember) & CommitteeMember.id.is_in(running))
        await tenants.record(self.tenant, self.actor_id, "committee.ended", "committee", committee_id, {"ended_on": data.ended_on.isoformat(), "terms_ended": len(running)})
        return await self.get(committee_id)

    async def _open(self, committee_id: uuid.UUID) -> dict:
        """A committee that has not ended (an ended one takes no member, meeting or change of end)."""
        committee = await self.get(committee_id)
        if committee["ended_on"] is not None:
            raise Conflict(N_("This committee ended on %(date)s."), date=format_date(committee["ended_on"], "long"))
        return committee

    async def seat(self, committee_id: uuid.UUID, data: SeatIn) -> dict:
        await self._open(committee_id)
        name = data.name.strip()
        if data.partner_id is not None:
            partner = await PartnerProgram(Context(self.tenant))._row(data.partner_id)
            await Commitments(Context(self.tenant)).check_can_sit(data.partner_id)  # a signed, current confidentiality pledge
            name = f"{partner['first_name']} {partner['last_name']}"
        elif not name:
            raise Invalid(N_("Name the member, or choose a partner."), errors=[FieldError("name", N_("This field is required."))])
        _check_term(data.term_start, data.term_end)
        seat_id = uuid.uuid4()
        await CommitteeMember.insert(CommitteeMember(tenant_id=self.tenant.id, id=seat_id, committee_id=committee_id, partner_id=data.partner_id, name=name, role=data.role, term_start=data.term_start, term_end=data.term_end))
        await tenants.record(self.tenant, self.actor_id, "committee.seat_added", "committee", committee_id, {"seat": seat_id, "role": data.role})
        return await self._seat(committee_id, seat_id)

    async def _seat(self, committee_id: uuid.UUID, seat_id: uuid.UUID) -> dict:
        row = await CommitteeMember.select().where(self._t(CommitteeMember) & (CommitteeMember.committee_id == committee_id) & (CommitteeMember.id == seat_id)).first()
        if row is None:
            raise NotFound(N_("No member of this committee has this identifier."))
        return row

    async def update_seat(self, committee_id: uuid.UUID, seat_id: uuid.UUID, changes: SeatChanges | SeatEdit) -> dict:
        await self._open(committee_id)
        current = await self._seat(committee_id, seat_id)
        data = applied(current, changes, SeatEdit)
        _check_term(data.term_start, data.term_end)
        values = msgspec.structs.asdict(data)
        await CommitteeMember.update(values).where(self._t(CommitteeMember) & (CommitteeMember.id == seat_id))
        await tenants.record(self.tenant, self.actor_id, "committee.seat_changed", "committee", committee_id,
                             {"seat": seat_id, **{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items() if v != current[k]}})
        return await self._seat(committee_id, seat_id)

    async def end_seat(self, committee_id: uuid.UUID, seat_id: uuid.UUID, data: Ending) -> dict:
        """A member's term ends that day (they leave the committee; their seat stays in its history)."""
        await self._open(committee_id)
        seat = await self._seat(committee_id, seat_id)
        if seat["term_end"] is not None and seat["term_end"] <= data.ended_on:
            raise Conflict(N_("This term already ended on %(date)s."), date=format_date(seat["term_end"], "long"))
        _check_term(seat["term_start"], data.ended_on, field="ended_on")
        await CommitteeMember.update({CommitteeMember.term_end: data.ended_on}).where(self._t(CommitteeMember) & (CommitteeMember.id == seat_id))
        await tenants.record(self.tenant, self.actor_id, "committee.seat_ended", "committee", committee_id, {"seat": seat_id, "ended_on": data.ended_on.isoformat()})
        return await self._seat(committee_id, seat_id)

    async def seats(self, committee_id: uuid.UUID) -> list[dict]:
        return await CommitteeMember.select().where(self._t(CommitteeMember) & (CommitteeMember.committee_id == committee_id)).order_by(CommitteeMember.term_start).order_by(CommitteeMember.name)

    async def of_partner(self, partner_id: uuid.UUID) -> list[dict]:
        """A partner's seats, with their committee's name."""
        seats = await CommitteeMember.select().where(self._t(CommitteeMember) & (CommitteeMember.partner_id == partner_id))
        names = {c["id"]: c for c in await self.list()}
        return [{**seat, "committee": names[seat["committee_id"]]} for seat in seats]

    # --- meetings ---

    async def schedule(self, committee_id: uuid.UUID, data: MeetingIn) -> dict:
        await self._open(committee_id)
        starts_at, ends_at = (to_utc(moment, self.tenant.timezone, field=name) for name, moment in (("starts_at", data.starts_at), ("ends_at", data.ends_at)))
        if ends_at <= starts_at:
            raise Invalid(N_("A meeting ends after it starts."), errors=[FieldError("ends_at", N_("Enter a time after the start."))])
        meeting_id = uuid.uuid4()
        await CommitteeMeeting.insert(CommitteeMeeting(
            tenant_id=self.tenant.id, id=meeting_id, committee_id=committee_id, starts_at=starts_at, ends_at=ends_at,
            place=data.place, agenda=data.agenda, minutes_text="", minutes_status=MinutesStatus.DRAFT.value,
        ))
        await tenants.record(self.tenant, self.actor_id, "committee.meeting_scheduled", "committee_meeting", meeting_id, {"committee": committee_id})
        return await self.meeting(meeting_id)


    async def meeting(self, meeting_id: uuid.UUID) -> dict:
        row = await CommitteeMeeting.select().where(self._t(CommitteeMeeting) & (CommitteeMeeting.id == meeting_id)).first()
        if row is None:
            raise NotFound(N_("No committee meeting of this organisation has this identifier."))
        return decoded(row)

    async def meetings(self, committee_id: uuid.UUID) -> list[dict]:
        return await CommitteeMeeting.select().where(self._t(CommitteeMeeting) & (CommitteeMeeting.committee_id == committee_id)).order_by(CommitteeMeeting.starts_at, ascending=False)

    async def _editable(self, meeting_id: uuid.UUID) -> dict:
        meeting = await self.meeting(meeting_id)
        rules.check_editable(MinutesStatus(meeting["minutes_status"]))
        return meeting

    async def record_attendance(self, meeting_id: uuid.UUID, data: AttendanceIn) -> list[dict]:
        """Who was present; each present partner's hours are logged (once) for the meeting."""
        meeting = await self._editable(meeting_id)
        seats = {seat["id"]: seat for seat in await self.seats(meeting["committee_id"])}
        unknown = set(data.present) - set(seats)
        if unknown:
            raise Invalid(N_("Only the committee's members can be present."), errors=[FieldError("present", N_("This identifier is not valid."))])
        await MeetingAttendance.delete().where(self._t(MeetingAttendance) & (MeetingAttendance.meeting_id == meeting_id))
        for seat_id in seats:
            await MeetingAttendance.insert(MeetingAttendance(tenant_id=self.tenant.id, id=uuid.uuid4(), meeting_id=meeting_id, member_id=seat_id, present=seat_id in data.present))
        await self._log_meeting_hours(meeting, [seats[s] for s in data.present if seats[s]["partner_id"]])
        await tenants.record(self.tenant, self.actor_id, "committee.attendance_recorded", "committee_meeting", meeting_id, {"present": len(data.present)})
        return await self.attendance(meeting_id)

    async def _log_meeting_hours(self, meeting: dict, present_partners: list[dict]) -> None:
        """Attendance logs the meeting's length for each partner present, approved by whoever
        recorded it (unless they are that partner); partners no longer present lose the entry."""
        present = {seat["partner_id"] for seat in present_partners}
        await HoursEntry.delete().where(self._t(HoursEntry) & (HoursEntry.meeting_id == meeting["id"]) & HoursEntry.partner_id.not_in(list(present) or [uuid.uuid4()]))
        logged = {row["partner_id"] for row in await HoursEntry.select(HoursEntry.partner_id).where(self._t(HoursEntry) & (HoursEntry.meeting_id == meeting["id"]))}
        minutes = max(1, int((meeting["ends_at"] - meeting["starts_at"]).total_seconds() // 60))
        day = local_date(meeting["starts_at"], self.tenant.timezone)
        program = PartnerProgram(Context(self.tenant))
        for partner_id in present - logged:
            partner = await program._row(partner_id)
            approved = partner["user_id"] != self.actor_id
            await HoursEntry.insert(HoursEntry(
                tenant_id=self.tenant.id, id=uuid.uuid4(), partner_id=partner_id, activity="committee_meeting",
                committee_id=meeting["committee_id"], meeting_id=meeting["id"], worked_on=day, minutes=min(minutes, rules.MAX_MINUTES_A_DAY),
                description="", status="approved" if approved else "submitted", logged_by=self.actor_id,
                decided_by=self.actor_id if approved else None, decided_at=now() if approved else None, created_at=now(),
            ))
            await program.touch(partner_id, day)

    async def attendance(self, meeting_id: uuid.UUID) -> list[dict]:
        rows = await MeetingAttendance.select().where(self._t(MeetingAttendance) & (MeetingAttendance.meeting_id == meeting_id))
        return [{"member_id": row["member_id"], "present": row["present"]} for row in rows]

    async def decide(self, meeting_id: uuid.UUID, data: DecisionIn) -> dict:
        await self._editable(meeting_id)
        position = await MeetingDecision.count().where(self._t(MeetingDecision) & (MeetingDecision.meeting_id == meeting_id)) + 1
        decision_id = uuid.uuid4()
        await MeetingDecision.insert(MeetingDecision(tenant_id=self.tenant.id, id=decision_id, meeting_id=meeting_id, position=position, text=data.text))
        await tenants.record(self.tenant, self.actor_id, "committee.decision_recorded", "committee_meeting", meeting_id, {"position": position})
        return {"id": decision_id, "position": position, "text": data.text}

    async def decisions(self, meeting_id: uuid.UUID) -> list[dict]:
        return await MeetingDecision.select(MeetingDecision.id, MeetingDecision.position, MeetingDecision.text).where(self._t(MeetingDecision) & (MeetingDecision.meeting_id == meeting_id)).order_by(MeetingDecision.position)

    async def add_action(self, meeting_id: uuid.UUID, data: ActionIn) -> dict:
        meeting = await self._editable(meeting_id)
        if data.owner_member_id is not None and not await CommitteeMember.exists().where(
            self._t(CommitteeMember) & (CommitteeMember.id == data.owner_member_id) & (CommitteeMember.committee_id == meeting["committee_id"])
        ):
            raise Invalid(N_("The owner of an action is a member of the committee."), errors=[FieldError("owner_member_id", N_("This identifier is not valid."))])
        action_id = uuid.uuid4()
        await ActionItem.insert(ActionItem(tenant_id=self.tenant.id, id=action_id, committee_id=meeting["committee_id"], meeting_id=meeting_id, owner_member_id=data.owner_member_id, description=data.description, due_on=data.due_on, status="open"))
        await tenants.record(self.tenant, self.actor_id, "committee.action_added", "action_item", action_id, {"meeting": meeting_id})
        return await self._action(action_id)

    async def _action(self, action_id: uuid.UUID) -> dict:
        row = await ActionItem.select().where(self._t(ActionItem) & (ActionItem.id == action_id)).first()
        if row is None:
            raise NotFound(N_("No action item of this organisation has this identifier."))
        return row

    async def complete_action(self, action_id: uuid.UUID) -> dict:
        action = await self._action(action_id)
        if action["status"] == "done":
            raise Conflict(N_("This action item is already done."))
        await ActionItem.update({ActionItem.status: "done", ActionItem.done_at: now()}).where(self._t(ActionItem) & (ActionItem.id == action_id))
        await tenants.record(self.tenant, self.actor_id, "committee.action_done", "action_item", action_id, {})
        return await self._action(action_id)

    async def actions_carried(self, meeting: dict) -> list[dict]:
        """The committee's action items raised up to this meeting and still open at it (or done
        after it started): what the meeting follows up."""
        rows = await ActionItem.raw(
            "SELECT a.id, a.description, a.due_on, a.status, a.owner_member_id, a.meeting_id, a.done_at, m.starts_at AS raised_at "
            "FROM action_item a JOIN committee_meeting m ON m.tenant_id = a.tenant_id AND m.id = a.meeting_id "
            "WHERE a.tenant_id = {} AND a.committee_id = {} AND m.starts_at <= {} ORDER BY m.starts_at, a.description",
            self.tenant.id, meeting["committee_id"], meeting["starts_at"],
        )
        return [row for row in rows if row["status"] == "open" or _after(row["done_at"], meeting["starts_at"])]

    # --- minutes ---

    async def write_minutes(self, meeting_id: uuid.UUID, data: MinutesTextIn) -> dict:
        await self._editable(meeting_id)
        await CommitteeMeeting.update({CommitteeMeeting.minutes_text: data.text}).where(self._t(CommitteeMeeting) & (CommitteeMeeting.id == meeting_id))
        await tenants.record(self.tenant, self.actor_id, "minutes.edited", "committee_meeting", meeting_id, {})
        return await self.meeting(meeting_id)

    async def move_minutes(self, meeting_id: uuid.UUID, data: MinutesMove) -> dict:
        meeting = await self.meeting(meeting_id)
        source, target = MinutesStatus(meeting["minutes_status"]), MinutesStatus(data.status)
        rules.check_minutes_move(source, target)
        values: dict = {CommitteeMeeting.minutes_status: target.value}
        if target == MinutesStatus.APPROVED:
            values[CommitteeMeeting.frozen] = await self._snapshot(meeting)
            values[CommitteeMeeting.approved_at] = now()
        if target == MinutesStatus.PUBLISHED:
            values[CommitteeMeeting.published_at] = now()
        await CommitteeMeeting.update(values).where(self._t(CommitteeMeeting) & (CommitteeMeeting.id == meeting_id))
        await tenants.record(self.tenant, self.actor_id, "minutes.status_changed", "committee_meeting", meeting_id, {"from": source.value, "to": target.value})
        return await self.meeting(meeting_id)

    async def _snapshot(self, meeting: dict) -> dict:
        """The minutes as approved: people by seat (names resolved when shown, so that a consent
        given or withdrawn later still applies), decisions, action items, text."""
        seats = {seat["id"]: seat for seat in await self.seats(meeting["committee_id"])}
        attendance = await self.attendance(meeting["id"])
        return {
            "attendance": [{"seat": str(a["member_id"]), "present": a["present"]} for a in attendance],
            # A partner's name is not kept in the snapshot: it is read when shown (consent, anonymisation).
            # A list, in the committee's order: a JSONB object would not keep it (the numbers of
            # "Usager-ressource 1, 2" follow it).
            "seats": [{"seat": str(k), "partner_id": str(v["partner_id"]) if v["partner_id"] else None, "name": "" if v["partner_id"] else v["name"], "role": v["role"]} for k, v in seats.items()],
            "decisions": [d["text"] for d in await self.decisions(meeting["id"])],
            "actions": [
                {"description": a["description"], "due_on": a["due_on"].isoformat() if a["due_on"] else None, "status": a["status"], "owner": str(a["owner_member_id"]) if a["owner_member_id"] else None}
                for a in await self.actions_carried(meeting)
            ],
            "text": meeting["minutes_text"],
        }

    async def minutes(self, meeting_id: uuid.UUID, *, public: bool) -> dict:
        """The minutes as a document: frozen ones as approved, a draft as it stands now. Public
        minutes (published only) show a partner's name only with their consent, else their role."""
        meeting = await self.meeting(meeting_id)
        if public and meeting["minutes_status"] != MinutesStatus.PUBLISHED:
            raise NotFound(N_("No published minutes have this identifier."))
        content = meeting["frozen"] or await self._snapshot(meeting)
        committee = await self.get(meeting["committee_id"])
        partners = await self._partners(content)
        seats = {seat["seat"]: seat for seat in content["seats"]}
        people = [_person(seat["seat"], seat, partners) for seat in content["seats"]]
        shown = rules.public_names(people) if public else {p.key: (p.name, p.kind, 0) for p in people}
        names = {key: _display(entry) for key, entry in shown.items()}
        # Public: every way the free text may name a partner who did not consent becomes their label;
        # the names that may be shown (consenting partners, staff) are kept whole.
        mentions: list[rules.Mention] = []
        for seat, person in zip(content["seats"], people, strict=True):
            partner = partners.get(seat["partner_id"] or "")
            hidden = person.kind is not None and not person.consents_to_public_name
            if partner is not None:
                mentions += rules.mentions_of(partner["first_name"], partner["last_name"], names[person.key] if hidden else None)
            elif person.name.strip():
                mentions.append(rules.Mention(person.name, None, False))

        def shown_text(text: str) -> str:
            return rules.redact_mentions(text, mentions) if public else text

        def person(seat_id: str) -> dict:
            """How a seat's holder is shown: their name, or (public, no consent) "" with their
            kind and number, for the page to say "Usager-ressource 2" in the reader's language."""
            name, kind, number = shown[seat_id]
            return {"name": name, "kind": kind.value if kind else None, "number": number, "role": seats[seat_id]["role"]}

        return {
            "meeting": meeting, "committee": committee, "status": meeting["minutes_status"],
            "present": [person(a["seat"]) for a in content["attendance"] if a["present"]],
            "absent": [person(a["seat"]) for a in content["attendance"] if not a["present"]],
            "decisions": [shown_text(d) for d in content["decisions"]],
            "actions": [{**a, "owner": person(a["owner"]) if a["owner"] in shown else None, "description": shown_text(a["description"])} for a in content["actions"]],
            "text": shown_text(content["text"]),
        }

    async def _partners(self, content: dict) -> dict[str, dict]:
        ids = [uuid.UUID(seat["partner_id"]) for seat in content["seats"] if seat["partner_id"]]
        if not ids:
            return {}
        rows = await Partner.select(Partner.id, Partner.kind, Partner.first_name, Partner.last_name, Partner.consent_public_name, Partner.anonymised_at).where(self._t(Partner) & Partner.id.is_in(ids))
        return {str(row["id"]): row for row in rows}

    async def published(self, limit: int = 50) -> list[dict]:
        rows = await CommitteeMeeting.raw(
            "SELECT m.id, m.starts_at, m.published_at, c.name AS committee FROM committee_meeting m "
            "JOIN committee c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id "
            "WHERE m.tenant_id = {} AND m.minutes_status = 'published' ORDER BY m.published_at DESC LIMIT {}",
            self.tenant.id, limit,
        )
        return rows


def _check_term(start: dt.date, end: dt.date | None, field: str = "term_end") -> None:
    if end is not None and end < start:
        raise Invalid(N_("A term ends after it starts."), errors=[FieldError(field, N_("Enter a date on or after %(date)s."), {"date": format_date(start, "long")})])


def _after(moment: dt.datetime | str | None, reference: dt.datetime) -> bool:
    if moment is None:
        return False
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment > reference


def _person(seat_id: str, seat: dict, partners: dict[str, dict]) -> Person:
    partner = partners.get(seat["partner_id"] or "")
    if partner is None:
        return Person(key=seat_id, name=seat["name"], kind=None)
    name = f"{partner['first_name']} {partner['last_name']}"
    return Person(key=seat_id, name=name, kind=PartnerKind(partner["kind"]), consents_to_public_name=partner["consent_public_name"] and partner["anonymised_at"] is None)


def _display(entry: tuple[str, PartnerKind | None, int]) -> str:
    name, kind, number = entry
    if name:
        return name
    return gettext(N_("%(role)s %(n)s"), role=label("kind", kind), n=number)

