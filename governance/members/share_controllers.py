"""JSON API of the share ledger: a member's shares and their operations, reversals, the ledger as
CSV, the register of shares and a member's certificate as PDF, the settings, and the members'
requests (asked at /api/t/{slug}/me/shares, answered by the secretary)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from backend.auth import requires, signed_in
from backend.tenancy import WRITES
from governance.members import documents, share_rules
from governance.members.controllers import DEPENDENCIES, MemberId, Register, own_entry
from governance.members.guards import REGISTER_KEEPERS, REGISTER_READERS
from governance.members.schemas import (
    HoldingOut,
    MemberSharesOut,
    ReversalIn,
    ShareAnswer,
    ShareOperationIn,
    ShareOperationOut,
    ShareRequestIn,
    ShareRequestOut,
    ShareSettingsIn,
    ShareSettingsOut,
)
from governance.members.services import OPENED_CERTIFICATE
from tenants.controllers import CurrentTenant

OperationId = FromPath[UUID]


async def member_shares(register: Register, member_id: UUID) -> dict:
    """What the pages and the API show of a member's shares."""
    holdings = await register.shares.holdings(member_id)
    qualifying = holdings.get(share_rules.ShareKind.QUALIFYING, share_rules.Holding())
    return {
        "holdings": holdings, "operations": await register.shares.operations(member_id), "requests": await register.shares.requests(member_id=member_id),
        "in_good_standing": share_rules.in_good_standing(qualifying, register.tenant.qualifying_shares),
    }


def shares_out(shares: dict) -> MemberSharesOut:
    return MemberSharesOut(
        holdings=[HoldingOut(share_kind=kind, subscribed=held.subscribed, paid=held.paid) for kind, held in shares["holdings"].items()],
        in_good_standing=shares["in_good_standing"],
        operations=[msgspec.convert(o, ShareOperationOut, from_attributes=True) for o in shares["operations"]],
        requests=[msgspec.convert(r, ShareRequestOut, from_attributes=True) for r in shares["requests"]],
    )


async def certificate(register: Register, member: dict) -> bytes:
    operations = await register.shares.operations(member["id"])
    return await documents.certificate_pdf(
        register.tenant, member, await register.shares.holdings(member["id"]), await register.shares.settings(), register.tenant.today(),
        number=f"{member['number']}-{operations[-1]['number'] if operations else 0}",
    )


def pdf_response(document: bytes, filename: str) -> Response[bytes]:
    return Response(document, media_type="application/pdf", headers={"content-disposition": f'inline; filename="{filename}"'})


