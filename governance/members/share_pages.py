"""Pages of the share ledger: an operation recorded or reversed from the member's entry, the
secretary's page of shares (members' requests to answer, the settings, the register of shares and
the ledger to download), and the member's own shares with their requests."""

from __future__ import annotations

from functools import partial
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from backend.auth import requires, signed_in
from backend.errors import Problem
from backend.web import Form, convert, errors_by_field, from_form, page, submit, text, typed_cents
from governance.members.controllers import DEPENDENCIES, MemberId, Register, own_entry
from governance.members.guards import REGISTER_KEEPERS, REGISTER_READERS
from governance.members.pages import member_page
from governance.members.schemas import ReversalIn, ShareAnswer, ShareOperationIn, ShareRequestIn, ShareSettingsIn
from governance.members.share_controllers import member_shares


class SharePages(Controller):
    path = "/t/{slug:str}"
    dependencies = DEPENDENCIES
    include_in_schema = False

    @post("/members/{member_id:uuid}/shares", guards=[requires(*REGISTER_KEEPERS)])
    async def record(self, request: Request, register: Register, member_id: MemberId, data: Form) -> Response:
        return await submit(
            lambda: register.shares.record(from_form(data, ShareOperationIn), member_id),
            lambda operation: f"/t/{register.tenant.slug}/members/{member_id}?done=recorded&operation={operation['number']}#shares",
            again=partial(member_page, request, register, member_id, values=data, form="shares"),
        )

    @post("/members/{member_id:uuid}/shares/{operation_id:uuid}/reversal", guards=[requires(*REGISTER_KEEPERS)])
    async def reverse(self, request: Request, register: Register, member_id: MemberId, operation_id: FromPath[UUID], data: Form) -> Response:
        return await submit(
            lambda: register.shares.reverse(operation_id, convert({"reason": text(data, "reason")}, ReversalIn).reason),
            lambda operation: f"/t/{register.tenant.slug}/members/{member_id}?done=reversed&operation={operation['number']}#shares",
            again=partial(member_page, request, register, member_id, values=data, form="reversal"),
        )

    @get("/shares", guards=[requires(*REGISTER_READERS)])
    async def shares(self, request: Request, register: Register) -> Template:
        return await shares_page(request, register)

    @post("/shares/settings", guards=[requires(*REGISTER_KEEPERS)])
    async def settings(self, request: Request, register: Register, data: Form) -> Response:
        return await submit(
            lambda: register.shares.set_settings(convert({"preferred_price_cents": typed_cents(text(data, "preferred_price")), "signatories": text(data, "signatories")}, ShareSettingsIn)),
            f"/t/{register.tenant.slug}/shares?done=settings",
            again=partial(shares_page, request, register, values=data),
            errors=_price_errors,
        )

    @post("/shares/requests/{request_id:uuid}/answer", guards=[requires(*REGISTER_KEEPERS)])
    async def answer(self, request: Request, register: Register, request_id: FromPath[UUID], data: Form) -> Response:
        values = {**data, "approved": "true" if text(data, "approved") == "yes" else "false"}
        return await submit(
            lambda: register.shares.decide(request_id, from_form(values, ShareAnswer)),
            lambda answered: f"/t/{register.tenant.slug}/shares?done={answered['status']}",
            again=partial(shares_page, request, register, values=data, answering=request_id),
        )

    @get("/me/shares", guards=[signed_in])
    async def mine(self, request: Request, register: Register) -> Template:
        return await own_shares_page(request, register)

    @post("/me/shares/requests", guards=[signed_in])
    async def ask(self, request: Request, register: Register, data: Form) -> Response:
        async def asking():
            return await register.shares.ask((await own_entry(request, register))["id"], from_form(data, ShareRequestIn))

        return await submit(asking, f"/t/{register.tenant.slug}/me/shares?done=asked", again=partial(own_shares_page, request, register, values=data))


async def shares_page(request: Request, register: Register, status_code: int = 200, errors: dict | None = None, values: dict | None = None, answering=None) -> Template:
    settings = await register.shares.settings()
    return page(
        request, "members/shares.html", status_code=status_code, errors=errors or {}, answering=answering,
        values=values or {"preferred_price": f"{settings['preferred_price_cents'] / 100:.2f}", "signatories": settings["signatories"]},
        settings=settings, pending=await register.shares.requests(status="pending"), answered=(await register.shares.requests())[:20],
        keeps_register=request.user.has_any(REGISTER_KEEPERS), done=request.query_params.get("done"),
    )


async def own_shares_page(request: Request, register: Register, status_code: int = 200, errors: dict | None = None, values: dict | None = None) -> Template:
    entry = await own_entry(request, register)
    return page(
        request, "members/my_shares.html", status_code=status_code, errors=errors or {}, values=values or {}, member=entry,
        shares=await member_shares(register, entry["id"]), settings=await register.shares.settings(), done=request.query_params.get("done"),
    )


def _price_errors(problem: Problem) -> dict[str, str]:
    return {("preferred_price" if field == "preferred_price_cents" else field): message for field, message in errors_by_field(problem).items()}


ROUTES = [SharePages]
