"""What the meetings package serves: its JSON API, its pages and its entry in the main menu."""

from backend.domains import HomePanel, NavLink
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
# One entry of a co-operative's menu, meetings and consultations listed under it on their pages.
MEETINGS, COOP = N_("Meetings"), ("coop",)
NAV = [
    NavLink("meetings", MEETINGS, ("administrator", "secretary", "treasurer", "member"), MEETINGS, COOP),
    NavLink("consultations", N_("Consultations"), ("administrator", "secretary", "treasurer", "member"), MEETINGS, COOP),
]
# On a co-operative's home page: the ballots waiting for the member.
HOME = [HomePanel(pages.waiting_panel, COOP)]

# Each operation of the meetings' JSON API (its path under /api/t/{slug}) and where a secretary or a
# member does it in the pages (the page's method and path under /t/{slug}), or why no page is needed.
# tests/test_every_action_in_a_page.py fails on an operation with neither, and on a page named here
# that does not exist.
IN_PAGES = {
    "GET /governance/settings": "GET /meetings/settings",
    "PUT /governance/settings": "POST /meetings/settings",
    "GET /meetings": "GET /meetings",
    "POST /meetings": "POST /meetings",
    "GET /meetings/{meeting_id:uuid}": "GET /meetings/{meeting_id:uuid}",
    "PUT /meetings/{meeting_id:uuid}": "POST /meetings/{meeting_id:uuid}",
    "POST /meetings/{meeting_id:uuid}/cancel": "POST /meetings/{meeting_id:uuid}/cancel",
    "POST /meetings/{meeting_id:uuid}/notice": "POST /meetings/{meeting_id:uuid}/notice",
    "GET /meetings/{meeting_id:uuid}/notice": "GET /meetings/{meeting_id:uuid}/console",
    "GET /meetings/{meeting_id:uuid}/notice.pdf": "GET /meetings/{meeting_id:uuid}/notice.pdf",
    "POST /meetings/{meeting_id:uuid}/start": "POST /meetings/{meeting_id:uuid}/session",
    "POST /meetings/{meeting_id:uuid}/adjourn": "POST /meetings/{meeting_id:uuid}/session",
    "POST /meetings/{meeting_id:uuid}/presence": "POST /meetings/{meeting_id:uuid}/presence",
    "POST /meetings/{meeting_id:uuid}/attendance": "POST /meetings/{meeting_id:uuid}/attendance",
    "GET /meetings/{meeting_id:uuid}/attendance": "GET /meetings/{meeting_id:uuid}/console",
    "GET /meetings/{meeting_id:uuid}/quorum": "GET /meetings/{meeting_id:uuid}",
    "GET /meetings/{meeting_id:uuid}/live": "GET /meetings/{meeting_id:uuid}/projector",
    "POST /meetings/{meeting_id:uuid}/scan": "POST /meetings/{meeting_id:uuid}/scan",
    "GET /meetings/card": "GET /meetings/card",
    "GET /meetings/{meeting_id:uuid}/motions": "GET /meetings/{meeting_id:uuid}/console",
    "POST /meetings/{meeting_id:uuid}/motions": "POST /meetings/{meeting_id:uuid}/motions",
    "POST /motions/{motion_id:uuid}/withdraw": "POST /motions/{motion_id:uuid}/withdraw",
    "GET /meetings/{meeting_id:uuid}/votes": "GET /meetings/{meeting_id:uuid}",
    "POST /meetings/{meeting_id:uuid}/votes": "POST /meetings/{meeting_id:uuid}/votes",
    "GET /votes/{vote_id:uuid}": "GET /votes/{vote_id:uuid}",
    "POST /votes/{vote_id:uuid}/open": "POST /votes/{vote_id:uuid}/open",
    "POST /votes/{vote_id:uuid}/ballot": "POST /votes/{vote_id:uuid}/ballot",
    "POST /votes/{vote_id:uuid}/close": "POST /votes/{vote_id:uuid}/close",
    "POST /votes/{vote_id:uuid}/certify": "POST /votes/{vote_id:uuid}/certify",
    "POST /votes/{vote_id:uuid}/room-count": "POST /votes/{vote_id:uuid}/room-count",
    "GET /votes/{vote_id:uuid}/turnout": "GET /votes/{vote_id:uuid}",
    "GET /votes/{vote_id:uuid}/named": "GET /votes/{vote_id:uuid}",
    "GET /votes/{vote_id:uuid}/ballot-box": "GET /votes/{vote_id:uuid}/receipt",
    "POST /votes/{vote_id:uuid}/proxy-ballot": "POST /votes/{vote_id:uuid}/proxy-ballot",
    "GET /meetings/{meeting_id:uuid}/proxies": "GET /meetings/{meeting_id:uuid}/console",
    "POST /meetings/{meeting_id:uuid}/proxies": "POST /meetings/{meeting_id:uuid}/proxies",
    "GET /meetings/{meeting_id:uuid}/proxies/mine": "GET /meetings/{meeting_id:uuid}",
    "POST /proxies/{proxy_id:uuid}/withdraw": "POST /proxies/{proxy_id:uuid}/withdraw",
    "GET /meetings/{meeting_id:uuid}/documents": "GET /meetings/{meeting_id:uuid}",
    "POST /meetings/{meeting_id:uuid}/documents": "POST /meetings/{meeting_id:uuid}/documents",
    "GET /meetings/{meeting_id:uuid}/documents/{document_id:uuid}": "GET /meetings/{meeting_id:uuid}/documents/{document_id:uuid}",
    "GET /meetings/{meeting_id:uuid}/minutes": "GET /meetings/{meeting_id:uuid}/minutes",
    "POST /meetings/{meeting_id:uuid}/minutes": "POST /meetings/{meeting_id:uuid}/minutes",
    "GET /minutes/{minutes_id:uuid}": "GET /meetings/{meeting_id:uuid}/minutes",
    "PUT /minutes/{minutes_id:uuid}": "POST /minutes/{minutes_id:uuid}",
    "POST /minutes/{minutes_id:uuid}/approve": "POST /minutes/{minutes_id:uuid}/approve",
    "POST /minutes/{minutes_id:uuid}/publish": "POST /minutes/{minutes_id:uuid}/publish",
    "GET /minutes/{minutes_id:uuid}/pdf": "GET /minutes/{minutes_id:uuid}/pdf",
    "GET /meetings/{meeting_id:uuid}/elections": "GET /meetings/{meeting_id:uuid}/console",
    "POST /meetings/{meeting_id:uuid}/elections": "POST /meetings/{meeting_id:uuid}/elections",
    "GET /elections/{election_id:uuid}": "GET /elections/{election_id:uuid}",
    "POST /elections/{election_id:uuid}/nominations": "POST /elections/{election_id:uuid}/nominations",
    "POST /candidacies/{candidacy_id:uuid}/accept": "POST /candidacies/{candidacy_id:uuid}/accept",
    "POST /elections/{election_id:uuid}/ballot": "POST /elections/{election_id:uuid}/ballot",
    "GET /consultations": "GET /consultations",
    "POST /consultations": "POST /consultations",
    "GET /consultations/{consultation_id:uuid}": "GET /consultations/{consultation_id:uuid}",
    "POST /consultations/{consultation_id:uuid}/open": "POST /consultations/{consultation_id:uuid}/open",
    "POST /consultations/{consultation_id:uuid}/ballot": "POST /consultations/{consultation_id:uuid}/ballot",
    "POST /consultations/{consultation_id:uuid}/close": "POST /consultations/{consultation_id:uuid}/close",
    "POST /consultations/{consultation_id:uuid}/certify": "POST /consultations/{consultation_id:uuid}/certify",
    "GET /requisitions": "GET /requisitions",
    "POST /requisitions": "POST /requisitions",
    "GET /requisitions/{requisition_id:uuid}": "GET /requisitions/{requisition_id:uuid}",
    "POST /requisitions/{requisition_id:uuid}/signatures": "POST /requisitions/{requisition_id:uuid}/sign",
    "GET /requisitions/{requisition_id:uuid}/signatures": "GET /requisitions/{requisition_id:uuid}",
    "POST /requisitions/{requisition_id:uuid}/meeting": "POST /requisitions/{requisition_id:uuid}/meeting",
    "GET /resolutions": "GET /resolutions",
    "GET /resolutions.csv": "GET /resolutions.csv",
    "GET /resolutions.pdf": "GET /resolutions.pdf",
    "GET /annual-report/governance": "GET /annual-report",
    "GET /annual-report/governance.pdf": "GET /annual-report.pdf",
    "GET /directors": "GET /directors",
    "POST /directors": "POST /directors",
    "POST /directors/{director_id:uuid}/end": "POST /directors/{director_id:uuid}/end",
    "PATCH /directors/{director_id:uuid}": "POST /directors/{director_id:uuid}",
}
