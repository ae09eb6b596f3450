"""The coordinator's page of the program's policy (/t/{slug}/program/policy): the call deadline,
the expenses' rates and caps in the organisation's money, the meal hours, receipts, the
confidentiality pledge, the privacy officer, and how long an idle profile is kept, with the
anonymisation of the profiles idle longer than that, asked for by hand (the daily job does it too)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Annotated

from babel.numbers import format_decimal
from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from backend import i18n
from backend.auth import requires
from backend.bodies import applied
from backend.i18n import N_
from backend.web import Form, listed, page, submit, text, typed_cents, typed_scaled
from governance.partners import anonymisation, services
from governance.partners.controllers import DEPENDENCIES
from governance.partners.forms import converted, minute_of_day
from governance.partners.guards import COORDINATORS
from governance.partners.labels import LABELS
from governance.partners.schemas import PolicyChanges, PolicyIn
from tenants import services as tenants
from tenants.controllers import CurrentTenant

MONEY = ("mileage_rate_cents_per_km", "transit_cap_cents", "parking_cap_cents", "meal_cap_cents", "childcare_rate_cents_per_hour", "childcare_cap_cents", "claim_cap_cents")
WHOLE = ("call_deadline_days", "mileage_cap_km", "inactivity_months", "pledge_valid_months")
MEAL_HOURS = ("lunch_start", "lunch_end", "supper_start", "supper_end")  # kept as minutes after midnight, entered as 12:00
TEXTS = ("privacy_officer_name", "privacy_officer_email", "privacy_officer_phone", "pledge_version")
CHOSEN = ("receipt_types", "receipt_required_kinds")
RECEIPT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
KILOBYTE = 1024
SavedQuery = Annotated[bool | None, QueryParameter()]
AnonymisedQuery = Annotated[int | None, QueryParameter(ge=0, le=1_000_000)]


def policy_from_form(form: dict) -> PolicyChanges:
    values: dict = {name: text(form, name) for name in (*WHOLE, *TEXTS)}
    values.update({name: typed_cents(text(form, name)) for name in MONEY})
    values.update({name: minute_of_day(text(form, name)) for name in MEAL_HOURS})
    values.update({name: listed(form, name) for name in CHOSEN})
    values["receipt_max_bytes"] = typed_scaled(text(form, "receipt_max_bytes"), KILOBYTE)
    retold = {name: (name, N_("Enter an amount of zero or more, for example 20.50.")) for name in MONEY}
    retold |= {name: (name, N_("Enter a time of day, for example 12:00.")) for name in MEAL_HOURS}
    retold["receipt_max_bytes"] = ("receipt_max_bytes", N_("Enter a size between 1 and 20480 kB."))
    return converted(values, PolicyChanges, retold)


def policy_form(policy: dict) -> dict:
    """The policy as its form shows it, in the reader's way of writing numbers."""
    locale = i18n.current_language()
    return {
        **{name: policy[name] for name in (*WHOLE, *TEXTS, *CHOSEN)},
        **{name: format_decimal(Decimal(policy[name]) / 100, format="0.00", locale=locale) for name in MONEY},
        **{name: f"{policy[name] // 60:02d}:{policy[name] % 60:02d}" for name in MEAL_HOURS},
        "receipt_max_bytes": policy["receipt_max_bytes"] // KILOBYTE,
    }


class PolicyPages(Controller):
    path = "/t/{slug:str}/program/policy"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*COORDINATORS)]

    @get("/")
    async def policy(self, request: Request, tenant: CurrentTenant, saved: SavedQuery = None, anonymised: AnonymisedQuery = None) -> Template:
        return await self._page(request, tenant, saved=bool(saved), anonymised=anonymised)

    async def _page(self, request: Request, tenant, status_code: int = 200, errors: dict | None = None, values: dict | None = None,
                    saved: bool = False, anonymised: int | None = None) -> Template:
        current = services.policy_out(await services.policy(tenant))
        shown = {**values, **{name: listed(values, name) for name in CHOSEN}} if values else policy_form(current)
        return page(request, "partners/policy.html", status_code=status_code, values=shown, errors=errors or {}, saved=saved, anonymised=anonymised,
                    policy=current, idle=len(await anonymisation.inactive_profiles(tenant)), receipt_types=RECEIPT_TYPES, expenses=LABELS["expense"])

    @post("/")
    async def change(self, request: Request, tenant: CurrentTenant, data: Form) -> Response:
        async def save():
            current = services.policy_out(await services.policy(tenant))
            return await services.set_policy(tenant, request.user, applied(current, policy_from_form(data), PolicyIn))

        return await submit(save, f"/t/{tenant.slug}/program/policy/?saved=true", again=partial(self._page, request, tenant, values=data))

    @post("/anonymise")
    async def anonymise(self, request: Request, tenant: CurrentTenant, data: Form) -> Redirect:
        """What the daily job does, now (the page asked first: it cannot be undone)."""
        numbers = await anonymisation.anonymise_inactive(tenant)
        await tenants.record(tenant, request.user.user_id, "partners.anonymised_by_hand", "partner_policy", None, {"numbers": numbers})
        return Redirect(f"/t/{tenant.slug}/program/policy/?anonymised={len(numbers)}#anonymisation")


ROUTES = [PolicyPages]
