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

# Each operation of the JSON API (under /api/t/{slug}/billing) and where a person does it in the
# pages (the page's method and path under /t/{slug}), or why no page is needed: a capability only
# a script can reach is not done for a treasurer or a clinician. tests/test_every_action_in_a_page.py
# fails on an operation with neither, and on a page named here that does not exist.
IN_PAGES = {
    "GET /bookings": "GET /billing",
    "GET /bookings/{booking_id:uuid}": "GET /billing/calendar/rooms/{room_id:uuid}",
    "POST /bookings": "POST /billing/bookings",
    "POST /series": "POST /billing/bookings",
    "POST /series/{series_id:uuid}/cancel": "POST /billing/series/{series_id:uuid}/cancel",
    "POST /bookings/{booking_id:uuid}/cancel": "POST /billing/bookings/{booking_id:uuid}/cancel",
    "POST /bookings/{booking_id:uuid}/move": "POST /billing/bookings/{booking_id:uuid}/move",
    "POST /bookings/{booking_id:uuid}/check-in": "POST /billing/bookings/{booking_id:uuid}/check-in",
    "POST /bookings/{booking_id:uuid}/check-out": "POST /billing/bookings/{booking_id:uuid}/check-out",
    "POST /bookings/{booking_id:uuid}/no-show": "POST /billing/bookings/{booking_id:uuid}/no-show",
    "GET /calendar-feed": "GET /billing",
    "GET /rooms": "GET /billing/rooms",
    "GET /rooms/{room_id:uuid}": "GET /billing/rooms",
    "POST /rooms": "POST /billing/rooms",
    "PATCH /rooms/{room_id:uuid}": "POST /billing/rooms/{room_id:uuid}",
    "GET /rates": "GET /billing/rooms",
    "POST /rates": "POST /billing/rates",
    "GET /settings": "GET /billing/settings",
    "PUT /settings": "POST /billing/settings",
    "GET /clinicians": "GET /billing/clinicians",
    "POST /clinicians": "POST /billing/clinicians",
    "PATCH /clinicians/{clinician_id:uuid}": "POST /billing/clinicians/{clinician_id:uuid}",
    "GET /clinicians/{clinician_id:uuid}/statement": "GET /billing/clinicians/{clinician_id:uuid}/statement",
    "GET /clinicians/{clinician_id:uuid}/credit": "GET /billing/clinicians/{clinician_id:uuid}/statement",
    "POST /clinicians/{clinician_id:uuid}/refunds": "POST /billing/clinicians/{clinician_id:uuid}/refunds",
    "GET /statement": "GET /billing/statement",
    "POST /invoice-runs": "POST /billing/invoice-runs",
    "POST /invoice-runs/issue": "POST /billing/invoice-runs/issue",
    "GET /invoices": "GET /billing/invoices",
    "GET /invoices/{invoice_id:uuid}": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /invoices/{invoice_id:uuid}/pdf": "no page: the pages link this address itself (the PDF opens in the browser)",
    "POST /invoices/{invoice_id:uuid}/issue": "POST /billing/invoices/{invoice_id:uuid}/issue",
    "POST /invoices/{invoice_id:uuid}/send": "POST /billing/invoices/{invoice_id:uuid}/send",
    "GET /invoices/{invoice_id:uuid}/deliveries": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /invoices/{invoice_id:uuid}/reminders": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /invoices/{invoice_id:uuid}/payments": "GET /billing/invoices/{invoice_id:uuid}",
    "GET /invoices/{invoice_id:uuid}/reversals": "GET /billing/invoices/{invoice_id:uuid}",
    "POST /invoices/{invoice_id:uuid}/payments": "POST /billing/invoices/{invoice_id:uuid}/payments",
    "POST /invoices/{invoice_id:uuid}/credit-notes": "POST /billing/invoices/{invoice_id:uuid}/credit-notes",
    "POST /invoices/{invoice_id:uuid}/card-payment": "POST /billing/invoices/{invoice_id:uuid}/pay",
    "GET /credits-due": "GET /billing/invoices",
    "POST /months/close": "POST /billing/months/close",
    "GET /chain": "GET /billing/chain",
    "POST /reminders": "POST /billing/reminders",
    "GET /reports/ageing": "GET /billing/reports",
    "GET /reports/rooms": "GET /billing/reports",
    "GET /journal.csv": "no page: the invoices page links this address itself (the CSV is downloaded)",
    "GET /dues": "GET /billing/dues",
    "GET /dues/settings": "GET /billing/dues",
    "PUT /dues/settings": "POST /billing/dues/settings",
    "POST /dues/runs": "POST /billing/dues/runs",
    "POST /dues/runs/issue": "POST /billing/dues/runs/issue",
    "POST /dues/members/{member_id:uuid}": "POST /billing/dues/members",
    "GET /share-invoices": "GET /billing/dues",
    "POST /share-invoices": "POST /billing/share-invoices",
    "GET /stripe": "GET /billing/card-payments",
    "PUT /stripe": "POST /billing/card-payments",
    "DELETE /stripe": "POST /billing/card-payments/off",
    "POST /stripe/webhook": "no page: Stripe posts its events there, signed",
}
