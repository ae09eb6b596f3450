"""Recognition and a person's own data as documents: the recognition certificate of a partner for a
year (approved hours per activity, committees sat on, trainings completed), in the partner's
language, as a PDF; and everything held about a partner (Law 25), as JSON and as a PDF."""

from __future__ import annotations

import datetime as dt

import msgspec

from backend import i18n, pdf, web
from backend.clock import local_date
from backend.context import Context
from backend.errors import Conflict
from backend.i18n import N_
from governance.partners.commitments import Commitments
from governance.partners.committees import Committees
from governance.partners.expenses import Expenses
from governance.partners.schemas import partner_out
from governance.partners.services import PartnerProgram
from governance.partners.tables import HoursEntry
from governance.partners.trainings import Trainings
from tenants.services import TenantInfo


async def certificate(tenant: TenantInfo, partner: dict, year: int) -> dict:
    """What the certificate of `year` says (409 when the partner gave no approved time that year)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    per_activity = await HoursEntry.raw(
        "SELECT activity, SUM(minutes) AS minutes FROM hours_entry WHERE tenant_id = {} AND partner_id = {} AND status = 'approved' "
        "AND worked_on >= {} AND worked_on < {} GROUP BY activity ORDER BY minutes DESC, activity",
        tenant.id, partner["id"], start, end,
    )
    seats = [
        seat for seat in await Committees(Context(tenant)).of_partner(partner["id"])
        if seat["term_start"] < end and (seat["term_end"] is None or seat["term_end"] >= start)
    ]
    trainings = [
        e for e in await Trainings(Context(tenant)).of_partner(partner["id"])
        if e["completed_at"] is not None and start <= local_date(e["completed_at"], tenant.timezone) < end
    ]
    total = sum(int(row["minutes"]) for row in per_activity)
    if not total and not seats:
        raise Conflict(N_("Nothing to recognise in %(year)s: no approved hours and no committee."), year=year)
    return {"year": year, "partner": partner, "per_activity": [{"activity": r["activity"], "minutes": int(r["minutes"])} for r in per_activity],
            "minutes": total, "seats": seats, "trainings": trainings}


async def certificate_pdf(tenant: TenantInfo, partner: dict, year: int) -> bytes:
    content = await certificate(tenant, partner, year)
    with i18n.using(partner["language"]):
        html = web.render("partners/certificate_pdf.html", tenant=tenant, today=tenant.today(), **content)
    return await pdf.html_to_pdf(html)


async def my_data(tenant: TenantInfo, program: PartnerProgram, own: dict) -> dict:
    """Everything held about the partner: file, stages, consents, seats, hours, claims, trainings,
    pledges, mandates, and who opened their file."""
    expenses = Expenses(Context(tenant))
    trainings = Trainings(Context(tenant))
    commitments = Commitments(Context(tenant))
    return {
        "partner": msgspec.to_builtins(partner_out(own)),
        "history": await program.history(own["id"]),
        "committees": await Committees(Context(tenant)).of_partner(own["id"]),
        "hours": await expenses.hours_of(own["id"]),
        "claims": [await expenses.get_claim(c["id"]) for c in await expenses.claims(partner_id=own["id"])],
        "trainings": [{k: v for k, v in e.items() if k != "sessions"} for e in await trainings.of_partner(own["id"])],
        "pledge": await commitments.pledge_of(own["id"]),
        "mandates": await commitments.mandates(own["id"]),
        "file_accesses": await program.file_accesses(own["id"]),
    }


async def my_data_pdf(tenant: TenantInfo, document: dict) -> bytes:
    return await pdf.html_to_pdf(web.render("partners/my_data_pdf.html", tenant=tenant, data=document, generated=tenant.today()))
