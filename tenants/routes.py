"""What the tenants package serves: its JSON API and its pages, and its entry in the menu."""

from backend.domains import NavLink
from backend.i18n import N_
from tenants import controllers, pages

ROUTES = [*controllers.ROUTES, *pages.ROUTES]
ORGANISATION = N_("Organisation")
NAV = [
    NavLink("organisation", ORGANISATION, ("administrator",), ORGANISATION),
    NavLink("people", N_("People"), ("administrator",), ORGANISATION),
    NavLink("outbox", N_("E-mail outbox"), ("administrator",), ORGANISATION),
    NavLink("audit", N_("Audit log"), ("administrator",), ORGANISATION),
]

# Each operation of the organisation's JSON API (its path under /api/t/{slug}) and where a person
# does it in the pages (under /t/{slug}), or why no page is needed (tests/test_every_action_in_a_page.py).
IN_PAGES = {
    "POST /auth/token": "no page: a token is for a script; a person signs in with the sign-in page (POST /login), which opens a session",
    "DELETE /auth/token": "no page: the script revokes its own token; a person signs out (POST /logout)",
    "POST /auth/password-link": "POST /password/forgot",
    "POST /auth/password": "POST /password",
    "GET /mail": "GET /outbox",
    "GET /organisation": "GET /organisation",
    "PUT /organisation": "POST /organisation",
    "GET /audit": "GET /audit",
    "GET /people": "GET /people",
    "POST /people": "POST /people",
    "PUT /people/{user_id:uuid}/roles": "POST /people/{user_id:uuid}/roles",
    "POST /people/{user_id:uuid}/invitation": "POST /people/{user_id:uuid}/invitation",
    "DELETE /people/{user_id:uuid}/invitation": "POST /people/{user_id:uuid}/invitation/revoke",
    "POST /people/{user_id:uuid}/deactivation": "POST /people/{user_id:uuid}/deactivate",
    "DELETE /people/{user_id:uuid}/deactivation": "POST /people/{user_id:uuid}/reactivate",
}
