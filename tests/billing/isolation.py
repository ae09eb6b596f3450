"""What the isolation walk (tests/test_isolation.py) needs of the billing package: tenant B's
room, booking and issued invoice, a valid body for each route that takes one, B's state."""

import secrets
import uuid

from backend import db, sealing
from backend.clock import now
from billing.cards import sealing_purpose
from billing.tables import Booking, StripeKeys
from tenants import services
from tests.billing.helpers import EVERY_DAY, future_day
from tests.clock import at, last_month, local, month_of, today

DAY = future_day(weeks=10)
DUES_YEAR = 2030
ROOM = lambda: {"name": f"Salle {secrets.token_hex(3)}", "kind": "office", "opening_hours": EVERY_DAY}  # noqa: E731
BOOKING = lambda: {"room_id": "00000000-0000-4000-8000-000000000000", "starts_at": local(DAY, 9), "ends_at": local(DAY, 10)}  # noqa: E731
API = "/api/t/{slug:str}/billing"
JSON_BODIES = {
    ("PUT", f"{API}/settings"): lambda: {"late_fee_percent": 10},
    ("POST", f"{API}/rooms"): ROOM,
    ("PATCH", f"{API}/rooms/{{room_id:uuid}}"): lambda: {"active": False},
    ("POST", f"{API}/rates"): lambda: {"room_kind": "office", "clinician_class": "psychologist", "hourly_cents": 1, "valid_from": "2030-01-01"},
    ("POST", f"{API}/clinicians"): lambda: {"email": "nobody@example.org", "clinician_class": "psychologist"},
    ("PATCH", f"{API}/clinicians/{{clinician_id:uuid}}"): lambda: {"address": "Changed by another organisation"},
    ("POST", f"{API}/bookings"): BOOKING,
    ("POST", f"{API}/series"): lambda: {**BOOKING(), "rrule": "FREQ=WEEKLY;COUNT=2"},
    ("POST", f"{API}/bookings/{{booking_id:uuid}}/cancel"): lambda: {},
    ("POST", f"{API}/bookings/{{booking_id:uuid}}/no-show"): lambda: {},
    ("POST", f"{API}/bookings/{{booking_id:uuid}}/check-in"): lambda: {},
    ("POST", f"{API}/bookings/{{booking_id:uuid}}/check-out"): lambda: {},
    ("POST", f"{API}/clinicians/{{clinician_id:uuid}}/refunds"): lambda: {"amount_cents": 1, "method": "cheque", "paid_on": today().isoformat()},
    ("POST", f"{API}/reminders"): lambda: {},
    ("POST", f"{API}/invoice-runs"): lambda: {"month": "2030-01"},
    ("POST", f"{API}/invoice-runs/issue"): lambda: {"month": "2030-01"},
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/issue"): lambda: {},
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/credit-notes"): lambda: {"reason": "x", "amount_cents": 1},
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/payments"): lambda: {"amount_cents": 1, "method": "cash", "received_on": today().isoformat()},
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/card-payment"): lambda: {},
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/send"): lambda: {},
    ("POST", f"{API}/months/close"): lambda: {"month": "2030-01"},
    ("PUT", f"{API}/dues/settings"): lambda: {"dues_cents": {"user": 1}},
    ("POST", f"{API}/dues/runs"): lambda: {"year": DUES_YEAR},
    ("POST", f"{API}/dues/runs/issue"): lambda: {"year": DUES_YEAR},
    ("POST", f"{API}/dues/members/{{member_id:uuid}}"): lambda: {"year": DUES_YEAR},
    ("POST", f"{API}/share-invoices"): lambda: {"member_id": "00000000-0000-4000-8000-000000000000"},
    ("POST", f"{API}/stripe/webhook"): lambda: {"id": "evt_x", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_x"}}},
    # Keys of two modes: refused before Stripe is asked (the walk has no Stripe to ask).
    ("PUT", f"{API}/stripe"): lambda: MIXED_KEYS,
    ("POST", f"{API}/series/{{series_id:uuid}}/cancel"): lambda: {},
    ("POST", f"{API}/bookings/{{booking_id:uuid}}/move"): lambda: {**BOOKING(), "starts_at": local(DAY, 14), "ends_at": local(DAY, 15)},
}
PAGES = "/t/{slug:str}/billing"
MIXED_KEYS = {"publishable_key": "pk_live_another1", "secret_key": "sk_test_another1", "webhook_secret": "whsec_another1"}
FORM_BODIES = {
    ("POST", f"{PAGES}/bookings"): {"room_id": "00000000-0000-4000-8000-000000000000", "day": DAY.isoformat(), "start": "09:00", "end": "10:00"},
    ("POST", f"{PAGES}/bookings/{{booking_id:uuid}}/cancel"): {},
    ("POST", f"{PAGES}/bookings/{{booking_id:uuid}}/check-in"): {},
    ("POST", f"{PAGES}/bookings/{{booking_id:uuid}}/check-out"): {},
    ("POST", f"{PAGES}/reminders"): {},
    ("POST", f"{PAGES}/clinicians/{{clinician_id:uuid}}/refunds"): {"amount": "1,00", "method": "cheque", "paid_on": today().isoformat()},
    ("POST", f"{PAGES}/clinicians"): {"email": "nobody@example.org", "clinician_class": "psychologist"},
    ("POST", f"{PAGES}/clinicians/{{clinician_id:uuid}}"): {"name": "X", "clinician_class": "psychologist", "address": "Changed by another organisation"},
    ("POST", f"{PAGES}/rooms"): {"name": "Salle X", "kind": "office", "hours_mon": "08:00-17:00"},
    ("POST", f"{PAGES}/rates"): {"target": "kind:office", "clinician_class": "psychologist", "hourly_cents": "45.50", "increment_minutes": "15", "rounding": "up", "minimum_minutes": "0", "valid_from": "2030-01-01"},
    ("POST", f"{PAGES}/invoice-runs"): {"month": "2030-01"},
    ("POST", f"{PAGES}/invoice-runs/issue"): {"month": "2030-01"},
    ("POST", f"{PAGES}/invoices/{{invoice_id:uuid}}/issue"): {},
    ("POST", f"{PAGES}/invoices/{{invoice_id:uuid}}/payments"): {"amount": "1.00", "method": "cash", "received_on": today().isoformat()},
    ("POST", f"{PAGES}/invoices/{{invoice_id:uuid}}/send"): {},
    ("POST", f"{PAGES}/invoices/{{invoice_id:uuid}}/credit-notes"): {"amount": "1,00", "reason": "Erreur"},
    ("POST", f"{PAGES}/invoices/{{invoice_id:uuid}}/pay"): {},
    ("POST", f"{PAGES}/months/close"): {"month": "2030-01"},
    ("POST", f"{PAGES}/dues/settings"): {"dues_user": "1.00"},
    ("POST", f"{PAGES}/dues/runs"): {"year": "2030"},
    ("POST", f"{PAGES}/dues/runs/issue"): {"year": "2030"},
    ("POST", f"{PAGES}/share-invoices"): {"member_id": "00000000-0000-4000-8000-000000000000"},
    ("POST", f"{PAGES}/card-payments"): MIXED_KEYS,
    ("POST", f"{PAGES}/card-payments/off"): {},
    ("POST", f"{PAGES}/bookings/{{booking_id:uuid}}/move"): {"room_id": "00000000-0000-4000-8000-000000000000", "day": DAY.isoformat(), "start": "14:00", "end": "15:00"},
    ("POST", f"{PAGES}/bookings/{{booking_id:uuid}}/no-show"): {},
    ("POST", f"{PAGES}/series/{{series_id:uuid}}/cancel"): {},
    ("POST", f"{PAGES}/dues/members"): {"year": "2030", "member_id": "00000000-0000-4000-8000-000000000000"},
    ("POST", f"{PAGES}/settings"): {"legal_name": "Changed by another organisation", "payment_terms_days": "1"},
    ("POST", f"{PAGES}/rooms/{{room_id:uuid}}"): {"name": "Changed by another organisation", "kind": "office", "hours_mon": "08:00-17:00"},
}
UPLOADS: dict = {}


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    """B's room, a booking of its administrator (also a clinician), and that month's invoice, issued."""
    marker = f"Secret{secrets.token_hex(4)}"
    api = f"/api/t/{world.tenant.slug}/billing"
    room = (await client.post(f"{api}/rooms", json={**ROOM(), "name": marker}, headers=headers)).json()
    await client.post(f"{api}/rates", json={"room_kind": "office", "clinician_class": "psychologist", "hourly_cents": 5000, "valid_from": "2020-01-01"}, headers=headers)
    async with db.tenant_transaction(client._transport.app.state.engine, world.tenant.id, write=True):
        await services.grant_role(world.tenant, world.users["administrator"], "clinician")
    account = (await client.post(f"{api}/clinicians", json={"email": world.emails["administrator"], "clinician_class": "psychologist", "name": marker}, headers=headers)).json()
    # The booking is in a room without the marker: its calendar feed (a secret address, public by
    # design, so that calendar applications read it) names the booking's room.
    other = (await client.post(f"{api}/rooms", json=ROOM(), headers=headers)).json()
    booking = (await client.post(f"{api}/bookings", json={**BOOKING(), "room_id": other["id"], "clinician_id": account["id"]}, headers=headers)).json()
    series = (await client.post(f"{api}/series", json={**BOOKING(), "room_id": other["id"], "clinician_id": account["id"], "starts_at": local(DAY, 16), "ends_at": local(DAY, 17), "rrule": "FREQ=WEEKLY;COUNT=2"}, headers=headers)).json()
    # Last month's use of the room (booked before it began: the API books from now on) is invoiced.
    async with db.tenant_transaction(client._transport.app.state.engine, world.tenant.id, write=True):
        await Booking.insert(Booking(
            tenant_id=world.tenant.id, id=uuid.uuid4(), room_id=other["id"], clinician_id=account["id"],
            starts_at=at(last_month(), 9), ends_at=at(last_month(), 10), status="booked", cancellation_fee_percent=0, created_at=now(),
        ))
    month = month_of(last_month())
    await client.post(f"{api}/invoice-runs", json={"month": month}, headers=headers)
    [draft] = (await client.get(f"{api}/invoices", params={"month": month}, headers=headers)).json()
    issued = (await client.post(f"{api}/invoices/{draft['id']}/issue", headers=headers)).json()
    feed = (await client.get(f"{api}/calendar-feed", headers=headers)).json()["url"]
    token = feed.rsplit("/", 1)[1]
    # A member (no login, no e-mail) with dues of 2030 issued and a share invoice.
    member_marker = f"Membre{secrets.token_hex(4)}"
    member = (await client.post(f"/api/t/{world.tenant.slug}/members", json={
        "first_name": "Ada", "last_name": member_marker, "street": "1 rue X", "city": "Shawinigan", "region": "QC", "postal_code": "G9N 1A1",
        "category": "user", "shares_subscribed": 3, "shares_paid": 1,
    }, headers=headers)).json()
    await client.put(f"{api}/dues/settings", json={"dues_cents": {"user": 2000}}, headers=headers)
    await client.post(f"{api}/dues/runs", json={"year": DUES_YEAR}, headers=headers)
    await client.post(f"{api}/dues/runs/issue", json={"year": DUES_YEAR}, headers=headers)
    await client.post(f"{api}/share-invoices", json={"member_id": member["id"]}, headers=headers)
    # B's own Stripe account (written as the treasurer's page keeps it, without asking Stripe).
    async with db.tenant_transaction(client._transport.app.state.engine, world.tenant.id, write=True):
        sealed = lambda name, value: sealing.seal(sealing_purpose(world.tenant.id, name), value)  # noqa: E731
        await StripeKeys.insert(StripeKeys(
            tenant_id=world.tenant.id, id=uuid.uuid4(), publishable_key="pk_test_tenantB", secret_key_sealed=sealed("secret_key", b"sk_test_tenantB"),
            secret_key_hint="antB", webhook_secret_sealed=sealed("webhook_secret", b"whsec_tenantB"), live=False, updated_at=now(),
        ))
    ids = {"room_id": room["id"], "booking_id": booking["id"], "series_id": series["series_id"], "invoice_id": issued["id"], "calendar_token": token, "clinician_id": account["id"]}
    return ids, [marker, member_marker]


async def snapshot(client, world, headers, ids) -> tuple:
    api = f"/api/t/{world.tenant.slug}/billing"
    return (
        (await client.get(f"{api}/rooms/{ids['room_id']}", headers=headers)).json(),
        (await client.get(f"{api}/bookings/{ids['booking_id']}", headers=headers)).json(),
        (await client.get(f"{api}/bookings", headers=headers)).json(),
        (await client.get(f"{api}/invoices/{ids['invoice_id']}", headers=headers)).json(),
        (await client.get(f"{api}/invoices/{ids['invoice_id']}/payments", headers=headers)).json(),
        (await client.get(f"{api}/settings", headers=headers)).json(),
        len((await client.get(f"{api}/rates", headers=headers)).json()),
        (await client.get(f"{api}/clinicians/{ids['clinician_id']}/statement", headers=headers)).json(),
        (await client.get(f"{api}/clinicians", headers=headers)).json(),
        len((await client.get(f"{api}/invoices/{ids['invoice_id']}/deliveries", headers=headers)).json()),
        (await client.get(f"{api}/dues/settings", headers=headers)).json(),
        (await client.get(f"{api}/dues", params={"year": DUES_YEAR}, headers=headers)).json(),
        (await client.get(f"{api}/share-invoices", headers=headers)).json(),
        (await client.get(f"{api}/stripe", headers=headers)).json(),
    )
