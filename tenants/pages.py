"""Server-rendered pages of a tenant: sign-in, home, the register, admission, my profile."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.params import FromQuery, MultipartBody, QueryParameter
from litestar.response import Redirect, Template

from backend import mail
from backend.auth import LANGUAGE_COOKIE, SESSION_COOKIE, requires, signed_in
from backend.errors import Invalid, NotFound, Problem
from backend.i18n import LANGUAGES, N_, gettext
from backend.web import Form, errors_by_field, from_form, page, text
from tenants import passwords, register_documents, services
from tenants.controllers import DEPENDENCIES, CurrentTenant, MemberId, Register, password_link_settings
from tenants.guards import REGISTER_KEEPERS, REGISTER_READERS
from tenants.rules import TRANSITIONS, MemberStatus
from tenants.schemas import ONE_LINE, Admission, Category, ContactChanges, MemberChanges, Status, StatusChangeRequest
from tenants.services import ImportRefused

PER_PAGE = 50
# A page whose address carries a secret (a password link): sent nowhere, kept in no cache.
SECRET_IN_URL = {"referrer-policy": "no-referrer", "cache-control": "no-store"}
CHECKBOXES = ("consent_contact", "consent_publish_name", "consent_photos", "consent_research")


@get("/", include_in_schema=False)
async def organisations(request: Request) -> Template:
    """The installation's front page: the organisations it serves, each with its sign-in."""
    return Template("index.html", context={"organisations": await services.list_tenants(), "user": None})


