"""Server-rendered pages of the member register: the tenant's home (the register at a glance, the
member's own entry), the register, an entry and its history, admission, corrections, status
changes, the CSV import, and the member's own profile."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromQuery, MultipartBody, QueryParameter
from litestar.response import Redirect, Template

from backend import domains
from backend.auth import LANGUAGE_COOKIE, requires, signed_in
from backend.errors import Invalid, NotFound, Problem
from backend.i18n import N_
from backend.tenancy import WRITES
from backend.web import Form, convert, errors_by_field, from_form, listed, page, submit
from governance.members import documents
from governance.members.controllers import DEPENDENCIES, MemberId, Register
from governance.members.guards import REGISTER_KEEPERS, REGISTER_READERS
from governance.members.rules import TRANSITIONS, MemberStatus
from governance.members.schemas import Admission, Category, ContactChanges, InvitationSelection, MemberChanges, Order, SortedBy, Status, StatusChangeRequest
from governance.members.services import OPENED_PAGE, ImportRefused
from governance.members.share_controllers import member_shares
from tenants import services
from tenants.schemas import ONE_LINE

PER_PAGE = 50
CHECKBOXES = ("consent_contact", "consent_publish_name", "consent_photos", "consent_research")


class HomePage(Controller):
    path = "/t/{slug:str}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[signed_in], name="home")
    async def home(self, request: Request, register: Register) -> Response:
        kind = request.state.tenant.kind
        if (kind != "coop" or not request.user.has_any((*REGISTER_READERS, "member"))) and (landing := domains.landing(request.user.roles, kind)):
            # a clinician on their bookings, a coordinator on the pipeline, a partner on their involvement
            return Redirect(f"/t/{request.state.tenant.slug}/{landing}")
        counts = await register.counts() if request.user.has_any(REGISTER_READERS) else {}
        panels = [shown for panel in domains.home_panels() if kind in panel.kinds and (shown := await panel.show(request))]
        return page(
            request, "members/home.html", counts=counts, own=await register.of_user(request.user.user_id), welcome=request.query_params.get("welcome") == "1",
            panels=panels, **_register_rights(request),
        )


class RegisterPages(Controller):
    path = "/t/{slug:str}/members"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/", guards=[requires(*REGISTER_READERS)])
    async def list_members(
        self,
        request: Request,
        register: Register,
        q: Annotated[str | None, QueryParameter(max_length=200, pattern=ONE_LINE)] = None,
        category: FromQuery[Category | Literal[""] | None] = None,  # "": the form's "all categories"
        status: FromQuery[Status | Literal[""] | None] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
        sort: FromQuery[SortedBy] = "name",
        order: FromQuery[Order] = "asc",
    ) -> Template:
        return await members_page(request, register, q=q or None, category=category or None, status=status or None, page_number=page_number, sort=sort, order=order)

    @post("/invitations", guards=[requires(*REGISTER_KEEPERS)])
    async def invite_all(self, request: Request, register: Register, data: Form) -> Response:
        """Every member waiting for a login, or the members ticked in the list (member_ids)."""
        ticked = listed(data, "member_ids")

        async def invitation() -> int:
            if not ticked:
                return await register.invite_all()
            return await register.invite_selection(convert({"member_ids": ticked}, InvitationSelection).member_ids)

        return await submit(
            invitation, lambda invited: f"/t/{request.state.tenant.slug}/members?invited={invited}",
            again=partial(members_page, request, register, ticked=ticked),
        )

    @post("/{member_id:uuid}/invitation", guards=[requires(*REGISTER_KEEPERS)])
    async def invite(self, request: Request, register: Register, member_id: MemberId) -> Response:
        return await submit(
            lambda: register.invite(member_id), lambda sent: f"/t/{request.state.tenant.slug}/members/{member_id}?invited={int(sent)}",
            again=partial(member_page, request, register, member_id),
        )

    @get("/new", guards=[requires(*REGISTER_KEEPERS)])
    async def admission_form(self, request: Request) -> Template:
        return page(request, "members/admission.html", values={"country": "CA", "language": request.state.tenant.locale}, errors={})

    @post("/new", guards=[requires(*REGISTER_KEEPERS)])
    async def admit(self, request: Request, register: Register, data: Form) -> Response:
        return await submit(
            lambda: register.admit(from_form(data, Admission, checkboxes=CHECKBOXES)),
            lambda member: f"/t/{request.state.tenant.slug}/members/{member['id']}",
            again=partial(page, request, "members/admission.html", values=data),
        )

    @get("/import", guards=[requires(*REGISTER_KEEPERS)])
    async def import_form(self, request: Request) -> Template:
        return import_page(request, report=None)

    @post("/import", guards=[requires(*REGISTER_KEEPERS)])
    async def import_members(
        self, request: Request, register: Register, data: MultipartBody[dict[str, Any]]
    ) -> Template:
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise Invalid(N_("Choose a CSV file to import."))
        try:
            report = await register.import_csv(documents.decode_csv(await upload.read()), dry_run=data.get("dry_run") is not None)
        except ImportRefused as refusal:
            return import_page(request, report=refusal.report, status_code=refusal.status)
        return import_page(request, report=report)

    @get("/{member_id:uuid}", guards=[requires(*REGISTER_READERS)], opt=WRITES)
    async def member(self, request: Request, register: Register, member_id: MemberId) -> Template:
        """A member's entry; read by anyone but the member themselves, the opening is logged (Law 25)."""
        await register.openings.log(member_id, OPENED_PAGE)  # (an unknown entry logs nothing, and member_page answers 404)
        return await member_page(request, register, member_id)

    @post("/{member_id:uuid}/status", guards=[requires(*REGISTER_KEEPERS)])
    async def change_status(self, request: Request, register: Register, member_id: MemberId, data: Form) -> Response:
        return await submit(
            lambda: register.change_status(member_id, from_form(data, StatusChangeRequest)),
            f"/t/{request.state.tenant.slug}/members/{member_id}",
            again=partial(member_page, request, register, member_id, values=data),
        )

    @get("/{member_id:uuid}/edit", guards=[requires(*REGISTER_KEEPERS)], opt=WRITES)
    async def edit_form(self, request: Request, register: Register, member_id: MemberId) -> Template:
        """The entry's correction form, which shows the whole entry: an opening, as its page is."""
        member = await register.get(member_id)
        await register.openings.log(member_id, OPENED_PAGE)
        return page(request, "members/member_edit.html", member=member, values=member, errors={})

    @post("/{member_id:uuid}/edit", guards=[requires(*REGISTER_KEEPERS)])
    async def edit(self, request: Request, register: Register, member_id: MemberId, data: Form) -> Response:
        member = await register.get(member_id)
        return await submit(
            lambda: register.correct(member_id, from_form(data, MemberChanges, checkboxes=CHECKBOXES)),
            f"/t/{request.state.tenant.slug}/members/{member_id}",
            again=partial(page, request, "members/member_edit.html", member=member, values=data),
        )

