"""Each organisation's card payments on its own Stripe account: two tenants with their own keys
and webhook secrets, against localstripe, with webhooks signed as Stripe signs them; the events
Stripe documents (processing, succeeded, failed, refunded, disputes opened and closed) in any
order; several events about one payment at once; the idempotency keys the service sends; and the
treasurer's page where the keys are entered.

localstripe cannot send webhooks nor open disputes: the events are built here as Stripe documents
them (https://docs.stripe.com/api/events/types) and signed with each tenant's secret. It ignores
Idempotency-Key headers: what the service sends is recorded on the way out instead."""

import asyncio
import csv
import io
import random
import time
import uuid

import pytest
import stripe

from backend import db
from billing.tables import StripeKeys
from tenants.services import audit_events
from tests.billing.helpers import connect_stripe
from tests.billing.test_invoices import issued_invoice
from tests.billing.test_pages import post_form
from tests.billing.test_stripe import signed
from tests.conftest import sign_in


def event(kind: str, subject: dict) -> dict:
    return {"id": f"evt_{uuid.uuid4().hex}", "type": kind, "created": int(time.time()), "data": {"object": subject}}


def intent(kind: str, intent_id: str, amount: int | None = None) -> dict:
    return event(f"payment_intent.{kind}", {"id": intent_id, "object": "payment_intent", **({"amount_received": amount} if amount else {})})


def refunded(intent_id: str, in_all: int) -> dict:
    """charge.refunded carries the charge, with what has been refunded of it in all so far."""
    return event("charge.refunded", {"id": f"ch_{intent_id}", "object": "charge", "payment_intent": intent_id, "amount_refunded": in_all})


def dispute(kind: str, intent_id: str, amount: int, status: str) -> dict:
    return event(f"charge.dispute.{kind}", {"id": f"dp_{intent_id}", "object": "dispute", "payment_intent": intent_id, "charge": f"ch_{intent_id}", "amount": amount, "status": status})


async def deliver(client, coop, secret: str, sent: dict):
    payload, headers = signed(sent, secret)
    return await client.post(f"{coop.api}/stripe/webhook", content=payload, headers=headers)


async def deliver_as_stripe(client, deliveries) -> None:
    """Delivers each event; what is refused with 409 (it came before what it follows) is sent
    again, as Stripe retries, until every event is taken."""
    for _ in range(len(deliveries) + 1):
        answers = [(item, await deliver(client, *item)) for item in deliveries]
        assert all(answer.status_code in (200, 409) for _, answer in answers), [a.text for _, a in answers]
        deliveries = [item for item, answer in answers if answer.status_code == 409]
        if not deliveries:
            return
    pytest.fail(f"events never taken: {deliveries}")


async def card_payment(client, coop, invoice) -> str:
    started = await client.post(f"{coop.api}/invoices/{invoice['id']}/card-payment", headers=coop.clinician)
    assert started.status_code == 201, started.text
    return started.json()["payment_intent_id"]


async def two_tenants(client, database, make_tenant):
    """Two co-ops, each with an issued invoice and its own Stripe keys and webhook secret."""
    a, a_invoice = await issued_invoice(client, database, make_tenant)
    b, b_invoice = await issued_invoice(client, database, make_tenant)
    a_secret = await connect_stripe(client, a.api, a.treasurer, name="coopA1", webhook_secret="whsec_coopAsecret")
    b_secret = await connect_stripe(client, b.api, b.treasurer, name="coopB2", webhook_secret="whsec_coopBsecret")
    return (a, a_invoice, a_secret), (b, b_invoice, b_secret)


