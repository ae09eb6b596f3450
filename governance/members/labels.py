"""Translated names of the register's codes (statuses, categories, fields, the reasons it writes),
one place for pages, PDFs and messages; they join the tenants' names (tenants.labels), so the
templates' `label()` knows them."""

from __future__ import annotations

from backend.i18n import N_
from tenants.labels import AUDIT_ACTIONS, LABELS, label

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
        "organisation_name": N_("Organisation (a member that is a legal person)"),
        "representative_role": N_("Representative's role"),
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
        "shares": N_("Number of shares"),
        "share_kind": N_("Kind of shares"),
        "occurred_on": N_("Date of the operation"),
        "to_member_number": N_("Number of the member who receives them"),
        "to_kind": N_("Converted to"),
        "ground": N_("Ground"),
        "decision": N_("Board's decision"),
        "paid_on": N_("Refund paid on"),
        "kind": N_("Operation"),
        "note": N_("Note"),
        "preferred_price_cents": N_("Price of a preferred share"),
        "signatories": N_("Signatories of the certificates"),
    },
    # Reasons the register writes itself; any other reason was typed by a person and is shown as typed.
    "reason": {
        message: message for message in (
            N_("Entered in the register"), N_("Shares held when entered in the register"), N_("Shares held when the ledger began"),
            N_("Corrected in the entry"), N_("Paid by a share invoice"), N_("Payment taken back by a credit note"),
        )
    },
    "operation": {
        "opening": N_("Opening"),
        "subscription": N_("Subscription"),
        "payment": N_("Payment"),
        "transfer": N_("Transfer of shares"),
        "redemption": N_("Redemption"),
        "conversion": N_("Conversion"),
        "correction": N_("Correction"),
        "reversal": N_("Reversal"),
    },
    "share_kind": {"qualifying": N_("Qualifying shares"), "preferred": N_("Preferred shares")},
    "ground": {"resignation": N_("Resignation"), "exclusion": N_("Exclusion"), "death": N_("Death")},
    "request": {"subscription": N_("Subscribe more shares"), "refund": N_("Have shares refunded")},
    "request_status": {"pending": N_("Waiting for an answer"), "approved": N_("Approved"), "refused": N_("Refused")},
    # What a person other than the member opened of their entry (services.EntryOpenings).
    "opened": {"page": N_("The entry's page"), "api": N_("The entry, through the API"), "certificate": N_("The share certificate")},
}

LABELS.update(MEMBER_LABELS)

# What the register writes in the audit log, in words (the log's page, tenants/templates/audit.html).
AUDIT_ACTIONS.update({
    "member.admitted": N_("Member admitted"),
    "member.corrected": N_("Register entry corrected"),
    "member.status_changed": N_("Member's status changed"),
    "member.invited": N_("Member invited to sign in"),
    "member.login_linked": N_("Login linked to a member"),
    "share.opening": N_("Shares entered when the ledger began"),
    "share.subscription": N_("Shares subscribed"),
    "share.payment": N_("Shares paid"),
    "share.transfer": N_("Shares transferred"),
    "share.redemption": N_("Shares redeemed"),
    "share.conversion": N_("Shares converted"),
    "share.correction": N_("Shares corrected"),
    "share.reversal": N_("Share entry reversed"),
    "share.requested": N_("Shares asked for by a member"),
    "share.request_approved": N_("Member's request for shares approved"),
    "share.request_refused": N_("Member's request for shares refused"),
    "share.settings_changed": N_("Share settings changed"),
})

__all__ = ["label"]
