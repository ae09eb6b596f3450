"""Minutes (procès-verbal) of a meeting: drafted from the meeting's record in the organisation's
language, edited by the secretary, approved and then frozen; a change to approved minutes is a new
version. The draft is plain text (paragraphs separated by a blank line) so the secretary edits it
in a text area and the PDF sets it as written."""

from __future__ import annotations

import uuid

from backend import i18n, pdf, web
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from governance.meetings import elections, notice, rules
from governance.meetings.elections import Elections
from governance.meetings.guards import SECRETARIES
from governance.meetings.labels import meeting_label, meeting_time, turnout_parts
from governance.meetings.proxies import Proxies
from governance.meetings.schemas import ApprovalIn
from governance.meetings.tables import Minutes
from governance.meetings.votes import Votes
from tenants.services import UNIQUE_VIOLATIONS, record


class MinutesBook:
    """The minutes of one organisation's meetings, kept by the secretary."""

    def __init__(self, votes: Votes):
        self.votes = votes
        self.meetings = votes.meetings
        self.tenant = votes.tenant

    def _mine(self):
        """This organisation's minutes; members read only approved minutes once published (a draft,
        and approved minutes not yet published, are the secretary's)."""
        actor = self.meetings.actor
        if actor is None or actor.has_any(SECRETARIES):
            return Minutes.tenant_id == self.tenant.id
        return (Minutes.tenant_id == self.tenant.id) & (Minutes.status == "approved") & Minutes.published_at.is_not_null()

    async def versions(self, meeting_id: uuid.UUID) -> list[dict]:
        await self.meetings.get(meeting_id)
        return await Minutes.select().where(self._mine() & (Minutes.meeting_id == meeting_id)).order_by(Minutes.version, ascending=False)

    async def get(self, minutes_id: uuid.UUID) -> dict:
        row = await Minutes.select().where(self._mine() & (Minutes.id == minutes_id)).first()
        if row is None or await self.meetings.hides(row["meeting_id"]):
            raise NotFound(N_("No minutes of this organisation have this identifier."))
        return row

    async def start(self, meeting_id: uuid.UUID) -> dict:
        """The next version: the first drafted from the record of the meeting (once it is
        adjourned), a later one copied from the approved version it will replace."""
        meeting = await self.meetings.get(meeting_id)
        if meeting["status"] != "adjourned":
            raise Conflict(N_("The minutes are drafted once the meeting is adjourned."))
        versions = await self.versions(meeting_id)
        if versions and versions[0]["status"] == "draft":
            raise Conflict(N_("A draft of these minutes exists already; edit it."))
        body = versions[0]["body"] if versions else await self.draft_text(meeting)
        minutes_id, moment = uuid.uuid4(), now()
        try:
            await Minutes.insert(Minutes(
                tenant_id=self.tenant.id, id=minutes_id, meeting_id=meeting_id, version=len(versions) + 1, body=body,
                status="draft", created_at=moment, updated_at=moment,
            ))
        except UNIQUE_VIOLATIONS as error:  # two secretaries starting the same version at once
            raise Conflict(N_("A draft of these minutes exists already; edit it.")) from error
        await record(self.tenant, self.meetings.actor_id, "minutes.drafted", "minutes", minutes_id, {"meeting_id": meeting_id, "version": len(versions) + 1})
        return await self.get(minutes_id)

    async def edit(self, minutes_id: uuid.UUID, body: str) -> dict:
        await self._draft(minutes_id)
        await Minutes.update({Minutes.body: body, Minutes.updated_at: now()}).where(self._mine() & (Minutes.id == minutes_id))
        await record(self.tenant, self.meetings.actor_id, "minutes.edited", "minutes", minutes_id, {})
        return await self.get(minutes_id)

    async def approve(self, minutes_id: uuid.UUID, approval: ApprovalIn) -> dict:
        """Approved by the next general meeting or by the board (and, if given, at which meeting)."""
        draft = await self._draft(minutes_id)
        if approval.approval_meeting_id is not None:
            await self._check_approving_meeting(draft["meeting_id"], approval)
        await Minutes.update({
            Minutes.status: "approved", Minutes.approved_at: now(), Minutes.approved_by: self.meetings.actor_id,
            Minutes.approved_body: approval.approved_body, Minutes.approval_meeting_id: approval.approval_meeting_id,
        }).where(self._mine() & (Minutes.id == minutes_id))
        await record(self.tenant, self.meetings.actor_id, "minutes.approved", "minutes", minutes_id, {"approved_body": approval.approved_body, "approval_meeting_id": approval.approval_meeting_id})
        return await self.get(minutes_id)

    async def _check_approving_meeting(self, minuted_id: uuid.UUID, approval: ApprovalIn) -> None:
        refused = Invalid(N_("The minutes are approved by a later general meeting, or by the board at one of its meetings."), errors=[FieldError("approval_meeting_id", N_("Choose the meeting that approved the minutes."))])
        try:
            approving = await self.meetings.get(approval.approval_meeting_id)
        except NotFound as missing:
            raise refused from missing
        minuted = await self.meetings.get(minuted_id)
        board = approving["kind"] == "board"
        if approving["id"] == minuted_id or approving["starts_at"] < minuted["starts_at"] or board != (approval.approved_body == "board"):
            raise refused

    async def publish(self, minutes_id: uuid.UUID) -> dict:
        """Approved minutes made available to the members (once). Those of a general meeting are
        announced by e-mail, in the same transaction, to each active member with an address who
        consents to be contacted, with the link to the meeting's page; how many is kept with the
        minutes (members_told; None for a board meeting's, not announced)."""
        minutes = await self.get(minutes_id)
        if minutes["status"] != "approved":
            raise Conflict(N_("Minutes are published once approved."))
        meeting = await self.meetings.get(minutes["meeting_id"])
        general = meeting["kind"] != rules.MeetingKind.BOARD
        members = await self.meetings.register.all_in_order() if general else []
        told = len(notice.minutes_recipients(members)) if general else None
        published = await Minutes.raw(
            "UPDATE meeting_minutes SET published_at = {}, published_by = {}, members_told = {} "
            "WHERE tenant_id = {} AND id = {} AND status = 'approved' AND published_at IS NULL RETURNING id",
            now(), self.meetings.actor_id, told, self.tenant.id, minutes_id,
        )
        if not published:  # (published once: the members are told once)
            raise Conflict(N_("These minutes are already published."))
        if general:
            settings = self.meetings.context.settings
            link = f"{settings.base_url if settings else ''}/t/{self.tenant.slug}/meetings/{meeting['id']}#minutes"
            await notice.send_minutes(self.tenant, meeting, minutes, members, link)
        await record(self.tenant, self.meetings.actor_id, "minutes.published", "minutes", minutes_id, {"members_told": told})
        return await self.get(minutes_id)

    async def published_of(self, meeting_id: uuid.UUID) -> list[dict]:
        """The published versions of a meeting's minutes, latest first (the member's meeting page)."""
        await self.meetings.get(meeting_id)
        return await Minutes.select(Minutes.id, Minutes.version, Minutes.published_at).where(
            (Minutes.tenant_id == self.tenant.id) & (Minutes.meeting_id == meeting_id) & (Minutes.status == "approved") & Minutes.published_at.is_not_null()
        ).order_by(Minutes.version, ascending=False)

    async def _draft(self, minutes_id: uuid.UUID) -> dict:
        row = await self.get(minutes_id)
        if row["status"] != "draft":
            raise Conflict(N_("Approved minutes are frozen; start a new version to change them."))
        return row

    async def pdf(self, minutes_id: uuid.UUID) -> bytes:
        minutes = await self.get(minutes_id)
        meeting = await self.meetings.get(minutes["meeting_id"])
        charts = await vote_charts(self.votes, meeting["id"])  # the SVG bar chart of each vote held
        with i18n.using(self.tenant.locale):
            html = web.render("meetings/minutes_pdf.html", tenant=self.tenant, meeting=meeting, minutes=minutes, paragraphs=paragraphs(minutes["body"]), charts=charts)
        return await pdf.html_to_pdf(html)

    async def draft_text(self, meeting: dict) -> str:
        """The first draft, in the organisation's language, from what the meeting recorded."""
        meetings, votes = self.meetings, self.votes
        record = {
            "quorum": await meetings.quorum(meeting["id"]), "attendance": await meetings.attendance(meeting["id"]),
            "motions": await meetings.motions(meeting["id"]), "votes": await votes.of_meeting(meeting["id"]),
            "members": {m["id"]: m for m in await meetings.register.all_in_order()},
            "elections": await Elections(votes).of_meeting(meeting["id"]),
            "proxies": await Proxies(votes).of_meeting(meeting["id"]),
        }
        closed = [v["id"] for v in record["votes"] if v["status"] == "closed"] + [e["vote_id"] for e in record["elections"] if e["status"] == "closed"]
        record["turnout"] = {vote_id: await votes.turnout_by_category(vote_id) for vote_id in closed}
        with i18n.using(self.tenant.locale):
            return "\n\n".join(self._sections(meeting, record))

    def _sections(self, meeting: dict, record: dict) -> list[str]:
        tenant = self.tenant
        when = meeting_time(meeting["starts_at"], tenant.timezone)
        where = " · ".join(p for p in (meeting["place"], meeting["video_url"]) if p)
        sections = [
            meeting["title"] + "\n" + gettext(N_("Minutes of the %(kind)s of %(organisation)s held on %(when)s (%(where)s)."),
                    kind=meeting_label("kind", meeting["kind"]).lower(), organisation=tenant.name, when=when, where=where),
        ]
        if meeting["notice_sent_at"]:
            sections.append(gettext(N_("The notice of the meeting was sent on %(date)s."), date=i18n.format_datetime(meeting["notice_sent_at"], tenant.timezone)))
        if meeting["late_notice_reason"]:
            sections.append(gettext(N_("The notice was sent late, for this reason: %(reason)s"), reason=meeting["late_notice_reason"]))
        if meeting["deadline_reason"]:
            sections.append(gettext(N_("The meeting was held after the legal deadline, for this reason: %(reason)s"), reason=meeting["deadline_reason"]))
        sections.append(_attendance(record))
        if meeting["agenda"]:
            sections.append("\n".join([gettext(N_("Agenda:"))] + [f"{item['position']}. {item['title']}" for item in meeting["agenda"]]))
        sections += [_motion(motion, record, [v for v in record["votes"] if v["motion_id"] == motion["id"]]) for motion in record["motions"]]
        sections += [_vote(v, record["turnout"].get(v["id"])) for v in record["votes"] if v["motion_id"] is None]  # questions put without a motion
        sections += [elections.minutes_text(e, record["turnout"].get(e["vote_id"])) for e in record["elections"]]  # the elected, ties and their seed
        return sections


