"""The treasurer's page of billing settings (/t/{slug}/billing/settings): the seller on the
invoices (legal name, address, GST and QST registration numbers, warned about until they are set),
the taxes, the payment terms and reminders, the cancellation policy, the evening band, and what
is billed of a booking; with the way to card payments."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Annotated

from babel.numbers import format_decimal
from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from backend import i18n
from backend.auth import requires
from backend.bodies import applied
from backend.web import Form, convert, page, submit, text
from billing import rules
from billing.cards import CardPayments
from billing.controllers import DEPENDENCIES, TermsDep
from billing.guards import TREASURERS
from billing.schemas import SettingsChanges, SettingsIn
from billing.services import Terms

TEXTS = ("legal_name", "address", "gst_number", "qst_number", "payment_terms_days", "free_cancellation_hours", "late_fee_percent", "no_show_percent", "evening_from")
RATES = ("gst_rate_pcm", "qst_rate_pcm")  # entered as percentages (9,975), kept in thousandths of a percent
SavedQuery = Annotated[bool | None, QueryParameter()]


def _percent(value: str) -> object:
    """A percentage as people write it (9,975 or 9.975) in thousandths of a percent; anything
    else as it was, refused by the schema next to its field."""
    try:
        return int(Decimal(value.replace(",", ".").replace("\u00a0", "").replace(" ", "")) * 1000)
    except InvalidOperation:
        return value


def settings_from_form(form: dict, currency: str) -> SettingsChanges:
    values = {name: text(form, name, strip=name != "address") for name in TEXTS}
    values["address"] = values["address"].strip()
    values["reminder_days"] = [day for day in text(form, "reminder_days").replace(",", " ").split() if day]
    values["bill_actual_use"] = text(form, "bill_actual_use") == "on"
    if currency == "CAD":
        values.update({name: _percent(text(form, name)) for name in RATES})
    return convert(values, SettingsChanges)


class BillingSettingsPages(Controller):
    path = "/t/{slug:str}/billing/settings"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*TREASURERS)]

    @get("/")
    async def settings(self, request: Request, terms: TermsDep, saved: SavedQuery = None) -> Template:
        return await self._page(request, terms, saved=bool(saved))

    async def _page(self, request: Request, terms: Terms, status_code: int = 200, errors: dict | None = None, values: dict | None = None, saved: bool = False) -> Template:
        current = await terms.settings()
        shown = values or {
            **{name: current[name] for name in TEXTS},
            **{name: format_decimal(Decimal(current[name]) / 1000, format="#,##0.###", locale=i18n.current_language()) for name in RATES},
            "reminder_days": ", ".join(str(day) for day in current["reminder_days"]),
            "bill_actual_use": current["bill_actual_use"],
        }
        return page(
            request, "billing/settings.html", status_code=status_code, values=shown, errors=errors or {}, saved=saved,
            missing=rules.missing_for_invoices(current, terms.tenant.currency), card_payments=await CardPayments(terms.context).enabled(),
        )

    @post("/")
    async def change(self, request: Request, terms: TermsDep, data: Form) -> Response:
        async def save() -> dict:
            changes = settings_from_form(data, terms.tenant.currency)
            return await terms.update_settings(applied(await terms.settings(), changes, SettingsIn))

        return await submit(save, f"/t/{terms.tenant.slug}/billing/settings/?saved=true", again=partial(self._page, request, terms, values=data))


ROUTES = [BillingSettingsPages]
