"""Server-rendered pages of meetings and votes: the list, a member's meeting page (check-in, vote,
receipt), the secretary's console (attendance, votes) and the results with their chart."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from markupsafe import Markup

from backend import web
from backend.auth import signed_in
from backend.context import context_of
from backend.errors import FieldError, Invalid, Problem
from backend.i18n import N_
from backend.tenancy import BURST
from backend.web import Form, convert, errors_by_field, from_form, page, submit, text
from governance.meetings import (
    feedback,
    labels,  # (also registers meeting_label for the templates)
    rules,
    vote_modes,
    waiting,
)
from governance.meetings.consoles import console_page, console_url, member_page
from governance.meetings.controllers import (
    DEPENDENCIES,
    MeetingId,
    MeetingsDep,
    MinutesDep,
    MinutesId,
    MotionId,
    VoteId,
    VotesDep,
    keeps_meetings,
    notice_pdf_response,
    pdf_response,
)
from governance.meetings.guards import SECRETARIES
from governance.meetings.motion_votes import prepare
from governance.meetings.schemas import (
    ApprovalIn,
    BallotIn,
    CancellationIn,
    CertificationIn,
    CheckIn,
    MeetingChangeIn,
    MeetingIn,
    MinutesIn,
    MotionIn,
    NoticeIn,
    RoomCountIn,
    SettingsIn,
    VoteIn,
)
from governance.meetings.services import Meetings, settings_out

# A receipt code as typed (any case; a code mistyped is answered "not found", not refused).
ReceiptQuery = Annotated[str | None, QueryParameter(max_length=100)]


def meeting_from_form(form: dict[str, Any], schema: type[MeetingIn | MeetingChangeIn] = MeetingIn) -> MeetingIn | MeetingChangeIn:
    """The form's fields as a meeting called (or changed); the agenda is one item per line."""
    values = {field.name: text(form, field.name) or None for field in msgspec.structs.fields(schema) if field.name != "agenda"}
    if values["starts_at"] and len(values["starts_at"]) == 16:  # a browser's datetime-local has no seconds
        values["starts_at"] += ":00"
    if schema is MeetingIn:
        values["agenda"] = [{"title": line.strip()} for line in text(form, "agenda").splitlines() if line.strip()]
    return convert({k: v for k, v in values.items() if v is not None}, schema)


SETTING_CHECKBOXES = ("abstentions_count", "presence_required", "representation_allowed", "proxies_allowed")