def _name(member: dict) -> str:
    return gettext(N_("%(name)s (member no. %(number)s)"), name=f"{member['first_name']} {member['last_name']}", number=member["number"])


def _attendance(record: dict) -> str:
    quorum, present = record["quorum"], [a for a in record["attendance"] if a["present"]]
    lines = [
        gettext(N_("Attendance: %(present)s members present of %(entitled)s entitled to vote; quorum: %(needed)s. %(reached)s"),
                present=quorum["present"], entitled=quorum["entitled"], needed=quorum["needed"],
                reached=gettext(N_("The quorum was reached.")) if quorum["reached"] else gettext(N_("The quorum was not reached."))),
    ]
    for row in present:
        representative = gettext(N_(", represented by %(name)s"), name=row["representative_name"]) if row["representative_name"] else ""
        lines.append(f"- {row['name']} ({row['member_number']}){representative}")
    for proxy in record.get("proxies", []):
        lines.append("- " + gettext(N_("%(member)s (%(number)s), represented by proxy by %(holder)s (%(holder_number)s)"),
                                    member=proxy["member_name"], number=proxy["member_number"], holder=proxy["holder_name"], holder_number=proxy["holder_number"]))
    return "\n".join(lines)


def _motion(motion: dict, record: dict, votes: list[dict]) -> str:
    members = record["members"]
    kind = gettext(N_("Amendment")) if motion["amends_id"] else gettext(N_("Motion"))
    head = f"{motion['resolution_number']} — {kind}" if motion["resolution_number"] else kind
    lines = [
        head,
        gettext(N_("Moved by %(mover)s, seconded by %(seconder)s: %(text)s"),
                mover=_name(members[motion["proposer_id"]]), seconder=_name(members[motion["seconder_id"]]), text=motion["text"]),
    ]
    lines += [_vote(vote, record["turnout"].get(vote["id"])) for vote in votes]
    lines.append(gettext(N_("Outcome: %(outcome)s."), outcome=meeting_label("motion", motion["status"]).lower()))
    return "\n".join(lines)


