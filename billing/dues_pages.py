"""Pages of members' dues and share invoices: the treasurer's dues run and share invoices
(/t/{slug}/billing/dues), a member's own invoices with the way to pay them (/t/{slug}/billing/mine)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from backend.auth import requires, signed_in
from backend.errors import Problem
from backend.web import Form, convert, errors_by_field, page, submit, text, typed_cents
from billing.cards import CardPayments
from billing.controllers import InvoicingDep
from billing.dues import Dues
from billing.dues_api import DEPENDENCIES, DuesDep
from billing.guards import TREASURERS
from billing.schemas import DuesRunIn, DuesSettingsIn, ShareInvoiceIn
from governance.members import labels as member_labels

YearQuery = Annotated[int | None, QueryParameter(ge=2000, le=2999)]


class DuesPages(Controller):
    path = "/t/{slug:str}/billing"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @get("/dues", guards=[requires(*TREASURERS)])
    async def dues(self, request: Request, dues: DuesDep, year: YearQuery = None) -> Template:
        return await self._dues(request, dues, year or dues.tenant.today().year)

    async def _dues(self, request: Request, dues: Dues, year: int, status_code: int = 200, errors: dict | None = None, report: dict | None = None) -> Template:
        documents = await dues.member_documents(year=year)
        return page(
            request, "billing/dues.html", status_code=status_code, year=year, settings=await dues.dues_settings(), documents=documents,
            to_post=[d for d in documents if d["status"] == "issued" and not d["email"]], shares=await dues.member_documents(purpose="shares"),
            members=await dues.members_owing_shares(), without_dues=await dues.members_without_dues(year, documents),
            errors=errors or {}, report=report, category_label=member_labels.label,
        )

    async def _do(self, request: Request, dues: Dues, work, then: str) -> Response:
        """Does what a form asks (`work`, a function taking no argument), then goes to `then`;
        refused, the page again with the reasons (the form's year, or this year)."""
        return await submit(
            lambda: work(),
            f"/t/{dues.tenant.slug}/billing/{then}",
            again=partial(self._dues, request, dues, dues.tenant.today().year),
        )

    @post("/dues/settings", guards=[requires(*TREASURERS)])
    async def settings(self, request: Request, dues: DuesDep, data: Form) -> Response:
        def work():
            amounts = {category: typed_cents(text(data, f"dues_{category}")) for category in dues.tenant.member_categories if text(data, f"dues_{category}")}
            return dues.update_dues_settings(convert({"dues_cents": amounts, "dues_taxable": bool(text(data, "dues_taxable"))}, DuesSettingsIn))

        return await self._do(request, dues, work, "dues")

    @post("/dues/runs", guards=[requires(*TREASURERS)])
    async def run(self, request: Request, dues: DuesDep, data: Form) -> Response:
        try:
            year = convert({"year": text(data, "year")}, DuesRunIn).year
            report = await dues.run_dues(year)
        except Problem as problem:
            return await self._dues(request, dues, dues.tenant.today().year, status_code=problem.status, errors=errors_by_field(problem))
        return await self._dues(request, dues, year, report=report)

    @post("/dues/runs/issue", guards=[requires(*TREASURERS)])
    async def issue(self, request: Request, dues: DuesDep, data: Form) -> Response:
        year = text(data, "year")
        return await self._do(request, dues, lambda: dues.issue_dues(convert({"year": year}, DuesRunIn).year), f"dues?year={year}")

    @post("/dues/members", guards=[requires(*TREASURERS)])
    async def one_member(self, request: Request, dues: DuesDep, data: Form) -> Response:
        """One member's dues of the year: a member admitted after the run."""
        def work():
            values = convert({"year": text(data, "year")}, DuesRunIn)
            return dues.dues_for_member(values.year, convert({"member_id": text(data, "member_id")}, ShareInvoiceIn).member_id)

        return await self._do(request, dues, work, f"dues?year={text(data, 'year')}")

    @post("/share-invoices", guards=[requires(*TREASURERS)])
    async def share_invoice(self, request: Request, dues: DuesDep, data: Form) -> Response:
        return await self._do(request, dues, lambda: dues.invoice_shares(convert({"member_id": text(data, "member_id")}, ShareInvoiceIn).member_id), "dues#shares-title")

    @get("/mine", guards=[signed_in])
    async def mine(self, request: Request, invoicing: InvoicingDep) -> Template:
        """A member's (or clinician's) own issued invoices: dues, shares, room hours; PDF and pay."""
        invoices = await invoicing.own_invoices()
        return page(request, "billing/mine.html", invoices=[i for i in invoices if i["kind"] == "invoice"], card_payments=await CardPayments(invoicing.context).enabled())


ROUTES = [DuesPages]

