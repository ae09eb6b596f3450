"""The treasurer's page of the clinicians' billing accounts (/t/{slug}/billing/clinicians): who is
billed, with their class, language and postal address; open the account of a person holding the
clinician role, change an account."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from backend.auth import requires
from backend.web import Form, convert, page, submit, text
from billing import labels
from billing.controllers import DEPENDENCIES, ClinicianId, CliniciansDep
from billing.guards import TREASURERS
from billing.schemas import ClinicianChanges, ClinicianIn
from billing.services import Clinicians

FIELDS = ("name", "clinician_class", "language", "address")
SavedQuery = Annotated[str | None, QueryParameter(max_length=20)]


class ClinicianPages(Controller):
    path = "/t/{slug:str}/billing"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*TREASURERS)]

    @get("/clinicians")
    async def clinicians(self, request: Request, clinicians: CliniciansDep, saved: SavedQuery = None) -> Template:
        return await self._page(request, clinicians, saved=saved)

    async def _page(self, request: Request, clinicians: Clinicians, status_code: int = 200, errors: dict | None = None, values: dict | None = None, saved: str | None = None, editing=None) -> Template:
        accounts = await clinicians.clinicians("clinician")
        return page(
            request, "billing/clinicians.html", status_code=status_code, accounts=accounts,
            class_choices=labels.choices(labels.CLINICIAN_CLASSES, {a["clinician_class"] for a in accounts}),
            candidates=[(person["email"], f"{person['full_name']} ({person['email']})") for person in await clinicians.without_account()], errors=errors or {}, values=values or {}, saved=saved, editing=editing,
            label=labels.label,
        )

    @post("/clinicians")
    async def open_account(self, request: Request, clinicians: CliniciansDep, data: Form) -> Response:
        values = {name: text(data, name) for name in ("email", *FIELDS) if text(data, name)}
        return await submit(
            lambda: clinicians.register_clinician(convert(values, ClinicianIn)),
            f"/t/{clinicians.tenant.slug}/billing/clinicians?saved=opened",
            again=partial(self._page, request, clinicians, values=data),
        )

    @post("/clinicians/{clinician_id:uuid}")
    async def change(self, request: Request, clinicians: CliniciansDep, clinician_id: ClinicianId, data: Form) -> Response:
        # A field left empty is kept, except the address, which may be taken off.
        values = {name: text(data, name) for name in FIELDS if text(data, name) or name == "address"}
        return await submit(
            lambda: clinicians.change_clinician(clinician_id, convert(values, ClinicianChanges)),
            f"/t/{clinicians.tenant.slug}/billing/clinicians?saved=changed",
            again=partial(self._page, request, clinicians, values=data, editing=clinician_id),
        )


ROUTES = [ClinicianPages]
