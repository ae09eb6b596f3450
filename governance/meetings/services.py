"""The meetings of one tenant: the by-law settings, calling a meeting and its notice, the session,
attendance and quorum, motions and their decision, and who may vote at a meeting. Every query is
scoped to one tenant; every change is written to the audit log in the same transaction. The votes
themselves are the ballot box's (votes.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from dataclasses import asdict, fields

import msgspec

from backend import i18n, mail
from backend.clock import local_date, now, to_utc
from backend.context import Context, TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from governance.meetings import notice, rules
from governance.meetings.board import Board
from governance.meetings.documents import MeetingDocuments
from governance.meetings.guards import SECRETARIES
from governance.meetings.labels import meeting_label
from governance.meetings.rules import GovernanceSettings, MeetingKind
from governance.meetings.schemas import CancellationIn, CheckIn, MeetingChangeIn, MeetingIn, MotionIn, NoticeIn, SettingsIn
from governance.meetings.tables import AgendaItem, Attendance, GovernanceSettingsRow, Meeting, Motion, Proxy, Vote
from governance.members.services import PUBLIC_MEMBER_COLUMNS, MemberRegister
from governance.members.tables import Member
from tenants.services import UNIQUE_VIOLATIONS, next_number, record


def from_json(value):
    """A JSON column's value (SQLite gives its text, PostgreSQL the value)."""
    return json.loads(value) if isinstance(value, str) else value


