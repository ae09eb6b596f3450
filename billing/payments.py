"""Payments of issued invoices: manual ones (cheque, transfer, cash) recorded by the treasurer
(card payments through the tenant's Stripe account: billing/cards.py), the clinicians' account
credit, statements of account, and the shares a member's share invoice pays for."""

from __future__ import annotations

import uuid

from backend import i18n
from backend.clock import now
from backend.context import Context
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from billing import labels, rules
from billing.invoicing import Invoicing
from billing.schemas import PaymentIn, RefundIn
from billing.services import BillingService
from billing.tables import AccountCredit, Payment, PaymentReversal
from governance.members.services import MemberRegister


class Payments(BillingService):
    """Payments of issued invoices, the clinicians' account credit (kept overpayments, refunds),
    statements of account, and the shares a member's share invoice pays for. Holds an
    `Invoicing`: every payment is of one of its invoices."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.invoicing = Invoicing(context)
        self.clinicians = self.invoicing.clinicians
        self.register = MemberRegister(context)

    async def payments(self, invoice_id=None) -> list[dict]:
        condition = Payment.tenant_id == self.tenant.id
        if invoice_id is not None:
            condition &= Payment.invoice_id == invoice_id
        return await Payment.select().where(condition).order_by(Payment.received_on, Payment.created_at)

    async def payable(self, invoice_id, amount_cents: int, *, keep_excess: bool = False) -> dict:
        invoice = await self.invoicing.invoice(invoice_id, lock=True)
        if invoice["kind"] != "invoice" or invoice["status"] != "issued":
            raise Conflict(N_("Only an issued invoice can be paid."))
        if amount_cents > invoice["balance_cents"] and not keep_excess:
            raise Invalid(
                N_("This is more than the balance due (%(balance)s): an overpayment is refused."),
                errors=[FieldError("amount_cents", N_("Enter at most the balance due, or keep the excess as a credit."))],
                balance=f"{invoice['balance_cents'] / 100:.2f}",
            )
        return invoice

    async def record_payment(self, invoice_id, data: PaymentIn) -> dict:
        """A cheque, transfer or cash payment, all or part of the balance due. More than the
        balance is refused, unless asked to keep the excess as the clinician's credit (applied
        to their next invoices, or refunded)."""
        invoice = await self.payable(invoice_id, data.amount_cents, keep_excess=data.keep_excess_as_credit)
        await self.invoicing.check_open(rules.month_of(data.received_on))
        if data.received_on > self.tenant.today():
            raise Invalid(N_("A payment is recorded once received."), errors=[FieldError("received_on", N_("Enter a date no later than today."))])
        applied = min(data.amount_cents, max(invoice["balance_cents"], 0))
        excess = data.amount_cents - applied
        payment_id = uuid.uuid4() if applied else None
        if applied:
            await Payment.insert(
                Payment(
                    tenant_id=self.tenant.id, id=payment_id, invoice_id=invoice_id, method=data.method, status="succeeded",
                    amount_cents=applied, received_on=data.received_on, reference=data.reference, recorded_by=self.actor_id, created_at=now(),
                )
            )
            await self.audit("payment.recorded", "invoice", invoice_id, {"payment_id": payment_id, "method": data.method, "amount_cents": applied})
            await self.settle_shares(invoice)
        if excess:
            reference = " · ".join(part for part in (invoice["number"], data.reference) if part)
            await self.invoicing.record_credit_movement(invoice["clinician_id"], "overpayment", excess, occurred_on=data.received_on, reference=reference, payment_id=payment_id)
        if payment_id is None:  # all of it kept as credit: the payment is the credit's movement
            return {"id": None, "invoice_id": invoice_id, "method": data.method, "status": "succeeded", "amount_cents": 0, "received_on": data.received_on, "reference": data.reference, "credit_cents": excess}
        return {**await self.payment(payment_id), "credit_cents": excess}

    async def account_credit(self, clinician_id) -> dict:
        await self.clinicians.clinician(clinician_id)
        rows = await AccountCredit.select().where((AccountCredit.tenant_id == self.tenant.id) & (AccountCredit.clinician_id == clinician_id)).order_by(AccountCredit.created_at)
        return {"clinician_id": clinician_id, "currency": self.tenant.currency, "balance_cents": sum(r["amount_cents"] for r in rows), "movements": rows}

    async def refund(self, clinician_id, data: RefundIn) -> dict:
        """Pays back (cheque, transfer, cash) some or all of a clinician's credit, never more."""
        await self.clinicians.clinician(clinician_id)
        await self.invoicing.check_open(rules.month_of(data.paid_on))
        if data.paid_on > self.tenant.today():
            raise Invalid(N_("A refund is recorded once paid."), errors=[FieldError("paid_on", N_("Enter a date no later than today."))])
        available = await self.invoicing.credit_balance(clinician_id, lock=True)
        if data.amount_cents > available:
            money = i18n.format_money(available, self.tenant.currency)
            raise Invalid(N_("A refund cannot exceed the clinician's credit (%(credit)s)."), errors=[FieldError("amount_cents", N_("Enter at most %(left)s."), {"left": money})], credit=money)
        reference = " · ".join(part for part in (gettext(labels.METHODS[data.method]), data.reference) if part)
        await self.invoicing.record_credit_movement(clinician_id, "refund", -data.amount_cents, occurred_on=data.paid_on, reference=reference)
        return await self.account_credit(clinician_id)

    async def reversals(self, invoice_ids: list | None = None) -> list[dict]:
        """Card money given back, taken back by a dispute, or returned (billing/cards.py)."""
        condition = PaymentReversal.tenant_id == self.tenant.id
        if invoice_ids is not None:
            condition &= PaymentReversal.invoice_id.is_in(invoice_ids) if invoice_ids else PaymentReversal.id.is_null()
        return await PaymentReversal.select().where(condition).order_by(PaymentReversal.occurred_on, PaymentReversal.created_at)

    async def payment(self, payment_id) -> dict:
        row = await Payment.select().where((Payment.tenant_id == self.tenant.id) & (Payment.id == payment_id)).first()
        if row is None:
            raise NotFound(N_("No payment of this organisation has this identifier."))
        return row

    # --- share invoices ---

    async def credit(self, invoice_id, amount_cents: int | None, reason: str, *, booking_id=None) -> dict:
        """A credit note (see Invoicing.credit); on a share invoice already paid, the shares the
        money no longer pays for (it went to the member's account credit) leave the register."""
        before = await self.invoicing.invoice(invoice_id, lock=True)
        note = await self.invoicing.credit(invoice_id, amount_cents, reason, booking_id=booking_id)
        await self.settle_shares(before)
        return note

    async def settle_shares(self, before: dict) -> int:
        """After a payment or a credit note of a share invoice (`before`: the invoice as it was
        before), the member's shares paid follow the shares the invoice now pays for in whole,
        through the register's own service (audited there), in this transaction. Returns the
        change (negative after a credit note)."""
        if before["purpose"] != "shares" or not before["shares"]:
            return 0
        after = await self.invoicing.invoice(before["id"])
        price = before["subtotal_cents"] // before["shares"]
        change = rules.shares_covered(after["paid_cents"], price, before["shares"]) - rules.shares_covered(before["paid_cents"], price, before["shares"])
        if change == 0:
            return 0
        account = await self.clinicians.clinician(before["clinician_id"])
        member = await self.register.get(account["member_id"])
        # A payment of the register's share ledger (never beyond what is subscribed, should the
        # subscription have been lowered meanwhile).
        paid = await self.register.shares.record_payment(member["id"], change, invoice_id=before["id"])
        await self.audit("invoice.shares_paid", "invoice", before["id"], {"member_id": member["id"], "shares": change, "shares_paid": paid})
        return change

    # --- statements of account ---

    async def statement(self, clinician_id) -> dict:
        """A clinician's issued invoices and credit notes and the payments received, with the
        running balance (what they owe; negative: a credit)."""
        account = await self.clinicians.clinician(clinician_id)
        documents = await self.invoicing.invoices(clinician_id=clinician_id, status="issued")
        movements = [rules.Movement(d["issued_on"], d["kind"], d["number"], d["total_cents"], d["id"]) for d in documents]
        numbers = {d["id"]: d["number"] for d in documents}
        if numbers:
            received = await Payment.select().where(
                (Payment.tenant_id == self.tenant.id) & Payment.invoice_id.is_in(list(numbers)) & (Payment.status == "succeeded")
            )
            movements += [rules.Movement(p["received_on"], "payment", self._payment_reference(p, numbers[p["invoice_id"]]), -p["amount_cents"], p["invoice_id"]) for p in received]
            movements += [
                rules.Movement(r["occurred_on"], r["kind"], numbers[r["invoice_id"]], -rules.reversal_sign(r["kind"]) * r["amount_cents"], r["invoice_id"])
                for r in await self.reversals(list(numbers))
            ]
        for credit in await AccountCredit.select().where((AccountCredit.tenant_id == self.tenant.id) & (AccountCredit.clinician_id == clinician_id)):
            if credit["kind"] in ("overpayment", "refund"):  # money received beyond the invoices, or paid back
                movements.append(rules.Movement(credit["occurred_on"], "payment" if credit["kind"] == "overpayment" else "refund", credit["reference"], -credit["amount_cents"]))
        lines = rules.statement(movements)
        return {
            "clinician_id": account["id"], "name": account["name"], "currency": self.tenant.currency,
            "lines": [{**vars(line.movement), "balance_cents": line.balance_cents} for line in lines],
            "balance_cents": lines[-1].balance_cents if lines else 0,
        }

    @staticmethod
    def _payment_reference(payment: dict, number: str) -> str:
        return " · ".join(part for part in (number, payment["reference"]) if part)

    async def own_statement(self) -> dict:
        own = await self.clinicians.own_account()
        if own is None:
            raise NotFound(N_("Your clinician account is not set up yet: ask the treasurer."))
        return await self.statement(own["id"])
