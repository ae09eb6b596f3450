"""What the partner program serves: its JSON API, its pages and its entries in the main menu."""

from backend.domains import NavLink
from backend.i18n import N_
from governance.partners import controllers, pages, policy_pages
from governance.partners.guards import COORDINATORS

ROUTES = [*controllers.ROUTES, *pages.ROUTES, *policy_pages.ROUTES]
# The coordinator's pages are one entry of the menu (leading to the pipeline), a partner's another.
SECTION, MINE = N_("Partner program"), N_("My involvement")
NAV = [
    NavLink("program/pipeline", N_("Applications"), COORDINATORS, SECTION),
    NavLink("program", N_("Dashboard"), COORDINATORS, SECTION),
    NavLink("program/trainings", N_("Trainings"), COORDINATORS, SECTION),
    NavLink("program/matching", N_("Find partners"), COORDINATORS, SECTION),
    NavLink("program/follow-up", N_("Pledges and mandates"), COORDINATORS, SECTION),
    NavLink("program/committees", N_("Committees"), COORDINATORS, SECTION),
    NavLink("program/approvals", N_("Approvals"), COORDINATORS, SECTION),
    NavLink("program/reports", N_("Reports"), COORDINATORS, SECTION),
    NavLink("program/policy", N_("Program policy"), COORDINATORS, SECTION),
    NavLink("program/me", N_("My involvement"), ("partner",), MINE),
    NavLink("program/me/trainings", N_("My trainings"), ("partner",), MINE),
    NavLink("program/me/hours", N_("My hours"), ("partner",), MINE),
    NavLink("program/me/claims", N_("My expenses"), ("partner",), MINE),
]
# Where each role of the program starts when it signs in (the first that the person holds, in this
# order): a coordinator on the recruitment pipeline, a partner on their committees and involvement.
LANDING = [
    NavLink("program/pipeline", N_("Applications and partners"), ("partner_coordinator",)),
    NavLink("program/me", N_("My involvement"), ("partner",)),
]