class SessionPages(Controller):
    path = "/t/{slug:str}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/login", name="login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None, password: FromQuery[str | None] = None) -> Template:
        return page(request, "login.html", next=_local(next, request), password_chosen=password == "chosen")

    @post("/login")
    async def login(self, request: Request, tenant: CurrentTenant, data: Form) -> Response:
        user_id = await services.authenticate(tenant, text(data, "email"), text(data, "password", strip=False))
        if user_id is None:
            return page(request, "login.html", status_code=422, next=_local(text(data, "next"), request), email=text(data, "email"), error=gettext(N_("The e-mail address or the password is wrong.")))
        settings = request.app.state.settings
        secret = await services.open_session(user_id, dt.timedelta(hours=settings.session_hours))
        return Redirect(
            _local(text(data, "next"), request),
            cookies=[Cookie(key=SESSION_COOKIE, value=secret, httponly=True, secure=settings.cookie_secure, samesite="lax", max_age=settings.session_hours * 3600)],
        )

    @get("/password/forgot")
    async def forgotten_password_form(self, request: Request) -> Template:
        return page(request, "password_forgot.html", sent=False)

    @post("/password/forgot")
    async def send_password_link(self, request: Request, tenant: CurrentTenant, data: Form) -> Template:
        await passwords.send_link(tenant, text(data, "email"), *password_link_settings(request))
        return page(request, "password_forgot.html", sent=True)

    @get("/password")
    async def password_form(self, request: Request, token: Annotated[str, QueryParameter(max_length=100)] = "") -> Template:
        return page(request, "password_choose.html", headers=SECRET_IN_URL, token=token, errors={})

    @post("/password")
    async def choose_password(self, request: Request, tenant: CurrentTenant, data: Form) -> Response:
        try:
            await passwords.choose_password(tenant, text(data, "token"), text(data, "password", strip=False))
        except Problem as problem:
            return page(request, "password_choose.html", status_code=problem.status, headers=SECRET_IN_URL, token=text(data, "token"), errors=errors_by_field(problem))
        return Redirect(f"/t/{tenant.slug}/login?password=chosen")

    @post("/logout")
    async def logout(self, request: Request) -> Response:
        if secret := request.cookies.get(SESSION_COOKIE):
            await services.close_session(secret)
        response = Redirect(f"/t/{request.state.tenant.slug}/login")
        response.delete_cookie(SESSION_COOKIE)
        return response

    @post("/language")
    async def choose_language(self, request: Request, data: Form) -> Response:
        language = text(data, "language")
        if language not in LANGUAGES:
            raise Invalid(N_("This language is not offered."))
        if request.user is not None:
            await services.set_user_locale(request.user.user_id, language)
        return Redirect(_local(text(data, "next"), request), cookies=[Cookie(key=LANGUAGE_COOKIE, value=language, samesite="lax", max_age=365 * 86400)])

    @get("/", guards=[signed_in], name="home")
    async def home(self, request: Request, register: Register) -> Template:
        counts = await register.counts() if request.user.has_any(REGISTER_READERS) else {}
        return page(request, "home.html", counts=counts, own=await register.of_user(request.user.user_id), **_register_rights(request))


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
        category: FromQuery[Category | None] = None,
        status: FromQuery[Status | None] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
    ) -> Template:
        rows, total = await register.find(q=q, category=category, status=status, page=page_number, per_page=PER_PAGE)
        return page(
            request, "members.html", members=rows, total=total, page=page_number, pages=max(1, -(-total // PER_PAGE)),
            q=q or "", category=category or "", status=status or "", statuses=[s.value for s in MemberStatus], **_register_rights(request),
        )

    @get("/new", guards=[requires(*REGISTER_KEEPERS)])
    async def admission_form(self, request: Request) -> Template:
        return page(request, "admission.html", values={"country": "CA", "language": request.state.tenant.locale}, errors={})

    @post("/new", guards=[requires(*REGISTER_KEEPERS)])
    async def admit(self, request: Request, register: Register, data: Form) -> Response:
        try:
            member = await register.admit(from_form(data, Admission, checkboxes=CHECKBOXES))
        except Problem as problem:
            return page(request, "admission.html", status_code=problem.status, values=data, errors=errors_by_field(problem))
        return Redirect(f"/t/{request.state.tenant.slug}/members/{member['id']}")

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
            report = await register.import_csv(register_documents.decode_csv(await upload.read()), dry_run=data.get("dry_run") is not None)
        except ImportRefused as refusal:
            return import_page(request, report=refusal.report, status_code=refusal.status)
        return import_page(request, report=report)

    @get("/{member_id:uuid}", guards=[requires(*REGISTER_READERS)])
    async def member(self, request: Request, register: Register, member_id: MemberId) -> Template:
        return await self._member_page(request, register, member_id)

    @post("/{member_id:uuid}/status", guards=[requires(*REGISTER_KEEPERS)])
    async def change_status(self, request: Request, register: Register, member_id: MemberId, data: Form) -> Response:
        try:
            await register.change_status(member_id, from_form(data, StatusChangeRequest))
        except NotFound:
            raise
        except Problem as problem:
            return await self._member_page(request, register, member_id, status_code=problem.status, errors=errors_by_field(problem), values=data)
        return Redirect(f"/t/{request.state.tenant.slug}/members/{member_id}")

    @get("/{member_id:uuid}/edit", guards=[requires(*REGISTER_KEEPERS)])
    async def edit_form(self, request: Request, register: Register, member_id: MemberId) -> Template:
        member = await register.get(member_id)
        return page(request, "member_edit.html", member=member, values=member, errors={})

    @post("/{member_id:uuid}/edit", guards=[requires(*REGISTER_KEEPERS)])
    async def edit(self, request: Request, register: Register, member_id: MemberId, data: Form) -> Response:
        member = await register.get(member_id)
        try:
            await register.correct(member_id, from_form(data, MemberChanges, checkboxes=CHECKBOXES))
        except Problem as problem:
            return page(request, "member_edit.html", status_code=problem.status, member=member, values=data, errors=errors_by_field(problem))
        return Redirect(f"/t/{request.state.tenant.slug}/members/{member_id}")

    async def _member_page(self, request: Request, register: Register, member_id: MemberId, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
        member = await register.get(member_id)
        return page(
            request, "member.html", status_code=status_code, member=member, history=await register.history(member_id),
            next_statuses=sorted(s.value for s in TRANSITIONS[MemberStatus(member["status"])]),
            errors=errors or {}, values=values or {}, today=request.state.tenant.today(), **_register_rights(request),
        )


def _register_rights(request: Request) -> dict[str, bool]:
    """What the signed-in person may do with the register, for the pages to offer only that."""
    return {"reads_register": request.user.has_any(REGISTER_READERS), "keeps_register": request.user.has_any(REGISTER_KEEPERS)}


class OutboxPages(Controller):
    path = "/t/{slug:str}/outbox"
    include_in_schema = False
    guards = [requires("administrator")]

    @get("/")
    async def outbox(self, request: Request) -> Template:
        return page(request, "outbox.html", deliveries=await mail.deliveries(request.state.tenant.id))


class ProfilePages(Controller):
    path = "/t/{slug:str}/me"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [signed_in]

    @get("/")
    async def profile(self, request: Request, register: Register) -> Template:
        own = await register.of_user(request.user.user_id)
        return page(request, "profile.html", member=own, values=own or {}, errors={})

    @post("/")
    async def correct_profile(self, request: Request, register: Register, data: Form) -> Response:
        own = await register.of_user(request.user.user_id)
        if own is None:
            raise NotFound(N_("Your login is not linked to an entry in this register."))
        try:
            changes = from_form(data, ContactChanges, checkboxes=CHECKBOXES)
            await register.correct(own["id"], changes)
        except Problem as problem:
            return page(request, "profile.html", status_code=problem.status, member=own, values=data, errors=errors_by_field(problem))
        if changes.language is not msgspec.UNSET:
            await services.set_user_locale(request.user.user_id, changes.language)
        response = Redirect(f"/t/{request.state.tenant.slug}/me")
        if changes.language is not msgspec.UNSET:
            response.set_cookie(LANGUAGE_COOKIE, changes.language, samesite="lax", max_age=365 * 86400)
        return response


def import_page(request: Request, report, status_code: int = 200) -> Template:
    return page(
        request, "import.html", status_code=status_code, report=report, columns=register_documents.CSV_COLUMNS,
        required_columns=register_documents.REQUIRED_COLUMNS, ignored_columns=register_documents.IGNORED_COLUMNS,
    )


def _local(target: object, request: Request) -> str:
    """Only redirect inside this tenant (never to another site)."""
    home = f"/t/{request.state.tenant.slug}/"
    target = str(target or "")
    return target if target.startswith(home) and "//" not in target and "\\" not in target else home


ROUTES = [organisations, SessionPages, RegisterPages, OutboxPages, ProfilePages]
