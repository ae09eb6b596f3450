"""Server-rendered pages of a tenant's people: the organisations, sign-in and out, passwords, the
language, the e-mail outbox."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from backend import domains, mail
from backend.auth import LANGUAGE_COOKIE, SESSION_COOKIE, requires
from backend.errors import Invalid, Problem
from backend.i18n import LANGUAGES, N_, gettext
from backend.web import Form, convert, errors_by_field, listed, page, submit, text, typed_cents
from tenants import passwords, services
from tenants.controllers import DEPENDENCIES, CurrentTenant, password_link_settings
from tenants.rules import LoginStatus, MemberCategory
from tenants.schemas import OrganisationIn, PersonInvitationIn

# A page whose address carries a secret (a password link): sent nowhere, kept in no cache.
SECRET_IN_URL = {"referrer-policy": "no-referrer", "cache-control": "no-store"}


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
        signed = await services.authentication(tenant, text(data, "email"), text(data, "password", strip=False))
        if signed.user_id is None:
            error = N_("Your login to this organisation was deactivated by its administrator.") if signed.deactivated else N_("The e-mail address or the password is wrong.")
            return page(request, "login.html", status_code=422, next=_local(text(data, "next"), request), email=text(data, "email"), error=gettext(error))
        return await _signed_in(request, tenant, signed.user_id, _local(text(data, "next"), request))

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
            chosen = await passwords.choose_password(tenant, text(data, "token"), text(data, "password", strip=False))
        except Problem as problem:
            return page(request, "password_choose.html", status_code=problem.status, headers=SECRET_IN_URL, token=text(data, "token"), errors=errors_by_field(problem))
        if chosen.accepted_invitation:  # a first password: the person starts at their home page, signed in
            return await _signed_in(request, tenant, chosen.user_id, f"/t/{tenant.slug}/?welcome=1")
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

async def _signed_in(request: Request, tenant, user_id, target: str) -> Response:
    """A new session for this person, its cookie, and on to `target`."""
    settings = request.app.state.settings
    secret = await services.open_session(user_id, dt.timedelta(hours=settings.session_hours))
    await services.note_sign_in(tenant, user_id)
    return Redirect(
        target, cookies=[Cookie(key=SESSION_COOKIE, value=secret, httponly=True, secure=settings.cookie_secure, samesite="lax", max_age=settings.session_hours * 3600)],
    )


class OutboxPages(Controller):
    path = "/t/{slug:str}/outbox"
    include_in_schema = False
    guards = [requires("administrator")]

    @get("/")
    async def outbox(self, request: Request) -> Template:
        return page(request, "outbox.html", deliveries=await mail.deliveries(request.state.tenant.id))


AUDIT_PAGE, AUDIT_PAGE_MOST = 100, 2000  # rows shown at first, and at most


class AuditPages(Controller):
    """The administrator reads the audit log: who did what, when, newest first; and checks that
    no row of it was changed or removed (its hash chain)."""

    path = "/t/{slug:str}/audit"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires("administrator")]

    @get("/")
    async def audit(
        self, request: Request, tenant: CurrentTenant, limit: Annotated[int, QueryParameter(ge=1, le=AUDIT_PAGE_MOST)] = AUDIT_PAGE, check: FromQuery[bool] = False,
    ) -> Template:
        events = await services.audit_events(tenant, limit=limit)
        return page(
            request, "audit.html", events=events, names=await services.actor_names(events), limit=limit, more=min(limit * 4, AUDIT_PAGE_MOST),
            chain=await services.verify_audit_chain(tenant) if check else None,
        )


class OrganisationPages(Controller):
    """The administrator's page of the organisation's settings: its name, language, time zone,
    member categories, share price and qualifying shares."""

    path = "/t/{slug:str}/organisation"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires("administrator")]

    @get("/")
    async def organisation(self, request: Request, tenant: CurrentTenant) -> Template:
        return await organisation_page(request, tenant)

    @post("/")
    async def change(self, request: Request, tenant: CurrentTenant, data: Form) -> Response:
        async def save() -> None:
            values = {name: text(data, name) for name in ("name", "locale", "timezone", "qualifying_shares", "privacy_officer_name", "privacy_officer_email")}
            values["address"] = text(data, "address").replace("\r\n", "\n")
            changed = convert({**values, "member_categories": listed(data, "member_categories"), "share_price_cents": typed_cents(text(data, "share_price"))}, OrganisationIn)
            await services.update_tenant(tenant, request.user.user_id, msgspec.structs.asdict(changed))

        return await submit(
            save, f"/t/{tenant.slug}/organisation?saved=1", errors=_organisation_errors,
            again=partial(organisation_page, request, tenant, values={**data, "member_categories": listed(data, "member_categories")}),
        )


async def organisation_page(request: Request, tenant, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    current = {
        "name": tenant.name, "locale": tenant.locale, "timezone": tenant.timezone, "member_categories": list(tenant.member_categories),
        "share_price": f"{tenant.share_price_cents / 100:.2f}", "qualifying_shares": tenant.qualifying_shares,
        "address": tenant.address, "privacy_officer_name": tenant.privacy_officer_name, "privacy_officer_email": tenant.privacy_officer_email,
    }
    return page(
        request, "organisation.html", status_code=status_code, values=values or current, errors=errors or {}, languages=LANGUAGES,
        categories=[c.value for c in MemberCategory], saved=request.query_params.get("saved") == "1" and not errors,
    )


def _organisation_errors(problem: Problem) -> dict[str, str]:
    """The refusal by the form's fields (the price is typed in money, kept in cents)."""
    return {("share_price" if field == "share_price_cents" else field): message for field, message in errors_by_field(problem).items()}


