"""What the member register serves: its JSON API and its pages, and its entry in the menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.members import controllers, pages
from governance.members.guards import REGISTER_READERS

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
NAV = [NavLink("members", N_("Members"), REGISTER_READERS)]

# Each operation of the register's JSON API (its path under /api/t/{slug}) and where a person does
# it in the pages (the page's method and path under /t/{slug}), or why no page is needed
# (tests/test_every_action_in_a_page.py).
IN_PAGES = {
    "GET /members": "GET /members",
    "POST /members": "POST /members/new",
    "GET /members/{member_id:uuid}": "GET /members/{member_id:uuid}",
    "PATCH /members/{member_id:uuid}": "POST /members/{member_id:uuid}/edit",
    "POST /members/{member_id:uuid}/status": "POST /members/{member_id:uuid}/status",
    "GET /members/{member_id:uuid}/history": "GET /members/{member_id:uuid}",
    "POST /members/{member_id:uuid}/invitation": "POST /members/{member_id:uuid}/invitation",
    "POST /members/invitations": "POST /members/invitations",
    "POST /members/invitations/selection": "POST /members/invitations",
    "POST /members/import": "POST /members/import",
    "GET /register.csv": "no page: the home page links this address itself (the CSV is downloaded)",
    "GET /register.pdf": "no page: the home page links this address itself (the PDF opens in the browser)",
    "GET /me": "GET /me",
    "PATCH /me": "POST /me",
}
