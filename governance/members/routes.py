"""What the member register serves: its JSON API and its pages, and its entry in the menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.members import controllers, pages, share_controllers, share_pages
from governance.members.guards import REGISTER_READERS

ROUTES = [*controllers.ROUTES, *share_controllers.ROUTES, *pages.ROUTES, *share_pages.ROUTES]
# The register and its shares are one entry of a co-operative's menu (a health region's program has none).
REGISTER, COOP = N_("Members"), ("coop",)
NAV = [
    NavLink("members", N_("Members"), REGISTER_READERS, REGISTER, COOP),
    NavLink("shares", N_("Shares"), REGISTER_READERS, REGISTER, COOP),
    NavLink("me/shares", N_("My shares"), ("member",), N_("My shares"), COOP),
]

# Each operation of the register's JSON API (its path under /api/t/{slug}) and where a person does
# it in the pages (the page's method and path under /t/{slug}), or why no page is needed
# (tests/test_every_action_in_a_page.py).
IN_PAGES = {
    "GET /members": "GET /members",
    "POST /members": "POST /members/new",
    "GET /members/{member_id:uuid}": "GET /members/{member_id:uuid}",
    "GET /members/{member_id:uuid}/openings": "GET /members/{member_id:uuid}",
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
    "GET /me/data": "no page: the member's own page links this address itself (the JSON is downloaded)",
    "GET /me/data.pdf": "no page: the member's own page links this address itself (the PDF is downloaded)",
    "GET /members/{member_id:uuid}/shares": "GET /members/{member_id:uuid}",
    "POST /members/{member_id:uuid}/shares": "POST /members/{member_id:uuid}/shares",
    "POST /shares/operations/{operation_id:uuid}/reversal": "POST /members/{member_id:uuid}/shares/{operation_id:uuid}/reversal",
    "GET /shares/ledger.csv": "no page: the shares page links this address itself (the CSV is downloaded)",
    "GET /shares/register.pdf": "no page: the shares page links this address itself (the PDF opens in the browser)",
    "GET /members/{member_id:uuid}/shares/certificate.pdf": "no page: the member's entry links this address itself (the PDF opens in the browser)",
    "GET /shares/settings": "GET /shares",
    "PUT /shares/settings": "POST /shares/settings",
    "GET /share-requests": "GET /shares",
    "POST /share-requests/{request_id:uuid}/answer": "POST /shares/requests/{request_id:uuid}/answer",
    "GET /me/shares": "GET /me/shares",
    "POST /me/shares/requests": "POST /me/shares/requests",
    "GET /me/shares/certificate.pdf": "no page: the member's shares page links this address itself (the PDF opens in the browser)",
}
