"""Services of room-hour billing, each built from the request's Context: `Terms` (the settings),
`Rooms` (and their rates), `Clinicians` (the billing accounts) and `Bookings`, which holds the
three others. Every query is scoped to one tenant; every change is written to the audit log in
the same transaction. Invoices are in billing/invoicing.py, payments in billing/payments.py."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from zoneinfo import ZoneInfo

import asyncpg
import msgspec
from dateutil import rrule as dateutil_rrule

from backend.clock import now, to_utc
from backend.context import Context, TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from billing import rules
from billing.guards import TREASURERS
from billing.schemas import BookingIn, BookingMove, ClinicianChanges, ClinicianIn, RateIn, RoomChanges, RoomIn, SeriesIn, SettingsIn
from billing.tables import BillingSettings, Booking, BookingSeries, ClinicianAccount, Room, RoomRate
from governance.members.services import MemberRegister
from tenants import services as tenants
from tenants.services import record

# A series is expanded at most this far ahead, and to at most this many occurrences.
SERIES_HORIZON = dt.timedelta(days=400)
SERIES_LIMIT = 120
CHECK_IN_EARLY = dt.timedelta(minutes=30)
# PostgreSQL's exclusion constraint refuses an overlapping booking; two requests inserting the same
# slot at the same instant may each wait for the other's row, and PostgreSQL then aborts one of them
# as a deadlock: that one lost the slot too.
OVERLAP_ERRORS = (asyncpg.exceptions.ExclusionViolationError, asyncpg.exceptions.DeadlockDetectedError)


def json_value(value):
    """A JSONB column's value: PostgreSQL gives it back as text, SQLite as text too."""
    return json.loads(value) if isinstance(value, str) else value


def to_minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


class BillingService(TenantService):
    """What every billing service shares, whatever it does: the organisation's time zone (times are
    typed, shown and billed in it) and the audit log. The services compose each other; this holds
    no feature of its own."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.zone = ZoneInfo(context.tenant.timezone)

    async def audit(self, action: str, object_type: str, object_id, details: dict) -> None:
        await record(self.tenant, self.actor_id, action, object_type, object_id, details)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def utc(self, moment: dt.datetime, field: str) -> dt.datetime:
        """A time as given with an offset, or in the tenant's time zone without one, in UTC."""
        return to_minute(to_utc(moment, self.tenant.timezone, field=field))


class Terms(BillingService):
    """The organisation's billing settings: taxes, registration numbers, cancellation policy,
    payment terms and reminders' delays (one row, made with the Act's defaults when first read)."""

    async def settings(self) -> dict:
        row = await BillingSettings.select().where(BillingSettings.tenant_id == self.tenant.id).first()
        if row is None:
            # GST and QST are Quebec's (and Canada's): an organisation billing in another currency
            # (HUS, in euros) starts without them.
            taxes = {} if self.tenant.currency == "CAD" else {"gst_rate_pcm": 0, "qst_rate_pcm": 0}
            defaults = SettingsIn(legal_name=self.tenant.name, **taxes)
            row = {**msgspec.structs.asdict(defaults), "tenant_id": self.tenant.id, "id": uuid.uuid4(), "updated_at": now(), "dues_cents": {}, "dues_taxable": False}
            await BillingSettings.insert(BillingSettings(**{**row, "reminder_days": rules.format_days(row["reminder_days"])}))
        return {**row, "reminder_days": rules.parse_days(row["reminder_days"])}

    async def update_settings(self, values: SettingsIn) -> dict:
        await self.settings()
        changes = {**msgspec.structs.asdict(values), "reminder_days": sorted(set(values.reminder_days))}
        await BillingSettings.update({**changes, "reminder_days": rules.format_days(changes["reminder_days"]), "updated_at": now()}).where(BillingSettings.tenant_id == self.tenant.id)
        await self.audit("billing.settings_changed", "billing_settings", None, changes)
        return await self.settings()


