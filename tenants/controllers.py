"""JSON API of a tenant's people: sign-in and tokens, password links, the e-mail outbox and the audit
log (/api/t/{slug}/…)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend import mail
from backend.auth import requires, signed_in
from backend.bodies import applied
from backend.errors import Invalid
from backend.i18n import N_, gettext
from tenants import passwords, services
from tenants.schemas import (
    AuditEventOut,
    MailDeliveryOut,
    OrganisationChanges,
    OrganisationIn,
    OrganisationOut,
    PasswordChoice,
    PasswordLinkRequest,
    PersonInvitationIn,
    PersonOut,
    RolesIn,
    TokenOut,
    TokenRequest,
)
from tenants.services import TenantInfo


def provide_tenant(request: Request) -> TenantInfo:
    return request.state.tenant


DEPENDENCIES = {
    "tenant": Provide(provide_tenant, sync_to_thread=False),
}
TOKEN_LIFETIME = dt.timedelta(days=90)
CurrentTenant = NamedDependency[TenantInfo]


class AuthController(Controller):
    path = "/api/t/{slug:str}/auth"
    tags = ["auth"]
    dependencies = DEPENDENCIES

    @post("/token", status_code=201, summary="Issue a bearer token for scripts (valid 90 days)")
    async def issue_token(self, tenant: CurrentTenant, data: JSONBody[TokenRequest]) -> TokenOut:
        user_id = await services.authenticate(tenant, data.email, data.password)
        if user_id is None:
            raise Invalid(N_("The e-mail address or the password is wrong."))
        secret, expires_at = await services.issue_token(tenant, user_id, data.name, TOKEN_LIFETIME)
        await services.note_sign_in(tenant, user_id)
        return TokenOut(token=secret, expires_at=expires_at)

    @delete("/token", guards=[signed_in], status_code=204, summary="Revoke the bearer token of this request")
    async def revoke_token(self, request: Request, tenant: CurrentTenant) -> None:
        secret = request.headers.get("authorization", "")[7:].strip()
        if not await services.revoke_token(tenant, secret):
            raise Invalid(N_("Send the token to revoke in the Authorization header."))

    @post("/password-link", status_code=202, summary="E-mail a link to choose a new password (answers the same for unknown addresses)")
    async def send_password_link(self, request: Request, tenant: CurrentTenant, data: JSONBody[PasswordLinkRequest]) -> dict[str, str]:
        await passwords.send_link(tenant, data.email, *password_link_settings(request))
        return {"detail": gettext(passwords.LINK_SENT)}

    @post("/password", status_code=204, summary="Choose a new password with the secret of an e-mailed link")
    async def choose_password(self, tenant: CurrentTenant, data: JSONBody[PasswordChoice]) -> None:
        await passwords.choose_password(tenant, data.token, data.password)


def organisation_out(tenant: TenantInfo) -> OrganisationOut:
    values = {**dataclasses.asdict(tenant), "member_categories": list(tenant.member_categories)}
    return msgspec.convert({name: values[name] for name in OrganisationOut.__struct_fields__}, OrganisationOut)


def password_link_settings(request: Request) -> tuple[str, dt.timedelta]:
    settings = request.app.state.settings
    return settings.base_url, dt.timedelta(hours=settings.password_link_hours)


class OrganisationController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["organisation"]
    dependencies = DEPENDENCIES

    @get("/mail", guards=[requires("administrator")], summary="The e-mail outbox and delivery log, newest first")
    async def outbox(self, tenant: CurrentTenant, object_id: FromQuery[UUID | None] = None) -> list[MailDeliveryOut]:
        return [msgspec.convert(row, MailDeliveryOut) for row in await mail.deliveries(tenant.id, object_id=object_id)]

    @get("/organisation", guards=[requires("administrator")], summary="The organisation's settings: name, language, time zone, member categories, shares")
    async def organisation(self, tenant: CurrentTenant) -> OrganisationOut:
        return organisation_out(tenant)

    @put("/organisation", guards=[requires("administrator")], summary="Change the organisation's settings (the fields given; the others keep their values)")
    async def change_organisation(self, request: Request, tenant: CurrentTenant, data: JSONBody[OrganisationChanges]) -> OrganisationOut:
        changed = applied(msgspec.structs.asdict(organisation_out(tenant)), data, OrganisationIn)
        return organisation_out(await services.update_tenant(tenant, request.user.user_id, msgspec.structs.asdict(changed)))

    @get("/audit", guards=[requires("administrator")], summary="The audit log, newest first")
    async def audit(self, tenant: CurrentTenant, object_id: FromQuery[UUID | None] = None, limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100) -> list[AuditEventOut]:
        return [msgspec.convert(row, AuditEventOut) for row in await services.audit_events(tenant, object_id, limit)]


class PeopleController(Controller):
    path = "/api/t/{slug:str}/people"
    tags = ["organisation"]
    dependencies = DEPENDENCIES
    guards = [requires("administrator")]

    @get("/", summary="The people of the organisation: their roles, their login, when they last signed in")
    async def list_people(self, tenant: CurrentTenant) -> list[PersonOut]:
        return [msgspec.convert(person, PersonOut) for person in await services.people(tenant)]

    @post("/", status_code=200, summary="Invite someone with roles (their login; a link to choose a password by e-mail)")
    async def invite(self, request: Request, tenant: CurrentTenant, data: JSONBody[PersonInvitationIn]) -> dict[str, bool]:
        roles = services.known_roles(data.roles, at_least_one=True)
        return {"invited": await passwords.invite(tenant, request.user.user_id, data.email, data.full_name, roles, request.app.state.settings.base_url)}

    @put("/{user_id:uuid}/roles", status_code=200, summary="Give a person exactly these roles (none: they leave the organisation)")
    async def set_roles(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID], data: JSONBody[RolesIn]) -> list[PersonOut]:
        await services.set_roles(tenant, request.user.user_id, user_id, services.known_roles(data.roles))
        return [msgspec.convert(person, PersonOut) for person in await services.people(tenant)]

    @post("/{user_id:uuid}/invitation", status_code=200, summary="E-mail a waiting invitation again (a new link); 409 once it is accepted")
    async def resend_invitation(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> dict[str, bool]:
        return {"invited": await passwords.resend_invitation(tenant, request.user.user_id, user_id, request.app.state.settings.base_url)}

    @delete("/{user_id:uuid}/invitation", status_code=204, summary="Revoke a waiting invitation: its links stop working, the roles it gave are taken back")
    async def revoke_invitation(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> None:
        await passwords.revoke_invitation(tenant, request.user.user_id, user_id)

    @post("/{user_id:uuid}/deactivation", status_code=200, summary="Deactivate a person's login here: no more sign-in, their sessions and tokens here end")
    async def deactivate(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> PersonOut:
        await services.deactivate(tenant, request.user.user_id, user_id)
        return msgspec.convert(await services.person(tenant, user_id), PersonOut)

    @delete("/{user_id:uuid}/deactivation", status_code=200, summary="Reactivate a deactivated login, with the roles it held")
    async def reactivate(self, request: Request, tenant: CurrentTenant, user_id: FromPath[UUID]) -> PersonOut:
        await services.reactivate(tenant, request.user.user_id, user_id)
        return msgspec.convert(await services.person(tenant, user_id), PersonOut)


ROUTES = [AuthController, OrganisationController, PeopleController]