async def settings_page(request: Request, meetings: MeetingsDep, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    """The by-laws' numbers the meetings follow (the Act's by default), as a form."""
    current = settings_out(await meetings.settings())
    shown = values or {**current, **{f"seats_{category}": seats for category, seats in current["board_seats"].items()}}
    return page(
        request, "meetings/settings.html", status_code=status_code, values=shown, errors=errors or {},
        quorum_rules=[(rule.value, labels.meeting_label("quorum_rule", rule)) for rule in rules.QuorumRule], saved=request.query_params.get("saved") == "1" and not errors,
        months=labels.month_names(), categories=meetings.tenant.member_categories,
    )


SEATS = msgspec.defstruct("Seats", [("seats", Annotated[int, msgspec.Meta(ge=0, le=15)])])


def settings_from_form(form: dict[str, Any], categories: tuple[str, ...]) -> SettingsIn:
    """The settings form as the by-laws' numbers, the seats one field per category (seats_user…);
    every wrong field refused at once."""
    errors, seats = [], {}
    for category in categories:
        try:
            seats[category] = convert({"seats": text(form, f"seats_{category}") or "0"}, SEATS).seats
        except Invalid as refused:
            errors += [FieldError(f"seats_{category}", e.message, e.params) for e in refused.errors]
    try:
        settings = from_form({k: v for k, v in form.items() if k != "board_seats"}, SettingsIn, checkboxes=SETTING_CHECKBOXES)
    except Invalid as refused:
        raise Invalid(refused.detail, errors=[*refused.errors, *errors]) from refused
    if errors:
        raise Invalid(N_("Some values are not valid."), errors=errors)
    return msgspec.structs.replace(settings, board_seats=seats)


class MeetingPages(Controller):
    path = "/t/{slug:str}/meetings"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[signed_in])
    async def list_meetings(self, request: Request, meetings: MeetingsDep) -> Template:
        return page(request, "meetings/list.html", meetings=await meetings.meetings(), values={}, errors={}, keeper=request.user.has_any(SECRETARIES),
                    waiting=await waiting.waiting(meetings))

    @get("/settings", guards=[keeps_meetings])
    async def settings(self, request: Request, meetings: MeetingsDep) -> Template:
        return await settings_page(request, meetings)

    @post("/settings", guards=[keeps_meetings])
    async def change_settings(self, request: Request, meetings: MeetingsDep, data: Form) -> Response:
        return await submit(
            lambda: meetings.save_settings(settings_from_form(data, meetings.tenant.member_categories)), f"/t/{request.state.tenant.slug}/meetings/settings?saved=1",
            again=partial(settings_page, request, meetings, values=data),
        )

    @post("/", guards=[keeps_meetings])
    async def schedule(self, request: Request, meetings: MeetingsDep, data: Form) -> Response:
        try:
            created = await meetings.schedule(meeting_from_form(data))
        except Problem as problem:
            return page(request, "meetings/list.html", status_code=problem.status, meetings=await meetings.meetings(), values=data, errors=errors_by_field(problem), keeper=True,
                        waiting=[])
        return Redirect(f"/t/{request.state.tenant.slug}/meetings/{created['id']}/console")

    @get("/{meeting_id:uuid}", guards=[signed_in])
    async def meeting(self, request: Request, votes: VotesDep, meeting_id: MeetingId) -> Template:
        return await member_page(request, votes, meeting_id)

    @get("/{meeting_id:uuid}/state", guards=[signed_in], opt=BURST)
    async def state(self, meetings: MeetingsDep, meeting_id: MeetingId) -> Response:
        """What the member's meeting page watches (its script asks every few seconds, and reloads
        the page when the answer changes: a vote opened or closed)."""
        return Response(await waiting.live_state(meetings, meeting_id), media_type="text/plain", headers={"cache-control": "no-store"})

    @post("/{meeting_id:uuid}/presence", guards=[signed_in])
    async def presence(self, request: Request, meetings: MeetingsDep, meeting_id: MeetingId, data: Form) -> Response:
        await meetings.check_in_self(meeting_id, text(data, "present") != "false")
        return Redirect(f"/t/{request.state.tenant.slug}/meetings/{meeting_id}")

    @post("/{meeting_id:uuid}", guards=[keeps_meetings])
    async def change(self, request: Request, meetings: MeetingsDep, votes: VotesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: meetings.change(meeting_id, meeting_from_form(data, MeetingChangeIn)),
            lambda changed: console_url(request, meeting_id, "changed", "meeting"),
            again=partial(console_page, request, votes, meeting_id, values=data),
        )

    @post("/{meeting_id:uuid}/cancel", guards=[keeps_meetings])
    async def cancel(self, request: Request, meetings: MeetingsDep, votes: VotesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: meetings.cancel(meeting_id, convert({"reason": text(data, "cancel_reason")}, CancellationIn)),
            console_url(request, meeting_id, "cancelled", "meeting"),
            again=partial(console_page, request, votes, meeting_id, values=data),
            errors=lambda problem: {("cancel_reason" if field == "reason" else field): message for field, message in errors_by_field(problem).items()},
        )

    @get("/{meeting_id:uuid}/console", guards=[keeps_meetings])
    async def console(self, request: Request, votes: VotesDep, meeting_id: MeetingId) -> Template:
        return await console_page(request, votes, meeting_id)

    @get("/{meeting_id:uuid}/notice.pdf", guards=[signed_in])
    async def notice_pdf(self, meetings: MeetingsDep, meeting_id: MeetingId) -> Response:
        return await notice_pdf_response(meetings, meeting_id)

    @post("/{meeting_id:uuid}/notice", guards=[keeps_meetings])
    async def notice(self, request: Request, meetings: MeetingsDep, votes: VotesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: meetings.record_notice(meeting_id, from_form(data, NoticeIn)),
            console_url(request, meeting_id, "notice_sent", "notice"),
            again=partial(console_page, request, votes, meeting_id, values=data),
        )

    @post("/{meeting_id:uuid}/session", guards=[keeps_meetings])
    async def session(self, request: Request, meetings: MeetingsDep, meeting_id: MeetingId, data: Form) -> Response:
        adjourning = text(data, "status") == "adjourned"
        await meetings.set_session(meeting_id, "adjourned" if adjourning else "in_session")
        return Redirect(console_url(request, meeting_id, "adjourned" if adjourning else "opened", "meeting" if adjourning else None))  # (opened: the scanner takes the focus)

    @post("/{meeting_id:uuid}/attendance", guards=[keeps_meetings])
    async def check_in(self, request: Request, meetings: MeetingsDep, votes: VotesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: meetings.check_in(meeting_id, from_form({**data, "present": "false" if text(data, "present") == "false" else "true"}, CheckIn)),
            console_url(request, meeting_id, "attendance", "attendance"),
            again=partial(console_page, request, votes, meeting_id, values=data),
        )

    @post("/{meeting_id:uuid}/motions", guards=[keeps_meetings])
    async def propose(self, request: Request, meetings: MeetingsDep, votes: VotesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: meetings.propose(meeting_id, from_form(data, MotionIn)), console_url(request, meeting_id, "motion", "motions"),
            again=partial(console_page, request, votes, meeting_id, values=data),
        )

    @post("/{meeting_id:uuid}/votes", guards=[keeps_meetings])
    async def create_vote(self, request: Request, votes: VotesDep, meeting_id: MeetingId, data: Form) -> Response:
        return await submit(
            lambda: prepare(votes, meeting_id, from_form(data, VoteIn, checkboxes=("secret",))),
            console_url(request, meeting_id, "vote_prepared", "votes"),
            again=partial(console_page, request, votes, meeting_id, values=data),
        )