class Meetings(TenantService):
    """The meetings of one tenant, as handled by one person (the context's actor; None: the system)."""

    def __init__(self, context: Context):
        super().__init__(context)
        self._sees_board: bool | None = None  # sees_board's answer, asked on every meeting read
        self._own: dict | None | bool = False  # own_entry's answer (False: not read yet)

    @functools.cached_property
    def register(self) -> MemberRegister:
        """The register, made when first asked: a ballot, the hot path of a vote, never reads it."""
        return MemberRegister(self.context)

    async def audit(self, action: str, object_type: str, object_id, details: dict) -> None:
        await record(self.tenant, self.actor_id, action, object_type, object_id, details)

    # --- settings ------------------------------------------------------------------------------

    async def settings(self) -> GovernanceSettings:
        row = await GovernanceSettingsRow.select().where(GovernanceSettingsRow.tenant_id == self.tenant.id).first()
        if row is None:
            return GovernanceSettings()
        return GovernanceSettings(**{f.name: row[f.name] for f in fields(GovernanceSettings)} | {"board_seats": from_json(row["board_seats"])})

    async def save_settings(self, changes: SettingsIn) -> GovernanceSettings:
        values = msgspec.structs.asdict(changes)
        values["board_seats"] = {category: seats for category, seats in changes.board_seats.items() if seats}  # (0: none reserved)
        faults = rules.settings_faults(GovernanceSettings(**values), self.tenant.member_categories)
        if faults:
            raise Invalid(N_("Some values are not valid."), errors=[FieldError(name, message) for name, message in faults])
        exists = await GovernanceSettingsRow.exists().where(GovernanceSettingsRow.tenant_id == self.tenant.id)
        if exists:
            await GovernanceSettingsRow.update(values).where(GovernanceSettingsRow.tenant_id == self.tenant.id)
        else:
            await GovernanceSettingsRow.insert(GovernanceSettingsRow(tenant_id=self.tenant.id, id=uuid.uuid4(), **values))
        await self.audit("governance.settings_changed", "governance_settings", None, values)
        return await self.settings()

    # --- meetings ------------------------------------------------------------------------------

    def local_date(self, moment: dt.datetime) -> dt.date:
        return local_date(moment, self.tenant.timezone)

    def utc(self, moment: dt.datetime, field: str) -> dt.datetime:
        return to_utc(moment, self.tenant.timezone, field=field)

    async def _when_and_where(self, kind: str, meeting: MeetingIn | MeetingChangeIn) -> dt.datetime:
        """The meeting's time in UTC, once it has a place or a video link and an annual meeting
        held past the by-laws' delay has its reason."""
        if meeting.place is None and meeting.video_url is None:
            raise Invalid(N_("A meeting needs a place, a video link, or both."), errors=[FieldError("place", N_("Enter a place or a video link."))])
        starts_at = self.utc(meeting.starts_at, "starts_at")
        settings = await self.settings()
        if kind == MeetingKind.ANNUAL_GENERAL and not rules.agm_in_time(self.local_date(starts_at), settings) and not meeting.deadline_reason:
            raise Invalid(
                N_("The annual meeting must be held within %(months)s months of the end of the fiscal year; record the reason to hold it later."),
                errors=[FieldError("deadline_reason", N_("Give the reason for the delay."))], months=settings.agm_months_after_year_end,
            )
        return starts_at

    async def schedule(self, meeting: MeetingIn) -> dict:
        starts_at = await self._when_and_where(meeting.kind, meeting)
        meeting_id = uuid.uuid4()
        await Meeting.insert(Meeting(
            tenant_id=self.tenant.id, id=meeting_id, kind=meeting.kind, title=meeting.title, starts_at=starts_at,
            place=meeting.place, video_url=meeting.video_url, status="scheduled", deadline_reason=meeting.deadline_reason,
            created_at=now(),
        ))
        if meeting.agenda:
            await AgendaItem.insert(*(
                AgendaItem(tenant_id=self.tenant.id, id=uuid.uuid4(), meeting_id=meeting_id, position=position, title=item.title, description=item.description)
                for position, item in enumerate(meeting.agenda, start=1)
            ))
        await self.audit("meeting.scheduled", "meeting", meeting_id, {"kind": meeting.kind, "starts_at": starts_at.isoformat()})
        return await self.get(meeting_id)

    async def change(self, meeting_id: uuid.UUID, change: MeetingChangeIn) -> dict:
        """Changes a meeting still to be held; a later time postpones it. Those the notice
        called are told (their language, the outbox); a meeting whose notice is out is not brought
        nearer than the notice's days allow."""
        meeting = await self._to_hold(meeting_id)
        starts_at = await self._when_and_where(meeting["kind"], change)
        if meeting["notice_sent_at"] is not None and starts_at < meeting["starts_at"]:
            sent_on, days = self.local_date(meeting["notice_sent_at"]), rules.notice_days(MeetingKind(meeting["kind"]), await self.settings())
            if rules.notice_is_late(sent_on, self.local_date(starts_at), days):
                said = {"sent": i18n.format_date(sent_on, "long"), "days": days, "date": i18n.format_date(sent_on + dt.timedelta(days=days), "long")}
                message = N_("The notice went out on %(sent)s: with %(days)s days' notice, the meeting is held on %(date)s at the earliest.")
                raise Invalid(message, errors=[FieldError("starts_at", message, said)], **said)
        await Meeting.update({
            Meeting.title: change.title, Meeting.starts_at: starts_at, Meeting.place: change.place, Meeting.video_url: change.video_url,
            Meeting.deadline_reason: change.deadline_reason,
        }).where((Meeting.tenant_id == self.tenant.id) & (Meeting.id == meeting_id))
        what = "postponed" if starts_at > meeting["starts_at"] else "changed"
        told = await self._tell(meeting, what, change.reason)
        await self.audit(f"meeting.{what}", "meeting", meeting_id, {"starts_at": starts_at.isoformat(), "reason": change.reason, "told": told})
        return await self.get(meeting_id)

    async def cancel(self, meeting_id: uuid.UUID, cancellation: CancellationIn) -> dict:
        """Cancels a meeting still to be held, once; those the notice called are told why."""
        meeting = await self._to_hold(meeting_id)
        cancelled = await Meeting.raw(  # once, and not while it is being opened
            "UPDATE meeting SET cancelled_at = {}, cancel_reason = {} WHERE tenant_id = {} AND id = {} AND status = 'scheduled' AND cancelled_at IS NULL RETURNING id",
            now(), cancellation.reason, self.tenant.id, meeting_id,
        )
        if not cancelled:
            raise self._not_to_hold()
        told = await self._tell(meeting, "cancelled", cancellation.reason)
        await self.audit("meeting.cancelled", "meeting", meeting_id, {"reason": cancellation.reason, "told": told})
        return await self.get(meeting_id)

    async def _to_hold(self, meeting_id: uuid.UUID) -> dict:
        meeting = await self._meeting(meeting_id)
        if meeting["status"] != "scheduled" or meeting["cancelled_at"] is not None:
            raise self._not_to_hold()
        return meeting

    @staticmethod
    def _not_to_hold() -> Conflict:
        return Conflict(N_("Only a meeting still to be held (not opened, not cancelled) can be changed or cancelled."))

    async def _tell(self, meeting: dict, what: str, reason: str | None) -> int:
        """The notice of a change, to those called, if they were (before the notice, nobody was)."""
        if meeting["notice_sent_at"] is None:
            return 0
        return await notice.send_change(self.tenant, await self.get(meeting["id"]), await self._called(meeting), what, reason)

    async def sees_board(self) -> bool:
        """Board meetings and all under them are the secretaries' and the current directors' (an
        active member whose term covers today); the system (actor None) sees everything."""
        if self._sees_board is None:
            self._sees_board = self._keeps_meetings() or await self._sits_on_board()
        return self._sees_board

    def _keeps_meetings(self) -> bool:
        return self.context.acts_as(SECRETARIES)

    async def _sits_on_board(self) -> bool:
        member = await self.own_entry()
        return member is not None and member["status"] == "active" and await Board(self).sits(member["id"])

    async def own_entry(self) -> dict | None:
        """The actor's entry in the register (None: none, or the system acting), read once for
        this service, that is once per request: the member's meeting page asks four times."""
        if self._own is False:
            self._own = await self.register.of_user(self.actor_id) if self.actor_id else None
        return self._own

    async def hides(self, meeting_id: uuid.UUID | None) -> bool:
        """Whether what belongs to this meeting is hidden from the actor (a board meeting they
        do not see): it is then answered 404, as if it did not exist."""
        if meeting_id is None or self._keeps_meetings():
            return False  # (no query: a ballot asks this each time)
        board = await Meeting.exists().where((Meeting.tenant_id == self.tenant.id) & (Meeting.id == meeting_id) & (Meeting.kind == "board"))
        return board and not await self.sees_board()

    async def _meeting(self, meeting_id: uuid.UUID) -> dict:
        row = await Meeting.select().where((Meeting.tenant_id == self.tenant.id) & (Meeting.id == meeting_id)).first()
        if row is None or (row["kind"] == "board" and not await self.sees_board()):
            raise NotFound(N_("No meeting of this organisation has this identifier."))
        return row

    async def row(self, meeting_id: uuid.UUID) -> dict:
        """The meeting without its agenda (a page asking every few seconds reads no more)."""
        return await self._meeting(meeting_id)

    async def get(self, meeting_id: uuid.UUID) -> dict:
        meeting = await self._meeting(meeting_id)
        meeting["agenda"] = await (
            AgendaItem.select(AgendaItem.id, AgendaItem.position, AgendaItem.title, AgendaItem.description)
            .where((AgendaItem.tenant_id == self.tenant.id) & (AgendaItem.meeting_id == meeting_id))
            .order_by(AgendaItem.position)
        )
        return meeting

    async def meetings(self) -> list[dict]:
        shown = Meeting.tenant_id == self.tenant.id
        if not await self.sees_board():
            shown &= Meeting.kind != "board"
        return await Meeting.select().where(shown).order_by(Meeting.starts_at, ascending=False)

    async def record_notice(self, meeting_id: uuid.UUID, request: NoticeIn, sent_at: dt.datetime | None = None) -> dict:
        """Records that the notice went out; a late notice needs the secretary's reason (for the minutes)."""
        meeting = await self._meeting(meeting_id)
        if meeting["notice_sent_at"] is not None:
            raise Conflict(N_("The notice of this meeting was already sent."))
        if meeting["cancelled_at"] is not None:
            raise Conflict(N_("This meeting is cancelled."))
        sent_at = sent_at or now()
        days = rules.notice_days(MeetingKind(meeting["kind"]), await self.settings())
        late = rules.notice_is_late(self.local_date(sent_at), self.local_date(meeting["starts_at"]), days)
        if late and not request.late_notice_reason:
            raise Invalid(
                N_("The notice must be sent at least %(days)s days before the meeting, by %(date)s; record the reason to send it late."),
                errors=[FieldError("late_notice_reason", N_("Give the reason for the late notice."))],
                days=days, date=rules.latest_notice_date(self.local_date(meeting["starts_at"]), days).isoformat(),
            )
        reason = request.late_notice_reason if late else None
        await Meeting.update({Meeting.notice_sent_at: sent_at, Meeting.late_notice_reason: reason}).where(
            (Meeting.tenant_id == self.tenant.id) & (Meeting.id == meeting_id)
        )
        called = await self.get(meeting_id)
        documents = await MeetingDocuments(self).attachments(meeting_id)  # the annual report, the financial statements...
        emailed = await notice.send(self.tenant, {**called, "attachments": documents}, await self._called(meeting))
        await self.audit("meeting.notice_sent", "meeting", meeting_id, {"late": late, "reason": reason, "emailed": emailed})
        return called

    async def notice_report(self, meeting_id: uuid.UUID) -> dict:
        """The notice's delivery log (one row per e-mail) and the members to reach by post."""
        meeting = await self._meeting(meeting_id)
        return {
            "notice_sent_at": meeting["notice_sent_at"], "late_notice_reason": meeting["late_notice_reason"],
            "deliveries": await mail.deliveries(self.tenant.id, object_id=meeting_id) if meeting["notice_sent_at"] else [],
            "by_post": notice.by_post(await self._called(meeting)),
        }

    async def _called(self, meeting: dict) -> list[dict]:
        """Who the notice calls: the directors to a board meeting, the members to a general one."""
        return await Board(self).members() if meeting["kind"] == MeetingKind.BOARD else await self.register.all_in_order()

    async def set_session(self, meeting_id: uuid.UUID, status: str) -> dict:
        """Opens the meeting (in session) or adjourns it."""
        meeting = await self._meeting(meeting_id)
        allowed = {"in_session": "scheduled", "adjourned": "in_session"}
        if meeting["cancelled_at"] is not None:
            raise Conflict(N_("This meeting is cancelled."))
        if allowed[status] != meeting["status"]:
            raise Conflict(N_("The meeting cannot go from %(source)s to %(target)s."), source=meeting_label("status", meeting["status"]), target=meeting_label("status", status))
        if status == "adjourned" and await Vote.exists().where(self._votes_of(meeting_id) & (Vote.status == "open")):
            raise Conflict(N_("Close the open vote before adjourning the meeting."))
        await Meeting.update({Meeting.status: status}).where((Meeting.tenant_id == self.tenant.id) & (Meeting.id == meeting_id))
        await self.audit(f"meeting.{status}", "meeting", meeting_id, {})
        return await self.get(meeting_id)

    # --- attendance ----------------------------------------------------------------------------

    async def check_in_self(self, meeting_id: uuid.UUID, present: bool) -> dict:
        """A member checks themselves in where they may attend from afar (the meeting has a video
        link); in a room only, they are checked in at the door (the card's QR code) or by the
        secretary, so that nobody at home counts toward the quorum. Leaving is always theirs."""
        meeting = await self._meeting(meeting_id)
        if present and meeting["video_url"] is None:
            raise Conflict(N_("This meeting is held in person only: you are checked in at the door, with your meeting card's QR code or by the secretary."))
        member = await self.own_member()
        return await self.attend(meeting_id, member, present, None)

    async def check_in(self, meeting_id: uuid.UUID, check: CheckIn) -> dict:
        await self._meeting(meeting_id)
        member = await self.member_by_number(check.member_number)
        if check.representative_name and not (await self.settings()).representation_allowed:
            raise Invalid(
                N_("The by-laws of this organisation do not allow a member to be represented."),
                errors=[FieldError("representative_name", N_("Leave this blank: representation is not allowed."))],
            )
        return await self.attend(meeting_id, member, check.present, check.representative_name)

    async def attend(self, meeting_id: uuid.UUID, member: dict, present: bool, representative: str | None) -> dict:
        meeting = await self._meeting(meeting_id)
        if meeting["status"] != "in_session":
            raise Conflict(N_("Attendance is taken while the meeting is in session."))
        if member["status"] != "active":
            raise Invalid(N_("Only active members take part in a meeting."), errors=[FieldError("member_number", N_("This member is not active."))])
        if meeting["kind"] == MeetingKind.BOARD and present and not await Board(self).sits(member["id"]):
            raise Invalid(N_("Only the directors sit at a board meeting."), errors=[FieldError("member_number", N_("This member is not a director."))])
        mine = (Attendance.tenant_id == self.tenant.id) & (Attendance.meeting_id == meeting_id) & (Attendance.member_id == member["id"])
        moment = now()
        try:
            if await Attendance.exists().where(mine):
                await Attendance.update({Attendance.present: present, Attendance.representative_name: representative, Attendance.updated_at: moment}).where(mine)
            else:
                await Attendance.insert(Attendance(
                    tenant_id=self.tenant.id, id=uuid.uuid4(), meeting_id=meeting_id, member_id=member["id"], present=present,
                    representative_name=representative, first_arrived_at=moment, updated_at=moment,
                ))
        except UNIQUE_VIOLATIONS as error:  # the same arrival recorded twice at once
            raise Conflict(N_("This arrival is being recorded already; try again.")) from error
        await self.audit("meeting.attendance", "meeting", meeting_id, {"member_number": member["number"], "present": present, "representative_name": representative})
        return {"member_number": member["number"], "name": f"{member['first_name']} {member['last_name']}", "category": member["category"], "present": present, "representative_name": representative}

    async def attendance(self, meeting_id: uuid.UUID) -> list[dict]:
        await self._meeting(meeting_id)
        rows = await Attendance.select(Attendance.member_id, Attendance.present, Attendance.representative_name).where(
            (Attendance.tenant_id == self.tenant.id) & (Attendance.meeting_id == meeting_id)
        )
        members = {m["id"]: m for m in await self.register.all_in_order()}
        listed = [
            {"member_number": members[r["member_id"]]["number"], "name": f"{members[r['member_id']]['first_name']} {members[r['member_id']]['last_name']}",
             "category": members[r["member_id"]]["category"], "present": r["present"], "representative_name": r["representative_name"]}
            for r in rows
        ]
        return sorted(listed, key=lambda a: a["member_number"])

    async def present_ids(self, meeting_id: uuid.UUID, *, in_person: bool = False) -> set:
        """The members present, in person or (where the by-laws allow proxies) represented by a
        proxy holder who is present: the quorum and the eligibility frozen when a vote opens."""
        rows = await Attendance.select(Attendance.member_id).where(
            (Attendance.tenant_id == self.tenant.id) & (Attendance.meeting_id == meeting_id) & (Attendance.present == True)  # noqa: E712
        )
        present = {row["member_id"] for row in rows}
        if not in_person and present and (await self.settings()).proxies_allowed:
            represented = await Proxy.select(Proxy.member_id).where(
                (Proxy.tenant_id == self.tenant.id) & (Proxy.meeting_id == meeting_id) & Proxy.holder_id.is_in(list(present))
            )
            present |= {row["member_id"] for row in represented}
        return present

    async def quorum(self, meeting_id: uuid.UUID) -> dict:
        meeting = await self._meeting(meeting_id)
        present = len(await self.present_ids(meeting_id))
        if meeting["kind"] == MeetingKind.BOARD:  # the directors sit, not the members
            entitled = len(await Board(self).members())
            needed = rules.board_quorum_needed(entitled)
        else:
            settings = await self.settings()
            entitled = sum(n for (status, _), n in (await self.register.counts()).items() if status == "active")
            needed = rules.quorum_needed(settings.quorum_rule, settings.quorum_value, entitled)
        return {"present": present, "entitled": entitled, "needed": needed, "reached": present >= needed}

    async def own_member(self) -> dict:
        member = await self.own_entry()
        if member is None:
            raise Problem(N_("Your login is not linked to an entry in the register of members."), status=403)
        return member

    async def member_by_number(self, number: int, field: str = "member_number") -> dict:
        """The register's entry of this number (as all_in_order gives it), by its key: the check-in
        desk asks at every arrival, of a register of thousands, during the votes too."""
        member = await Member.select(*PUBLIC_MEMBER_COLUMNS).where((Member.tenant_id == self.tenant.id) & (Member.number == number)).first()
        if member is not None:
            return member
        raise Invalid(N_("No member of this organisation has this number."), errors=[FieldError(field, N_("No member has this number."))])

    # --- motions -------------------------------------------------------------------------------

    async def propose(self, meeting_id: uuid.UUID, motion: MotionIn) -> dict:
        meeting = await self._meeting(meeting_id)
        if meeting["status"] == "adjourned":
            raise Conflict(N_("The meeting is adjourned."))
        proposer = await self.member_by_number(motion.proposer_number, "proposer_number")
        seconder = await self.member_by_number(motion.seconder_number, "seconder_number")
        if proposer["id"] == seconder["id"]:
            raise Invalid(N_("A motion is seconded by another member than its proposer."), errors=[FieldError("seconder_number", N_("Choose another member than the proposer."))])
        if motion.amends_id is not None:
            amended = await self.motion(motion.amends_id)
            if amended["meeting_id"] != meeting_id or amended["status"] != "proposed" or amended["amends_id"] is not None:
                raise Invalid(N_("An amendment amends a main motion of this meeting that is still before it."), errors=[FieldError("amends_id", N_("Choose a pending main motion."))])
        motion_id = uuid.uuid4()
        await Motion.insert(Motion(
            tenant_id=self.tenant.id, id=motion_id, meeting_id=meeting_id, amends_id=motion.amends_id, text=motion.text,
            proposer_id=proposer["id"], seconder_id=seconder["id"], majority=motion.majority, status="proposed", created_at=now(),
        ))
        await self.audit("motion.proposed", "motion", motion_id, {"meeting_id": meeting_id, "proposer": proposer["number"], "seconder": seconder["number"]})
        return await self.motion(motion_id)

    async def motion(self, motion_id: uuid.UUID) -> dict:
        row = await Motion.select().where((Motion.tenant_id == self.tenant.id) & (Motion.id == motion_id)).first()
        if row is None:
            raise NotFound(N_("No motion of this organisation has this identifier."))
        return row

    async def motions(self, meeting_id: uuid.UUID) -> list[dict]:
        await self._meeting(meeting_id)
        return await Motion.select().where((Motion.tenant_id == self.tenant.id) & (Motion.meeting_id == meeting_id)).order_by(Motion.created_at)

    async def withdraw(self, motion_id: uuid.UUID) -> dict:
        motion = await self.motion(motion_id)
        if motion["status"] != "proposed" or await Vote.exists().where((Vote.tenant_id == self.tenant.id) & (Vote.motion_id == motion_id) & (Vote.status == "open")):
            raise Conflict(N_("Only a motion still before the meeting, not being voted on, can be withdrawn."))
        await Motion.update({Motion.status: "withdrawn"}).where((Motion.tenant_id == self.tenant.id) & ((Motion.id == motion_id) | ((Motion.amends_id == motion_id) & (Motion.status == "proposed"))))
        await self.audit("motion.withdrawn", "motion", motion_id, {})
        return await self.motion(motion_id)

    async def check_motion_votable(self, motion_id: uuid.UUID) -> None:
        motion = await self.motion(motion_id)
        if motion["status"] != "proposed":
            raise Conflict(N_("This motion is no longer before the meeting."))
        if await Motion.exists().where((Motion.tenant_id == self.tenant.id) & (Motion.amends_id == motion_id) & (Motion.status == "proposed")):
            raise Conflict(N_("Vote on the amendments before the main motion."))

    async def decide_motion(self, motion_id: uuid.UUID, adopted: bool) -> None:
        """The motion adopted (with its resolution number, amendments aside) or rejected."""
        motion = await self.motion(motion_id)
        number = None
        if adopted and motion["amends_id"] is None:
            meeting = await self._meeting(motion["meeting_id"])
            kind, year = MeetingKind(meeting["kind"]), self.local_date(meeting["starts_at"]).year
            number = rules.resolution_number(kind, year, await next_number(self.tenant, f"resolution-{rules.RESOLUTION_PREFIX[kind]}-{year}"))
        await Motion.update({Motion.status: "adopted" if adopted else "rejected", Motion.resolution_number: number}).where(
            (Motion.tenant_id == self.tenant.id) & (Motion.id == motion_id)
        )
        await self.audit("motion.decided", "motion", motion_id, {"adopted": adopted, "resolution_number": number})

    # --- who may vote at a meeting ---------------------------------------------------------------

    def _votes_of(self, meeting_id: uuid.UUID):
        return (Vote.tenant_id == self.tenant.id) & (Vote.meeting_id == meeting_id)

    async def voters_at_opening(self, meeting_id: uuid.UUID, category: str | None) -> list[rules.Voter]:
        """Who may vote on a vote of this meeting opening now (the meeting in session, no other
        vote open, the quorum reached): its members (a board's: its directors), active, of the
        category if any, and present where the by-laws require it."""
        meeting = await self._meeting(meeting_id)
        if meeting["status"] != "in_session":
            raise Conflict(N_("A vote opens while the meeting is in session."))
        if await Vote.exists().where(self._votes_of(meeting_id) & (Vote.status == "open")):
            raise Conflict(N_("Another vote of this meeting is open; close it first."))
        quorum = await self.quorum(meeting_id)
        if not quorum["reached"]:
            raise Conflict(N_("The quorum is not reached: %(present)s present, %(needed)s needed."), present=quorum["present"], needed=quorum["needed"])
        settings = await self.settings()
        present = await self.present_ids(meeting_id)
        voters = [rules.Voter(m["id"], m["status"], m["category"], m["id"] in present) for m in await self._called(meeting)]
        return rules.eligible(voters, presence_required=settings.presence_required, category=category)


def settings_out(settings: GovernanceSettings) -> dict:
    return asdict(settings)
