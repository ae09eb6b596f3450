"""The co-op's room report: occupancy per room and month (booked hours over open hours), the
hours open but unbooked (what the co-op absorbs) and the revenue of each room. Rules in
billing.rules (booked_minutes_in, open_minutes_in, room_month); this module loads the data."""

from __future__ import annotations

import datetime as dt
import uuid

from backend.context import Context
from backend.errors import FieldError, Invalid
from backend.i18n import N_
from billing import rules
from billing.services import BillingService, Bookings
from billing.tables import InvoiceLine

MAX_MONTHS = 24


class Reports(BillingService):
    """The room report, from the `Bookings` it holds (and their rooms) and the issued invoices' lines."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.bookings = Bookings(context)

    async def room_report(self, first: str, last: str) -> dict:
        """Rows per room and month from `first` to `last` (YYYY-MM), and the totals per room."""
        months = rules.months_between(first, last) if first <= last else []
        if not months:
            raise Invalid(N_("The report's last month comes before its first."), errors=[FieldError("to", N_("Enter a month from the first one on."))])
        if len(months) > MAX_MONTHS:
            raise Invalid(N_("A report covers at most %(count)s months."), errors=[FieldError("to", N_("Choose a shorter period."))], count=MAX_MONTHS)
        start = dt.datetime.combine(rules.month_bounds(months[0])[0], dt.time(), self.zone).astimezone(dt.UTC)
        end = dt.datetime.combine(rules.month_bounds(months[-1])[1], dt.time(), self.zone).astimezone(dt.UTC)
        rooms = await self.bookings.rooms.rooms()
        intervals: dict = {}
        for booking in await self.bookings.bookings(start=start, end=end):
            if booking["status"] != "cancelled":
                intervals.setdefault(booking["room_id"], []).append((self.local(booking["starts_at"]), self.local(booking["ends_at"])))
        revenue = await self._revenue(start, end)
        rows = []
        for room in rooms:
            for month in months:
                first_day, following = rules.month_bounds(month)
                in_month = [(a, b) for a, b in intervals.get(room["id"], []) if a.date() < following and b.date() >= first_day]
                rows.append(rules.room_month(room["id"], room["opening_hours"], month, in_month, revenue.get((room["id"], month), 0)))
        return {"first": months[0], "last": months[-1], "months": months, "rooms": rooms, "rows": rows, "unattributed_cents": revenue.get(None, 0)}

    async def _revenue(self, start: dt.datetime, end: dt.datetime) -> dict:
        """Pre-tax amounts of issued documents' lines by (room, month of the booking): invoices'
        bookings, late cancellations and no-shows, less the credit notes that mirror them. A part
        credited without a booking (an amount) is under the key None, by the month it was issued."""
        rows = await self._raw(
            "SELECT b.room_id, b.starts_at, l.amount_cents FROM invoice_line l "
            "JOIN invoice i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id "
            "JOIN booking b ON b.tenant_id = l.tenant_id AND b.id = l.booking_id "
            "WHERE l.tenant_id = {} AND i.status = 'issued' AND b.starts_at >= {} AND b.starts_at < {}",
            self.tenant.id, start, end,
        )
        revenue: dict = {}
        for row in rows:
            key = (_uuid(row["room_id"]), rules.month_of(self.local(_aware(row["starts_at"])).date()))
            revenue[key] = revenue.get(key, 0) + row["amount_cents"]
        loose = await self._raw(
            "SELECT COALESCE(SUM(l.amount_cents), 0) AS total FROM invoice_line l JOIN invoice i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id "
            "WHERE l.tenant_id = {} AND i.status = 'issued' AND i.purpose = 'rooms' AND l.booking_id IS NULL AND i.issued_on >= {} AND i.issued_on < {}",
            self.tenant.id, self.local(start).date(), self.local(end).date(),
        )
        revenue[None] = int(loose[0]["total"] or 0)
        return revenue

    @staticmethod
    async def _raw(sql: str, *args) -> list[dict]:
        return await InvoiceLine.raw(sql, *args)


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _aware(moment) -> dt.datetime:
    """SQLite gives raw query results back as text; PostgreSQL as aware datetimes."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def totals_by_room(rows: list[rules.RoomMonth]) -> dict:
    """Per room over the period: open, booked and unbooked minutes, occupancy, revenue."""
    totals: dict = {}
    for row in rows:
        open_, booked, revenue = totals.get(row.room_id, (0, 0, 0))
        totals[row.room_id] = (open_ + row.open_minutes, booked + row.booked_minutes, revenue + row.revenue_cents)
    return {room: rules.RoomMonth(room, "", o, b, r) for room, (o, b, r) in totals.items()}
