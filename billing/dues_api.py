"""JSON API of members' dues and share invoices: /api/t/{slug}/billing/dues…, /share-invoices.
A member's own invoices and paying them are the invoices API's (GET /invoices, card-payment)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.auth import requires
from backend.bodies import applied
from backend.context import provider
from billing.controllers import invoice_out
from billing.dues import Dues
from billing.guards import TREASURERS
from billing.invoicing import Invoicing
from billing.schemas import (
    DuesIssueReport,
    DuesRunIn,
    DuesRunReport,
    DuesSettingsChanges,
    DuesSettingsIn,
    DuesSettingsOut,
    InvoiceOut,
    MemberDocumentOut,
    ShareInvoiceIn,
)

DEPENDENCIES = {"dues": provider(Dues), "invoicing": provider(Invoicing)}
DuesDep = NamedDependency[Dues]


class DuesController(Controller):
    path = "/api/t/{slug:str}/billing"
    tags = ["members' dues and shares"]
    dependencies = DEPENDENCIES
    guards = [requires(*TREASURERS)]

    @get("/dues/settings", summary="Annual dues per member category and their tax treatment")
    async def settings(self, dues: DuesDep) -> DuesSettingsOut:
        return msgspec.convert(await dues.dues_settings(), DuesSettingsOut)

    @put("/dues/settings", summary="Set the annual dues per member category and whether they are taxable (the fields given; the other keeps its value)")
    async def update_settings(self, dues: DuesDep, data: JSONBody[DuesSettingsChanges]) -> DuesSettingsOut:
        return msgspec.convert(await dues.update_dues_settings(applied(await dues.dues_settings(), data, DuesSettingsIn)), DuesSettingsOut)

    @post("/dues/runs", status_code=200, summary="Draft the year's dues, one invoice per active member")
    async def run(self, dues: DuesDep, data: JSONBody[DuesRunIn]) -> DuesRunReport:
        return msgspec.convert(await dues.run_dues(data.year), DuesRunReport)

    @post("/dues/runs/issue", status_code=200, summary="Issue the year's dues drafts (PDFs e-mailed after the commit, the others listed for post)")
    async def issue(self, dues: DuesDep, data: JSONBody[DuesRunIn]) -> DuesIssueReport:
        return msgspec.convert(await dues.issue_dues(data.year), DuesIssueReport)

    @get("/dues", summary="A year's dues invoices per member (to_post: the issued ones of members without an e-mail address)")
    async def of_year(self, dues: DuesDep, year: Annotated[int, QueryParameter(ge=2000, le=2999)], to_post: Annotated[bool, QueryParameter()] = False) -> list[MemberDocumentOut]:
        return [msgspec.convert(row, MemberDocumentOut) for row in await dues.member_documents(year=year, to_post=to_post)]

    @post("/dues/members/{member_id:uuid}", summary="Draft one member's dues of a year (refused if they have them)")
    async def one_member(self, dues: DuesDep, member_id: FromPath[UUID], data: JSONBody[DuesRunIn]) -> InvoiceOut:
        return await invoice_out(dues.invoicing, await dues.dues_for_member(data.year, member_id))

    @post("/share-invoices", summary="Invoice (and issue) the shares a member subscribed and has not paid")
    async def share_invoice(self, dues: DuesDep, data: JSONBody[ShareInvoiceIn]) -> InvoiceOut:
        return await invoice_out(dues.invoicing, await dues.invoice_shares(data.member_id))

    @get("/share-invoices", summary="The members' share invoices")
    async def share_invoices(self, dues: DuesDep) -> list[MemberDocumentOut]:
        return [msgspec.convert(row, MemberDocumentOut) for row in await dues.member_documents(purpose="shares")]


ROUTES = [DuesController]