class ShareController(Controller):
    path = "/api/t/{slug:str}"
    tags = ["share ledger"]
    dependencies = DEPENDENCIES

    @get("/members/{member_id:uuid}/shares", guards=[requires(*REGISTER_READERS)], summary="A member's shares: held of each kind, operations, requests")
    async def shares(self, register: Register, member_id: MemberId) -> MemberSharesOut:
        await register.get(member_id)
        return shares_out(await member_shares(register, member_id))

    @post("/members/{member_id:uuid}/shares", guards=[requires(*REGISTER_KEEPERS)], summary="Record an operation on a member's shares")
    async def record(self, register: Register, member_id: MemberId, data: JSONBody[ShareOperationIn]) -> ShareOperationOut:
        """Subscription, payment, transfer (paid shares, to the member numbered `to_member_number`),
        redemption (resignation, exclusion or death, with the board's decision and the day the
        refund was paid) or conversion (paid shares, to `to_kind`). Refused (409) if a member would
        hold fewer than no shares or more paid than subscribed."""
        return msgspec.convert(await register.shares.record(data, member_id), ShareOperationOut, from_attributes=True)

    @post("/shares/operations/{operation_id:uuid}/reversal", guards=[requires(*REGISTER_KEEPERS)], summary="Reverse an operation of the share ledger")
    async def reverse(self, register: Register, operation_id: OperationId, data: JSONBody[ReversalIn]) -> ShareOperationOut:
        return msgspec.convert(await register.shares.reverse(operation_id, data.reason), ShareOperationOut, from_attributes=True)

    @get("/shares/ledger.csv", guards=[requires(*REGISTER_READERS)], media_type="text/csv", summary="The share ledger as CSV for a spreadsheet")
    async def ledger_csv(self, register: Register, tenant: CurrentTenant) -> Response[str]:
        return Response(
            documents.ledger_csv(await register.shares.operations()), media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="shares-{tenant.slug}-{tenant.today().isoformat()}.csv"'},
        )

    @get("/shares/register.pdf", guards=[requires(*REGISTER_READERS)], media_type="application/pdf", summary="The register of shares as PDF")
    async def register_pdf(self, register: Register, tenant: CurrentTenant) -> Response[bytes]:
        document = await documents.share_register_pdf(tenant, await register.all_in_order(), await register.shares.all_holdings(), await register.shares.operations(), tenant.today())
        return pdf_response(document, f"shares-{tenant.slug}-{tenant.today().isoformat()}.pdf")

    @get("/members/{member_id:uuid}/shares/certificate.pdf", guards=[requires(*REGISTER_READERS)], media_type="application/pdf", opt=WRITES,
         summary="A member's share certificate (the opening is logged)")
    async def certificate_pdf(self, register: Register, member_id: MemberId) -> Response[bytes]:
        member = await register.get(member_id)
        await register.openings.log(member_id, OPENED_CERTIFICATE)
        return pdf_response(await certificate(register, member), f"certificate-{member['number']}.pdf")

    @get("/shares/settings", guards=[requires(*REGISTER_READERS)], summary="The share kinds' prices, the minimum and the certificates' signatories")
    async def settings(self, register: Register) -> ShareSettingsOut:
        return msgspec.convert(await register.shares.settings(), ShareSettingsOut)

    @put("/shares/settings", guards=[requires(*REGISTER_KEEPERS)], summary="Set the preferred shares' price and the certificates' signatories")
    async def set_settings(self, register: Register, data: JSONBody[ShareSettingsIn]) -> ShareSettingsOut:
        return msgspec.convert(await register.shares.set_settings(data), ShareSettingsOut)

    @get("/share-requests", guards=[requires(*REGISTER_READERS)], summary="Members' requests for shares, the latest first")
    async def requests(self, register: Register, status: FromQuery[Literal["pending", "approved", "refused"] | None] = None) -> list[ShareRequestOut]:
        return [msgspec.convert(r, ShareRequestOut, from_attributes=True) for r in await register.shares.requests(status=status)]

    @post("/share-requests/{request_id:uuid}/answer", guards=[requires(*REGISTER_KEEPERS)], status_code=200, summary="Approve or refuse a member's request for shares")
    async def answer(self, register: Register, request_id: FromPath[UUID], data: JSONBody[ShareAnswer]) -> ShareRequestOut:
        return msgspec.convert(await register.shares.decide(request_id, data), ShareRequestOut, from_attributes=True)


class OwnSharesController(Controller):
    path = "/api/t/{slug:str}/me/shares"
    tags = ["my profile"]
    dependencies = DEPENDENCIES
    guards = [signed_in]

    @get("/", summary="My shares, their operations and my requests")
    async def mine(self, request: Request, register: Register) -> MemberSharesOut:
        return shares_out(await member_shares(register, (await own_entry(request, register))["id"]))

    @post("/requests", summary="Ask to subscribe more shares or to have shares refunded")
    async def ask(self, request: Request, register: Register, data: JSONBody[ShareRequestIn]) -> ShareRequestOut:
        entry = await own_entry(request, register)
        return msgspec.convert(await register.shares.ask(entry["id"], data), ShareRequestOut, from_attributes=True)

    @get("/certificate.pdf", media_type="application/pdf", summary="My share certificate")
    async def certificate_pdf(self, request: Request, register: Register) -> Response[bytes]:
        entry = await own_entry(request, register)
        return pdf_response(await certificate(register, entry), f"certificate-{entry['number']}.pdf")


ROUTES = [ShareController, OwnSharesController]