class Rooms(BillingService):
    """The rooms and their rates (a tariff per room or kind of room, clinician class and band)."""

    def _room_filter(self, room_id):
        return (Room.tenant_id == self.tenant.id) & (Room.id == room_id)

    async def rooms(self, *, active_only: bool = False) -> list[dict]:
        query = Room.select().where(Room.tenant_id == self.tenant.id).order_by(Room.name)
        if active_only:
            query = query.where(Room.active == True)  # noqa: E712 (a Piccolo expression)
        return [self._room(row) for row in await query]

    async def room(self, room_id) -> dict:
        row = await Room.select().where(self._room_filter(room_id)).first()
        if row is None:
            raise NotFound(N_("No room of this organisation has this identifier."))
        return self._room(row)

    @staticmethod
    def _room(row: dict) -> dict:
        return {**row, "opening_hours": json_value(row["opening_hours"])}

    async def create_room(self, data: RoomIn) -> dict:
        self._check_hours(data.opening_hours)
        await self._check_room_name(data.name)
        room_id = uuid.uuid4()
        await Room.insert(Room(tenant_id=self.tenant.id, id=room_id, name=data.name, kind=data.kind, equipment=data.equipment, opening_hours=dict(data.opening_hours), active=data.active, created_at=now()))
        await self.audit("room.created", "room", room_id, {"name": data.name, "kind": data.kind})
        return await self.room(room_id)

    async def change_room(self, room_id, data: RoomChanges) -> dict:
        current = await self.room(room_id)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "opening_hours" in changes:
            self._check_hours(changes["opening_hours"])
            changes["opening_hours"] = dict(changes["opening_hours"])
        if changes.get("name", current["name"]) != current["name"]:
            await self._check_room_name(changes["name"])
        if changes:
            await Room.update(changes).where(self._room_filter(room_id))
            await self.audit("room.changed", "room", room_id, changes)
        return await self.room(room_id)

    async def _check_room_name(self, name: str) -> None:
        if await Room.exists().where((Room.tenant_id == self.tenant.id) & (Room.name == name)):
            raise Conflict(N_("Another room already has this name."), errors=[FieldError("name", N_("Already used by another room."))])

    @staticmethod
    def _check_hours(opening_hours: dict) -> None:
        for day, hours in opening_hours.items():
            if hours:
                try:
                    rules.parse_hours(hours)
                except ValueError:
                    raise Invalid(N_("A room closes after it opens."), errors=[FieldError(f"opening_hours.{day}", N_("Enter the hours as 08:00-21:00."))]) from None

    async def rates(self) -> list[dict]:
        return await RoomRate.select().where(RoomRate.tenant_id == self.tenant.id).order_by(RoomRate.clinician_class, RoomRate.valid_from)

    async def rate_rules(self) -> list[rules.Rate]:
        return [self._rate(row) for row in await self.rates()]

    @staticmethod
    def _rate(row: dict) -> rules.Rate:
        return rules.Rate(
            id=row["id"], room_id=row["room_id"], room_kind=row["room_kind"], clinician_class=row["clinician_class"],
            hourly_cents=row["hourly_cents"], increment_minutes=row["increment_minutes"], rounding=rules.Rounding(row["rounding"]),
            minimum_minutes=row["minimum_minutes"], valid_from=row["valid_from"], valid_until=row["valid_until"], band=row["band"],
        )

    async def create_rate(self, data: RateIn) -> dict:
        """A new tariff from a date on. The tariff it replaces ends the day before; a tariff that
        already started is never changed otherwise, so invoices already made never move."""
        if (data.room_id is None) == (data.room_kind is None):
            raise Invalid(N_("A rate is for one room or for one kind of room."), errors=[FieldError("room_id", N_("Choose a room or a kind of room, not both."))])
        if data.room_id is not None:
            await self.room(data.room_id)
        same = (RoomRate.tenant_id == self.tenant.id) & (RoomRate.clinician_class == data.clinician_class)
        same &= (RoomRate.room_id == data.room_id) if data.room_id else (RoomRate.room_kind == data.room_kind)
        same &= RoomRate.band == data.band
        if await RoomRate.exists().where(same & (RoomRate.valid_from >= data.valid_from)):
            raise Conflict(N_("A rate for this room and class already starts on or after this date."), errors=[FieldError("valid_from", N_("Enter a date after the latest rate's start."))])
        await RoomRate.update({RoomRate.valid_until: data.valid_from - dt.timedelta(days=1)}).where(same & RoomRate.valid_until.is_null())
        rate_id = uuid.uuid4()
        await RoomRate.insert(RoomRate(tenant_id=self.tenant.id, id=rate_id, created_at=now(), **msgspec.structs.asdict(data)))
        await self.audit("rate.created", "room_rate", rate_id, msgspec.structs.asdict(data))
        return await RoomRate.select().where((RoomRate.tenant_id == self.tenant.id) & (RoomRate.id == rate_id)).first()