# Each operation of the program's JSON API (its path under /api/t/{slug}) and where a coordinator
# or a partner does it in the pages (the page's method and path under /t/{slug}), or why no page is
# needed. tests/test_every_action_in_a_page.py fails on an operation with neither, and on a page
# named here that does not exist.
_PARTNER = "/program/partners/{partner_id:uuid}"
_MEETING = "/program/meetings/{committee_meeting_id:uuid}"
_TRAINING = "/program/trainings/{training_cohort_id:uuid}"
IN_PAGES = {
    # the public
    "GET /public/apply": "GET /public/apply",
    "POST /public/apply": "POST /public/apply",
    "POST /public/feedback/{feedback_token:str}": "POST /public/feedback/{feedback_token:str}",
    # the policy
    "GET /program/policy": "GET /program/policy",
    "PUT /program/policy": "POST /program/policy",
    # recruitment and the partners' files
    "GET /program/partners": "GET /program/pipeline",
    f"GET {_PARTNER}": f"GET {_PARTNER}",
    f"POST {_PARTNER}/stage": f"POST {_PARTNER}/stage",
    f"PUT {_PARTNER}/interview": f"POST {_PARTNER}/interview",
    f"GET {_PARTNER}/history": f"GET {_PARTNER}",
    f"GET {_PARTNER}/accesses": f"GET {_PARTNER}",
    f"POST {_PARTNER}/hours": f"POST {_PARTNER}/hours",
    f"GET {_PARTNER}/certificate": f"GET {_PARTNER}/certificate",
    f"GET {_PARTNER}/pledge": f"GET {_PARTNER}",
    f"POST {_PARTNER}/pledges": f"POST {_PARTNER}/pledges",
    f"GET {_PARTNER}/mandates": f"GET {_PARTNER}",
    f"POST {_PARTNER}/mandates": f"POST {_PARTNER}/mandates",
    "GET /program/matches": "GET /program/matching",
    "GET /program/follow-up": "GET /program/follow-up",
    # committees, their seats and meetings
    "GET /program/committees": "GET /program/committees",
    "POST /program/committees": "POST /program/committees",
    "GET /program/committees/{committee_id:uuid}": "GET /program/committees/{committee_id:uuid}",
    "PATCH /program/committees/{committee_id:uuid}": "POST /program/committees/{committee_id:uuid}",
    "POST /program/committees/{committee_id:uuid}/end": "POST /program/committees/{committee_id:uuid}/end",
    "POST /program/committees/{committee_id:uuid}/members": "POST /program/committees/{committee_id:uuid}/members",
    "PATCH /program/committees/{committee_id:uuid}/members/{committee_member_id:uuid}": "POST /program/committees/{committee_id:uuid}/members/{committee_member_id:uuid}",
    "POST /program/committees/{committee_id:uuid}/members/{committee_member_id:uuid}/end": "POST /program/committees/{committee_id:uuid}/members/{committee_member_id:uuid}/end",
    "POST /program/committees/{committee_id:uuid}/meetings": "POST /program/committees/{committee_id:uuid}/meetings",
    f"GET {_MEETING}": f"GET {_MEETING}",
    f"PUT {_MEETING}/attendance": f"POST {_MEETING}/attendance",
    f"POST {_MEETING}/decisions": f"POST {_MEETING}/decisions",
    f"POST {_MEETING}/actions": f"POST {_MEETING}/actions",
    f"PUT {_MEETING}/minutes": f"POST {_MEETING}/minutes",
    f"POST {_MEETING}/minutes/status": f"POST {_MEETING}/minutes/status",
    "POST /program/actions/{action_item_id:uuid}/done": "POST /program/actions/{action_item_id:uuid}/done",
    # hours, expenses, reimbursements
    "GET /program/hours": "GET /program/approvals",
    "POST /program/hours/{hours_entry_id:uuid}/decision": "POST /program/hours/{hours_entry_id:uuid}/decision",
    "GET /program/claims": "GET /program/approvals",
    "GET /program/claims/{expense_claim_id:uuid}": "GET /program/approvals",
    "GET /program/claims/{expense_claim_id:uuid}/receipts/{expense_receipt_id:uuid}": "no page: the approvals page links this address itself (the receipt opens in the browser)",
    "POST /program/claims/{expense_claim_id:uuid}/decision": "POST /program/claims/{expense_claim_id:uuid}/decision",
    "GET /program/batches": "GET /program/approvals",
    "POST /program/batches": "POST /program/batches",
    "GET /program/batches/{reimbursement_batch_id:uuid}/csv": "no page: the approvals page links this address itself (the CSV is downloaded)",
    "POST /program/batches/{reimbursement_batch_id:uuid}/paid": "POST /program/batches/{reimbursement_batch_id:uuid}/paid",
    # trainings
    "GET /program/trainings": "GET /program/trainings",
    "POST /program/trainings": "POST /program/trainings",
    f"GET {_TRAINING}": f"GET {_TRAINING}",
    f"POST {_TRAINING}/sessions": f"POST {_TRAINING}/sessions",
    f"POST {_TRAINING}/enrolments": f"POST {_TRAINING}/enrolments",
    "PUT /program/training-sessions/{training_session_id:uuid}/attendance": "POST /program/training-sessions/{training_session_id:uuid}/attendance",
    f"POST {_TRAINING}/completion": f"POST {_TRAINING}/completion",
    # reports
    "GET /program/reports/hours": "GET /program/reports",
    "GET /program/reports/expenses": "GET /program/reports",
    # a partner's own file
    "GET /program/me": "GET /program/me",
    "PATCH /program/me/consents": "POST /program/me/consents",
    "GET /program/me/data": "no page: the partner's page links this address itself (the JSON is downloaded)",
    "GET /program/me/data.pdf": "no page: the partner's page links this address itself (the PDF is downloaded)",
    "GET /program/me/certificate": "GET /program/me/certificate",
    "GET /program/me/pledge": "GET /program/me",
    "POST /program/me/pledge": "POST /program/me/pledge",
    "GET /program/me/trainings": "GET /program/me/trainings",
    "POST /program/me/trainings/{training_enrolment_id:uuid}/feedback": "POST /program/me/trainings/{training_enrolment_id:uuid}/feedback",
    "GET /program/me/committees": "GET /program/me",
    "GET /program/me/hours": "GET /program/me/hours",
    "POST /program/me/hours": "POST /program/me/hours",
    "GET /program/me/claims": "GET /program/me/claims",
    "POST /program/me/claims": "POST /program/me/claims",
    "POST /program/me/claims/{expense_claim_id:uuid}/receipts": "POST /program/me/claims/{expense_claim_id:uuid}/receipts",
}
