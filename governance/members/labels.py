"""Translated names of the register's codes (statuses, categories, fields, the reasons it writes),
one place for pages, PDFs and messages; they join the tenants' names (tenants.labels), so the
templates' `label()` knows them."""

from __future__ import annotations

from backend.i18n import N_
from tenants.labels import LABELS, label

MEMBER_LABELS: dict[str, dict[str, str]] = {
    "status": {
        "applicant": N_("Applicant"),
        "active": N_("Active"),
        "suspended": N_("Suspended"),
        "resigned": N_("Resigned"),
        "excluded": N_("Excluded"),
        "deceased": N_("Deceased"),
    },
    "category": {
        "user": N_("User member"),
        "worker": N_("Worker member"),
        "supporting": N_("Supporting member"),
    },
    "field": {
        "number": N_("Member number"),
        "first_name": N_("First name"),
        "last_name": N_("Last name"),
        "email": N_("E-mail"),
        "phone": N_("Phone"),
        "street": N_("Street address"),
        "city": N_("City"),
        "region": N_("Province or region"),
        "postal_code": N_("Postal code"),
        "country": N_("Country"),
        "language": N_("Language"),
        "category": N_("Category"),
        "status": N_("Status"),
        "status_since": N_("Status since"),
        "shares_subscribed": N_("Shares subscribed"),
        "shares_paid": N_("Shares paid"),
        "admitted_on": N_("Admitted on"),
        "admission_resolution": N_("Admission resolution"),
        "consent_contact": N_("May be contacted by the co-operative"),
        "consent_publish_name": N_("Name may be published (for example in minutes)"),
        "consent_photos": N_("Photos may be taken and published"),
        "consent_research": N_("May be invited to take part in research"),
        "effective_on": N_("Effective on"),
        "reason": N_("Reason"),
        "member_ids": N_("Members to invite"),
    },
    # Reasons the register writes itself; any other reason was typed by a person and is shown as typed.
    "reason": {"Entered in the register": N_("Entered in the register")},
}

LABELS.update(MEMBER_LABELS)

__all__ = ["label"]
