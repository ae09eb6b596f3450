"""JSON API of meetings and votes: /api/t/{slug}/meetings, /motions, /votes, /governance."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from backend.auth import requires, signed_in
from backend.bodies import applied
from backend.context import provider
from backend.i18n import current_language
from backend.tenancy import BURST
from governance.meetings import notice
from governance.meetings.guards import SECRETARIES
from governance.meetings.kinds import votes_for
from governance.meetings.minutes import MinutesBook
from governance.meetings.motion_votes import prepare
from governance.meetings.schemas import (
    ApprovalIn,
    AttendanceOut,
    BallotBoxOut,
    BallotIn,
    CancellationIn,
    CertificationIn,
    CheckIn,
    MeetingChangeIn,
    MeetingIn,
    MeetingOut,
    MinutesIn,
    MinutesOut,
    MotionIn,
    MotionOut,
    NoticeIn,
    NoticeReportOut,
    QuorumOut,
    ReceiptOut,
    SettingsChanges,
    SettingsIn,
    SettingsOut,
    VoteIn,
    VoteOut,
)
from governance.meetings.services import Meetings, settings_out
from governance.meetings.votes import Votes

keeps_meetings = requires(*SECRETARIES)


DEPENDENCIES = {"meetings": provider(Meetings), "votes": provider(votes_for, source="meetings"), "minutes": provider(MinutesBook, source="votes")}
MeetingsDep = NamedDependency[Meetings]
VotesDep = NamedDependency[Votes]
MinutesDep = NamedDependency[MinutesBook]
MinutesId = FromPath[UUID]
MeetingId = FromPath[UUID]
VoteId = FromPath[UUID]
MotionId = FromPath[UUID]


class Presence(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    present: bool = True


class Empty(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


def meeting_out(row: dict) -> MeetingOut:
    return msgspec.convert(row, MeetingOut, from_attributes=True)


def vote_out(row: dict) -> VoteOut:
    hidden = row["status"] != "closed"
    return msgspec.convert({**row, "counts": None if hidden else row["counts"], "votes_cast": None if hidden else row["votes_cast"], "adopted": None if hidden else row["adopted"],
                            "online_counts": None if hidden else row.get("online_counts")}, VoteOut, from_attributes=True)


def pdf_response(document: bytes, filename: str) -> Response:
    return Response(document, media_type="application/pdf", headers={"content-disposition": f'inline; filename="{filename}"'})


async def notice_pdf_response(meetings: Meetings, meeting_id: UUID) -> Response:
    meeting = await meetings.get(meeting_id)
    return pdf_response(await notice.notice_pdf(meetings.tenant, meeting, current_language()), notice.pdf_filename(meeting))


class SettingsController(Controller):
    path = "/api/t/{slug:str}/governance/settings"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/", guards=[signed_in], summary="The governance settings (by-law numbers)")
    async def read(self, meetings: MeetingsDep) -> SettingsOut:
        return msgspec.convert(settings_out(await meetings.settings()), SettingsOut)

    @put("/", guards=[keeps_meetings], summary="Change the governance settings (the fields given; the others keep their values)")
    async def change(self, meetings: MeetingsDep, data: JSONBody[SettingsChanges]) -> SettingsOut:
        changed = applied(settings_out(await meetings.settings()), data, SettingsIn)
        return msgspec.convert(settings_out(await meetings.save_settings(changed)), SettingsOut)


class MeetingController(Controller):
    path = "/api/t/{slug:str}/meetings"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @get("/", guards=[signed_in], summary="Meetings, latest first")
    async def list_meetings(self, meetings: MeetingsDep) -> list[MeetingOut]:
        return [meeting_out({**row, "agenda": []}) for row in await meetings.meetings()]

    @post("/", guards=[keeps_meetings], summary="Call a meeting (deadlines checked)")
    async def schedule(self, meetings: MeetingsDep, data: JSONBody[MeetingIn]) -> MeetingOut:
        return meeting_out(await meetings.schedule(data))

    @get("/{meeting_id:uuid}", guards=[signed_in], summary="A meeting with its agenda")
    async def get_meeting(self, meetings: MeetingsDep, meeting_id: MeetingId) -> MeetingOut:
        return meeting_out(await meetings.get(meeting_id))

    @put("/{meeting_id:uuid}", guards=[keeps_meetings], summary="Change a meeting still to be held (a later time postpones it); those called are told")
    async def change(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[MeetingChangeIn]) -> MeetingOut:
        return meeting_out(await meetings.change(meeting_id, data))

    @post("/{meeting_id:uuid}/cancel", guards=[keeps_meetings], status_code=200, summary="Cancel a meeting still to be held; those called are told why")
    async def cancel(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[CancellationIn]) -> MeetingOut:
        return meeting_out(await meetings.cancel(meeting_id, data))

    @post("/{meeting_id:uuid}/notice", guards=[keeps_meetings], status_code=200, summary="Record the notice as sent (a late notice needs a reason)")
    async def notice(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[NoticeIn]) -> MeetingOut:
        return meeting_out(await meetings.record_notice(meeting_id, data))

    @get("/{meeting_id:uuid}/notice", guards=[keeps_meetings], summary="The notice's delivery log and the members to reach by post")
    async def notice_report(self, meetings: MeetingsDep, meeting_id: MeetingId) -> NoticeReportOut:
        return msgspec.convert(await meetings.notice_report(meeting_id), NoticeReportOut, from_attributes=True)

    @get("/{meeting_id:uuid}/notice.pdf", guards=[signed_in], summary="The notice as a PDF, in the reader's language")
    async def notice_pdf(self, meetings: MeetingsDep, meeting_id: MeetingId) -> Response:
        return await notice_pdf_response(meetings, meeting_id)

    @post("/{meeting_id:uuid}/start", guards=[keeps_meetings], status_code=200, summary="Open the meeting (attendance and votes)")
    async def start(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[Empty]) -> MeetingOut:
        return meeting_out(await meetings.set_session(meeting_id, "in_session"))

    @post("/{meeting_id:uuid}/adjourn", guards=[keeps_meetings], status_code=200, summary="Adjourn the meeting")
    async def adjourn(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[Empty]) -> MeetingOut:
        return meeting_out(await meetings.set_session(meeting_id, "adjourned"))

    @post("/{meeting_id:uuid}/presence", guards=[signed_in], status_code=200, summary="Check myself in (or out)")
    async def presence(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[Presence]) -> AttendanceOut:
        return msgspec.convert(await meetings.check_in_self(meeting_id, data.present), AttendanceOut)

    @post("/{meeting_id:uuid}/attendance", guards=[keeps_meetings], status_code=200, summary="Check a member in or out by number")
    async def check_in(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[CheckIn]) -> AttendanceOut:
        return msgspec.convert(await meetings.check_in(meeting_id, data), AttendanceOut)

    @get("/{meeting_id:uuid}/attendance", guards=[keeps_meetings], summary="Who is (or was) present")
    async def attendance(self, meetings: MeetingsDep, meeting_id: MeetingId) -> list[AttendanceOut]:
        return [msgspec.convert(row, AttendanceOut) for row in await meetings.attendance(meeting_id)]

    @get("/{meeting_id:uuid}/quorum", guards=[signed_in], summary="The live quorum")
    async def quorum(self, meetings: MeetingsDep, meeting_id: MeetingId) -> QuorumOut:
        return msgspec.convert(await meetings.quorum(meeting_id), QuorumOut)

    @get("/{meeting_id:uuid}/motions", guards=[signed_in], summary="Motions and amendments")
    async def motions(self, meetings: MeetingsDep, meeting_id: MeetingId) -> list[MotionOut]:
        return [msgspec.convert(row, MotionOut, from_attributes=True) for row in await meetings.motions(meeting_id)]

    @post("/{meeting_id:uuid}/motions", guards=[keeps_meetings], summary="Record a motion (or an amendment), moved and seconded")
    async def propose(self, meetings: MeetingsDep, meeting_id: MeetingId, data: JSONBody[MotionIn]) -> MotionOut:
        return msgspec.convert(await meetings.propose(meeting_id, data), MotionOut, from_attributes=True)

    @get("/{meeting_id:uuid}/votes", guards=[signed_in], summary="Votes of the meeting")
    async def list_votes(self, votes: VotesDep, meeting_id: MeetingId) -> list[VoteOut]:
        return [vote_out(row) for row in await votes.of_meeting(meeting_id)]

    @post("/{meeting_id:uuid}/votes", guards=[keeps_meetings], summary="Prepare a vote (on a motion or a question)")
    async def create_vote(self, votes: VotesDep, meeting_id: MeetingId, data: JSONBody[VoteIn]) -> VoteOut:
        return vote_out(await prepare(votes, meeting_id, data))


def minutes_out(row: dict) -> MinutesOut:
    return msgspec.convert(row, MinutesOut, from_attributes=True)


class MinutesController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["minutes"]
    dependencies = DEPENDENCIES

    @get("/meetings/{meeting_id:uuid}/minutes", guards=[signed_in], summary="The versions of a meeting's minutes, latest first")
    async def versions(self, minutes: MinutesDep, meeting_id: MeetingId) -> list[MinutesOut]:
        return [minutes_out(row) for row in await minutes.versions(meeting_id)]

    @post("/meetings/{meeting_id:uuid}/minutes", guards=[keeps_meetings], summary="Draft the minutes from the record, or start a new version of approved minutes")
    async def start(self, minutes: MinutesDep, meeting_id: MeetingId, data: JSONBody[Empty]) -> MinutesOut:
        return minutes_out(await minutes.start(meeting_id))

    @get("/minutes/{minutes_id:uuid}", guards=[signed_in], summary="One version of minutes")
    async def get_minutes(self, minutes: MinutesDep, minutes_id: MinutesId) -> MinutesOut:
        return minutes_out(await minutes.get(minutes_id))

    @put("/minutes/{minutes_id:uuid}", guards=[keeps_meetings], summary="Edit draft minutes (approved minutes are frozen: 409)")
    async def edit(self, minutes: MinutesDep, minutes_id: MinutesId, data: JSONBody[MinutesIn]) -> MinutesOut:
        return minutes_out(await minutes.edit(minutes_id, data.body))

    @post("/minutes/{minutes_id:uuid}/approve", guards=[keeps_meetings], status_code=200, summary="Approve the minutes (then frozen), recording the approving body")
    async def approve(self, minutes: MinutesDep, minutes_id: MinutesId, data: JSONBody[ApprovalIn]) -> MinutesOut:
        return minutes_out(await minutes.approve(minutes_id, data))

    @post("/minutes/{minutes_id:uuid}/publish", guards=[keeps_meetings], status_code=200, summary="Publish approved minutes to the members")
    async def publish(self, minutes: MinutesDep, minutes_id: MinutesId, data: JSONBody[Empty]) -> MinutesOut:
        return minutes_out(await minutes.publish(minutes_id))

    @get("/minutes/{minutes_id:uuid}/pdf", guards=[signed_in], summary="The minutes as PDF, in the organisation's language")
    async def minutes_pdf(self, minutes: MinutesDep, minutes_id: MinutesId) -> Response:
        return pdf_response(await minutes.pdf(minutes_id), f"minutes-{minutes_id}.pdf")


class MotionController(Controller):
    path = "/api/t/{slug:str}/motions"
    tags = ["meetings"]
    dependencies = DEPENDENCIES

    @post("/{motion_id:uuid}/withdraw", guards=[keeps_meetings], status_code=200, summary="Withdraw a motion")
    async def withdraw(self, meetings: MeetingsDep, motion_id: MotionId, data: JSONBody[Empty]) -> MotionOut:
        return msgspec.convert(await meetings.withdraw(motion_id), MotionOut, from_attributes=True)


class VoteController(Controller):
    path = "/api/t/{slug:str}/votes"
    tags = ["votes"]
    dependencies = DEPENDENCIES

    @get("/{vote_id:uuid}", guards=[signed_in], summary="A vote (counts hidden until the close)")
    async def get_vote(self, votes: VotesDep, vote_id: VoteId) -> VoteOut:
        return vote_out(await votes.get(vote_id))

    @post("/{vote_id:uuid}/open", guards=[keeps_meetings], status_code=200, summary="Open the vote (needs the quorum; freezes who may vote)")
    async def open_vote(self, votes: VotesDep, vote_id: VoteId, data: JSONBody[Empty]) -> VoteOut:
        return vote_out(await votes.open(vote_id))

    @post("/{vote_id:uuid}/ballot", guards=[signed_in], opt=BURST, summary="Cast my ballot; returns my receipt code")
    async def cast(self, votes: VotesDep, vote_id: VoteId, data: JSONBody[BallotIn]) -> ReceiptOut:
        return msgspec.convert(await votes.cast(vote_id, data.choice), ReceiptOut)

    @post("/{vote_id:uuid}/close", guards=[keeps_meetings], status_code=200, summary="Close the vote: shuffle, chain and count")
    async def close(self, votes: VotesDep, vote_id: VoteId, data: JSONBody[Empty]) -> VoteOut:
        return vote_out(await votes.close(vote_id))

    @post("/{vote_id:uuid}/certify", guards=[keeps_meetings], status_code=200, summary="Certify the result (once), with the scrutineers who sign it")
    async def certify(self, votes: VotesDep, vote_id: VoteId, data: JSONBody[CertificationIn]) -> VoteOut:
        return vote_out(await votes.certify(vote_id, data.scrutineers))

    @get("/{vote_id:uuid}/ballot-box", guards=[signed_in], summary="The published ballot box: hash chain and receipts")
    async def ballot_box(self, votes: VotesDep, vote_id: VoteId) -> BallotBoxOut:
        return msgspec.convert(await votes.ballot_box(vote_id), BallotBoxOut)


ROUTES = [SettingsController, MeetingController, MinutesController, MotionController, VoteController]
