"""What the partner program serves: its JSON API, its pages and its entries in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.partners import controllers, pages

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
NAV = [
    NavLink("program", N_("Partner program"), ("partner_coordinator", "administrator")),
    NavLink("program/me", N_("My involvement"), ("partner",)),
]
