"""What the member register serves: its JSON API and its pages, and its entry in the menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.members import controllers, pages
from governance.members.guards import REGISTER_READERS

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
NAV = [NavLink("members", N_("Members"), REGISTER_READERS)]