class PeoplePages(Controller):
    """The administrator's page of the organisation's people: who holds which role, inviting
    someone with roles, changing a person's roles or taking them all (they leave)."""

    path = "/t/{slug:str}/people"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires("administrator")]

    @get("/")
    async def people(self, request: Request, tenant: CurrentTenant) -> Template:
        return await people_page(request, tenant)

    @post("/")
    async def invite(self, request: Request, tenant: CurrentTenant, data: Form) -> Response:
        async def invitation() -> bool:
            roles = services.known_roles(listed(data, "roles"), at_least_one=True)
            invited = convert({"email": text(data, "email"), "full_name": text(data, "full_name"), "roles": sorted(roles)}, PersonInvitationIn)
            return await passwords.invite(tenant, request.user.user_id, invited.email, invited.full_name, roles, request.app.state.settings.base_url)

        return await submit(
            invitation, lambda sent: f"/t/{tenant.slug}/people?invited={int(sent)}",
            again=partial(people_page, request, tenant, values={**data, "roles": listed(data, "roles")}),
        )

    @post("/{user_id:uuid}/roles")
    async def set_roles(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID], data: Form) -> Response:
        return await submit(
            lambda: services.set_roles(tenant, request.user.user_id, user_id, services.known_roles(listed(data, "roles"))),
            f"/t/{tenant.slug}/people?saved={user_id}", again=partial(people_page, request, tenant),
        )

    @post("/{user_id:uuid}/invitation")
    async def resend(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> Response:
        return await submit(
            lambda: passwords.resend_invitation(tenant, request.user.user_id, user_id, request.app.state.settings.base_url),
            lambda sent: f"/t/{tenant.slug}/people?done={'resent' if sent else 'not_sent'}", again=partial(people_page, request, tenant),
        )

    @post("/{user_id:uuid}/invitation/revoke")
    async def revoke(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> Response:
        return await submit(
            lambda: passwords.revoke_invitation(tenant, request.user.user_id, user_id),
            f"/t/{tenant.slug}/people?done=revoked", again=partial(people_page, request, tenant),
        )

    @post("/{user_id:uuid}/deactivate")
    async def deactivate(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> Response:
        return await submit(
            lambda: services.deactivate(tenant, request.user.user_id, user_id),
            f"/t/{tenant.slug}/people?done=deactivated", again=partial(people_page, request, tenant),
        )

    @post("/{user_id:uuid}/reactivate")
    async def reactivate(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> Response:
        return await submit(
            lambda: services.reactivate(tenant, request.user.user_id, user_id),
            f"/t/{tenant.slug}/people?done=reactivated", again=partial(people_page, request, tenant),
        )


# Who the people page shows: everyone, or those whose login stands so (?show=…).
PEOPLE_FILTERS = {
    "invited": lambda person: LoginStatus(person["status"]) in (LoginStatus.INVITED, LoginStatus.INVITATION_EXPIRED),
    "active": lambda person: person["status"] == LoginStatus.ACTIVE,
    "never": lambda person: person["last_sign_in"] is None and person["status"] != LoginStatus.DEACTIVATED,
    "deactivated": lambda person: person["status"] == LoginStatus.DEACTIVATED,
}
DONE = ("resent", "not_sent", "revoked", "deactivated", "reactivated")


async def people_page(request: Request, tenant, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    query = request.query_params
    everyone = await services.people(tenant)
    show = query.get("show") if query.get("show") in PEOPLE_FILTERS else ""
    counts = {name: sum(1 for person in everyone if keep(person)) for name, keep in PEOPLE_FILTERS.items()}
    return page(
        request, "people.html", status_code=status_code, people=[p for p in everyone if not show or PEOPLE_FILTERS[show](p)], everyone=len(everyone),
        counts=counts, show=show, roles=domains.role_names(), errors=errors or {}, values=values or {}, invited=query.get("invited"),
        saved=query.get("saved"), done=query.get("done") if query.get("done") in DONE else None, me=request.user.user_id,
    )


def _local(target: object, request: Request) -> str:
    """Only redirect inside this tenant (never to another site)."""
    home = f"/t/{request.state.tenant.slug}/"
    target = str(target or "")
    return target if target.startswith(home) and "//" not in target and "\\" not in target else home


ROUTES = [organisations, SessionPages, OutboxPages, AuditPages, OrganisationPages, PeoplePages]