async def member_page(
    request: Request, register: Register, member_id: MemberId, status_code: int = 200, errors: dict | None = None, values: dict | None = None, form: str = "status",
) -> Template:
    """A member's entry: its facts, online access, status history, and its shares (the ledger's
    figures and operations, and the forms to record and reverse one)."""
    member = await register.get(member_id)
    login_id = await register.login_of(member_id)
    keeper = request.user.has_any(REGISTER_KEEPERS)
    return page(
        request, "members/member.html", status_code=status_code, member=member, history=await register.history(member_id),
        next_statuses=sorted(s.value for s in TRANSITIONS[MemberStatus(member["status"])]),
        errors=errors or {}, values=values or {}, today=request.state.tenant.today(), **_register_rights(request),
        has_login=login_id is not None, invited=_count(request.query_params.get("invited")),
        login=await services.standing(request.state.tenant, login_id) if login_id else None,
        shares=await member_shares(register, member_id), done=request.query_params.get("done"), request_operation=_count(request.query_params.get("operation")), form=form,  # the form refused, if any: "status" or "shares"
        openings=await register.openings.of_member(member_id) if keeper else [],  # who consulted the entry: the keepers see it
    )


async def members_page(
    request: Request, register: Register, q: str | None = None, category: str | None = None, status: str | None = None, page_number: int = 1,
    sort: str = "name", order: str = "asc", status_code: int = 200, errors: dict | None = None, ticked: list[str] | None = None,
) -> Template:
    rows, total = await register.find(q=q, category=category, status=status, page=page_number, per_page=PER_PAGE, sort=sort, descending=order == "desc")
    return page(
        request, "members/members.html", status_code=status_code, members=rows, total=total, page=page_number, pages=max(1, -(-total // PER_PAGE)),
        q=q or "", category=category or "", status=status or "", sort=sort, order=order, statuses=[s.value for s in MemberStatus], **_register_rights(request),
        without_login=await register.without_login(), invited=_count(request.query_params.get("invited")), errors=errors or {}, ticked=ticked or [],
    )


def _count(value: str | None) -> int | None:
    """A count said back after an action (?invited=3), or None."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 6 else None


def _register_rights(request: Request) -> dict[str, bool]:
    """What the signed-in person may do with the register, for the pages to offer only that."""
    return {"reads_register": request.user.has_any(REGISTER_READERS), "keeps_register": request.user.has_any(REGISTER_KEEPERS)}


class ProfilePages(Controller):
    path = "/t/{slug:str}/me"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [signed_in]

    @get("/")
    async def profile(self, request: Request, register: Register) -> Template:
        return await profile_page(request, register)

    @post("/")
    async def correct_profile(self, request: Request, register: Register, data: Form) -> Response:
        own = await register.of_user(request.user.user_id)
        if own is None:
            raise NotFound(N_("Your login is not linked to an entry in this register."))
        try:
            changes = from_form(data, ContactChanges, checkboxes=CHECKBOXES)
            await register.correct(own["id"], changes)
        except Problem as problem:
            return await profile_page(request, register, status_code=problem.status, values=data, errors=errors_by_field(problem))
        if changes.language is not msgspec.UNSET:
            await services.set_user_locale(request.user.user_id, changes.language)
        response = Redirect(f"/t/{request.state.tenant.slug}/me")
        if changes.language is not msgspec.UNSET:
            response.set_cookie(LANGUAGE_COOKIE, changes.language, samesite="lax", max_age=365 * 86400)
        return response


async def profile_page(request: Request, register: Register, status_code: int = 200, values: dict | None = None, errors: dict | None = None) -> Template:
    """The member's own page: their entry, their contact details and consents, their data to
    download, and who consulted their entry."""
    own = await register.of_user(request.user.user_id)
    openings = await register.openings.of_member(own["id"]) if own else []
    return page(request, "members/profile.html", status_code=status_code, member=own, values=values if values is not None else own or {}, errors=errors or {}, openings=openings)


def import_page(request: Request, report, status_code: int = 200) -> Template:
    return page(
        request, "members/import.html", status_code=status_code, report=report, columns=documents.CSV_COLUMNS,
        required_columns=documents.REQUIRED_COLUMNS, ignored_columns=documents.IGNORED_COLUMNS,
    )


ROUTES = [HomePage, RegisterPages, ProfilePages]
