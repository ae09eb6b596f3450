"""What the billing package serves: its JSON API, its pages and its entries in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from billing import card_pages, clinician_pages, controllers, dues_api, dues_pages, invoice_pages, pages, settings_pages
from billing.guards import ROOM_KEEPERS, TREASURERS

ROUTES = [*controllers.ROUTES, *dues_api.ROUTES, *pages.ROUTES, *dues_pages.ROUTES, *clinician_pages.ROUTES, *card_pages.ROUTES, *settings_pages.ROUTES, *invoice_pages.ROUTES]
# Rooms and billing are a co-operative's (a health region's program rents no rooms), one entry of the menu.
SECTION, COOP = N_("Rooms and billing"), ("coop",)
NAV = [
    NavLink("billing", N_("Bookings"), ("clinician", "administrator"), SECTION, COOP),
    NavLink("billing/calendar", N_("Calendars"), ("clinician", "administrator", "treasurer"), SECTION, COOP),
    NavLink("billing/rooms", N_("Rooms and rates"), ROOM_KEEPERS, SECTION, COOP),
    NavLink("billing/clinicians", N_("Clinicians"), TREASURERS, SECTION, COOP),
    NavLink("billing/invoices", N_("Invoices"), TREASURERS, SECTION, COOP),
    NavLink("billing/dues", N_("Dues and shares"), TREASURERS, SECTION, COOP),
    NavLink("billing/settings", N_("Billing settings"), TREASURERS, SECTION, COOP),
    NavLink("billing/reports", N_("Reports"), TREASURERS, SECTION, COOP),
    NavLink("billing/mine", N_("My invoices"), ("member",), N_("My invoices"), COOP),
]

# Each operation of billing's JSON API (its path under /api/t/{slug}) and where a person does it in the
# pages (the page's method and path under /t/{slug}), or why no page is needed: a capability only
# a script can reach is not done for a treasurer or a clinician. tests/test_every_action_in_a_page.py
# fails on an operation with neither, and on a page named here that does not exist.
IN_PAGES = {
    "GET /billing/bookings": "GET /billing",
    "GET /billing/bookings/{booking_id:uuid}": "GET /billing/calendar/rooms/{room_id:uuid}",
    "POST /billing/bookings": "POST /billing/bookings",
    "POST /billing/series": "POST /billing/bookings",
    "POST /billing/series/{series_id:uuid}/cancel": "POST /billing/series/{series_id:uuid}/cancel",
    "POST /billing/bookings/{booking_id:uuid}/cancel": "POST /billing/bookings/{booking_id:uuid}/cancel",
    "POST /billing/bookings/{booking_id:uuid}/move": "POST /billing/bookings/{booking_id:uuid}/move",
    "POST /billing/bookings/{booking_id:uuid}/check-in": "POST /billing/bookings/{booking_id:uuid}/check-in",
    "POST /billing/bookings/{booking_id:uuid}/check-out": "POST /billing/bookings/{booking_id:uuid}/check-out",
    "POST /billing/bookings/{booking_id:uuid}/no-show": "POST /billing/bookings/{booking_id:uuid}/no-show",
    "GET /billing/calendar-feed": "GET /billing",
    "GET /billing/rooms": "GET /billing/rooms",
    "GET /billing/rooms/{room_id:uuid}": "GET /billing/rooms",
    "POST /billing/rooms": "POST /billing/rooms",
    "PATCH /billing/rooms/{room_id:uuid}": "POST /billing/rooms/{room_id:uuid}",
    "GET /billing/rates": "GET /billing/rooms",
    "POST /billing/rates": "POST /billing/rates",
    "GET /billing/settings": "GET /billing/settings",
    "PUT /billing/settings": "POST /billing/settings",
    "GET /billing/clinicians": "GET /billing/clinicians",
    "POST /billing/clinicians": "POST /billing/clinicians",
    "PATCH /billing/clinicians/{clinician_id:uuid}": "POST /billing/clinicians/{clinician_id:uuid}",
    "GET /billing/clinicians/{clinician_id:uuid}/statement": "GET /billing/clinicians/{clinician_id:uuid}/statement",
    "GET /billing/clinicians/{clinician_id:uuid}/credit": "GET /billing/clinicians/{clinician_id:uuid}/statement",
    "POST /billing/clinicians/{clinician_id:uuid}/refunds": "POST /billing/clinicians/{clinician_id:uuid}/refunds",
    "GET /billing/statement": "GET /billing/statement",
    "POST /billing/invoice-runs": "POST /billing/invoice-runs",
    "POST /billing/invoice-runs/issue": "POST /billing/invoice-runs/issue",
    "GET /billing/invoices": "GET /billing/invoices",
    "GET /billing/invoices/{invoice_id:uuid}": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /billing/invoices/{invoice_id:uuid}/pdf": "no page: the pages link this address itself (the PDF opens in the browser)",
    "POST /billing/invoices/{invoice_id:uuid}/issue": "POST /billing/invoices/{invoice_id:uuid}/issue",
    "POST /billing/invoices/{invoice_id:uuid}/send": "POST /billing/invoices/{invoice_id:uuid}/send",
    "GET /billing/invoices/{invoice_id:uuid}/deliveries": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /billing/invoices/{invoice_id:uuid}/reminders": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /billing/invoices/{invoice_id:uuid}/payments": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /billing/invoices/{invoice_id:uuid}/reversals": "GET /billing/invoices/{invoice_id:uuid}",
    "POST /billing/invoices/{invoice_id:uuid}/payments": "POST /billing/invoices/{invoice_id:uuid}/payments",
    "POST /billing/invoices/{invoice_id:uuid}/credit-notes": "POST /billing/invoices/{invoice_id:uuid}/credit-notes",
    "POST /billing/invoices/{invoice_id:uuid}/card-payment": "POST /billing/invoices/{invoice_id:uuid}/pay",
    "GET /billing/credits-due": "GET /billing/invoices",
    "POST /billing/months/close": "POST /billing/months/close",
    "GET /billing/chain": "GET /billing/chain",
    "POST /billing/reminders": "POST /billing/reminders",
    "GET /billing/reports/ageing": "GET /billing/reports",
    "GET /billing/reports/rooms": "GET /billing/reports",
    "GET /billing/journal.csv": "no page: the invoices page links this address itself (the CSV is downloaded)",
    "GET /billing/dues": "GET /billing/dues",
    "GET /billing/dues/settings": "GET /billing/dues",
    "PUT /billing/dues/settings": "POST /billing/dues/settings",
    "POST /billing/dues/runs": "POST /billing/dues/runs",
    "POST /billing/dues/runs/issue": "POST /billing/dues/runs/issue",
    "POST /billing/dues/members/{member_id:uuid}": "POST /billing/dues/members",
    "GET /billing/share-invoices": "GET /billing/dues",
    "POST /billing/share-invoices": "POST /billing/share-invoices",
    "GET /billing/stripe": "GET /billing/card-payments",
    "PUT /billing/stripe": "POST /billing/card-payments",
    "DELETE /billing/stripe": "POST /billing/card-payments/off",
    "POST /billing/stripe/webhook": "no page: Stripe posts its events there, signed",
}