@pytest.mark.parametrize("order", ["as sent", "reversed", "shuffled"])
async def test_a_payment_of_one_tenant_never_touches_another_in_any_order_of_events(client, database, make_tenant, stripe_enabled, order):
    (a, a_invoice, a_secret), (b, b_invoice, b_secret) = await two_tenants(client, database, make_tenant)
    a_intent, b_intent = await card_payment(client, a, a_invoice), await card_payment(client, b, b_invoice)
    total = a_invoice["total_cents"]
    deliveries = [(a, a_secret, e) for e in (intent("processing", a_intent), intent("succeeded", a_intent, total), refunded(a_intent, 1000), refunded(a_intent, 2500))]
    deliveries += [(b, b_secret, e) for e in (intent("processing", b_intent), intent("payment_failed", b_intent))]
    if order == "reversed":
        deliveries.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(deliveries)
    await deliver_as_stripe(client, deliveries)

    a_state = (await client.get(f"{a.api}/invoices/{a_invoice['id']}", headers=a.treasurer)).json()
    assert (a_state["payment_state"], a_state["paid_cents"], a_state["balance_cents"]) == ("partly_paid", total - 2500, 2500)
    reversals = (await client.get(f"{a.api}/invoices/{a_invoice['id']}/reversals", headers=a.treasurer)).json()
    assert sorted((r["kind"], r["amount_cents"]) for r in reversals) in ([("refund", 1000), ("refund", 1500)], [("refund", 2500)])
    b_state = (await client.get(f"{b.api}/invoices/{b_invoice['id']}", headers=b.treasurer)).json()
    assert (b_state["payment_state"], b_state["balance_cents"]) == ("unpaid", b_invoice["total_cents"])
    [b_payment] = (await client.get(f"{b.api}/invoices/{b_invoice['id']}/payments", headers=b.treasurer)).json()
    assert b_payment["status"] == "failed"

    # A's event at B's address does not verify there; B's account naming A's payment finds nothing.
    stray = intent("succeeded", b_intent, b_invoice["total_cents"])
    assert (await deliver(client, b, a_secret, stray)).status_code == 400
    assert (await deliver(client, b, b_secret, refunded(a_intent, 9999))).json() == {"outcome": "unknown"}
    assert (await client.get(f"{a.api}/invoices/{a_invoice['id']}", headers=a.treasurer)).json()["paid_cents"] == total - 2500
    assert (await client.get(f"{b.api}/invoices/{b_invoice['id']}", headers=b.treasurer)).json()["paid_cents"] == 0


async def test_a_debit_processing_then_a_dispute_lost_and_one_won(client, database, make_tenant, stripe_enabled):
    (a, invoice, secret), _ = await two_tenants(client, database, make_tenant)
    paid = await card_payment(client, a, invoice)
    total = invoice["total_cents"]
    assert (await deliver(client, a, secret, intent("processing", paid))).json() == {"outcome": "processing"}
    assert (await client.get(f"{a.api}/invoices/{invoice['id']}", headers=a.clinician)).json()["payment_state"] == "processing"
    await sign_in(client, a.world, "clinician")
    assert "Paiement en cours de traitement" in (await client.get(f"/t/{a.world.tenant.slug}/billing/")).text
    assert (await deliver(client, a, secret, intent("succeeded", paid, total))).json() == {"outcome": "succeeded"}

    assert (await deliver(client, a, secret, dispute("created", paid, total, "needs_response"))).json() == {"outcome": "disputed"}
    state = (await client.get(f"{a.api}/invoices/{invoice['id']}", headers=a.treasurer)).json()
    assert (state["payment_state"], state["balance_cents"]) == ("unpaid", total)  # the money is withdrawn while disputed
    assert (await deliver(client, a, secret, dispute("closed", paid, total, "won"))).json() == {"outcome": "dispute won"}
    assert (await client.get(f"{a.api}/invoices/{invoice['id']}", headers=a.treasurer)).json()["payment_state"] == "paid"

    # The journal has the payment, its withdrawal and its return, as the bank sees them.
    month = invoice["issued_on"][:7]
    journal = (await client.get(f"{a.api}/journal.csv", params={"month": month}, headers=a.treasurer)).text
    bank = [row for row in list(csv.reader(io.StringIO(journal)))[1:] if row[2] == "1010"]
    amount = f"{total / 100:.2f}"
    assert sorted((r[4], r[5]) for r in bank) == sorted([(amount, ""), ("", amount), (amount, "")])
    # The statement names them in words.
    await sign_in(client, a.world, "treasurer")
    statement = await client.get(f"/t/{a.world.tenant.slug}/billing/clinicians/{a.account['id']}/statement")
    assert "Paiement contesté" in statement.text and "Contestation gagnée" in statement.text


async def test_ten_different_events_about_one_payment_at_once_record_it_once(client, database, make_tenant, stripe_enabled):
    (a, invoice, secret), _ = await two_tenants(client, database, make_tenant)
    paid = await card_payment(client, a, invoice)
    burst = [intent("succeeded", paid, invoice["total_cents"]) for _ in range(6)] + [intent("processing", paid) for _ in range(2)]
    burst += [event("charge.succeeded", {"id": f"ch_{paid}", "payment_intent": paid}) for _ in range(2)]
    answers = await asyncio.gather(*(deliver(client, a, secret, e) for e in burst))
    assert all(answer.status_code == 200 for answer in answers), [answer.text for answer in answers]
    assert sum(answer.json() == {"outcome": "succeeded"} for answer in answers) == 1
    [payment] = (await client.get(f"{a.api}/invoices/{invoice['id']}/payments", headers=a.treasurer)).json()
    assert (payment["status"], payment["amount_cents"]) == ("succeeded", invoice["total_cents"])
    async with database.as_owner(), db.tenant_transaction(database.owner, a.world.tenant.id, write=False):
        actions = [e["action"] for e in await audit_events(a.world.tenant, uuid.UUID(invoice["id"]))]
    assert actions.count("payment.succeeded") == 1 and actions.count("payment.processing") <= 1