class MotionPages(Controller):
    path = "/t/{slug:str}/motions"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @post("/{motion_id:uuid}/withdraw", guards=[keeps_meetings])
    async def withdraw(self, request: Request, meetings: MeetingsDep, votes: VotesDep, motion_id: MotionId) -> Response:
        motion = await meetings.motion(motion_id)
        return await submit(
            lambda: meetings.withdraw(motion_id), console_url(request, motion["meeting_id"], "withdrawn", "motions"),
            again=partial(console_page, request, votes, motion["meeting_id"]),
        )


class VotePages(Controller):
    path = "/t/{slug:str}/votes"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @post("/{vote_id:uuid}/ballot", guards=[signed_in], opt=BURST)
    async def cast(self, request: Request, votes: VotesDep, vote_id: VoteId, data: Form) -> Template:
        vote = await votes.get(vote_id)
        receipt = await votes.cast(vote_id, from_form(data, BallotIn).choice)
        return page(request, "meetings/receipt.html", status_code=201, vote=vote, receipt=receipt)

    @post("/{vote_id:uuid}/open", guards=[keeps_meetings])
    async def open_vote(self, request: Request, votes: VotesDep, vote_id: VoteId) -> Response:
        return await back_to_console(request, votes, vote_id, votes.open, "vote_opened")

    @post("/{vote_id:uuid}/close", guards=[keeps_meetings])
    async def close(self, request: Request, votes: VotesDep, vote_id: VoteId) -> Response:
        return await back_to_console(request, votes, vote_id, votes.close, "vote_closed")

    @post("/{vote_id:uuid}/certify", guards=[keeps_meetings])
    async def certify(self, request: Request, votes: VotesDep, vote_id: VoteId, data: Form) -> Response:
        certification = convert({"scrutineers": [line.strip() for line in text(data, "scrutineers").splitlines() if line.strip()]}, CertificationIn)
        return await back_to_console(request, votes, vote_id, lambda vote: votes.certify(vote, certification.scrutineers), "certified")

    @get("/{vote_id:uuid}", guards=[signed_in])
    async def results(self, request: Request, votes: VotesDep, vote_id: VoteId) -> Template:
        vote = await votes.get(vote_id)
        meeting = await votes.meetings.get(vote["meeting_id"])
        turnout = await votes.turnout_by_category(vote_id) if vote["status"] == "closed" else {}
        named = await vote_modes.named_results(votes, vote_id) if vote["status"] == "closed" and vote["mode"] == "named" else []
        return page(request, "meetings/results.html", vote=vote, meeting=meeting, turnout=turnout, bars=rules.bars(vote), named=named)

    @get("/{vote_id:uuid}/receipt", guards=[signed_in])
    async def receipt(self, request: Request, votes: VotesDep, vote_id: VoteId, code: ReceiptQuery = None) -> Template:
        """A member checks their receipt code against the published box (or is told how, and when)."""
        vote = await votes.get(vote_id)
        meeting = await votes.meetings.get(vote["meeting_id"])
        found = await votes.find_receipt(vote_id, code) if code and vote["status"] == "closed" else None
        return page(request, "meetings/receipt_check.html", vote=vote, meeting=meeting, code=code or "", found=found)

    @post("/{vote_id:uuid}/room-count", guards=[keeps_meetings])
    async def room_count(self, request: Request, votes: VotesDep, vote_id: VoteId, data: Form) -> Response:
        vote = await votes.get(vote_id)
        return await submit(
            lambda: vote_modes.enter_room_count(votes, vote_id, from_form(data, RoomCountIn)),
            console_url(request, vote["meeting_id"], "counted", "votes"),
            again=partial(console_page, request, votes, vote["meeting_id"], values=data),
        )