def _lines(value: str) -> str:
    """Text from a form, its line ends as one character (browsers send CR LF)."""
    return value.replace("\r\n", "\n").strip()


class Clinicians(BillingService):
    """The billing accounts: clinicians' (opened by the treasurer) and members' (opened by their
    first dues or share invoice, billing.dues), and which of them are the signed-in person's."""

    async def register_clinician(self, data: ClinicianIn) -> dict:
        user = await tenants.user_by_email(data.email)
        if user is None or "clinician" not in await tenants.roles_of(self.tenant, user["id"]):
            raise Invalid(N_("No clinician of this organisation has this e-mail address."), errors=[FieldError("email", N_("Give the clinician role to this person first."))])
        if await ClinicianAccount.exists().where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.user_id == user["id"])):
            raise Conflict(N_("This clinician already has an account."))
        account_id = uuid.uuid4()
        await ClinicianAccount.insert(
            ClinicianAccount(
                tenant_id=self.tenant.id, id=account_id, user_id=user["id"], name=data.name or user["full_name"], email=user["email"],
                language=data.language or user["locale"] or self.tenant.locale, clinician_class=data.clinician_class,
                calendar_token=secrets.token_urlsafe(32), created_at=now(), address=_lines(data.address),
            )
        )
        await self.audit("clinician.registered", "clinician_account", account_id, {"user_id": user["id"], "class": data.clinician_class})
        return await self.clinician(account_id)

    async def change_clinician(self, account_id, data: ClinicianChanges) -> dict:
        """Changes what is given of a clinician's account (a member's follows the register).
        Documents issued before keep the name and address they were issued with."""
        account = await self.clinician(account_id)
        if account["kind"] != "clinician":
            raise Conflict(N_("A member's account follows the member register: change the member's entry."))
        changes = {name: _lines(value) for name, value in msgspec.structs.asdict(data).items() if value is not None}
        if changes:
            await ClinicianAccount.update(changes).where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.id == account_id))
            await self.audit("clinician.changed", "clinician_account", account_id, changes)
        return await self.clinician(account_id)

    async def without_account(self) -> list[dict]:
        """The people holding the clinician role here who have no billing account yet."""
        opened = {row["user_id"] for row in await ClinicianAccount.select(ClinicianAccount.user_id).where(ClinicianAccount.tenant_id == self.tenant.id)}
        return [person for person in await tenants.people(self.tenant) if "clinician" in person["roles"] and person["id"] not in opened]

    async def clinicians(self, kind: str | None = None) -> list[dict]:
        """The billing accounts: clinicians' and members' (`kind` for one of them only)."""
        condition = ClinicianAccount.tenant_id == self.tenant.id
        if kind:
            condition &= ClinicianAccount.kind == kind
        return await ClinicianAccount.select().where(condition).order_by(ClinicianAccount.name)

    async def clinician(self, account_id) -> dict:
        row = await ClinicianAccount.select().where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.id == account_id)).first()
        if row is None:
            raise NotFound(N_("No clinician of this organisation has this identifier."))
        return row

    async def own_account(self) -> dict | None:
        if self.actor is None:
            return None
        return await ClinicianAccount.select().where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.user_id == self.actor_id)).first()

    async def own_member_account(self) -> dict | None:
        """The billing account of the register entry linked to the person's login, if any."""
        if self.actor is None:
            return None
        member = await MemberRegister(self.context).of_user(self.actor_id)
        if member is None:
            return None
        return await ClinicianAccount.select().where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.member_id == member["id"])).first()

    async def own_account_ids(self) -> set:
        """The person's billing accounts: as a clinician, as a member."""
        return {account["id"] for account in (await self.own_account(), await self.own_member_account()) if account}

    async def booking_account(self, clinician_id) -> dict:
        """Whom a booking is for: a clinician books for themself, the administrator for anyone."""
        if self.actor and self.actor.has_any(("administrator",)) and clinician_id is not None:
            account = await self.clinician(clinician_id)
            if account["kind"] != "clinician":
                raise NotFound(N_("No clinician of this organisation has this identifier."))
            return account
        own = await self.own_account()
        if own is None or (clinician_id is not None and clinician_id != own["id"]):
            raise Conflict(N_("Your clinician account is not set up yet: ask the treasurer."))
        return own

    async def visible_clinician(self, clinician_id) -> dict:
        """A clinician's account as the treasurer sees any, and a clinician only their own."""
        if self.actor and self.actor.has_any(TREASURERS):
            return await self.clinician(clinician_id)
        own = await self.own_account()
        if own is None or own["id"] != clinician_id:
            raise NotFound(N_("No clinician of this organisation has this identifier."))
        return own


