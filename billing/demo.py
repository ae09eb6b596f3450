"""The demo of room-hour billing at the Shawinigan co-op: three rooms, rates per class of
clinician, four clinicians with their logins, last month's bookings (tenants.demo.AS_OF's month)
invoiced (one invoice paid by cheque) and weekly schedules from the coming days on; the members'
dues of AS_OF's year issued (two paid) and one member's unpaid shares invoiced. Seeded choices, so
every load on the same day is the same."""

from __future__ import annotations

import datetime as dt
import random

from piccolo.engine.base import Engine

from backend import db
from backend.context import Context
from billing.dues import Dues
from billing.payments import Payments
from billing.schemas import ClinicianIn, DuesSettingsIn, PaymentIn, RateIn, RoomIn, SettingsIn
from billing.services import Bookings
from tenants import services
from tenants.demo import AS_OF, DEMO_PASSWORD

SLUG = "coop-shawinigan"
WEEKDAYS = {day: "08:00-21:00" for day in ("mon", "tue", "wed", "thu", "fri")} | {"sat": "09:00-13:00", "sun": None}
ROOMS = (
    RoomIn(name="Bureau 101", kind="office", equipment="Bureau, deux chaises, lavabo", opening_hours=WEEKDAYS),
    RoomIn(name="Bureau 102", kind="office", equipment="Bureau, fauteuils, insonorisé", opening_hours=WEEKDAYS),
    RoomIn(name="Salle d'examen A", kind="examination_room", equipment="Table d'examen, otoscope, ECG", opening_hours=WEEKDAYS),
)
RATES = (
    # (room kind, clinician class, hourly rate in cents, increment, minimum minutes)
    ("office", "family_physician", 3500, 15, 60),
    ("office", "psychologist", 2500, 15, 60),
    ("examination_room", "family_physician", 4500, 15, 60),
    ("examination_room", "specialist", 6000, 30, 120),
)
CLINICIANS = (
    # (e-mail, name, class, language, room, weekday, start hour, hours)
    ("dre.gelinas@coop-shawinigan.demo", "Dre Isabelle Gélinas", "family_physician", "fr_CA", 2, 0, 8, 4),
    ("dr.lampron@coop-shawinigan.demo", "Dr Mathieu Lampron", "family_physician", "fr_CA", 0, 2, 13, 4),
    ("m.bellemare@coop-shawinigan.demo", "Marie-Ève Bellemare, psychologue", "psychologist", "fr_CA", 1, 1, 9, 6),
    ("dr.murphy@coop-shawinigan.demo", "Dr Brian Murphy", "specialist", "en_CA", 2, 3, 13, 3),
)


async def load(engine: Engine) -> None:
    tenant = await services.tenant_by_slug(SLUG)
    rng = random.Random(2027)
    async with db.tenant_transaction(engine, tenant.id, write=True):
        payments = Payments(Context(tenant))
        bookings = payments.invoicing.bookings
        await bookings.terms.update_settings(SettingsIn(
            gst_number="812345678 RT0001", qst_number="1223456789 TQ0001", legal_name="Coopérative de solidarité santé de Shawinigan",
            address="1250, avenue de la Station\nShawinigan (Québec) G9N 8K9", free_cancellation_hours=48, late_fee_percent=50, payment_terms_days=30,
        ))
        rooms = [await bookings.rooms.create_room(room) for room in ROOMS]
        for kind, klass, cents, increment, minimum in RATES:
            await bookings.rooms.create_rate(RateIn(room_kind=kind, clinician_class=klass, hourly_cents=cents, increment_minutes=increment, minimum_minutes=minimum, valid_from=dt.date(AS_OF.year, 1, 1)))
        accounts = []
        for email, name, klass, language, room, weekday, hour, hours in CLINICIANS:
            user_id = await services.create_user(email, name, DEMO_PASSWORD, language)
            await services.grant_role(tenant, user_id, "clinician")
            account = await bookings.clinicians.register_clinician(ClinicianIn(email=email, clinician_class=klass))
            accounts.append(account)
            await _last_month(bookings, rooms[room], account, weekday, hour, hours, rng)
            await _weekly(bookings, tenant, rooms[room], account, weekday, hour, hours)
        await _invoice_last_month(payments)
        await _dues(Dues(Context(tenant)))


async def _last_month(bookings: Bookings, room: dict, account: dict, weekday: int, hour: int, hours: int, rng: random.Random) -> None:
    """Last month's weekly half-days, one no-show among them (past bookings are written as they were)."""
    day = dt.date(AS_OF.year, AS_OF.month, 1)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    while day.month == AS_OF.month:
        start = dt.datetime.combine(day, dt.time(hour), bookings.zone).astimezone(dt.UTC)
        length = dt.timedelta(hours=hours) - dt.timedelta(minutes=rng.choice((0, 0, 10, 20)))  # some leave early
        booking = await bookings.insert_booking(room, account, start, start + length)
        if rng.random() < 0.12:
            await bookings.mark_no_show(booking["id"])
        day += dt.timedelta(weeks=1)


async def _weekly(bookings: Bookings, tenant, room: dict, account: dict, weekday: int, hour: int, hours: int) -> None:
    """Their weekly schedule for the next eight weeks."""
    day = tenant.today() + dt.timedelta(days=1)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    for week in range(8):
        start = dt.datetime.combine(day + dt.timedelta(weeks=week), dt.time(hour), bookings.zone).astimezone(dt.UTC)
        await bookings.insert_booking(room, account, start, start + dt.timedelta(hours=hours))


async def _invoice_last_month(payments: Payments) -> None:
    """Last month's drafts, all issued; the first one paid by cheque."""
    month = f"{AS_OF.year:04d}-{AS_OF.month:02d}"
    invoicing = payments.invoicing
    await invoicing.run_month(month)
    drafts = await invoicing.invoices(month=month, status="draft")
    for draft in drafts:
        await invoicing.issue(draft["id"])
    first = drafts[0]
    await payments.record_payment(first["id"], PaymentIn(amount_cents=first["total_cents"], method="cheque", received_on=payments.tenant.today(), reference="Chèque no 2047"))


DUES_CENTS = {"user": 1000, "worker": 2500, "supporting": 5000}


async def _dues(dues: Dues) -> None:
    """The year's dues run (outside the taxes), issued without e-mail (a demo sends nothing);
    two members paid by cheque; one member's unpaid shares invoiced."""
    year = AS_OF.year
    await dues.update_dues_settings(DuesSettingsIn(dues_cents={c: v for c, v in DUES_CENTS.items() if c in dues.tenant.member_categories}))
    await dues.run_dues(year)
    issued = await dues.invoicing.issue_drafts(None, dues_year=year)
    for invoice_id in issued[:2]:
        invoice = await dues.invoicing.invoice(invoice_id)
        await dues.payments.record_payment(invoice_id, PaymentIn(amount_cents=invoice["total_cents"], method="cheque", received_on=dues.tenant.today(), reference="Cotisation"))
    owing = [m for m in await dues.members_owing_shares() if m["status"] == "active"]
    if owing:
        await dues.invoice_shares(owing[0]["id"])
