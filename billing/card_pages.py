"""The treasurer's page of card payments (/t/{slug}/billing/card-payments): the organisation's own
Stripe account, its keys entered once (never shown again, only their last letters), the address to
give Stripe for its events, and the switch to turn card payments off."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from backend.auth import requires
from backend.web import Form, convert, page, submit, text
from billing.cards import CardPayments
from billing.controllers import DEPENDENCIES, CardsDep
from billing.guards import TREASURERS
from billing.schemas import StripeKeysIn

DoneQuery = Annotated[str | None, QueryParameter(pattern=r"^(connected|disconnected)$")]


class CardPaymentPages(Controller):
    path = "/t/{slug:str}/billing/card-payments"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*TREASURERS)]

    @get("/")
    async def account(self, request: Request, cards: CardsDep, done: DoneQuery = None) -> Template:
        return await self._page(request, cards, done=done)

    async def _page(self, request: Request, cards: CardPayments, status_code: int = 200, errors: dict | None = None, values: dict | None = None, done: str | None = None) -> Template:
        account = await cards.account()
        # The address Stripe posts to is the public one (PUBLIC_URL), as in the e-mails' links.
        webhook_url = request.app.state.settings.base_url + account["webhook_path"]
        shown = {"publishable_key": (values or {}).get("publishable_key", account["publishable_key"] or "")}  # the secrets are never shown again
        return page(request, "billing/card_payments.html", status_code=status_code, account=account, webhook_url=webhook_url, errors=errors or {}, values=shown, done=done)

    @post("/")
    async def connect(self, request: Request, cards: CardsDep, data: Form) -> Response:
        values = {name: text(data, name) for name in StripeKeysIn.__struct_fields__}
        return await submit(
            lambda: cards.connect(convert(values, StripeKeysIn)),
            f"/t/{cards.tenant.slug}/billing/card-payments/?done=connected",
            again=partial(self._page, request, cards, values=values),
        )

    @post("/off")
    async def disconnect(self, request: Request, cards: CardsDep) -> Response:
        return await submit(cards.disconnect, f"/t/{cards.tenant.slug}/billing/card-payments/?done=disconnected", again=partial(self._page, request, cards))


ROUTES = [CardPaymentPages]