class RecordingHTTPClient(stripe.HTTPXClient):
    """Stripe's own HTTP client, recording each request's method, path and Idempotency-Key
    before sending it on to localstripe (which ignores the key)."""

    sent: list[tuple[str, str, str | None]] = []

    async def request_async(self, method, url, headers, post_data=None):
        self.sent.append((method, url.split("/v1/", 1)[-1], {k.lower(): v for k, v in headers.items()}.get("idempotency-key")))
        return await super().request_async(method, url, headers, post_data)


async def test_the_idempotency_keys_name_the_invoice_the_amount_and_the_attempt(client, database, make_tenant, stripe_enabled, monkeypatch):
    (a, invoice, secret), _ = await two_tenants(client, database, make_tenant)
    monkeypatch.setattr(stripe, "HTTPXClient", RecordingHTTPClient)
    RecordingHTTPClient.sent = []
    first = await card_payment(client, a, invoice)
    assert await card_payment(client, a, invoice) == first  # a second click: the same PaymentIntent
    amount = invoice["total_cents"]
    assert RecordingHTTPClient.sent == [
        ("post", "customers", f"customer-{a.account['id']}"),
        ("post", "payment_intents", f"invoice-{invoice['id']}-{amount}-0"),
        ("get", f"payment_intents/{first}", None),
    ]
    # Failed, a new attempt is a new PaymentIntent under a new key (the customer is kept).
    await deliver(client, a, secret, intent("payment_failed", first))
    RecordingHTTPClient.sent = []
    second = await card_payment(client, a, invoice)
    assert second != first and RecordingHTTPClient.sent == [("post", "payment_intents", f"invoice-{invoice['id']}-{amount}-1")]


async def test_the_treasurer_turns_card_payments_on_and_off_from_the_page(client, database, make_tenant, stripe_enabled):
    (a, invoice, _), (b, _, _) = await two_tenants(client, database, make_tenant)
    await client.delete(f"{a.api}/stripe", headers=a.treasurer)
    base = f"/t/{a.world.tenant.slug}/billing/card-payments/"
    await sign_in(client, a.world, "clinician")
    assert (await client.get(base)).status_code == 403
    await sign_in(client, a.world, "treasurer")
    shown = await client.get(base)
    assert shown.status_code == 200 and "Les paiements par carte sont désactivés" in shown.text
    assert f"/api/t/{a.world.tenant.slug}/billing/stripe/webhook" in shown.text  # the address to give Stripe

    # A restricted key localstripe does not know: Stripe's refusal, next to the field.
    refused = await post_form(client, base, {"publishable_key": "pk_test_coopA1", "secret_key": "rk_test_unknown1", "webhook_secret": "whsec_coopAsecret"})
    assert refused.status_code == 422 and "Stripe a refusé cette clé" in refused.text and 'id="f-secret_key-error"' in refused.text
    mixed = await post_form(client, base, {"publishable_key": "pk_live_coopA1", "secret_key": "sk_test_coopA1", "webhook_secret": "whsec_coopAsecret"})
    assert mixed.status_code == 422 and 'id="f-secret_key-error"' in mixed.text
    kept = await post_form(client, base, {"publishable_key": "pk_test_coopA1", "secret_key": "sk_test_coopA1secretkey", "webhook_secret": "whsec_coopAsecret"})
    assert kept.status_code in (302, 303)
    on = await client.get(kept.headers["location"])
    assert "Stripe a accepté les clés" in on.text and "tkey" in on.text and "sk_test_coopA1secretkey" not in on.text
    account = (await client.get(f"{a.api}/stripe", headers=a.treasurer)).json()
    assert (account["enabled"], account["secret_key_hint"], account["live"]) == (True, "tkey", False)
    assert "secret_key" not in account and "webhook_secret" not in account
    # Sealed at rest: the database holds neither secret; and the other tenant's account is its own.
    async with database.as_owner(), db.tenant_transaction(database.owner, a.world.tenant.id, write=False):
        row = await StripeKeys.select().where(StripeKeys.tenant_id == a.world.tenant.id).first()
    assert "sk_test_coopA1secretkey" not in str(row) and "whsec_coopAsecret" not in str(row)
    assert (await client.get(f"{b.api}/stripe", headers=b.treasurer)).json()["publishable_key"] == "pk_test_coopB2"

    off = await post_form(client, f"{base}off", {})
    assert off.status_code in (302, 303) and "Les paiements par carte sont désactivés" in (await client.get(off.headers["location"])).text
    assert (await client.post(f"{a.api}/invoices/{invoice['id']}/card-payment", headers=a.clinician)).status_code == 409
    assert (await client.get(f"{b.api}/stripe", headers=b.treasurer)).json()["enabled"] is True