class Bookings(BillingService):
    """The rooms' bookings: one-off and weekly, cancelled, checked in and out, missed; one room
    never booked twice at once (PostgreSQL's exclusion constraint, SQLite's single writer)."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.terms = Terms(context)
        self.rooms = Rooms(context)
        self.clinicians = Clinicians(context)

    async def book(self, data: BookingIn) -> dict:
        return await self.insert_booking(*await self.free_slot(data))

    async def free_slot(self, data: BookingIn) -> tuple[dict, dict, dt.datetime, dt.datetime]:
        """The room, the account billed and the times (UTC) of a booking that may be made now:
        open, to come, and taken by no one."""
        room = await self.rooms.room(data.room_id)  # first: a room of another organisation is unknown here, whoever books
        clinician = await self.clinicians.booking_account(data.clinician_id)
        starts_at, ends_at = self.utc(data.starts_at, "starts_at"), self.utc(data.ends_at, "ends_at")
        self._check_slot(room, starts_at, ends_at)
        if clash := await self._clash(room["id"], starts_at, ends_at):
            raise self._taken(clash)
        return room, clinician, starts_at, ends_at

    async def insert_booking(self, room: dict, clinician: dict, starts_at, ends_at, series_id=None) -> dict:
        """Writes a booking as given, checked only against a concurrent one (PostgreSQL): the
        checks of the slot are the caller's (book, book_series; the demo writes past bookings)."""
        booking_id = uuid.uuid4()
        try:
            await Booking.insert(
                Booking(
                    tenant_id=self.tenant.id, id=booking_id, room_id=room["id"], clinician_id=clinician["id"], series_id=series_id,
                    starts_at=starts_at, ends_at=ends_at, status="booked", cancellation_fee_percent=0, created_by=self.actor_id, created_at=now(),
                )
            )
        except OVERLAP_ERRORS as error:  # PostgreSQL's exclusion constraint: a concurrent booking won
            raise self._taken(None) from error
        await self.audit("booking.created", "booking", booking_id, {"room": room["name"], "starts_at": starts_at, "ends_at": ends_at, "clinician_id": clinician["id"]})
        return await self.booking(booking_id)

    def _taken(self, clash: dict | None) -> Conflict:
        if clash is None:
            return Conflict(N_("This room is already booked at this time."), errors=[FieldError("starts_at", N_("Choose another time or another room."))])
        start, end = self.local(clash["starts_at"]), self.local(clash["ends_at"])
        return Conflict(
            N_("This room is already booked from %(start)s to %(end)s."), errors=[FieldError("starts_at", N_("Choose another time or another room."))],
            start=start.strftime("%Y-%m-%d %H:%M"), end=end.strftime("%H:%M"),
        )

    def _check_slot(self, room: dict, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
        if ends_at <= starts_at:
            raise Invalid(N_("A booking ends after it starts."), errors=[FieldError("ends_at", N_("Enter an end after the start."))])
        if starts_at < now():
            raise Invalid(N_("A booking cannot start in the past."), errors=[FieldError("starts_at", N_("Enter a time from now on."))])
        if not room["active"]:
            raise Invalid(N_("This room is closed to bookings."), errors=[FieldError("room_id", N_("Choose a room that is open."))])
        if not rules.within_opening_hours(room["opening_hours"], self.local(starts_at), self.local(ends_at)):
            raise Invalid(N_("A booking must be inside the room's opening hours."), errors=[FieldError("starts_at", N_("Choose a time when the room is open."))])

    async def _clash(self, room_id, starts_at: dt.datetime, ends_at: dt.datetime, *, moving=None) -> dict | None:
        """The booking already holding part of this time, if any (other than the one `moving`).
        On SQLite this check is what prevents a double booking: the request's write transaction
        holds the database's write lock."""
        condition = (
            (Booking.tenant_id == self.tenant.id) & (Booking.room_id == room_id) & (Booking.status != "cancelled")
            & (Booking.starts_at < ends_at) & (Booking.ends_at > starts_at)
        )
        if moving is not None:
            condition &= Booking.id != moving
        return await Booking.select(Booking.starts_at, Booking.ends_at).where(condition).first()

    async def move(self, booking_id, data: BookingMove) -> dict:
        """The same booking at another time (or in another room), free and open. Within the
        policy's late-cancellation delay a booking is no longer moved (it would leave its slot
        for free): it is cancelled, with the fee, and booked again."""
        booking = await self.visible_booking(booking_id)
        if booking["status"] != "booked" or booking["starts_at"] <= now():
            raise Conflict(N_("Only a booking still to come can be moved."))
        policy = await self.terms.settings()
        if rules.cancellation_fee_percent(booking["starts_at"], now(), policy["free_cancellation_hours"], policy["late_fee_percent"]):
            raise Conflict(N_("This booking starts within %(hours)s hours: it can no longer be moved, only cancelled (the late fee applies)."), hours=policy["free_cancellation_hours"])
        room = await self.rooms.room(data.room_id)
        starts_at, ends_at = self.utc(data.starts_at, "starts_at"), self.utc(data.ends_at, "ends_at")
        self._check_slot(room, starts_at, ends_at)
        if clash := await self._clash(room["id"], starts_at, ends_at, moving=booking_id):
            raise self._taken(clash)
        try:
            await Booking.update({Booking.room_id: room["id"], Booking.starts_at: starts_at, Booking.ends_at: ends_at}).where(
                (Booking.tenant_id == self.tenant.id) & (Booking.id == booking_id) & (Booking.status == "booked")
            )
        except OVERLAP_ERRORS as error:  # PostgreSQL's exclusion constraint: a concurrent booking won
            raise self._taken(None) from error
        await self.audit("booking.moved", "booking", booking_id, {"from": booking["starts_at"], "to": starts_at, "room": room["name"]})
        return await self.booking(booking_id)

    async def cancel_series(self, series_id) -> dict:
        """Cancels every booking of a series still to come, each as if cancelled alone (the late
        fee where it is within the policy's delay); those already held stay."""
        series = await BookingSeries.select().where((BookingSeries.tenant_id == self.tenant.id) & (BookingSeries.id == series_id)).first()
        if series is None:
            raise NotFound(N_("No series of this organisation has this identifier."))
        coming = [
            b for b in await Booking.select().where((Booking.tenant_id == self.tenant.id) & (Booking.series_id == series_id)).order_by(Booking.starts_at)
            if b["status"] == "booked" and b["starts_at"] > now()
        ]
        if not coming:
            raise Conflict(N_("No booking of this series is still to come."))
        for booking in coming:
            await self.cancel(booking["id"])  # visible_booking: a clinician cancels only their own series
        await self.audit("series.cancelled", "booking_series", series_id, {"cancelled": len(coming)})
        return {"series_id": series_id, "cancelled": len(coming)}

    async def book_series(self, data: SeriesIn) -> dict:
        """Books every occurrence that is free and reports each one that is not, with the reason."""
        room = await self.rooms.room(data.room_id)  # first: a room of another organisation is unknown here, whoever books
        clinician = await self.clinicians.booking_account(data.clinician_id)
        starts_at, ends_at = self.utc(data.starts_at, "starts_at"), self.utc(data.ends_at, "ends_at")
        self._check_slot(room, starts_at, ends_at)
        occurrences = self._occurrences(data.rrule, self.local(starts_at), data.exceptions)
        series_id = uuid.uuid4()
        # 9:00-12:00 stays 9:00-12:00 on the clock across a DST change
        duration = self.local(ends_at).replace(tzinfo=None) - self.local(starts_at).replace(tzinfo=None)
        await BookingSeries.insert(
            BookingSeries(
                tenant_id=self.tenant.id, id=series_id, room_id=room["id"], clinician_id=clinician["id"], rrule=data.rrule,
                first_start=starts_at, duration_minutes=int(duration.total_seconds() // 60), exceptions=[d.isoformat() for d in data.exceptions],
                created_by=self.actor_id, created_at=now(),
            )
        )
        booked, clashes = [], []
        for local_start in occurrences:
            # As typed, for the clash report when this day's clocks skip the time and utc() refuses it
            start, end = local_start.replace(tzinfo=self.zone), (local_start + duration).replace(tzinfo=self.zone)
            try:
                start, end = self.utc(local_start, "starts_at"), self.utc(local_start + duration, "ends_at")
                self._check_slot(room, start, end)
                if clash := await self._clash(room["id"], start, end):
                    raise self._taken(clash)
            except Problem as problem:
                clashes.append({"starts_at": start, "ends_at": end, "reason": problem.body()["detail"]})
                continue
            booked.append(await self.insert_booking(room, clinician, start, end, series_id))
        await self.audit("series.created", "booking_series", series_id, {"rrule": data.rrule, "booked": len(booked), "clashes": len(clashes)})
        return {"series_id": series_id, "booked": booked, "clashes": clashes}

    def _occurrences(self, rule: str, local_start: dt.datetime, exceptions: list[dt.date]) -> list[dt.datetime]:
        """The series' starts as wall-clock times of the tenant (naive), exceptions left out."""
        try:
            recurrence = dateutil_rrule.rrulestr(rule, dtstart=local_start.replace(tzinfo=None))
        except (ValueError, TypeError) as error:
            raise Invalid(N_("The recurrence rule is not valid."), errors=[FieldError("rrule", N_("Write it as FREQ=WEEKLY;COUNT=10 or FREQ=WEEKLY;UNTIL=20270630."))]) from error
        horizon = (local_start + SERIES_HORIZON).replace(tzinfo=None)
        skipped = set(exceptions)
        found = []
        for moment in recurrence:
            if moment > horizon or len(found) >= SERIES_LIMIT:
                break
            if moment.date() not in skipped:
                found.append(moment)
        if not found:
            raise Invalid(N_("The recurrence rule gives no occurrence."), errors=[FieldError("rrule", N_("Check the rule and the dates skipped."))])
        return found

    async def booking(self, booking_id) -> dict:
        row = await Booking.select().where((Booking.tenant_id == self.tenant.id) & (Booking.id == booking_id)).first()
        if row is None:
            raise NotFound(N_("No booking of this organisation has this identifier."))
        return row

    async def visible_booking(self, booking_id) -> dict:
        booking = await self.booking(booking_id)
        if self.actor and self.actor.has_any(("administrator", "treasurer")):
            return booking
        own = await self.clinicians.own_account()
        if own is None or booking["clinician_id"] != own["id"]:
            raise NotFound(N_("No booking of this organisation has this identifier."))
        return booking

    async def bookings(self, *, clinician_id=None, room_id=None, start: dt.datetime | None = None, end: dt.datetime | None = None) -> list[dict]:
        condition = Booking.tenant_id == self.tenant.id
        if clinician_id is not None:
            condition &= Booking.clinician_id == clinician_id
        if room_id is not None:
            condition &= Booking.room_id == room_id
        if start is not None:
            condition &= Booking.ends_at > start
        if end is not None:
            condition &= Booking.starts_at < end
        return await Booking.select().where(condition).order_by(Booking.starts_at)

    async def week(self, monday: dt.date, *, room_id=None, clinician_id=None) -> list[dict]:
        """The bookings held (or missed) in the week from `monday`, in the tenant's time zone."""
        start = dt.datetime.combine(monday, dt.time(), self.zone).astimezone(dt.UTC)
        end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), self.zone).astimezone(dt.UTC)
        return [b for b in await self.bookings(room_id=room_id, clinician_id=clinician_id, start=start, end=end) if b["status"] != "cancelled"]

    async def my_bookings(self) -> list[dict]:
        own = await self.clinicians.own_account()
        return await self.bookings(clinician_id=own["id"]) if own else []

    async def cancel(self, booking_id) -> dict:
        """Free until the policy's hours before the start, then the late fee is billed."""
        booking = await self.visible_booking(booking_id)
        if booking["status"] != "booked":
            raise Conflict(N_("Only a booking still held can be cancelled."))
        moment = now()
        if booking["starts_at"] <= moment:
            raise Conflict(N_("A booking that has started cannot be cancelled; the treasurer may record a no-show."))
        policy = await self.terms.settings()
        fee = rules.cancellation_fee_percent(booking["starts_at"], moment, policy["free_cancellation_hours"], policy["late_fee_percent"])
        await Booking.update({Booking.status: "cancelled", Booking.cancelled_at: moment, Booking.cancellation_fee_percent: fee}).where(
            (Booking.tenant_id == self.tenant.id) & (Booking.id == booking_id) & (Booking.status == "booked")
        )
        await self.audit("booking.cancelled", "booking", booking_id, {"fee_percent": fee})
        return await self.booking(booking_id)

    async def check_in(self, booking_id) -> dict:
        """The clinician (or the treasurer) records the room taken, from CHECK_IN_EARLY before
        the booking's start until its end; where the tenant bills actual use, the time billed
        starts here."""
        booking = await self.visible_booking(booking_id)
        if booking["status"] != "booked":
            raise Conflict(N_("Only a booking still held can be checked in."))
        if booking["checked_in_at"] is not None:
            raise Conflict(N_("This booking is already checked in."))
        moment = to_minute(now())
        if not booking["starts_at"] - CHECK_IN_EARLY <= moment <= booking["ends_at"]:
            raise Conflict(N_("Check in from 30 minutes before the booking until its end."))
        await Booking.update({Booking.checked_in_at: moment}).where(
            (Booking.tenant_id == self.tenant.id) & (Booking.id == booking_id) & Booking.checked_in_at.is_null()
        )
        await self.audit("booking.checked_in", "booking", booking_id, {"at": moment})
        return await self.booking(booking_id)

    async def check_out(self, booking_id) -> dict:
        booking = await self.visible_booking(booking_id)
        if booking["checked_in_at"] is None:
            raise Conflict(N_("Check in before checking out."))
        if booking["checked_out_at"] is not None:
            raise Conflict(N_("This booking is already checked out."))
        moment = max(to_minute(now()), booking["checked_in_at"] + dt.timedelta(minutes=1))
        await Booking.update({Booking.checked_out_at: moment}).where(
            (Booking.tenant_id == self.tenant.id) & (Booking.id == booking_id) & Booking.checked_out_at.is_null()
        )
        await self.audit("booking.checked_out", "booking", booking_id, {"at": moment})
        return await self.booking(booking_id)

    async def mark_no_show(self, booking_id) -> dict:
        booking = await self.booking(booking_id)
        if booking["status"] != "booked":
            raise Conflict(N_("Only a booking still held can be marked as a no-show."))
        if booking["starts_at"] > now():
            raise Conflict(N_("A no-show is recorded once the booking has started."))
        policy = await self.terms.settings()
        await Booking.update({Booking.status: "no_show", Booking.cancellation_fee_percent: policy["no_show_percent"]}).where(
            (Booking.tenant_id == self.tenant.id) & (Booking.id == booking_id)
        )
        await self.audit("booking.no_show", "booking", booking_id, {"fee_percent": policy["no_show_percent"]})
        return await self.booking(booking_id)
