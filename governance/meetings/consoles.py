"""The two pages a meeting is run from, assembled from every part of its record: the member's
meeting page (check-in, the open votes and elections, their proxies' ballots, their card, the
documents and the published minutes) and the secretary's console (attendance, quorum, notice,
motions, votes, elections, documents, proxies). The page controllers (pages, record_pages,
election_pages) render them, and again with a form's errors."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Template
from markupsafe import Markup

from backend.i18n import N_
from backend.web import page
from governance.meetings import rules, waiting
from governance.meetings.checkin import CheckIns
from governance.meetings.documents import KINDS, MeetingDocuments
from governance.meetings.elections import Elections
from governance.meetings.guards import SECRETARIES
from governance.meetings.minutes import MinutesBook
from governance.meetings.proxies import Proxies
from governance.meetings.votes import Votes

LIVE_SECONDS = 5  # how often the member's meeting page asks whether a vote opened or closed (without JavaScript: it reloads, slower)


async def member_page(request: Request, votes: Votes, meeting_id, status_code: int = 200) -> Template:
    meetings = votes.meetings
    meeting = await meetings.get(meeting_id)
    shown = await votes.of_meeting(meeting_id)
    voted = {v["id"] for v in shown if v["status"] == "open" and await votes.has_voted(v["id"])}
    own = await meetings.own_entry()  # (request.user's)
    present = own is not None and own["id"] in await meetings.present_ids(meeting_id, in_person=True)
    elections = await Elections(votes).of_meeting(meeting_id)
    return page(
        request, "meetings/meeting.html", status_code=status_code, meeting=meeting, votes=shown, voted=voted, own=own, present=present,
        quorum=await meetings.quorum(meeting_id), keeper=request.user.has_any(SECRETARIES), choices=rules.CHOICES,
        elections=elections, **await _member_record(request, votes, meeting_id, own, shown),
        ballot_open=any(v["status"] == "open" for v in shown) or any(e["status"] == "open" for e in elections),
        ballot_waiting=own is not None and any(v["status"] == "open" and v["mode"] != "hands" and v["id"] not in voted for v in shown),
        live_state=await waiting.live_state(meetings, meeting_id), live_seconds=LIVE_SECONDS,
    )


async def _member_record(request: Request, votes: Votes, meeting_id, own: dict | None, shown: list[dict]) -> dict:
    """The documents; the members they represent by proxy, and for each open vote (of `shown`,
    the meeting's) those whose ballot is still to cast; their card; the published minutes."""
    proxies = Proxies(votes)
    held = await proxies.held_by_me(meeting_id) if own else []
    to_cast = {}
    for vote in shown:
        if vote["status"] == "open" and held:
            voted = await proxies.voted(vote["id"], [p["member_id"] for p in held])
            to_cast[vote["id"]] = [p for p in held if p["member_id"] not in voted]
    card = None
    if own is not None and own["status"] == "active":
        check_ins = CheckIns(votes.meetings)
        card = await check_ins.card()
        card["svg"] = Markup(check_ins.card_svg(card))
    return {
        "documents": await MeetingDocuments(votes.meetings).of_meeting(meeting_id), "proxies_held": held, "proxy_ballots": to_cast, "card": card,
        "published_minutes": await MinutesBook(votes).published_of(meeting_id),
    }


# What the console says after an action (?done=…), in the section the action was taken from, where
# the redirect's anchor brings the secretary back.
CONSOLE_DONE = {
    "changed": ("meeting", N_("The meeting was changed. If its notice was out, those called were told by e-mail.")),
    "cancelled": ("meeting", N_("The meeting was cancelled. If its notice was out, those called were told by e-mail.")),
    "opened": ("meeting", N_("The meeting is open: record the attendance and take the votes.")),
    "adjourned": ("meeting", N_("The meeting is adjourned. The minutes can be drafted from its record.")),
    "notice_sent": ("notice", N_("The notice was sent: its e-mails are in the outbox, listed below.")),
    "attendance": ("attendance", N_("The attendance was recorded.")),
    "motion": ("motions", N_("The motion was recorded.")),
    "withdrawn": ("motions", N_("The motion was withdrawn.")),
    "vote_prepared": ("votes", N_("The vote was prepared: open it when the meeting is ready.")),
    "vote_opened": ("votes", N_("The vote is open: the members' pages show its ballot.")),
    "vote_closed": ("votes", N_("The vote is closed: the box was counted and published.")),
    "certified": ("votes", N_("The result was certified.")),
    "counted": ("votes", N_("The count in the room was entered.")),
    "document": ("documents", N_("The document was added to the meeting.")),
    "proxy": ("proxies", N_("The proxy was recorded.")),
    "proxy_withdrawn": ("proxies", N_("The proxy was withdrawn.")),
}


def console_url(request: Request, meeting_id, done: str, section: str | None) -> str:
    """Back to the console's section an action was taken from, saying what was done (no section:
    the top, where the page's autofocus, the check-in scanner's, still applies)."""
    return f"/t/{request.state.tenant.slug}/meetings/{meeting_id}/console?done={done}" + (f"#{section}" if section else "")


async def console_page(request: Request, votes: Votes, meeting_id, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    meetings = votes.meetings
    meeting = await meetings.get(meeting_id)
    settings = await meetings.settings()
    return page(
        request, "meetings/console.html", status_code=status_code, meeting=meeting, votes=await votes.of_meeting(meeting_id),
        attendance=await meetings.attendance(meeting_id), quorum=await meetings.quorum(meeting_id),
        motions=await meetings.motions(meeting_id), notice=await meetings.notice_report(meeting_id),
        errors=errors or {}, values=values or {"secret": True}, elections=await Elections(votes).of_meeting(meeting_id),
        documents=await MeetingDocuments(meetings).of_meeting(meeting_id), document_kinds=KINDS,
        proxies=await Proxies(votes).of_meeting(meeting_id), proxies_allowed=settings.proxies_allowed, proxy_cap=settings.proxy_cap,
        scanned=request.query_params.get("scanned", ""), done=CONSOLE_DONE.get(request.query_params.get("done", "")) if not errors else None,
        change_values=values if values and "starts_at" in values else as_form(meeting, meetings.tenant.timezone),
        early=meeting["status"] == "scheduled" and meetings.local_date(meeting["starts_at"]) > meetings.tenant.today(),
    )


def as_form(meeting: dict, timezone: str) -> dict:
    """A meeting's fields as its change form shows them (the time local, as datetime-local wants it)."""
    local = meeting["starts_at"].astimezone(ZoneInfo(timezone))
    return {"title": meeting["title"], "starts_at": f"{local:%Y-%m-%dT%H:%M}", "place": meeting["place"] or "", "video_url": meeting["video_url"] or "",
            "deadline_reason": meeting["deadline_reason"] or ""}
