"""What the tenants package serves: its JSON API and its pages, and its entries in the menu."""

from backend.domains import NavLink
from backend.i18n import N_
from tenants import controllers, pages
from tenants.guards import REGISTER_READERS

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
NAV = [
    NavLink("members", N_("Members"), REGISTER_READERS),
    NavLink("outbox", N_("E-mail outbox"), ("administrator",)),
]
