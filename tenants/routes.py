"""What the tenants package serves: its JSON API and its pages, and its entry in the menu."""

from backend.domains import NavLink
from backend.i18n import N_
from tenants import controllers, pages

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
NAV = [
    NavLink("organisation", N_("Organisation"), ("administrator",)),
    NavLink("people", N_("People"), ("administrator",)),
    NavLink("outbox", N_("E-mail outbox"), ("administrator",)),
]
