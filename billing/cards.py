"""Card and pre-authorised debit payments through each organisation's own Stripe account.

The treasurer enters the account's keys and its webhook endpoint's signing secret in the pages;
the secret ones are sealed with the service's SECRET_KEY (backend/sealing.py), for this tenant
only, so a copy of the database, or a row moved to another tenant, opens nothing. Each tenant's
webhook address (/api/t/{slug}/billing/stripe/webhook) verifies with its own secret, and its events
find only its own payments. Without keys a tenant records payments by hand. (Why keys rather than
Stripe Connect: see the README, "Card payments".)

Stripe's events, as it documents them, each applied once whatever their order: a PaymentIntent
processing (a debit clearing), succeeded or failed; a charge refunded (its cumulative amount);
a dispute opened (the amount is withdrawn) and closed (won: given back)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import stripe

from backend import sealing
from backend.clock import now
from backend.context import Context
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from billing.payments import Payments
from billing.schemas import StripeKeysIn
from billing.services import BillingService
from billing.tables import ClinicianAccount, Payment, PaymentReversal, StripeEvent, StripeKeys
from tenants.services import UNIQUE_VIOLATIONS

# Signed events older than this are refused: a replay, not Stripe's delivery.
WEBHOOK_TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class StripeSettings:
    """One tenant's Stripe account, opened for a request."""

    api_key: str
    webhook_secret: str
    publishable_key: str  # what Stripe.js uses in the clinician's browser

    def client(self) -> stripe.StripeClient:
        # Where the Stripe API answers: Stripe itself, or localstripe in the tests (STRIPE_API_BASE).
        base = os.environ.get("STRIPE_API_BASE")
        return stripe.StripeClient(self.api_key, base_addresses={"api": base} if base else None, http_client=stripe.HTTPXClient())


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


def sealing_purpose(tenant_id, name: str) -> str:
    """A key is sealed for one tenant: moved to another tenant's row, it does not open."""
    return f"stripe:{tenant_id}:{name}"


def _mode(key: str) -> str:
    return key.split("_")[1]  # pk_test_…, sk_live_…: test or live


