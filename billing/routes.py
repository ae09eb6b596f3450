"""What the billing package serves: its JSON API, its pages and its entries in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from billing import card_pages, clinician_pages, controllers, dues_api, dues_pages, invoice_pages, pages, settings_pages
from billing.guards import ROOM_KEEPERS, TREASURERS

ROUTES = [*controllers.ROUTES, *dues_api.ROUTES, *pages.ROUTES, *dues_pages.ROUTES, *clinician_pages.ROUTES, *card_pages.ROUTES, *settings_pages.ROUTES, *invoice_pages.ROUTES]
NAV = [
    NavLink("billing", N_("Bookings"), ("clinician", "administrator")),
    NavLink("billing/calendar", N_("Calendars"), ("clinician", "administrator", "treasurer")),
    NavLink("billing/rooms", N_("Rooms and rates"), ROOM_KEEPERS),
    NavLink("billing/clinicians", N_("Clinicians"), TREASURERS),
    NavLink("billing/invoices", N_("Invoices"), TREASURERS),
    NavLink("billing/dues", N_("Dues and shares"), TREASURERS),
    NavLink("billing/settings", N_("Billing settings"), TREASURERS),
    NavLink("billing/mine", N_("My invoices"), ("member",)),
    NavLink("billing/reports", N_("Reports"), TREASURERS),
]
