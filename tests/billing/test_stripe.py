"""Card payments through Stripe, against localstripe (a stateful fake Stripe server) started here,
and webhooks signed exactly as Stripe signs them.

What localstripe cannot do, and how it is covered: it ignores Idempotency-Key headers (so only the
reuse of a pending PaymentIntent on a second click is tested, not Stripe's replay of a keyed
request); it cannot deliver webhooks to an in-process ASGI app (so the test
takes the PaymentIntent as localstripe returns it after confirmation and signs the event itself);
it has no Canadian pre-authorised debit (acss_debit) nor Checkout: it accepts and ignores
payment_method_types and payment_method_options, so the acss_debit request is checked as built
(test_a_canadian_invoice_may_be_paid_by_card_or_pre_authorised_debit) and the card flow end to
end; and it confirms a PaymentIntent only once its payment method is set by an update."""

import hashlib
import hmac
import json
import time

from billing.cards import intent_params
from tests.billing.helpers import SECRET, connect_stripe
from tests.billing.test_invoices import issued_invoice


def signed(event: dict, secret: str = SECRET, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The payload and header as Stripe sends them: HMAC-SHA256 of "timestamp.payload"."""
    payload = json.dumps(event).encode()
    timestamp = timestamp or int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, {"stripe-signature": f"t={timestamp},v1={signature}", "content-type": "application/json"}


async def test_a_card_payment_is_confirmed_by_a_signed_webhook_once(client, database, make_tenant, stripe_enabled):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    await connect_stripe(client, coop.api, coop.treasurer)
    started = await client.post(f"{coop.api}/invoices/{invoice['id']}/card-payment", headers=coop.clinician)
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["amount_cents"] == invoice["total_cents"] and body["client_secret"].startswith(body["payment_intent_id"])
    again = await client.post(f"{coop.api}/invoices/{invoice['id']}/card-payment", headers=coop.clinician)
    assert again.json()["payment_intent_id"] == body["payment_intent_id"]  # a second click, the same PaymentIntent
    intent = stripe_enabled.v1.payment_intents.retrieve(body["payment_intent_id"])
    assert intent.amount == invoice["total_cents"] and intent.currency == "cad" and intent.customer.startswith("cus_")
    # The clinician pays (Stripe.js would do this): localstripe confirms the PaymentIntent.
    method = stripe_enabled.v1.payment_methods.create({"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}})
    stripe_enabled.v1.payment_intents.update(intent.id, {"payment_method": method.id})  # (localstripe confirms no method given inline)
    confirmed = stripe_enabled.v1.payment_intents.confirm(intent.id)
    assert confirmed.status == "succeeded"
    event = {"id": "evt_succeeded_1", "type": "payment_intent.succeeded", "created": int(time.time()), "data": {"object": confirmed.to_dict()}}
    payload, headers = signed(event)
    webhook = f"{coop.api}/stripe/webhook"
    assert (await client.post(webhook, content=payload, headers=headers)).json() == {"outcome": "succeeded"}
    state = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.clinician)).json()
    assert (state["payment_state"], state["balance_cents"]) == ("paid", 0)
    # Replayed: recognised by its event id, nothing changes.
    assert (await client.post(webhook, content=payload, headers=headers)).json() == {"outcome": "duplicate"}
    # An earlier attempt's failure delivered last (Stripe does not promise order) does not undo it.
    late = {"id": "evt_failed_late", "type": "payment_intent.payment_failed", "created": int(time.time()), "data": {"object": {"id": confirmed.id}}}
    payload, headers = signed(late)
    assert (await client.post(webhook, content=payload, headers=headers)).json() == {"outcome": "already succeeded"}
    assert (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.clinician)).json()["payment_state"] == "paid"
    payments = (await client.get(f"{coop.api}/invoices/{invoice['id']}/payments", headers=coop.treasurer)).json()
    assert [(p["method"], p["status"], p["amount_cents"]) for p in payments] == [("stripe", "succeeded", invoice["total_cents"])]


async def test_forged_and_stale_webhooks_are_refused_and_change_nothing(client, database, make_tenant, stripe_enabled):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    await connect_stripe(client, coop.api, coop.treasurer)
    started = (await client.post(f"{coop.api}/invoices/{invoice['id']}/card-payment", headers=coop.clinician)).json()
    event = {"id": "evt_forged", "type": "payment_intent.succeeded", "data": {"object": {"id": started["payment_intent_id"], "amount_received": 1}}}
    webhook = f"{coop.api}/stripe/webhook"
    for payload, headers in (
        signed(event, secret="whsec_wrong"),  # forged
        signed(event, timestamp=int(time.time()) - 3600),  # replayed an hour later
        (json.dumps(event).encode(), {"content-type": "application/json"}),  # unsigned
    ):
        refused = await client.post(webhook, content=payload, headers=headers)
        assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/problem+json")
    state = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.treasurer)).json()
    assert state["payment_state"] == "unpaid"
    # A failed payment is recorded as failed; the invoice stays due.
    failed = {"id": "evt_failed", "type": "payment_intent.payment_failed", "data": {"object": {"id": started["payment_intent_id"]}}}
    payload, headers = signed(failed)
    assert (await client.post(webhook, content=payload, headers=headers)).json() == {"outcome": "failed"}
    payments = (await client.get(f"{coop.api}/invoices/{invoice['id']}/payments", headers=coop.treasurer)).json()
    assert [p["status"] for p in payments] == ["failed"]


async def test_without_stripe_keys_payments_are_manual_only(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    refused = await client.post(f"{coop.api}/invoices/{invoice['id']}/card-payment", headers=coop.clinician)
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    webhook = await client.post(f"{coop.api}/stripe/webhook", json={"id": "evt"})
    assert webhook.status_code == 404


def test_a_canadian_invoice_may_be_paid_by_card_or_pre_authorised_debit():
    cad = intent_params({"currency": "CAD"}, 1234)
    assert cad["payment_method_types"] == ["card", "acss_debit"] and (cad["amount"], cad["currency"]) == (1234, "cad")
    assert cad["payment_method_options"]["acss_debit"]["mandate_options"] == {"payment_schedule": "sporadic", "transaction_type": "business"}
    # Pre-authorised debit is Canadian: an invoice in euros is paid by card only.
    assert intent_params({"currency": "EUR"}, 1234) == {"amount": 1234, "currency": "eur", "payment_method_types": ["card"]}
