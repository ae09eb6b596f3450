"""What the meetings package serves: its JSON API, its pages and its entry in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.meetings import controllers, pages

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
# General meetings are the members' and their board's; a partner program's people have committees.
NAV = [NavLink("meetings", N_("Meetings"), ("administrator", "secretary", "treasurer", "member"))]
