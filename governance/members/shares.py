"""The share ledger of one tenant: operations recorded (never changed, only reversed), the
register's figures derived from them, the ledger's settings, and members' requests for shares.
Every operation locks the members it moves (PostgreSQL; SQLite has one writer at a time), checks
what they would hold (share_rules), takes the tenant's next operation number, and writes the
movements, the qualifying shares' sums on the member's entry, and the audit event in one
transaction."""

from __future__ import annotations

import datetime as dt
import uuid

from backend import db
from backend.clock import now
from backend.context import TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_
from governance.members import share_rules
from governance.members.schemas import ShareAnswer, ShareOperationIn, ShareRequestIn, ShareSettingsIn
from governance.members.share_rules import Holding, Movement, Operation, ShareKind
from governance.members.tables import Member, ShareMovement, ShareOperation, ShareRequest, ShareSetting
from tenants.services import next_number, record

SHARE_OPERATIONS = "share_operation"


class ShareLedger(TenantService):
    # --- recording ---------------------------------------------------------------------------------

    async def record(self, entry: ShareOperationIn, member_id: uuid.UUID) -> dict:
        """An operation of a person (the secretary's form or the API) on this member's shares."""
        shares, kind = entry.shares, entry.share_kind
        if entry.kind == Operation.SUBSCRIPTION:
            movements = share_rules.subscription(member_id, kind, shares)
        elif entry.kind == Operation.PAYMENT:
            movements = share_rules.payment(member_id, kind, shares)  # (at least one: the schema's)
        elif entry.kind == Operation.TRANSFER:
            movements = share_rules.transfer(member_id, await self._member_numbered(entry.to_member_number), kind, shares)
        elif entry.kind == Operation.CONVERSION:
            movements = share_rules.conversion(member_id, kind, entry.to_kind or "", shares)
        else:
            self._check_redemption(entry)
            held = (await self._holdings([member_id])).get((member_id, kind), Holding())
            movements = share_rules.redemption(member_id, kind, shares, held)
        return await self._append(
            entry.kind, movements, occurred_on=self._dated(entry.occurred_on), reason=entry.note,
            ground=entry.ground, decision=entry.decision, paid_on=entry.paid_on,
        )

    async def reverse(self, operation_id: uuid.UUID, reason: str) -> dict:
        """The operation that undoes another (each is reversed once; a reversal is not reversed:
        the operation is recorded again instead)."""
        original = await self.operation(operation_id)
        if original["kind"] in (Operation.REVERSAL, Operation.OPENING):
            raise Conflict(N_("This operation cannot be reversed: record the operation that corrects it."))
        if await ShareOperation.exists().where(self._ops() & (ShareOperation.reverses_id == operation_id)):
            raise Conflict(N_("This operation was already reversed."))
        movements = share_rules.reversal(Movement(m["member_id"], m["share_kind"], m["subscribed"], m["paid"]) for m in original["movements"])
        return await self._append(Operation.REVERSAL, movements, occurred_on=self.tenant.today(), reason=reason, reverses_id=operation_id)

    async def record_payment(self, member_id: uuid.UUID, change: int, *, invoice_id: uuid.UUID) -> int:
        """Qualifying shares paid (or, negative, no longer paid) through an invoice (billing): as
        many as fit between none and the shares subscribed. Returns the shares paid after it."""
        await self._lock([member_id])
        held = (await self._holdings([member_id])).get((member_id, ShareKind.QUALIFYING), Holding())
        fitting = max(-held.paid, min(change, held.unpaid))
        if fitting:
            await self._append(
                Operation.PAYMENT, share_rules.payment(member_id, ShareKind.QUALIFYING, fitting), occurred_on=self.tenant.today(), invoice_id=invoice_id,
                reason=N_("Paid by a share invoice") if fitting > 0 else N_("Payment taken back by a credit note"),
            )
        return held.paid + fitting

    async def open(self, member_id: uuid.UUID, subscribed: int, paid: int, occurred_on: dt.date, reason: str) -> None:
        """The qualifying shares a member enters the register with (an admission, an import)."""
        if subscribed or paid:
            await self._append(Operation.OPENING, [Movement(member_id, ShareKind.QUALIFYING, subscribed, paid)], occurred_on=occurred_on, reason=reason)

    async def correct(self, member_id: uuid.UUID, subscribed: int, paid: int, reason: str) -> None:
        """The qualifying shares' figures corrected in the entry's form, as the change they make."""
        if subscribed or paid:
            await self._append(Operation.CORRECTION, [Movement(member_id, ShareKind.QUALIFYING, subscribed, paid)], occurred_on=self.tenant.today(), reason=reason)

    async def _append(self, kind: str, movements: list[Movement], *, occurred_on: dt.date, reason: str, **details) -> dict:
        members = sorted({m.member_id for m in movements}, key=str)
        await self._lock(members)
        share_rules.after(await self._holdings(members), movements)
        operation_id, number = uuid.uuid4(), await next_number(self.tenant, SHARE_OPERATIONS)
        await ShareOperation.insert(
            ShareOperation(
                tenant_id=self.tenant.id, id=operation_id, number=number, kind=str(kind), occurred_on=occurred_on, reason=reason,
                recorded_by=self.actor_id, recorded_at=now(), **details,
            )
        )
        await ShareMovement.insert(*[
            ShareMovement(tenant_id=self.tenant.id, id=uuid.uuid4(), operation_id=operation_id, member_id=m.member_id, share_kind=m.kind, subscribed=m.subscribed, paid=m.paid)
            for m in movements
        ])
        for m in movements:
            if m.kind == ShareKind.QUALIFYING:  # the register's figures, the sums of the ledger's
                await Member.update({
                    Member.shares_subscribed: Member.shares_subscribed + m.subscribed, Member.shares_paid: Member.shares_paid + m.paid, Member.updated_at: now(),
                }).where((Member.tenant_id == self.tenant.id) & (Member.id == m.member_id))
        for member_id in members:  # in each member's own history
            await record(self.tenant, self.actor_id, f"share.{kind}", "member", member_id, {
                "operation_id": operation_id, "number": number, "occurred_on": occurred_on,
                "movements": [[m.member_id, m.kind, m.subscribed, m.paid] for m in movements], **details,
            })
        return await self.operation(operation_id)

    # --- reading -----------------------------------------------------------------------------------

    async def operation(self, operation_id: uuid.UUID) -> dict:
        row = await ShareOperation.select().where(self._ops() & (ShareOperation.id == operation_id)).first()
        if row is None:
            raise NotFound(N_("No share operation of this organisation has this identifier."))
        return (await self._with_movements([row]))[0]

    async def operations(self, member_id: uuid.UUID | None = None) -> list[dict]:
        """The ledger in the order of its numbers (one member's operations, or all)."""
        query = ShareOperation.select().where(self._ops())
        if member_id is not None:
            ids = ShareMovement.select(ShareMovement.operation_id).where((ShareMovement.tenant_id == self.tenant.id) & (ShareMovement.member_id == member_id))
            query = query.where(ShareOperation.id.is_in(ids))
        return await self._with_movements(await query.order_by(ShareOperation.number))

    async def holdings(self, member_id: uuid.UUID) -> dict[str, Holding]:
        """What the member holds of each kind (kinds never held left out)."""
        held = await self._holdings([member_id])
        return {kind: held[(member_id, kind)] for kind in ShareKind if (member_id, kind) in held}

    async def all_holdings(self) -> dict[tuple[uuid.UUID, str], Holding]:
        rows = await ShareMovement.raw(
            "SELECT member_id, share_kind, SUM(subscribed) AS subscribed, SUM(paid) AS paid FROM share_movement WHERE tenant_id = {} GROUP BY member_id, share_kind",
            self.tenant.id,
        )
        return {(row["member_id"], row["share_kind"]): Holding(row["subscribed"], row["paid"]) for row in rows}

    async def _holdings(self, member_ids: list) -> dict[tuple[uuid.UUID, str], Holding]:
        if not member_ids:
            return {}
        rows = await ShareMovement.select(ShareMovement.member_id, ShareMovement.share_kind, ShareMovement.subscribed, ShareMovement.paid).where(
            (ShareMovement.tenant_id == self.tenant.id) & ShareMovement.member_id.is_in(member_ids)
        )
        return share_rules.holdings(Movement(r["member_id"], r["share_kind"], r["subscribed"], r["paid"]) for r in rows)

    async def _with_movements(self, operations: list[dict]) -> list[dict]:
        if not operations:
            return []
        movements = await ShareMovement.select(
            ShareMovement.operation_id, ShareMovement.member_id, ShareMovement.share_kind, ShareMovement.subscribed, ShareMovement.paid,
            ShareMovement.member_id.join_on(Member.id).number.as_alias("member_number"),
            ShareMovement.member_id.join_on(Member.id).first_name.as_alias("first_name"),
            ShareMovement.member_id.join_on(Member.id).last_name.as_alias("last_name"),
        ).where((ShareMovement.tenant_id == self.tenant.id) & ShareMovement.operation_id.is_in([o["id"] for o in operations]))
        reversed_ids = {
            row["reverses_id"] for row in await ShareOperation.select(ShareOperation.reverses_id).where(
                self._ops() & ShareOperation.reverses_id.is_in([o["id"] for o in operations])
            )
        }
        reversed_numbers = {
            row["id"]: row["number"] for row in await ShareOperation.select(ShareOperation.id, ShareOperation.number).where(
                self._ops() & ShareOperation.id.is_in([o["reverses_id"] for o in operations if o["reverses_id"]] or [uuid.uuid4()])
            )
        }
        for operation in operations:
            operation["movements"] = [m for m in movements if m["operation_id"] == operation["id"]]
            operation["reversed"] = operation["id"] in reversed_ids
            operation["reverses_number"] = reversed_numbers.get(operation["reverses_id"])
        return operations

    # --- settings ----------------------------------------------------------------------------------

    async def settings(self) -> dict:
        """The preferred shares' price (the organisation's share price by default) and the
        certificates' signatories; the qualifying shares' price and minimum are the organisation's."""
        row = await ShareSetting.select(ShareSetting.preferred_price_cents, ShareSetting.signatories).where(ShareSetting.tenant_id == self.tenant.id).first()
        stored = row or {"preferred_price_cents": self.tenant.share_price_cents, "signatories": ""}
        return {
            **stored, "qualifying_price_cents": self.tenant.share_price_cents, "qualifying_shares": self.tenant.qualifying_shares,
        }

    def prices(self, settings: dict) -> dict[str, int]:
        return {ShareKind.QUALIFYING: settings["qualifying_price_cents"], ShareKind.PREFERRED: settings["preferred_price_cents"]}

    async def set_settings(self, values: ShareSettingsIn) -> dict:
        changed = {"preferred_price_cents": values.preferred_price_cents, "signatories": values.signatories}
        if await ShareSetting.exists().where(ShareSetting.tenant_id == self.tenant.id):
            await ShareSetting.update(changed).where(ShareSetting.tenant_id == self.tenant.id)
        else:
            await ShareSetting.insert(ShareSetting(tenant_id=self.tenant.id, id=uuid.uuid4(), **changed))
        await record(self.tenant, self.actor_id, "share.settings_changed", "tenant", self.tenant.id, changed)
        return await self.settings()

    # --- members' requests -------------------------------------------------------------------------

    async def ask(self, member_id: uuid.UUID, request: ShareRequestIn) -> dict:
        """A member asks to subscribe more shares or to have shares refunded."""
        if request.kind == "refund":
            held = (await self._holdings([member_id])).get((member_id, request.share_kind), Holding())
            if request.shares > held.subscribed:
                raise Invalid(N_("You hold fewer shares of this kind than you ask to have refunded."), errors=[FieldError("shares", N_("At most %(n)s."), {"n": held.subscribed})])
        request_id = uuid.uuid4()
        await ShareRequest.insert(ShareRequest(
            tenant_id=self.tenant.id, id=request_id, member_id=member_id, kind=request.kind, share_kind=request.share_kind, shares=request.shares,
            note=request.note, status="pending", asked_at=now(),
        ))
        await record(self.tenant, self.actor_id, "share.requested", "share_request", request_id, {"kind": request.kind, "shares": request.shares, "share_kind": request.share_kind})
        return await self.request(request_id)

    async def requests(self, *, member_id: uuid.UUID | None = None, status: str | None = None) -> list[dict]:
        condition = ShareRequest.tenant_id == self.tenant.id
        if member_id is not None:
            condition &= ShareRequest.member_id == member_id
        if status is not None:
            condition &= ShareRequest.status == status
        return await ShareRequest.select(
            *ShareRequest.all_columns(exclude=[ShareRequest.tenant_id]),
            ShareRequest.member_id.join_on(Member.id).number.as_alias("member_number"),
            ShareRequest.member_id.join_on(Member.id).first_name.as_alias("first_name"),
            ShareRequest.member_id.join_on(Member.id).last_name.as_alias("last_name"),
        ).where(condition).order_by(ShareRequest.asked_at, ascending=False)

    async def request(self, request_id: uuid.UUID) -> dict:
        rows = [r for r in await self.requests() if r["id"] == request_id]
        if not rows:
            raise NotFound(N_("No request for shares of this organisation has this identifier."))
        return rows[0]

    async def decide(self, request_id: uuid.UUID, answer: ShareAnswer) -> dict:
        """The secretary's answer: approved, the request's operation is recorded (a subscription,
        or a redemption on resignation of the shares asked); refused, with the reason."""
        await self._lock_request(request_id)
        asked = await self.request(request_id)
        if asked["status"] != "pending":
            raise Conflict(N_("This request was already answered."))
        operation_id = None
        if answer.approved:
            entry = ShareOperationIn(
                kind=Operation.SUBSCRIPTION if asked["kind"] == "subscription" else Operation.REDEMPTION, share_kind=asked["share_kind"], shares=asked["shares"],
                ground=None if asked["kind"] == "subscription" else share_rules.Ground.RESIGNATION, decision=answer.decision, paid_on=answer.paid_on, note=answer.reason,
            )
            operation_id = (await self.record(entry, asked["member_id"]))["id"]
        elif not answer.reason.strip():
            raise Invalid(N_("Say why the request is refused."), errors=[FieldError("reason", N_("This field is required."))])
        await ShareRequest.update({
            ShareRequest.status: "approved" if answer.approved else "refused", ShareRequest.answer: answer.reason, ShareRequest.operation_id: operation_id,
            ShareRequest.decided_by: self.actor_id, ShareRequest.decided_at: now(),
        }).where((ShareRequest.tenant_id == self.tenant.id) & (ShareRequest.id == request_id))
        await record(self.tenant, self.actor_id, "share.request_approved" if answer.approved else "share.request_refused", "share_request", request_id, {"reason": answer.reason})
        return await self.request(request_id)

    # --- checks and locks ----------------------------------------------------------------------------

    def _ops(self):
        return ShareOperation.tenant_id == self.tenant.id

    def _dated(self, occurred_on: dt.date | None) -> dt.date:
        today = self.tenant.today()
        if occurred_on is not None and occurred_on > today:
            raise Invalid(N_("An operation is recorded once it has taken place."), errors=[FieldError("occurred_on", N_("Enter a date no later than today."))])
        return occurred_on or today

    def _check_redemption(self, entry: ShareOperationIn) -> None:
        errors = []
        if entry.ground is None:
            errors.append(FieldError("ground", N_("Say why the shares are redeemed: resignation, exclusion or death.")))
        if not entry.decision:
            errors.append(FieldError("decision", N_("Enter the board's decision (its resolution number).")))
        if entry.paid_on is not None and entry.paid_on > self.tenant.today():
            errors.append(FieldError("paid_on", N_("Enter a date no later than today.")))
        if errors:
            raise Invalid(N_("Some values are not valid."), errors=errors)

    async def _member_numbered(self, number: int | None) -> uuid.UUID:
        if number is None:
            raise Invalid(N_("Enter the number of the member who receives the shares."), errors=[FieldError("to_member_number", N_("This field is required."))])
        row = await Member.select(Member.id).where((Member.tenant_id == self.tenant.id) & (Member.number == number)).first()
        if row is None:
            raise Invalid(N_("No member of this organisation has this number."), errors=[FieldError("to_member_number", N_("No member of this organisation has this number."))])
        return row["id"]

    async def _lock(self, member_ids: list) -> None:
        """Holds the members' entries until the transaction ends, in one order (no deadlock), and
        refuses a member that is not this tenant's."""
        lock = " FOR UPDATE" if db.is_postgres(Member._meta.db) else ""
        rows = await Member.raw(
            "SELECT id FROM member WHERE tenant_id = {} AND id IN (" + ", ".join("{}" for _ in member_ids) + ") ORDER BY id" + lock,
            self.tenant.id, *member_ids,
        )
        if len(rows) != len(member_ids):
            raise NotFound(N_("No member of this organisation has this identifier."))

    async def _lock_request(self, request_id: uuid.UUID) -> None:
        if db.is_postgres(ShareRequest._meta.db):
            await ShareRequest.raw("SELECT id FROM share_request WHERE tenant_id = {} AND id = {} FOR UPDATE", self.tenant.id, request_id)
