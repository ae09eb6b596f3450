"""Hours and expenses: partners log hours and claim expenses (with receipts); the coordinator
approves them (never their own), gathers approved claims into a reimbursement batch with a CSV
for the finance department, and marks the batch paid. Reports: hours per person, committee,
activity and year; expenses per month."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from pathlib import Path

from backend import files
from backend.clock import now
from backend.context import Context, TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_
from backend.spreadsheet import safe_cell
from governance.partners import rules
from governance.partners.labels import label
from governance.partners.rules import ExpenseKind
from governance.partners.rules import ExpenseLine as Line
from governance.partners.schemas import ClaimDecision, ClaimIn, HoursDecision, HoursIn
from governance.partners.services import PartnerProgram, policy
from governance.partners.tables import Committee, ExpenseClaim, ExpenseLine, ExpenseReceipt, HoursEntry, ReimbursementBatch
from tenants import services as tenants
from tenants.services import TenantInfo

CLAIM_NUMBERS = "expense_claim"
BATCH_NUMBERS = "reimbursement_batch"


def _minute_of_day(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class Expenses(TenantService):
    def __init__(self, context: Context):
        super().__init__(context)
        self.program = PartnerProgram(context)

    def _t(self, table):
        return table.tenant_id == self.tenant.id

    # --- hours ---

    async def log_hours(self, partner_id: uuid.UUID, data: HoursIn) -> dict:
        partner = await self.program._row(partner_id)
        if data.worked_on > self.tenant.today():
            raise Invalid(N_("Hours are logged once worked."), errors=[FieldError("worked_on", N_("Enter a date no later than today."))])
        if data.committee_id is not None and not await Committee.exists().where(self._t(Committee) & (Committee.id == data.committee_id)):
            raise Invalid(N_("No committee of this organisation has this identifier."), errors=[FieldError("committee_id", N_("This identifier is not valid."))])
        entry_id = uuid.uuid4()
        await HoursEntry.insert(HoursEntry(
            tenant_id=self.tenant.id, id=entry_id, partner_id=partner["id"], activity=data.activity, committee_id=data.committee_id,
            worked_on=data.worked_on, minutes=data.minutes, description=data.description, status="submitted",
            logged_by=self.actor_id, created_at=now(),
        ))
        await self.program.touch(partner["id"], data.worked_on)
        await tenants.record(self.tenant, self.actor_id, "hours.logged", "hours_entry", entry_id, {"partner": partner_id, "minutes": data.minutes})
        return await self.hours_entry(entry_id)

    async def hours_entry(self, entry_id: uuid.UUID) -> dict:
        row = await HoursEntry.select().where(self._t(HoursEntry) & (HoursEntry.id == entry_id)).first()
        if row is None:
            raise NotFound(N_("No hours of this organisation have this identifier."))
        return row

    async def hours_of(self, partner_id: uuid.UUID) -> list[dict]:
        return await HoursEntry.select().where(self._t(HoursEntry) & (HoursEntry.partner_id == partner_id)).order_by(HoursEntry.worked_on, ascending=False)

    async def hours_waiting(self) -> list[dict]:
        return await HoursEntry.raw(
            "SELECT h.*, p.first_name, p.last_name FROM hours_entry h JOIN partner p ON p.tenant_id = h.tenant_id AND p.id = h.partner_id "
            "WHERE h.tenant_id = {} AND h.status = 'submitted' ORDER BY h.worked_on, p.last_name",
            self.tenant.id,
        )

    async def decide_hours(self, entry_id: uuid.UUID, data: HoursDecision) -> dict:
        entry = await self.hours_entry(entry_id)
        partner = await self.program._row(entry["partner_id"])
        self._check_approver(partner)
        if entry["status"] != "submitted":
            raise Conflict(N_("These hours have already been decided."))
        await HoursEntry.update({HoursEntry.status: data.status, HoursEntry.decided_by: self.actor_id, HoursEntry.decided_at: now()}).where(self._t(HoursEntry) & (HoursEntry.id == entry_id))
        await tenants.record(self.tenant, self.actor_id, f"hours.{data.status}", "hours_entry", entry_id, {})
        return await self.hours_entry(entry_id)

    def _check_approver(self, partner: dict) -> None:
        rules.check_approver(self.actor_id, partner["user_id"])

    # --- expense claims ---

    async def claim(self, partner_id: uuid.UUID, data: ClaimIn) -> dict:
        partner = await self.program._row(partner_id)
        if data.activity_on > self.tenant.today():
            raise Invalid(N_("Expenses are claimed once incurred."), errors=[FieldError("activity_on", N_("Enter a date no later than today."))])
        lines = [Line(kind=ExpenseKind(line.kind), amount_cents=line.amount_cents, km=line.km, minutes=line.minutes) for line in data.lines]
        start, end = _minute_of_day(data.starts_at), _minute_of_day(data.ends_at)
        amounts = rules.claim_amounts(await policy(self.tenant), lines, start, end)
        claim_id, number = uuid.uuid4(), await tenants.next_number(self.tenant, CLAIM_NUMBERS)
        await ExpenseClaim.insert(ExpenseClaim(
            tenant_id=self.tenant.id, id=claim_id, number=number, partner_id=partner["id"], activity_on=data.activity_on,
            starts_at_minute=start, ends_at_minute=end, description=data.description, total_cents=amounts.total_cents,
            status="submitted", submitted_by=self.actor_id, reason="", created_at=now(),
        ))
        for position, (line, allowed) in enumerate(zip(data.lines, amounts.lines, strict=True), start=1):
            await ExpenseLine.insert(ExpenseLine(
                tenant_id=self.tenant.id, id=uuid.uuid4(), claim_id=claim_id, position=position, kind=line.kind,
                claimed_cents=line.amount_cents, km=line.km, minutes=line.minutes, allowed_cents=allowed,
            ))
        await self.program.touch(partner["id"], data.activity_on)
        await tenants.record(self.tenant, self.actor_id, "expense_claim.submitted", "expense_claim", claim_id, {"number": number, "total_cents": amounts.total_cents})
        return await self.get_claim(claim_id)

    async def get_claim(self, claim_id: uuid.UUID, *, of_partner: uuid.UUID | None = None) -> dict:
        condition = self._t(ExpenseClaim) & (ExpenseClaim.id == claim_id)
        if of_partner is not None:
            condition &= ExpenseClaim.partner_id == of_partner
        row = await ExpenseClaim.select().where(condition).first()
        if row is None:
            raise NotFound(N_("No expense claim of this organisation has this identifier."))
        row["lines"] = await ExpenseLine.select(ExpenseLine.kind, ExpenseLine.claimed_cents, ExpenseLine.km, ExpenseLine.minutes, ExpenseLine.allowed_cents).where(self._t(ExpenseLine) & (ExpenseLine.claim_id == claim_id)).order_by(ExpenseLine.position)
        row["receipts"] = await ExpenseReceipt.select(ExpenseReceipt.id, ExpenseReceipt.filename, ExpenseReceipt.content_type, ExpenseReceipt.size_bytes).where(self._t(ExpenseReceipt) & (ExpenseReceipt.claim_id == claim_id)).order_by(ExpenseReceipt.uploaded_at)
        return row

    async def claims(self, *, status: str | None = None, partner_id: uuid.UUID | None = None) -> list[dict]:
        condition = self._t(ExpenseClaim)
        if status:
            condition &= ExpenseClaim.status == status
        if partner_id:
            condition &= ExpenseClaim.partner_id == partner_id
        return await ExpenseClaim.select().where(condition).order_by(ExpenseClaim.number, ascending=False)

    async def attach_receipt(self, claim_id: uuid.UUID, filename: str, content_type: str, data: bytes, *, of_partner: uuid.UUID | None = None) -> dict:
        """A receipt kept in the file store (backend/files.py), once its size, type and content are checked."""
        claim = await self.get_claim(claim_id, of_partner=of_partner)
        if claim["status"] != "submitted":
            raise Conflict(N_("Receipts are added while the claim waits for approval."))
        rules.check_receipt(await policy(self.tenant), len(data), content_type, data[:16])
        receipt_id = uuid.uuid4()
        await ExpenseReceipt.insert(ExpenseReceipt(
            tenant_id=self.tenant.id, id=receipt_id, claim_id=claim_id, filename=_safe_name(filename), content_type=content_type,
            size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_at=now(),
        ))
        await files.store(self.tenant.id, receipt_id, content_type, data)  # in the same transaction as its row
        await tenants.record(self.tenant, self.actor_id, "expense_claim.receipt_added", "expense_claim", claim_id, {"receipt": receipt_id, "bytes": len(data)})
        return {"id": receipt_id, "filename": _safe_name(filename), "content_type": content_type, "size_bytes": len(data)}

    async def receipt(self, claim_id: uuid.UUID, receipt_id: uuid.UUID, *, of_partner: uuid.UUID | None = None) -> tuple[dict, bytes]:
        await self.get_claim(claim_id, of_partner=of_partner)
        row = await ExpenseReceipt.select().where(self._t(ExpenseReceipt) & (ExpenseReceipt.id == receipt_id) & (ExpenseReceipt.claim_id == claim_id)).first()
        if row is None:
            raise NotFound(N_("No receipt of this claim has this identifier."))
        return row, await files.read(self.tenant.id, receipt_id)

    async def decide_claim(self, claim_id: uuid.UUID, data: ClaimDecision) -> dict:
        claim = await self.get_claim(claim_id)
        self._check_approver(await self.program._row(claim["partner_id"]))
        if claim["status"] != "submitted":
            raise Conflict(N_("This claim has already been decided."))
        if data.status == "rejected" and not data.reason.strip():
            raise Invalid(N_("Give the reason."), errors=[FieldError("reason", N_("This field is required."))])
        if data.status == "approved" and (missing := rules.missing_receipts(await policy(self.tenant), [line["kind"] for line in claim["lines"]], len(claim["receipts"]))):
            raise Conflict(N_("A receipt is required for each of these expenses: %(kinds)s."), kinds=", ".join(label("expense", kind) for kind in missing))
        await ExpenseClaim.update({ExpenseClaim.status: data.status, ExpenseClaim.reason: data.reason, ExpenseClaim.decided_by: self.actor_id, ExpenseClaim.decided_at: now()}).where(self._t(ExpenseClaim) & (ExpenseClaim.id == claim_id))
        await tenants.record(self.tenant, self.actor_id, f"expense_claim.{data.status}", "expense_claim", claim_id, {"reason": data.reason})
        return await self.get_claim(claim_id)

    # --- reimbursement batches ---

    async def make_batch(self) -> dict:
        """Every approved claim not yet in a batch, gathered for the finance department."""
        waiting = await ExpenseClaim.select(ExpenseClaim.id, ExpenseClaim.total_cents).where(self._t(ExpenseClaim) & (ExpenseClaim.status == "approved") & ExpenseClaim.batch_id.is_null())
        if not waiting:
            raise Conflict(N_("No approved claim is waiting for reimbursement."))
        batch_id, number = uuid.uuid4(), await tenants.next_number(self.tenant, BATCH_NUMBERS)
        total = sum(row["total_cents"] for row in waiting)
        await ReimbursementBatch.insert(ReimbursementBatch(tenant_id=self.tenant.id, id=batch_id, number=number, total_cents=total, created_by=self.actor_id, created_at=now()))
        await ExpenseClaim.update({ExpenseClaim.batch_id: batch_id}).where(self._t(ExpenseClaim) & ExpenseClaim.id.is_in([row["id"] for row in waiting]))
        await tenants.record(self.tenant, self.actor_id, "reimbursement_batch.created", "reimbursement_batch", batch_id, {"number": number, "claims": len(waiting), "total_cents": total})
        return await self.batch(batch_id)

    async def batch(self, batch_id: uuid.UUID) -> dict:
        row = await ReimbursementBatch.select().where(self._t(ReimbursementBatch) & (ReimbursementBatch.id == batch_id)).first()
        if row is None:
            raise NotFound(N_("No reimbursement batch of this organisation has this identifier."))
        row["claims"] = await ExpenseClaim.count().where(self._t(ExpenseClaim) & (ExpenseClaim.batch_id == batch_id))
        return row

    async def batches(self) -> list[dict]:
        return [await self.batch(row["id"]) for row in await ReimbursementBatch.select(ReimbursementBatch.id).where(self._t(ReimbursementBatch)).order_by(ReimbursementBatch.number, ascending=False)]

    async def batch_csv(self, batch_id: uuid.UUID) -> str:
        await self.batch(batch_id)
        rows = await ExpenseClaim.raw(
            "SELECT c.number, c.activity_on, c.description, c.total_cents, p.number AS partner_number, p.first_name, p.last_name "
            "FROM expense_claim c JOIN partner p ON p.tenant_id = c.tenant_id AND p.id = c.partner_id "
            "WHERE c.tenant_id = {} AND c.batch_id = {} ORDER BY c.number",
            self.tenant.id, batch_id,
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["claim", "activity_on", "partner", "last_name", "first_name", "description", "amount", "currency"])
        for row in rows:
            writer.writerow([row["number"], str(row["activity_on"]), row["partner_number"], safe_cell(row["last_name"]), safe_cell(row["first_name"]),
                             safe_cell(row["description"]), f"{row['total_cents'] // 100}.{row['total_cents'] % 100:02d}", self.tenant.currency])
        return buffer.getvalue()

    async def mark_paid(self, batch_id: uuid.UUID) -> dict:
        batch = await self.batch(batch_id)
        if batch["paid_at"] is not None:
            raise Conflict(N_("This batch is already paid."))
        moment = now()
        await ReimbursementBatch.update({ReimbursementBatch.paid_at: moment}).where(self._t(ReimbursementBatch) & (ReimbursementBatch.id == batch_id))
        await ExpenseClaim.update({ExpenseClaim.status: "paid"}).where(self._t(ExpenseClaim) & (ExpenseClaim.batch_id == batch_id))
        await tenants.record(self.tenant, self.actor_id, "reimbursement_batch.paid", "reimbursement_batch", batch_id, {})
        return await self.batch(batch_id)


def _safe_name(filename: str) -> str:
    name = Path(filename or "receipt").name
    return "".join(c for c in name if c.isprintable())[:200] or "receipt"


# --- reports ---------------------------------------------------------------------------------


async def hours_report(tenant: TenantInfo, year: int | None = None) -> dict:
    """Approved hours: per year, per person, per committee, per activity (of `year` when given);
    and the active partners counted for the dashboard."""
    scope, args = "h.tenant_id = {} AND h.status = 'approved'", [tenant.id]
    if year is not None:
        scope += " AND h.worked_on >= {} AND h.worked_on < {}"
        args += [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
    per_year = await _per_year(tenant)
    per_person = await HoursEntry.raw(
        f"SELECT p.number, p.first_name, p.last_name, SUM(h.minutes) AS minutes FROM hours_entry h "
        f"JOIN partner p ON p.tenant_id = h.tenant_id AND p.id = h.partner_id WHERE {scope} "
        f"GROUP BY p.number, p.first_name, p.last_name ORDER BY minutes DESC, p.number", *args,
    )
    per_committee = await HoursEntry.raw(
        f"SELECT c.name, SUM(h.minutes) AS minutes FROM hours_entry h "
        f"JOIN committee c ON c.tenant_id = h.tenant_id AND c.id = h.committee_id WHERE {scope} "
        f"GROUP BY c.name ORDER BY minutes DESC, c.name", *args,
    )
    per_activity = await HoursEntry.raw(
        f"SELECT h.activity, SUM(h.minutes) AS minutes FROM hours_entry h WHERE {scope} GROUP BY h.activity ORDER BY minutes DESC", *args,
    )
    people = await HoursEntry.raw(f"SELECT COUNT(DISTINCT h.partner_id) AS n FROM hours_entry h WHERE {scope}", *args)
    return {"year": year, "per_year": per_year, "per_person": per_person, "per_committee": per_committee, "per_activity": per_activity, "partners": people[0]["n"]}


async def _per_year(tenant: TenantInfo) -> list[dict]:
    """Minutes and people per calendar year (dates compared as ranges, so an index serves them)."""
    bounds = await HoursEntry.raw("SELECT MIN(worked_on) AS first, MAX(worked_on) AS last FROM hours_entry WHERE tenant_id = {} AND status = 'approved'", tenant.id)
    first, last = bounds[0]["first"], bounds[0]["last"]
    if first is None:
        return []
    first, last = (dt.date.fromisoformat(v) if isinstance(v, str) else v for v in (first, last))
    years = []
    for year in range(first.year, last.year + 1):
        row = (await HoursEntry.raw(
            "SELECT COALESCE(SUM(minutes), 0) AS minutes, COUNT(DISTINCT partner_id) AS partners FROM hours_entry "
            "WHERE tenant_id = {} AND status = 'approved' AND worked_on >= {} AND worked_on < {}",
            tenant.id, dt.date(year, 1, 1), dt.date(year + 1, 1, 1),
        ))[0]
        years.append({"year": year, "minutes": int(row["minutes"]), "partners": row["partners"]})
    return years


async def expenses_per_month(tenant: TenantInfo, year: int) -> list[dict]:
    rows = await ExpenseClaim.select(ExpenseClaim.activity_on, ExpenseClaim.total_cents).where(
        (ExpenseClaim.tenant_id == tenant.id) & ExpenseClaim.status.is_in(["approved", "paid"])
        & (ExpenseClaim.activity_on >= dt.date(year, 1, 1)) & (ExpenseClaim.activity_on < dt.date(year + 1, 1, 1))
    )
    months = {month: 0 for month in range(1, 13)}
    for row in rows:
        months[row["activity_on"].month] += row["total_cents"]
    return [{"month": month, "total_cents": cents} for month, cents in months.items()]