class MinutesPages(Controller):
    path = "/t/{slug:str}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/meetings/{meeting_id:uuid}/minutes", guards=[keeps_meetings])
    async def minutes_page(self, request: Request, meetings: MeetingsDep, minutes: MinutesDep, meeting_id: MeetingId) -> Template:
        return await minutes_page(request, meetings, minutes, meeting_id)

    @post("/meetings/{meeting_id:uuid}/minutes", guards=[keeps_meetings])
    async def start(self, request: Request, minutes: MinutesDep, meeting_id: MeetingId) -> Response:
        await minutes.start(meeting_id)
        return Redirect(f"/t/{request.state.tenant.slug}/meetings/{meeting_id}/minutes?done=drafted")

    @post("/minutes/{minutes_id:uuid}", guards=[keeps_meetings])
    async def edit(self, request: Request, meetings: MeetingsDep, minutes: MinutesDep, minutes_id: MinutesId, data: Form) -> Response:
        current = await minutes.get(minutes_id)
        return await submit(
            lambda: minutes.edit(minutes_id, from_form(data, MinutesIn).body),
            f"/t/{request.state.tenant.slug}/meetings/{current['meeting_id']}/minutes?done=saved",
            again=partial(minutes_page, request, meetings, minutes, current["meeting_id"], values=data),
        )

    @post("/minutes/{minutes_id:uuid}/approve", guards=[keeps_meetings])
    async def approve(self, request: Request, meetings: MeetingsDep, minutes: MinutesDep, minutes_id: MinutesId, data: Form) -> Response:
        current = await minutes.get(minutes_id)
        return await submit(
            lambda: minutes.approve(minutes_id, from_form(data, ApprovalIn)),
            lambda approved: f"/t/{request.state.tenant.slug}/meetings/{approved['meeting_id']}/minutes?done=approved#versions",
            again=partial(minutes_page, request, meetings, minutes, current["meeting_id"], values=data),
        )

    @post("/minutes/{minutes_id:uuid}/publish", guards=[keeps_meetings])
    async def publish(self, request: Request, minutes: MinutesDep, minutes_id: MinutesId) -> Response:
        published = await minutes.publish(minutes_id)
        return Redirect(f"/t/{request.state.tenant.slug}/meetings/{published['meeting_id']}/minutes?done=published#versions")

    @get("/minutes/{minutes_id:uuid}/pdf", guards=[signed_in])
    async def minutes_pdf(self, minutes: MinutesDep, minutes_id: MinutesId) -> Response:
        return pdf_response(await minutes.pdf(minutes_id), f"minutes-{minutes_id}.pdf")


async def minutes_page(request: Request, meetings: MeetingsDep, minutes: MinutesDep, meeting_id, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    versions = await minutes.versions(meeting_id)
    approving = [(str(m["id"]), m["title"]) for m in await meetings.meetings() if m["id"] != meeting_id]  # who approves the minutes
    return page(
        request, "meetings/minutes.html", status_code=status_code, meeting=await meetings.get(meeting_id), versions=versions,
        errors=errors or {}, values=values or ({"body": versions[0]["body"]} if versions else {}), approving_meetings=approving,
        done=None if errors else feedback.done(request, MINUTES_DONE),
    )


# What the minutes page says after an action (?done=…).
MINUTES_DONE = {
    "drafted": N_("The minutes were drafted from the meeting's record: read them, complete them and save."),
    "saved": N_("The minutes were saved."),
    "approved": N_("The minutes were approved: this version is frozen. Publish it to the members when it is ready."),
    "published": N_("The minutes were published: the members find them on the meeting's page."),
}


async def back_to_console(request: Request, votes: VotesDep, vote_id, step, done: str) -> Response:
    """A step of a vote taken from the console (a refusal shows the error page and changes nothing)."""
    vote = await votes.get(vote_id)
    await step(vote_id)
    return Redirect(console_url(request, vote["meeting_id"], done, "votes"))


async def waiting_panel(request: Request) -> Markup | None:
    """The home page's panel (routes.HOME): the ballots open to the member that they have not cast."""
    found = await waiting.waiting(Meetings(context_of(request)))
    return Markup(web.render("meetings/_waiting.html", waiting=found)) if found else None


ROUTES = [MeetingPages, MotionPages, VotePages, MinutesPages]
