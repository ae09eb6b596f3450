"""Payments of issued invoices: manual ones (cheque, transfer, cash) recorded by the treasurer,
and, when STRIPE_API_KEY is set, card / pre-authorised debit payments through Stripe, confirmed
by Stripe's signed webhooks."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass

import stripe

from backend import i18n
from backend.clock import now
from backend.context import Context
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_, gettext
from billing import labels, rules
from billing.invoicing import Invoicing
from billing.schemas import PaymentIn, RefundIn
from billing.services import BillingService
from billing.tables import AccountCredit, ClinicianAccount, Payment, StripeEvent
from governance.members.schemas import MemberChanges
from governance.members.services import MemberRegister
from tenants.services import UNIQUE_VIOLATIONS


@dataclass(frozen=True)
class StripeSettings:
    api_key: str
    webhook_secret: str
    # Where the Stripe API answers: Stripe itself, or localstripe in the tests.
    api_base: str | None
    # The key Stripe.js uses in the clinician's browser.
    publishable_key: str = ""

    @classmethod
    def from_env(cls) -> StripeSettings | None:
        """Stripe is enabled only when STRIPE_API_KEY is set; without it payments are manual."""
        key = os.environ.get("STRIPE_API_KEY")
        if not key:
            return None
        return cls(key, os.environ.get("STRIPE_WEBHOOK_SECRET", ""), os.environ.get("STRIPE_API_BASE") or None, os.environ.get("STRIPE_PUBLISHABLE_KEY", ""))

    def client(self) -> stripe.StripeClient:
        addresses = {"api": self.api_base} if self.api_base else None
        return stripe.StripeClient(self.api_key, base_addresses=addresses, http_client=stripe.HTTPXClient())


def intent_params(invoice: dict, amount: int) -> dict:
    """What a PaymentIntent for an invoice asks Stripe: the amount in the invoice's currency, by
    card, and in Canadian dollars also by pre-authorised debit (acss_debit: the clinician
    authorises a one-off business debit of their account in Stripe's Payment Element, with
    micro-deposit verification where instant verification is not possible; Stripe confirms it
    in a few business days: payment_intent.processing, then succeeded or payment_failed)."""
    params = {"amount": amount, "currency": invoice["currency"].lower(), "payment_method_types": ["card"]}
    if invoice["currency"] == "CAD":
        params["payment_method_types"] = ["card", "acss_debit"]
        params["payment_method_options"] = {
            "acss_debit": {"mandate_options": {"payment_schedule": "sporadic", "transaction_type": "business"}, "verification_method": "automatic"},
        }
    return params


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

    async def _payable(self, invoice_id, amount_cents: int, *, keep_excess: bool = False) -> dict:
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
        invoice = await self._payable(invoice_id, data.amount_cents, keep_excess=data.keep_excess_as_credit)
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

    async def payment(self, payment_id) -> dict:
        row = await Payment.select().where((Payment.tenant_id == self.tenant.id) & (Payment.id == payment_id)).first()
        if row is None:
            raise NotFound(N_("No payment of this organisation has this identifier."))
        return row

    # --- Stripe ---

    async def start_card_payment(self, invoice_id, gateway: StripeSettings | None) -> dict:
        """A PaymentIntent for the balance due, created with an idempotency key: asking twice for
        the same balance gives the same PaymentIntent, never a second charge."""
        invoice = await self.invoicing.own_invoice(invoice_id)
        if gateway is None:
            raise Problem(N_("Card payments are not enabled here; pay by cheque or transfer."), status=409)
        await self._payable(invoice_id, 1)
        amount = invoice["balance_cents"]
        client = gateway.client()
        payments = await self.payments(invoice_id)
        pending = [p for p in payments if p["method"] == "stripe" and p["status"] == "pending" and p["amount_cents"] == amount]
        try:
            if pending:  # asked again (a second click): the same PaymentIntent
                intent = await client.v1.payment_intents.retrieve_async(pending[0]["stripe_payment_intent_id"])
            else:
                intent = await self._create_intent(client, invoice, amount, attempt=len(payments))
        except stripe.StripeError as error:
            raise Problem(N_("The card payment could not be started; try again later."), status=502) from error
        if not pending:
            await Payment.insert(
                Payment(
                    tenant_id=self.tenant.id, id=uuid.uuid4(), invoice_id=invoice_id, method="stripe", status="pending", amount_cents=amount,
                    received_on=self.tenant.today(), reference=intent.id, stripe_payment_intent_id=intent.id, recorded_by=self.actor_id, created_at=now(),
                )
            )
            await self.audit("payment.card_started", "invoice", invoice_id, {"payment_intent": intent.id, "amount_cents": amount})
        payment = await Payment.select(Payment.id).where((Payment.tenant_id == self.tenant.id) & (Payment.stripe_payment_intent_id == intent.id)).first()
        return {"payment_id": payment["id"], "payment_intent_id": intent.id, "client_secret": intent.client_secret, "amount_cents": amount}

    async def _create_intent(self, client: stripe.StripeClient, invoice: dict, amount: int, attempt: int):
        """The idempotency key names the invoice, the amount and the attempt: a request retried
        after a network failure creates no second PaymentIntent."""
        customer = await self._stripe_customer(client, invoice["clinician_id"])
        return await client.v1.payment_intents.create_async(
            params={**intent_params(invoice, amount), "customer": customer, "metadata": {"tenant_id": str(self.tenant.id), "invoice_id": str(invoice["id"]), "number": invoice["number"]}},
            options={"idempotency_key": f"invoice-{invoice['id']}-{amount}-{attempt}"},
        )

    async def _stripe_customer(self, client: stripe.StripeClient, clinician_id) -> str:
        """One Stripe customer per clinician, made the first time they pay by card."""
        account = await self.clinicians.clinician(clinician_id)
        if account["stripe_customer_id"]:
            return account["stripe_customer_id"]
        customer = await client.v1.customers.create_async(
            params={**({"email": account["email"]} if account["email"] else {}), "name": account["name"], "metadata": {"clinician_id": str(clinician_id)}},
            options={"idempotency_key": f"customer-{clinician_id}"},
        )
        await ClinicianAccount.update({ClinicianAccount.stripe_customer_id: customer.id}).where(
            (ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.id == clinician_id)
        )
        return customer.id

    async def stripe_webhook(self, payload: bytes, signature: str | None, gateway: StripeSettings | None) -> str:
        """Verifies Stripe's signature, ignores an event already processed, then marks the
        payment succeeded or failed. Returns what was done."""
        if gateway is None or not gateway.webhook_secret:
            raise NotFound(N_("Card payments are not enabled here."))
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8", "replace"), signature or "", gateway.webhook_secret, tolerance=300)
            event = json.loads(payload)
            event_id, event_type, intent = event["id"], event["type"], event["data"]["object"]
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as error:
            raise Problem(N_("The webhook's signature is not valid."), status=400) from error
        if await StripeEvent.exists().where((StripeEvent.tenant_id == self.tenant.id) & (StripeEvent.event_id == event_id)):
            return "duplicate"
        try:
            await StripeEvent.insert(StripeEvent(tenant_id=self.tenant.id, id=uuid.uuid4(), event_id=event_id, event_type=event_type, received_at=now()))
        except UNIQUE_VIOLATIONS as error:  # the same event delivered twice at once: Stripe retries the loser
            raise Conflict(N_("This event is being processed.")) from error
        if event_type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
            return "ignored"
        payment = await Payment.select().where((Payment.tenant_id == self.tenant.id) & (Payment.stripe_payment_intent_id == str(intent.get("id")))).first()
        if payment is None:
            return "unknown"
        status = "succeeded" if event_type == "payment_intent.succeeded" else "failed"
        if payment["status"] == "succeeded":  # Stripe does not promise order: an earlier attempt's failure may come last
            return "already succeeded"
        before = await self.invoicing.invoice(payment["invoice_id"], lock=True)
        values = {Payment.status: status}
        if status == "succeeded" and isinstance(intent.get("amount_received"), int) and intent["amount_received"] > 0:
            values[Payment.amount_cents] = intent["amount_received"]
        await Payment.update(values).where((Payment.tenant_id == self.tenant.id) & (Payment.id == payment["id"]))
        await self.audit(f"payment.{status}", "invoice", payment["invoice_id"], {"payment_intent": intent.get("id"), "event": event_id})
        if status == "succeeded":
            await self.settle_shares(before)
        return status

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
        # (Never beyond what is subscribed, should the subscription have been lowered meanwhile.)
        paid = min(max(member["shares_paid"] + change, 0), member["shares_subscribed"])
        if paid != member["shares_paid"]:
            await self.register.correct(member["id"], MemberChanges(shares_paid=paid))
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