MODES = {"secret": N_("secret ballot"), "named": N_("named vote"), "hands": N_("show of hands"), "hybrid": N_("secret ballots online and a count in the room")}


def _vote(vote: dict, turnout: dict | None = None) -> str:
    mode = gettext(MODES[vote.get("mode") or ("secret" if vote["secret"] else "named")])
    if vote["status"] != "closed":
        return gettext(N_("Vote (%(mode)s): %(question)s — not held."), mode=mode, question=vote["question"])
    if vote["adopted"] is None:
        return gettext(N_("Vote (%(mode)s): %(question)s — closed, the count in the room was not entered."), mode=mode, question=vote["question"])
    counts = ", ".join(f"{meeting_label('choice', c)} {vote['counts'].get(c, 0)}" for c in ("yes", "no", "abstain"))
    text = gettext(
        N_("Vote (%(mode)s): %(question)s — %(counts)s; %(cast)s votes cast of %(eligible)s members who could vote; %(majority)s needed: %(result)s."),
        mode=mode, question=vote["question"], counts=counts, cast=vote["votes_cast"], eligible=vote["eligible_count"],
        majority=meeting_label("majority", vote["majority"]).lower(), result=gettext(N_("adopted")) if vote["adopted"] else gettext(N_("rejected")),
    )
    return text + _turnout(vote, turnout) + _certification(vote)


def _certification(vote: dict) -> str:
    if not vote.get("scrutineers"):
        return ""
    return "\n" + gettext(N_("Result certified with the scrutineers: %(names)s."), names=", ".join(vote["scrutineers"]))


def _turnout(vote: dict, turnout: dict | None) -> str:
    """The turnout by category (ballots cast online) and the count in the room, as one line."""
    if not turnout and not vote.get("room_counts"):
        return ""
    parts = turnout_parts(turnout or {})
    if vote.get("room_counts"):
        parts.append(gettext(N_("counted in the room: %(count)s"), count=sum(vote["room_counts"].values())))
    return "\n" + gettext(N_("Turnout by category: %(parts)s."), parts="; ".join(parts))


async def vote_charts(votes: Votes, meeting_id) -> list[dict]:
    """Each closed vote with a result, and the bars of its chart (for the PDF)."""
    return [{"question": v["question"], "bars": rules.bars(v)} for v in await votes.of_meeting(meeting_id) if v["status"] == "closed" and v["adopted"] is not None]


def paragraphs(body: str) -> list[list[str]]:
    """The text's paragraphs (separated by a blank line), each as its lines."""
    return [block.splitlines() for block in body.replace("\r\n", "\n").split("\n\n") if block.strip()]
