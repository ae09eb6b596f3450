"""What the billing tests share: a co-op with a room, rates and a clinician's account."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from backend import db
from backend.clock import now
from billing.tables import Booking
from tenants import services
from tests.clock import local, weeks_ahead
from tests.conftest import PASSWORD, World, bearer

EVERY_DAY = {day: "07:00-22:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


SECRET = "whsec_testsolidaire"  # a tenant's webhook signing secret, unless a test gives another


@dataclass
class Coop:
    world: World
    api: str
    admin: dict
    treasurer: dict
    clinician: dict
    room: dict
    account: dict


def future_day(weeks: int = 6, weekday: int = 1) -> dt.date:
    """A day some weeks ahead (a Tuesday by default), so a booking is never in the past."""
    return weeks_ahead(weeks, weekday)


async def make_coop(client, make_tenant, *, hourly_cents: int = 4000, clinician_class: str = "family_physician", currency: str = "CAD") -> Coop:
    world = await make_tenant(roles=("clinician",), currency=currency)
    api = f"/api/t/{world.tenant.slug}/billing"
    admin, treasurer, clinician = [await bearer(client, world, role) for role in ("administrator", "treasurer", "clinician")]
    room = await client.post(f"{api}/rooms", json={"name": "Bureau 1", "kind": "office", "equipment": "Table d'examen", "opening_hours": EVERY_DAY}, headers=treasurer)
    assert room.status_code == 201, room.text
    rate = await client.post(
        f"{api}/rates",
        json={"room_kind": "office", "clinician_class": clinician_class, "hourly_cents": hourly_cents, "increment_minutes": 15, "valid_from": "2020-01-01"},
        headers=treasurer,
    )
    assert rate.status_code == 201, rate.text
    account = await client.post(f"{api}/clinicians", json={"email": world.emails["clinician"], "clinician_class": clinician_class}, headers=treasurer)
    assert account.status_code == 201, account.text
    return Coop(world, api, admin, treasurer, clinician, room.json(), account.json())


async def book(client, coop: Coop, day: dt.date, start: int, end: int, **extra):
    return await client.post(
        f"{coop.api}/bookings", json={"room_id": coop.room["id"], "starts_at": local(day, start), "ends_at": local(day, end), **extra}, headers=coop.clinician
    )


async def add_clinician(client, database, coop: Coop, name: str, clinician_class: str = "family_physician", language: str | None = None) -> tuple[dict, dict]:
    """Another clinician's login, billing account and bearer headers."""

    email = f"{secrets.token_hex(4)}@{coop.world.tenant.slug}.test"
    async with database.as_owner(), db.tenant_transaction(database.owner, coop.world.tenant.id, write=True):
        user_id = await services.create_user(email, name, PASSWORD)
        await services.grant_role(coop.world.tenant, user_id, "clinician")
    account = await client.post(f"{coop.api}/clinicians", json={"email": email, "clinician_class": clinician_class, "language": language}, headers=coop.treasurer)
    assert account.status_code == 201, account.text
    token = await client.post(f"/api/t/{coop.world.tenant.slug}/auth/token", json={"email": email, "password": PASSWORD})
    return account.json(), {"authorization": f"Bearer {token.json()['token']}"}


async def past_booking(database, coop: Coop, starts_at, ends_at, *, status: str = "booked", fee: int = 0, clinician_id=None) -> uuid.UUID:
    """A booking already in the past (the API books only from now on), written as the owner."""
    booking_id = uuid.uuid4()
    async with database.as_owner(), db.tenant_transaction(database.owner, coop.world.tenant.id, write=True):
        await Booking.insert(Booking(
            tenant_id=coop.world.tenant.id, id=booking_id, room_id=coop.room["id"], clinician_id=clinician_id or coop.account["id"],
            starts_at=starts_at, ends_at=ends_at, status=status, cancellation_fee_percent=fee, created_at=now(),
        ))
    return booking_id


async def cancel_in_database(database, coop: Coop, booking_id, fee: int) -> None:
    """Cancels a booking as its cancellation would, with `fee` percent owed. The API cancels only a
    booking not begun; one invoiced with the month before it happened is cancelled that way, but
    whether this month has such a day left depends on the day the tests run."""
    async with database.as_owner(), db.tenant_transaction(database.owner, coop.world.tenant.id, write=True):
        await Booking.update({Booking.status: "cancelled", Booking.cancellation_fee_percent: fee}).where(Booking.id == booking_id)


async def connect_stripe(client, api: str, treasurer: dict, name: str = "solidaire", webhook_secret: str | None = None) -> str:
    """The treasurer enters the tenant's own Stripe keys (test mode) through the API; returns the
    webhook signing secret its events are signed with."""
    secret = webhook_secret or SECRET
    keys = {"publishable_key": f"pk_test_{name}", "secret_key": f"sk_test_{name}", "webhook_secret": secret}
    connected = await client.put(f"{api}/stripe", json=keys, headers=treasurer)
    assert connected.status_code == 200, connected.text
    return secret
