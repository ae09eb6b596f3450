"""What the billing package serves: its JSON API, its pages and its entries in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from billing import controllers, pages
from billing.services import ROOM_KEEPERS, TREASURERS

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
NAV = [
    NavLink("billing", N_("Bookings"), ("clinician", "administrator")),
    NavLink("billing/calendar", N_("Calendars"), ("clinician", "administrator", "treasurer")),
    NavLink("billing/rooms", N_("Rooms and rates"), ROOM_KEEPERS),
    NavLink("billing/invoices", N_("Invoices"), TREASURERS),
    NavLink("billing/reports", N_("Reports"), TREASURERS),
]
