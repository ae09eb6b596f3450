"""What the meetings package serves: its JSON API, its pages and its entry in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.meetings import (
    board_controllers,
    board_pages,
    consultation_controllers,
    consultation_pages,
    controllers,
    election_controllers,
    election_pages,
    pages,
    record_controllers,
    record_pages,
    vote_mode_controllers,
)

ROUTES = [*controllers.ROUTES, *pages.ROUTES, *record_controllers.ROUTES, *record_pages.ROUTES, *election_controllers.ROUTES, *election_pages.ROUTES, *consultation_controllers.ROUTES, *consultation_pages.ROUTES, *vote_mode_controllers.ROUTES, *board_controllers.ROUTES, *board_pages.ROUTES]
# General meetings are the members' and their board's; a partner program's people have committees.
NAV = [
    NavLink("meetings", N_("Meetings"), ("administrator", "secretary", "treasurer", "member")),
    NavLink("consultations", N_("Consultations"), ("administrator", "secretary", "treasurer", "member")),
]