class CardPayments(BillingService):
    """The tenant's Stripe account and the card payments of its invoices. Holds a `Payments`:
    a card payment settles an invoice as any payment does."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.payments = Payments(context)
        self.invoicing = self.payments.invoicing

    # --- the account's keys ---

    async def _keys(self) -> dict | None:
        return await StripeKeys.select().where(StripeKeys.tenant_id == self.tenant.id).first()

    async def enabled(self) -> bool:
        return await StripeKeys.exists().where(StripeKeys.tenant_id == self.tenant.id)

    async def gateway(self) -> StripeSettings | None:
        """The tenant's Stripe account, or None: payments are recorded by hand."""
        row = await self._keys()
        if row is None:
            return None
        try:
            opened = {name: sealing.unseal(sealing_purpose(self.tenant.id, name), row[f"{name}_sealed"]).decode() for name in ("secret_key", "webhook_secret")}
        except sealing.Unopenable as error:  # sealed under another SECRET_KEY, or for another tenant
            raise Problem(N_("The Stripe keys kept here cannot be opened with this service's key: the treasurer enters them again."), status=409) from error
        return StripeSettings(opened["secret_key"], opened["webhook_secret"], row["publishable_key"])

    async def account(self) -> dict:
        """What the treasurer sees of the account: never the secrets, only the key's last letters."""
        row = await self._keys()
        view = {"enabled": row is not None, "webhook_path": f"/api/t/{self.tenant.slug}/billing/stripe/webhook"}
        if row is None:
            return {**view, "publishable_key": None, "secret_key_hint": None, "live": None, "updated_at": None}
        return {**view, **{name: row[name] for name in ("publishable_key", "secret_key_hint", "live", "updated_at")}}

    async def connect(self, data: StripeKeysIn) -> dict:
        """Keeps the account's keys once Stripe has accepted the secret key (test keys with test
        keys, live with live); replaces the keys kept before."""
        if _mode(data.publishable_key) != _mode(data.secret_key):
            raise Invalid(N_("The publishable key and the secret key are of different modes (test and live)."), errors=[FieldError("secret_key", N_("Enter the secret key of the same mode as the publishable key."))])
        try:
            await StripeSettings(data.secret_key, data.webhook_secret, data.publishable_key).client().v1.balance.retrieve_async()
        except stripe.AuthenticationError as error:
            raise Invalid(N_("Stripe refused this secret key."), errors=[FieldError("secret_key", N_("Stripe refused this key: copy it again from Stripe's dashboard (Developers, API keys)."))]) from error
        except stripe.StripeError as error:
            raise Problem(N_("Stripe could not be reached to check the key; try again later."), status=502) from error
        values = {
            "publishable_key": data.publishable_key, "secret_key_hint": data.secret_key[-4:], "live": _mode(data.secret_key) == "live",
            "secret_key_sealed": sealing.seal(sealing_purpose(self.tenant.id, "secret_key"), data.secret_key.encode()),
            "webhook_secret_sealed": sealing.seal(sealing_purpose(self.tenant.id, "webhook_secret"), data.webhook_secret.encode()),
            "updated_by": self.actor_id, "updated_at": now(),
        }
        if await self._keys() is None:
            try:
                await StripeKeys.insert(StripeKeys(tenant_id=self.tenant.id, id=uuid.uuid4(), **values))
            except UNIQUE_VIOLATIONS as error:  # two treasurers at once: one set of keys, the other asks again
                raise Conflict(N_("The keys were just changed by someone else; look and try again.")) from error
        else:
            await StripeKeys.update({getattr(StripeKeys, name): value for name, value in values.items()}).where(StripeKeys.tenant_id == self.tenant.id)
        await self.audit("stripe.connected", "stripe_keys", None, {"live": values["live"], "secret_key_hint": values["secret_key_hint"]})
        return await self.account()

    async def disconnect(self) -> None:
        """Forgets the keys: card payments stop, payments already made stay."""
        if await self._keys() is None:
            raise NotFound(N_("Card payments are not set up here."))
        await StripeKeys.delete().where(StripeKeys.tenant_id == self.tenant.id)
        await self.audit("stripe.disconnected", "stripe_keys", None, {})

    # --- paying ---

    async def start(self, invoice_id) -> dict:
        """A PaymentIntent for the balance due, created with an idempotency key: asking twice for
        the same balance gives the same PaymentIntent, never a second charge."""
        invoice = await self.invoicing.own_invoice(invoice_id)
        gateway = await self.gateway()
        if gateway is None:
            raise Problem(N_("Card payments are not enabled here; pay by cheque or transfer."), status=409)
        await self.payments.payable(invoice_id, 1)
        amount = invoice["balance_cents"]
        client = gateway.client()
        payments = await self.payments.payments(invoice_id)
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
        return {"payment_id": payment["id"], "payment_intent_id": intent.id, "client_secret": intent.client_secret, "amount_cents": amount, "publishable_key": gateway.publishable_key}

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
        account = await self.invoicing.clinicians.clinician(clinician_id)
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

    # --- Stripe's events ---

    async def webhook(self, payload: bytes, signature: str | None) -> str:
        """Verifies the signature with this tenant's secret, ignores an event already processed,
        then applies it. Returns what was done."""
        gateway = await self.gateway()
        if gateway is None:
            raise NotFound(N_("Card payments are not enabled here."))
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8", "replace"), signature or "", gateway.webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS)
            event = json.loads(payload)
            event_id, event_type, subject = event["id"], event["type"], event["data"]["object"]
            if not isinstance(subject, dict):
                raise TypeError(subject)
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as error:
            raise Problem(N_("The webhook's signature is not valid."), status=400) from error
        if await StripeEvent.exists().where((StripeEvent.tenant_id == self.tenant.id) & (StripeEvent.event_id == event_id)):
            return "duplicate"
        try:
            await StripeEvent.insert(StripeEvent(tenant_id=self.tenant.id, id=uuid.uuid4(), event_id=event_id, event_type=event_type, received_at=now()))
        except UNIQUE_VIOLATIONS as error:  # the same event delivered twice at once: Stripe retries the loser
            raise Conflict(N_("This event is being processed.")) from error
        handler = EVENTS.get(event_type)
        return await handler(self, event_id, subject) if handler else "ignored"

    async def _locked_payment(self, intent_id) -> dict | None:
        """The card payment of a PaymentIntent, its invoice locked first: events about one payment
        arriving at once are applied one after the other, each seeing what the one before did."""
        payment = await Payment.select(Payment.invoice_id).where((Payment.tenant_id == self.tenant.id) & (Payment.stripe_payment_intent_id == str(intent_id))).first()
        if payment is None:
            return None
        await self.invoicing.invoice(payment["invoice_id"], lock=True)
        return await Payment.select().where((Payment.tenant_id == self.tenant.id) & (Payment.stripe_payment_intent_id == str(intent_id))).first()

    async def _confirmed_payment(self, intent_id) -> dict | None:
        """A payment that money can come back from: one that succeeded. An event about money
        coming back that overtook the payment's success is refused (409), so that Stripe sends it
        again later instead of its being lost."""
        payment = await self._locked_payment(intent_id)
        if payment is not None and payment["status"] != "succeeded":
            raise Conflict(N_("This payment is not confirmed yet; Stripe sends the event again later."))
        return payment

    async def _intent_processing(self, event_id: str, intent: dict) -> str:
        payment = await self._locked_payment(intent.get("id"))
        if payment is None:
            return "unknown"
        if payment["status"] != "pending" or payment["stripe_status"] == "processing":  # a late event: it succeeded or failed since
            return "unchanged"
        await Payment.update({Payment.stripe_status: "processing"}).where((Payment.tenant_id == self.tenant.id) & (Payment.id == payment["id"]))
        await self.audit("payment.processing", "invoice", payment["invoice_id"], {"payment_intent": intent.get("id"), "event": event_id})
        return "processing"

    async def _intent_succeeded(self, event_id: str, intent: dict) -> str:
        return await self._settle(event_id, intent, "succeeded")

    async def _intent_failed(self, event_id: str, intent: dict) -> str:
        return await self._settle(event_id, intent, "failed")

    async def _settle(self, event_id: str, intent: dict, status: str) -> str:
        payment = await self._locked_payment(intent.get("id"))
        if payment is None:
            return "unknown"
        if payment["status"] == "succeeded":  # Stripe does not promise order: an earlier attempt's failure may come last
            return "already succeeded"
        if payment["status"] == status:
            return "unchanged"
        before = await self.invoicing.invoice(payment["invoice_id"])
        values = {Payment.status: status, Payment.stripe_status: status}
        if status == "succeeded" and isinstance(intent.get("amount_received"), int) and intent["amount_received"] > 0:
            values[Payment.amount_cents] = intent["amount_received"]
        await Payment.update(values).where((Payment.tenant_id == self.tenant.id) & (Payment.id == payment["id"]))
        await self.audit(f"payment.{status}", "invoice", payment["invoice_id"], {"payment_intent": intent.get("id"), "event": event_id})
        if status == "succeeded":
            await self.payments.settle_shares(before)
        return status

    async def _charge_refunded(self, event_id: str, charge: dict) -> str:
        """A refund, made in Stripe's dashboard: the charge says how much of it is refunded in all
        (`amount_refunded`), so what was not recorded yet is recorded, whatever the order."""
        payment = await self._confirmed_payment(charge.get("payment_intent"))
        refunded = charge.get("amount_refunded")
        if payment is None or not isinstance(refunded, int):
            return "unknown"
        new = min(refunded, payment["amount_cents"]) - await self._reversed(payment, "refund")
        if new <= 0:
            return "unchanged"
        await self._reverse(payment, "refund", new, f"{charge.get('id')}/{refunded}", event_id)
        return "refunded"

    async def _dispute_created(self, event_id: str, dispute: dict) -> str:
        """A dispute withdraws its amount from the account at once (Stripe's funds flow)."""
        payment = await self._confirmed_payment(dispute.get("payment_intent"))
        if payment is None:
            return "unknown"
        return "disputed" if await self._withdrawn(payment, dispute, event_id) else "unchanged"

    async def _dispute_closed(self, event_id: str, dispute: dict) -> str:
        """Won, the amount comes back; lost, it stays withdrawn. (Closed may come before created.)"""
        payment = await self._confirmed_payment(dispute.get("payment_intent"))
        if payment is None:
            return "unknown"
        await self._withdrawn(payment, dispute, event_id)
        if dispute.get("status") != "won":
            return "dispute lost"
        if await self._exists(dispute.get("id"), "reinstatement"):
            return "unchanged"
        await self._reverse(payment, "reinstatement", self._dispute_amount(payment, dispute), str(dispute.get("id")), event_id)
        return "dispute won"

    async def _withdrawn(self, payment: dict, dispute: dict, event_id: str) -> bool:
        if await self._exists(dispute.get("id"), "dispute"):
            return False
        await self._reverse(payment, "dispute", self._dispute_amount(payment, dispute), str(dispute.get("id")), event_id)
        return True

    @staticmethod
    def _dispute_amount(payment: dict, dispute: dict) -> int:
        amount = dispute.get("amount")
        return min(amount, payment["amount_cents"]) if isinstance(amount, int) and amount > 0 else payment["amount_cents"]

    async def _exists(self, stripe_object_id, kind: str) -> bool:
        return await PaymentReversal.exists().where(
            (PaymentReversal.tenant_id == self.tenant.id) & (PaymentReversal.stripe_object_id == str(stripe_object_id)) & (PaymentReversal.kind == kind)
        )

    async def _reversed(self, payment: dict, kind: str) -> int:
        rows = await PaymentReversal.select(PaymentReversal.amount_cents).where(
            (PaymentReversal.tenant_id == self.tenant.id) & (PaymentReversal.payment_id == payment["id"]) & (PaymentReversal.kind == kind)
        )
        return sum(row["amount_cents"] for row in rows)

    async def _reverse(self, payment: dict, kind: str, amount: int, stripe_object_id: str, event_id: str) -> None:
        """Records money given back, taken back or returned, and what it changes for a share
        invoice's shares, in this transaction."""
        before = await self.invoicing.invoice(payment["invoice_id"])
        await PaymentReversal.insert(PaymentReversal(
            tenant_id=self.tenant.id, id=uuid.uuid4(), payment_id=payment["id"], invoice_id=payment["invoice_id"], kind=kind,
            amount_cents=amount, stripe_object_id=stripe_object_id, occurred_on=self.tenant.today(), created_at=now(),
        ))
        await self.audit(f"payment.{kind}", "invoice", payment["invoice_id"], {"payment_id": payment["id"], "amount_cents": amount, "stripe_object": stripe_object_id, "event": event_id})
        await self.payments.settle_shares(before)


EVENTS: dict[str, Callable[[CardPayments, str, dict], Awaitable[str]]] = {
    "payment_intent.processing": CardPayments._intent_processing,
    "payment_intent.succeeded": CardPayments._intent_succeeded,
    "payment_intent.payment_failed": CardPayments._intent_failed,
    "charge.refunded": CardPayments._charge_refunded,
    "charge.dispute.created": CardPayments._dispute_created,
    "charge.dispute.closed": CardPayments._dispute_closed,
}
