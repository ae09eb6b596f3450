"""Services of meetings and votes: every query is scoped to one tenant; every change to a meeting,
a motion or a vote is written to the audit log in the same transaction.

Secret ballots: `cast` writes who has voted (vote_cast) and what was voted as two rows sharing
no value; the ballot is sealed in an envelope the database cannot open (backend/sealing.py), since
rows written in one transaction share hidden system columns. `close` opens the envelopes, moves the
ballots, shuffled, into the published box (ballot) as a hash chain and deletes the envelopes, so no
column, time or order links a voter to a choice.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

import msgspec

from backend import db, mail, sealing
from backend.auth import Principal
from backend.clock import local_date, now, to_utc
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from governance.meetings import notice, rules
from governance.meetings.board import Board
from governance.meetings.documents import MeetingDocuments
from governance.meetings.guards import SECRETARIES
from governance.meetings.labels import meeting_label
from governance.meetings.rules import GovernanceSettings, MeetingKind
from governance.meetings.schemas import CheckIn, MeetingIn, MotionIn, NoticeIn, SettingsIn, VoteIn
from governance.meetings.tables import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotEnvelope,
    GovernanceSettingsRow,
    Meeting,
    Motion,
    Proxy,
    Vote,
    VoteCast,
    VoteEligibility,
)
from tenants.services import UNIQUE_VIOLATIONS, MemberRegister, TenantInfo, audit_events, next_number, record

CHUNK = 1000  # rows per INSERT: stays under the databases' limits on bound parameters
_system_random = random.SystemRandom()


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


# Who calls and runs meetings, and keeps their minutes.


class Governance:
    """Meetings, attendance, motions and votes of one tenant, as handled by one person (the actor)."""

    def __init__(self, tenant: TenantInfo, actor: Principal | None, files: Path | None = None):
        self.tenant = tenant
        self.actor = actor
        self.files = files  # the files folder (SOLIDAIRE_VAR): the meetings' documents
        self.actor_id = actor.user_id if actor else None
        self.register = MemberRegister(tenant, actor)
        self._sees_board: bool | None = None  # sees_board's answer, asked on every meeting read

    async def _record(self, action: str, object_type: str, object_id, details: dict) -> None:
        await record(self.tenant, self.actor_id, action, object_type, object_id, details)

    # --- settings ------------------------------------------------------------------------------

    async def settings(self) -> GovernanceSettings:
        row = await GovernanceSettingsRow.select().where(GovernanceSettingsRow.tenant_id == self.tenant.id).first()
        if row is None:
            return GovernanceSettings()
        return GovernanceSettings(**{f.name: row[f.name] for f in fields(GovernanceSettings)})

    async def save_settings(self, changes: SettingsIn) -> GovernanceSettings:
        values = msgspec.structs.asdict(changes)
        exists = await GovernanceSettingsRow.exists().where(GovernanceSettingsRow.tenant_id == self.tenant.id)
        if exists:
            await GovernanceSettingsRow.update(values).where(GovernanceSettingsRow.tenant_id == self.tenant.id)
        else:
            await GovernanceSettingsRow.insert(GovernanceSettingsRow(tenant_id=self.tenant.id, id=uuid.uuid4(), **values))
        await self._record("governance.settings_changed", "governance_settings", None, values)
        return await self.settings()

    # --- meetings ------------------------------------------------------------------------------

    def local_date(self, moment: dt.datetime) -> dt.date:
        return local_date(moment, self.tenant.timezone)

    def _utc(self, moment: dt.datetime, field: str) -> dt.datetime:
        return to_utc(moment, self.tenant.timezone, field=field)

    async def schedule(self, meeting: MeetingIn) -> dict:
        if meeting.place is None and meeting.video_url is None:
            raise Invalid(N_("A meeting needs a place, a video link, or both."), errors=[FieldError("place", N_("Enter a place or a video link."))])
        starts_at = self._utc(meeting.starts_at, "starts_at")
        settings = await self.settings()
        if meeting.kind == MeetingKind.ANNUAL_GENERAL and not rules.agm_in_time(self.local_date(starts_at), settings) and not meeting.deadline_reason:
            raise Invalid(
                N_("The annual meeting must be held within %(months)s months of the end of the fiscal year; record the reason to hold it later."),
                errors=[FieldError("deadline_reason", N_("Give the reason for the delay."))], months=settings.agm_months_after_year_end,
            )
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
        await self._record("meeting.scheduled", "meeting", meeting_id, {"kind": meeting.kind, "starts_at": starts_at.isoformat()})
        return await self.get(meeting_id)

    async def sees_board(self) -> bool:
        """Board meetings and all under them are the secretaries' and the current directors' (an
        active member whose term covers today); the system (actor None) sees everything."""
        if self._sees_board is None:
            self._sees_board = self._keeps_meetings() or await self._sits_on_board()
        return self._sees_board

    def _keeps_meetings(self) -> bool:
        return self.actor is None or self.actor.has_any(SECRETARIES)

    async def _sits_on_board(self) -> bool:
        member = await self.register.of_user(self.actor_id)
        return member is not None and member["status"] == "active" and await Board(self).sits(member["id"])

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
        await self._record("meeting.notice_sent", "meeting", meeting_id, {"late": late, "reason": reason, "emailed": emailed})
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
        if allowed[status] != meeting["status"]:
            raise Conflict(N_("The meeting cannot go from %(source)s to %(target)s."), source=meeting_label("status", meeting["status"]), target=meeting_label("status", status))
        if status == "adjourned" and await Vote.exists().where(self._votes_of(meeting_id) & (Vote.status == "open")):
            raise Conflict(N_("Close the open vote before adjourning the meeting."))
        await Meeting.update({Meeting.status: status}).where((Meeting.tenant_id == self.tenant.id) & (Meeting.id == meeting_id))
        await self._record(f"meeting.{status}", "meeting", meeting_id, {})
        return await self.get(meeting_id)

    # --- attendance ----------------------------------------------------------------------------

    async def check_in_self(self, meeting_id: uuid.UUID, present: bool) -> dict:
        await self._meeting(meeting_id)
        member = await self._own_member()
        return await self._attend(meeting_id, member, present, None)

    async def check_in(self, meeting_id: uuid.UUID, check: CheckIn) -> dict:
        await self._meeting(meeting_id)
        member = await self._member_by_number(check.member_number)
        if check.representative_name and not (await self.settings()).representation_allowed:
            raise Invalid(
                N_("The by-laws of this organisation do not allow a member to be represented."),
                errors=[FieldError("representative_name", N_("Leave this blank: representation is not allowed."))],
            )
        return await self._attend(meeting_id, member, check.present, check.representative_name)

    async def _attend(self, meeting_id: uuid.UUID, member: dict, present: bool, representative: str | None) -> dict:
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
        await self._record("meeting.attendance", "meeting", meeting_id, {"member_number": member["number"], "present": present, "representative_name": representative})
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

    async def _own_member(self) -> dict:
        member = await self.register.of_user(self.actor_id) if self.actor_id else None
        if member is None:
            raise Problem(N_("Your login is not linked to an entry in the register of members."), status=403)
        return member

    async def _member_by_number(self, number: int, field: str = "member_number") -> dict:
        for member in await self.register.all_in_order():
            if member["number"] == number:
                return member
        raise Invalid(N_("No member of this organisation has this number."), errors=[FieldError(field, N_("No member has this number."))])

    # --- motions -------------------------------------------------------------------------------

    async def propose(self, meeting_id: uuid.UUID, motion: MotionIn) -> dict:
        meeting = await self._meeting(meeting_id)
        if meeting["status"] == "adjourned":
            raise Conflict(N_("The meeting is adjourned."))
        proposer = await self._member_by_number(motion.proposer_number, "proposer_number")
        seconder = await self._member_by_number(motion.seconder_number, "seconder_number")
        if proposer["id"] == seconder["id"]:
            raise Invalid(N_("A motion is seconded by another member than its proposer."), errors=[FieldError("seconder_number", N_("Choose another member than the proposer."))])
        if motion.amends_id is not None:
            amended = await self._motion(motion.amends_id)
            if amended["meeting_id"] != meeting_id or amended["status"] != "proposed" or amended["amends_id"] is not None:
                raise Invalid(N_("An amendment amends a main motion of this meeting that is still before it."), errors=[FieldError("amends_id", N_("Choose a pending main motion."))])
        motion_id = uuid.uuid4()
        await Motion.insert(Motion(
            tenant_id=self.tenant.id, id=motion_id, meeting_id=meeting_id, amends_id=motion.amends_id, text=motion.text,
            proposer_id=proposer["id"], seconder_id=seconder["id"], majority=motion.majority, status="proposed", created_at=now(),
        ))
        await self._record("motion.proposed", "motion", motion_id, {"meeting_id": meeting_id, "proposer": proposer["number"], "seconder": seconder["number"]})
        return await self._motion(motion_id)

    async def _motion(self, motion_id: uuid.UUID) -> dict:
        row = await Motion.select().where((Motion.tenant_id == self.tenant.id) & (Motion.id == motion_id)).first()
        if row is None:
            raise NotFound(N_("No motion of this organisation has this identifier."))
        return row

    async def motions(self, meeting_id: uuid.UUID) -> list[dict]:
        await self._meeting(meeting_id)
        return await Motion.select().where((Motion.tenant_id == self.tenant.id) & (Motion.meeting_id == meeting_id)).order_by(Motion.created_at)

    async def withdraw(self, motion_id: uuid.UUID) -> dict:
        motion = await self._motion(motion_id)
        if motion["status"] != "proposed" or await Vote.exists().where((Vote.tenant_id == self.tenant.id) & (Vote.motion_id == motion_id) & (Vote.status == "open")):
            raise Conflict(N_("Only a motion still before the meeting, not being voted on, can be withdrawn."))
        await Motion.update({Motion.status: "withdrawn"}).where((Motion.tenant_id == self.tenant.id) & ((Motion.id == motion_id) | ((Motion.amends_id == motion_id) & (Motion.status == "proposed"))))
        await self._record("motion.withdrawn", "motion", motion_id, {})
        return await self._motion(motion_id)

    # --- votes ---------------------------------------------------------------------------------

    def _votes_of(self, meeting_id: uuid.UUID):
        return (Vote.tenant_id == self.tenant.id) & (Vote.meeting_id == meeting_id)

    async def create_vote(self, meeting_id: uuid.UUID, request: VoteIn) -> dict:
        meeting = await self._meeting(meeting_id)
        if meeting["status"] == "adjourned":
            raise Conflict(N_("The meeting is adjourned."))
        question, majority = request.question, request.majority
        if request.motion_id is not None:
            motion = await self._motion(request.motion_id)
            if motion["meeting_id"] != meeting_id or motion["status"] != "proposed":
                raise Invalid(N_("Only a motion of this meeting still before it can be put to the vote."), errors=[FieldError("motion_id", N_("Choose a pending motion."))])
            question, majority = question or motion["text"], motion["majority"]
        if not question:
            raise Invalid(N_("A vote needs a question or a motion."), errors=[FieldError("question", N_("This field is required."))])
        if request.category is not None and request.category not in self.tenant.member_categories:
            raise Invalid(N_("This organisation has no such member category."), errors=[FieldError("category", N_("Choose a category of this organisation."))])
        mode = request.mode or ("secret" if request.secret else "named")  # how it is taken (vote_modes.py)
        vote_id = uuid.uuid4()
        await Vote.insert(Vote(
            tenant_id=self.tenant.id, id=vote_id, meeting_id=meeting_id, motion_id=request.motion_id, question=question,
            secret=mode in ("secret", "hybrid"), majority=majority, category=request.category, status="draft", created_at=now(), mode=mode,
        ))
        await self._record("vote.created", "vote", vote_id, {"meeting_id": meeting_id, "secret": mode in ("secret", "hybrid"), "mode": mode, "majority": majority, "category": request.category})
        return await self.vote(vote_id)

    async def _vote(self, vote_id: uuid.UUID) -> dict:
        row = await Vote.select().where((Vote.tenant_id == self.tenant.id) & (Vote.id == vote_id)).first()
        if row is None or await self.hides(row["meeting_id"]):
            raise NotFound(N_("No vote of this organisation has this identifier."))
        row["counts"] = _json(row["counts"])
        return row

    async def vote(self, vote_id: uuid.UUID) -> dict:
        """The vote as anyone may see it: the counts stay hidden until the close."""
        row = await self._vote(vote_id)
        row["ballots"] = await VoteCast.count().where((VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id))
        row["room_counts"] = _json(row["room_counts"])
        row["scrutineers"] = row["scrutineers"].split("\n") if row["scrutineers"] else []
        row["online_counts"] = row["counts"]  # the published box's (verify_box checks these)
        if row["room_counts"] is not None:  # counted in the room too: the result is the sum
            from governance.meetings import vote_rules

            row["counts"] = vote_rules.combined(row["counts"] or {}, row["room_counts"])
        return row

    async def votes(self, meeting_id: uuid.UUID) -> list[dict]:
        await self._meeting(meeting_id)
        rows = await Vote.select(Vote.id).where(self._votes_of(meeting_id) & (Vote.kind != "election")).order_by(Vote.created_at)  # elections: elections.py
        return [await self.vote(row["id"]) for row in rows]

    async def open_vote(self, vote_id: uuid.UUID) -> dict:
        vote = await self._vote(vote_id)
        if vote["status"] != "draft":
            raise Conflict(N_("This vote was already opened."))
        if vote["kind"] == "consultation":
            raise Conflict(N_("A consultation opens from its own page, once its opening time has come."))
        meeting = await self._meeting(vote["meeting_id"])
        if meeting["status"] != "in_session":
            raise Conflict(N_("A vote opens while the meeting is in session."))
        if await Vote.exists().where(self._votes_of(meeting["id"]) & (Vote.status == "open")):
            raise Conflict(N_("Another vote of this meeting is open; close it first."))
        quorum = await self.quorum(meeting["id"])
        if not quorum["reached"]:
            raise Conflict(N_("The quorum is not reached: %(present)s present, %(needed)s needed."), present=quorum["present"], needed=quorum["needed"])
        if vote["motion_id"] is not None:
            await self._check_motion_votable(vote["motion_id"])
        if vote["kind"] == "election":
            from governance.meetings import elections

            await elections.prepare_ballot(self, vote_id)
        settings = await self.settings()
        present = await self.present_ids(meeting["id"])
        voters = [rules.Voter(m["id"], m["status"], m["category"], m["id"] in present) for m in await self._called(meeting)]  # (a board's: its directors)
        chosen = rules.eligible(voters, presence_required=settings.presence_required, category=vote["category"])
        if not chosen:
            raise Conflict(N_("No member is eligible for this vote."))
        for start in range(0, len(chosen), CHUNK):
            await VoteEligibility.insert(*(
                VoteEligibility(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, member_id=v.member_id, category=v.category)
                for v in chosen[start:start + CHUNK]
            ))
        await Vote.update({Vote.status: "open", Vote.opened_at: now(), Vote.eligible_count: len(chosen)}).where((Vote.tenant_id == self.tenant.id) & (Vote.id == vote_id))
        await self._record("vote.opened", "vote", vote_id, {"eligible": len(chosen), "present": quorum["present"]})
        return await self.vote(vote_id)

    async def _check_motion_votable(self, motion_id: uuid.UUID) -> None:
        motion = await self._motion(motion_id)
        if motion["status"] != "proposed":
            raise Conflict(N_("This motion is no longer before the meeting."))
        if await Motion.exists().where((Motion.tenant_id == self.tenant.id) & (Motion.amends_id == motion_id) & (Motion.status == "proposed")):
            raise Conflict(N_("Vote on the amendments before the main motion."))

    async def cast(self, vote_id: uuid.UUID, choice: str) -> dict:
        """Records that the actor's member has voted, and their ballot apart from it; returns the
        receipt code, which only the voter gets (its hash is in the published box)."""
        status = await self._status_for_cast(vote_id)
        member = await self._own_member()
        await self._not_represented_by_proxy(vote_id, member)
        return await self.record_ballot(vote_id, member, choice, status)

    async def _not_represented_by_proxy(self, vote_id: uuid.UUID, member: dict) -> None:
        """A member represented by proxy at the meeting votes through the holder (proxies.py),
        unless checked in themselves."""
        represented = await Proxy.raw(
            "SELECT p.meeting_id FROM meeting_proxy p JOIN vote v ON v.tenant_id = p.tenant_id AND v.meeting_id = p.meeting_id "
            "WHERE p.tenant_id = {} AND v.id = {} AND p.member_id = {}",
            self.tenant.id, vote_id, member["id"],
        )
        if represented and member["id"] not in await self.present_ids(represented[0]["meeting_id"], in_person=True):
            raise Conflict(N_("You are represented by proxy at this meeting: your proxy holder casts your ballot, unless you check in."))

    async def record_ballot(self, vote_id: uuid.UUID, member: dict, choice: str, status: str | None = None, *, election: bool = False) -> dict:
        """The ballot of this member (the voter in person, or the demo's members); an election's
        ballot (candidates' numbers) comes through elections.py, which checks it."""
        status = status or await self._status_for_cast(vote_id)
        if status != "open":
            raise Conflict(N_("This vote is closed: the ballot was not counted.") if status == "closed" else N_("This vote is not open yet."))
        vote = await self._vote(vote_id)
        if vote["mode"] == "hands":
            raise Conflict(N_("This vote is taken by a show of hands (or on paper): the scrutineers count it in the room."))
        if (vote["kind"] == "election") != election:
            raise Invalid(N_("This ballot does not fit this vote: an election's ballot marks candidates, another vote's is for, against or abstain."),
                          errors=[FieldError("choice", N_("Use the ballot of this vote."))])
        if vote["kind"] == "consultation":
            from governance.meetings import consultations

            await consultations.check_still_open(self, vote_id)
        if not await VoteEligibility.exists().where((VoteEligibility.tenant_id == self.tenant.id) & (VoteEligibility.vote_id == vote_id) & (VoteEligibility.member_id == member["id"])):
            raise Problem(self._ineligible_reason(vote), status=403)
        try:
            await VoteCast.insert(VoteCast(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, member_id=member["id"], named_choice=None if vote["secret"] else choice))
        except UNIQUE_VIOLATIONS as error:
            raise Conflict(N_("You have already voted: one member, one vote.")) from error
        code = new_receipt_code()
        receipt = rules.receipt_hash(vote_id, code)
        await BallotEnvelope.insert(BallotEnvelope(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, envelope=seal_ballot(vote_id, choice, receipt)))
        return {"vote_id": vote_id, "receipt_code": code, "receipt_hash": receipt}

    async def _status_for_cast(self, vote_id: uuid.UUID) -> str:
        """The vote's status, holding (PostgreSQL) a share lock on its row, so that the close,
        which takes the row for update, waits for ballots being cast and refuses later ones."""
        lock = " FOR SHARE" if db.is_postgres(Vote._meta.db) else ""
        rows = await Vote.raw("SELECT status, meeting_id FROM vote WHERE tenant_id = {} AND id = {}" + lock, self.tenant.id, vote_id)
        if not rows or await self.hides(rows[0]["meeting_id"]):
            raise NotFound(N_("No vote of this organisation has this identifier."))
        return rows[0]["status"]

    def _ineligible_reason(self, vote: dict) -> str:
        if vote["category"]:
            return N_("You may not vote: this vote is for members of another category, active and present when it opened.")
        return N_("You may not vote: only members active (and present, where the meeting requires it) when the vote opened may vote.")

    async def close_vote(self, vote_id: uuid.UUID, rng: random.Random = _system_random, *, consultation: bool = False) -> dict:
        vote = await self._vote(vote_id)
        if (vote["kind"] == "consultation") != consultation:
            raise Conflict(N_("A consultation closes from its own page, once its closing time has come."))
        closed = await Vote.raw(
            "UPDATE vote SET status = 'closed', closed_at = {} WHERE tenant_id = {} AND id = {} AND status = 'open' RETURNING id",
            now(), self.tenant.id, vote_id,
        )
        if not closed:
            raise Conflict(N_("Only an open vote can be closed."))
        mine = (BallotEnvelope.tenant_id == self.tenant.id) & (BallotEnvelope.vote_id == vote_id)
        try:
            sealed = [open_ballot(vote_id, row["envelope"]) for row in await BallotEnvelope.select(BallotEnvelope.envelope).where(mine)]
        except sealing.Unopenable as error:  # the vote stays open, its envelopes untouched
            raise Conflict(N_("The ballots cannot be opened: they were sealed with another SECRET_KEY, or changed. Restore the key the service had when the vote opened, then close the vote.")) from error
        voters = await VoteCast.count().where((VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id))
        if voters != len(sealed):
            raise AssertionError(f"vote {vote_id}: {voters} voters but {len(sealed)} ballots")  # a bug, never a refusal
        published = rules.seal(vote_id, sealed, rng)
        for start in range(0, len(published), CHUNK):
            await Ballot.insert(*(
                Ballot(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, position=b.position, choice=b.choice, receipt_hash=b.receipt_hash, chain_hash=b.chain_hash)
                for b in published[start:start + CHUNK]
            ))
        await BallotEnvelope.delete().where(mine)
        settings = await self.settings()
        if vote["kind"] == "election":
            from governance.meetings import elections

            result = await elections.decide(self, vote_id, published)
        else:
            result = rules.tally((b.choice for b in published), vote["majority"], abstentions_count=settings.abstentions_count)
        if vote["mode"] in ("hands", "hybrid"):  # decided once the scrutineers' count is in (vote_modes.py)
            result = rules.Tally(result.counts, None, None)
        head = rules.chain_head(vote_id, published)
        await Vote.update({Vote.counts: result.counts, Vote.votes_cast: result.votes_cast, Vote.adopted: result.adopted, Vote.chain_head: head}).where(
            (Vote.tenant_id == self.tenant.id) & (Vote.id == vote_id)
        )
        if vote["motion_id"] is not None and result.adopted is not None:
            await self._decide_motion(vote["motion_id"], result.adopted)
        await self._record("vote.closed", "vote", vote_id, {"counts": result.counts, "votes_cast": result.votes_cast, "adopted": result.adopted, "chain_head": head})
        return await self.vote(vote_id)

    async def _decide_motion(self, motion_id: uuid.UUID, adopted: bool) -> None:
        motion = await self._motion(motion_id)
        number = None
        if adopted and motion["amends_id"] is None:
            meeting = await self._meeting(motion["meeting_id"])
            kind, year = MeetingKind(meeting["kind"]), self.local_date(meeting["starts_at"]).year
            number = rules.resolution_number(kind, year, await next_number(self.tenant, f"resolution-{rules.RESOLUTION_PREFIX[kind]}-{year}"))
        await Motion.update({Motion.status: "adopted" if adopted else "rejected", Motion.resolution_number: number}).where(
            (Motion.tenant_id == self.tenant.id) & (Motion.id == motion_id)
        )
        await self._record("motion.decided", "motion", motion_id, {"adopted": adopted, "resolution_number": number})

    async def certify(self, vote_id: uuid.UUID, scrutineers: Sequence[str] = ()) -> dict:
        """The secretary certifies the result, with the scrutineers named (they sign the report)."""
        vote = await self._vote(vote_id)
        if vote["status"] != "closed":
            raise Conflict(N_("A vote is certified once it is closed."))
        if vote["mode"] in ("hands", "hybrid") and vote["room_counted_at"] is None:
            raise Conflict(N_("Enter the scrutineers' count before certifying the result."))
        moment = now()
        certified = await Vote.raw(
            "UPDATE vote SET certified_by = {}, certified_at = {}, scrutineers = {} WHERE tenant_id = {} AND id = {} AND certified_at IS NULL RETURNING id",
            self.actor_id, moment, "\n".join(scrutineers) or None, self.tenant.id, vote_id,
        )
        if not certified:
            raise Conflict(N_("This vote is already certified."))
        await self._record("vote.certified", "vote", vote_id, {"chain_head": vote["chain_head"], "scrutineers": list(scrutineers)})
        return await self.vote(vote_id)

    async def ballot_box(self, vote_id: uuid.UUID) -> dict:
        vote = await self._vote(vote_id)
        if vote["status"] != "closed":
            raise Conflict(N_("The ballot box is published when the vote closes."))
        ballots = await Ballot.select(Ballot.position, Ballot.choice, Ballot.receipt_hash, Ballot.chain_hash).where(
            (Ballot.tenant_id == self.tenant.id) & (Ballot.vote_id == vote_id)
        ).order_by(Ballot.position)
        box = {"vote_id": vote_id, "chain_start": rules.chain_start(vote_id), "chain_head": vote["chain_head"], "counts": vote["counts"], "ballots": ballots}
        if vote["kind"] == "election":
            from governance.meetings import elections

            box["election"] = await elections.box_part(self, vote_id)
        return box

    async def turnout_by_category(self, vote_id: uuid.UUID) -> dict[str, tuple[int, int]]:
        """category -> (voted, eligible); who voted is public, how they voted is not."""
        await self._vote(vote_id)
        rows = await VoteEligibility.raw(
            "SELECT e.category AS category, COUNT(*) AS eligible, COUNT(c.id) AS voted FROM vote_eligibility e "
            "LEFT JOIN vote_cast c ON c.tenant_id = e.tenant_id AND c.vote_id = e.vote_id AND c.member_id = e.member_id "
            "WHERE e.tenant_id = {} AND e.vote_id = {} GROUP BY e.category ORDER BY e.category",
            self.tenant.id, vote_id,
        )
        return {row["category"]: (row["voted"], row["eligible"]) for row in rows}

    async def has_voted(self, vote_id: uuid.UUID) -> bool:
        member = await self.register.of_user(self.actor_id) if self.actor_id else None
        return member is not None and await VoteCast.exists().where(
            (VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id) & (VoteCast.member_id == member["id"])
        )

    async def verify(self, vote_id: uuid.UUID) -> list[str]:
        """Recomputes the published box's chain and tally against the head and counts recorded at
        the close, in the vote and in the append-only audit log."""
        box = await self.ballot_box(vote_id)
        published = [rules.PublishedBallot(**b) for b in box["ballots"]]
        faults = rules.verify_box(vote_id, published, box["chain_head"], box["counts"])
        logged = await _closing_record(self.tenant, vote_id)
        if logged is None or logged.get("chain_head") != box["chain_head"] or logged.get("counts") != box["counts"]:
            faults.append("the vote's head or counts differ from those written in the audit log at the close")
        if "election" in box:
            from governance.meetings import elections

            faults += await elections.verify(self, vote_id, published)
        return faults


async def _closing_record(tenant: TenantInfo, vote_id: uuid.UUID) -> dict | None:
    events = [e for e in await audit_events(tenant, vote_id, limit=1000) if e["action"] == "vote.closed"]
    return events[0]["details"] if events else None


ENVELOPE_BYTES = 512  # every envelope holds this many bytes, whatever the choice: its length tells nothing


def seal_ballot(vote_id: uuid.UUID, choice: str, receipt_hash: str) -> str:
    content = json.dumps([choice, receipt_hash]).encode()
    if len(content) > ENVELOPE_BYTES:  # (the ballot schemas keep choices far shorter)
        raise Invalid(N_("This ballot is too long."), errors=[FieldError("choice", N_("This ballot is too long."))])
    return sealing.seal(f"ballot:{vote_id}", content.ljust(ENVELOPE_BYTES))


def open_ballot(vote_id: uuid.UUID, envelope: str) -> tuple[str, str]:
    """(choice, receipt hash) of an envelope sealed for this vote."""
    choice, receipt_hash = json.loads(sealing.unseal(f"ballot:{vote_id}", envelope))
    return choice, receipt_hash


def new_receipt_code() -> str:
    """80 random bits, as 16 characters in four groups (letters and the digits 2 to 7)."""
    text = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def settings_out(settings: GovernanceSettings) -> dict:
    return asdict(settings)
