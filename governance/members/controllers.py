"""JSON API of the member register: /api/t/{slug}/members, /register.csv|pdf, and the member's own
entry at /api/t/{slug}/me."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend.auth import requires, signed_in
from backend.context import provider
from backend.errors import Invalid, NotFound
from backend.i18n import N_
from backend.tenancy import WRITES
from governance.members import documents
from governance.members.guards import REGISTER_KEEPERS, REGISTER_READERS
from governance.members.schemas import (
    Admission,
    Category,
    ContactChanges,
    EntryOpeningOut,
    ImportReport,
    InvitationOut,
    InvitationSelection,
    MemberChanges,
    MemberOut,
    MemberPage,
    MyDataOut,
    Order,
    SortedBy,
    Status,
    StatusChangeOut,
    StatusChangeRequest,
)
from governance.members.services import OPENED_API, MemberRegister
from tenants import services
from tenants.controllers import DEPENDENCIES as TENANT_DEPENDENCIES
from tenants.controllers import CurrentTenant
from tenants.schemas import ONE_LINE

DEPENDENCIES = {**TENANT_DEPENDENCIES, "register": provider(MemberRegister)}
Register = NamedDependency[MemberRegister]
MemberId = FromPath[UUID]


def member_out(row: dict) -> MemberOut:
    return msgspec.convert(row, MemberOut, from_attributes=True)



class MemberController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["member register"]
    dependencies = DEPENDENCIES

    @get("/members", guards=[requires(*REGISTER_READERS)], summary="Search the register")
    async def list_members(
        self,
        register: Register,
        q: Annotated[str | None, QueryParameter(max_length=200, pattern=ONE_LINE)] = None,
        category: FromQuery[Category | None] = None,
        status: FromQuery[Status | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        sort: FromQuery[SortedBy] = "name",
        order: FromQuery[Order] = "asc",
    ) -> MemberPage:
        """Names sort as a reader of the person's language reads them (accents break ties only;
        in Finnish å, ä, ö after z)."""
        rows, total = await register.find(q=q, category=category, status=status, page=page, per_page=per_page, sort=sort, descending=order == "desc")
        return MemberPage(items=[member_out(row) for row in rows], total=total, page=page, per_page=per_page)

    @post("/members", guards=[requires(*REGISTER_KEEPERS)], summary="Admit a member")
    async def admit(self, register: Register, data: JSONBody[Admission]) -> MemberOut:
        return member_out(await register.admit(data))

    @get("/members/{member_id:uuid}", guards=[requires(*REGISTER_READERS)], opt=WRITES, summary="One member's entry (the opening is logged)")
    async def get_member(self, register: Register, member_id: MemberId) -> MemberOut:
        """Read by anyone but the member themselves, the opening is logged (Law 25): who, when, what."""
        member = await register.get(member_id)
        await register.openings.log(member_id, OPENED_API)
        return member_out(member)

    @get("/members/{member_id:uuid}/openings", guards=[requires(*REGISTER_KEEPERS)], summary="Who opened a member's entry, the latest first")
    async def entry_openings(self, register: Register, member_id: MemberId) -> list[EntryOpeningOut]:
        await register.get(member_id)
        return [msgspec.convert(row, EntryOpeningOut) for row in await register.openings.of_member(member_id, limit=None)]

    @patch("/members/{member_id:uuid}", guards=[requires(*REGISTER_KEEPERS)], summary="Correct a member's entry")
    async def correct(self, register: Register, member_id: MemberId, data: JSONBody[MemberChanges]) -> MemberOut:
        return member_out(await register.correct(member_id, data))

    @post("/members/{member_id:uuid}/status", guards=[requires(*REGISTER_KEEPERS)], status_code=200, summary="Change a member's status")
    async def change_status(self, register: Register, member_id: MemberId, data: JSONBody[StatusChangeRequest]) -> MemberOut:
        return member_out(await register.change_status(member_id, data))

    @get("/members/{member_id:uuid}/history", guards=[requires(*REGISTER_READERS)], summary="Status history")
    async def history(self, register: Register, member_id: MemberId) -> list[StatusChangeOut]:
        return [msgspec.convert(row, StatusChangeOut) for row in await register.history(member_id)]

    @post("/members/{member_id:uuid}/invitation", guards=[requires(*REGISTER_KEEPERS)], status_code=200,
          summary="Invite an active member to sign in: their login, linked to the entry, and an e-mail to choose a password")
    async def invite(self, register: Register, member_id: MemberId) -> InvitationOut:
        return InvitationOut(invited=int(await register.invite(member_id)))

    @post("/members/invitations", guards=[requires(*REGISTER_KEEPERS)], status_code=200,
          summary="Invite every active member with an e-mail address and no login yet")
    async def invite_all(self, register: Register) -> InvitationOut:
        return InvitationOut(invited=await register.invite_all())

    @post("/members/invitations/selection", guards=[requires(*REGISTER_KEEPERS)], status_code=200,
          summary="Invite these members (all or none: each must be active with an e-mail address)")
    async def invite_selection(self, register: Register, data: JSONBody[InvitationSelection]) -> InvitationOut:
        return InvitationOut(invited=await register.invite_selection(data.member_ids))

    @get("/register.csv", guards=[requires(*REGISTER_READERS)], media_type="text/csv",
         summary="The register as CSV for a spreadsheet in the person's language (byte order mark, ';' where decimals take a comma, words not codes)")
    async def export_csv(self, register: Register, tenant: CurrentTenant) -> Response[str]:
        return Response(
            documents.register_spreadsheet(await register.all_in_order()),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="register-{tenant.slug}.csv"'},
        )

    @get("/register.pdf", guards=[requires(*REGISTER_READERS)], media_type="application/pdf", summary="The register as PDF (s. 124)")
    async def export_pdf(self, register: Register, tenant: CurrentTenant) -> Response[bytes]:
        document = await documents.register_pdf(tenant, await register.all_in_order(), tenant.today())
        return Response(
            document,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="register-{tenant.slug}.pdf"'},
        )

    @post("/members/import", guards=[requires(*REGISTER_KEEPERS)], summary="Import members from CSV (text/csv body)", status_code=200)
    async def import_members(self, request: Request, register: Register, dry_run: FromQuery[bool] = True) -> ImportReport:
        """All rows or none. A refusal (422) lists every bad row with its line, field and reason."""
        if not request.headers.get("content-type", "").startswith("text/csv"):
            raise Invalid(N_("Send the CSV file as the request body with the type text/csv."))
        return await register.import_csv(documents.decode_csv(await request.body()), dry_run=dry_run)


class ProfileController(Controller):
    path = "/api/t/{slug:str}/me"
    tags = ["my profile"]
    dependencies = DEPENDENCIES
    guards = [signed_in]

    @get("/", summary="My entry in the register")
    async def me(self, request: Request, register: Register) -> MemberOut:
        return member_out(await own_entry(request, register))

    @patch("/", summary="Correct my contact details, language and consents")
    async def correct_me(self, request: Request, register: Register, data: JSONBody[ContactChanges]) -> MemberOut:
        entry = await own_entry(request, register)
        updated = await register.correct(entry["id"], data)
        if data.language is not msgspec.UNSET:
            await services.set_user_locale(request.user.user_id, data.language)
        return member_out(updated)


    @get("/data", summary="All the data the register holds about me (JSON)")
    async def my_data(self, request: Request, register: Register, tenant: CurrentTenant) -> Response[MyDataOut]:
        document = await register.own_data(await own_entry(request, register))
        return Response(
            msgspec.convert(document, MyDataOut, from_attributes=True),
            headers={"content-disposition": f'attachment; filename="{my_data_name(tenant, "json")}"'},
        )

    @get("/data.pdf", media_type="application/pdf", summary="All the data the register holds about me (PDF, in my language)")
    async def my_data_pdf(self, request: Request, register: Register, tenant: CurrentTenant) -> Response[bytes]:
        document = await register.own_data(await own_entry(request, register))
        return Response(
            await documents.my_data_pdf(tenant, document), media_type="application/pdf",
            headers={"content-disposition": f'attachment; filename="{my_data_name(tenant, "pdf")}"'},
        )


def my_data_name(tenant, extension: str) -> str:
    """The download's file name, dated from the organisation's today."""
    return f"my-data-{tenant.slug}-{tenant.today().isoformat()}.{extension}"


async def own_entry(request: Request, register: Register) -> dict:
    entry = await register.of_user(request.user.user_id)
    if entry is None:
        raise NotFound(N_("Your login is not linked to an entry in this register."))
    return entry


ROUTES = [MemberController, ProfileController]
