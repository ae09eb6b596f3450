"""Translated names of the partner program's codes, one place for pages, PDFs and messages.
The names are message ids, translated when shown."""

from __future__ import annotations

from babel.numbers import format_decimal

from backend import web
from backend.i18n import N_, current_language, label_of

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "resource_user": N_("Resource user"),
        "relative_resource": N_("Relative resource"),
        "peer_helper": N_("Peer helper"),
        "expert_by_experience": N_("Expert by experience"),
    },
    "stage": {
        "received": N_("Received"),
        "called": N_("Called"),
        "interview": N_("Interview"),
        "training": N_("Training"),
        "active": N_("Active"),
        "inactive": N_("Inactive"),
        "declined": N_("Declined"),
        "withdrawn": N_("Withdrawn"),
    },
    "area": {
        "chronic_pain": N_("Chronic pain"),
        "chronic_disease": N_("Chronic disease"),
        "mental_health": N_("Mental health"),
        "oncology": N_("Oncology"),
        "relative_care": N_("Caring for a relative"),
        "maternity_child": N_("Maternity and children"),
        "seniors": N_("Seniors' care"),
        "disability": N_("Disability"),
        "addiction": N_("Addiction"),
        "emergency_surgery": N_("Emergency and surgery"),
    },
    "spoken": {"fr": N_("French"), "en": N_("English"), "fi": N_("Finnish"), "sv": N_("Swedish"), "es": N_("Spanish"), "ar": N_("Arabic"), "other": N_("Another language")},
    "availability": {
        "weekday_daytime": N_("Weekdays, daytime"),
        "weekday_evening": N_("Weekday evenings"),
        "weekend": N_("Weekends"),
        "remote": N_("Remotely (video, phone)"),
    },
    "contribution": {
        "committees": N_("Sitting on committees"),
        "short_projects": N_("Short projects"),
        "document_review": N_("Reviewing documents and guides"),
        "giving_trainings": N_("Giving trainings"),
        "accompanying_users": N_("Accompanying other users"),
    },
    "committee_kind": {
        "improvement": N_("Improvement committee"),
        "users": N_("Users' committee"),
        "client_council": N_("Client council"),
        "coop": N_("Co-operative committee"),
    },
    "seat_role": {
        "chair": N_("Chair"),
        "secretary": N_("Secretary"),
        "partner": N_("Partner"),
        "professional": N_("Professional"),
        "manager": N_("Manager"),
    },
    "activity": {
        "committee_meeting": N_("Committee meeting"),
        "project": N_("Project"),
        "review": N_("Document review"),
        "training_given": N_("Training given"),
        "accompaniment": N_("Accompaniment"),
        "training_received": N_("Training received"),
    },
    "expense": {
        "transit": N_("Public transit"),
        "parking": N_("Parking"),
        "mileage": N_("Mileage"),
        "meal": N_("Meal"),
        "childcare": N_("Childcare"),
    },
    "minutes": {
        "draft": N_("Draft"),
        "circulated": N_("Circulated for comments"),
        "approved": N_("Approved"),
        "published": N_("Published"),
    },
    "need": {
        "committee_seat": N_("A committee seat"),
        "document_review": N_("A document to review"),
        "co_teaching": N_("A training to co-teach"),
    },
    "pledge": {
        "valid": N_("Signed and current"),
        "missing": N_("Not signed"),
        "outdated": N_("Earlier text"),
        "expired": N_("Expired"),
    },
    "mandate": {"covered": N_("Current"), "missing": N_("No mandate"), "expired": N_("Expired")},
    "question": {
        "clarity": N_("The training was clear."),
        "trainers": N_("The trainers answered my questions."),
        "usefulness": N_("What I learned will be useful to me."),
        "readiness": N_("I feel ready to take part as a partner."),
    },
    "rating": {"1": N_("Not at all"), "2": N_("A little"), "3": N_("Somewhat"), "4": N_("Mostly"), "5": N_("Fully")},
    # The fields of the coordinator's forms, named in the summary of a refused form.
    "field": {
        "name": N_("Name"),
        "school": N_("Partner school"),
        "min_size": N_("Smallest group"),
        "max_size": N_("Largest group"),
        "starts_at": N_("Starts"),
        "ends_at": N_("Ends"),
        "place": N_("Place"),
        "trainers": N_("Trainers"),
        "partner_id": N_("Partner"),
        "present": N_("Present"),
        "clarity": N_("The training was clear."),
        "usefulness": N_("What I learned will be useful to me."),
        "readiness": N_("I feel ready to take part as a partner."),
        "comment": N_("Comment"),
        "role": N_("Role"),
        "term_start": N_("Term starts"),
        "term_end": N_("Term ends"),
        "kind": N_("Kind"),
        "mandate": N_("Mandate"),
        "agenda": N_("Agenda"),
        "text": N_("Text"),
        "description": N_("Description"),
        "due_on": N_("Deadline"),
        "owner_member_id": N_("Owner"),
        "stage": N_("Next stage"),
        "reason": N_("Reason"),
        "interview_notes": N_("Notes"),
        "decision": N_("Decision"),
        "status": N_("Status"),
        "signed_on": N_("Signed on"),
        "version": N_("Version of the text"),
        "committee_id": N_("Committee"),
        "title": N_("Project (or a precision)"),
        "starts_on": N_("Starts on"),
        "ends_on": N_("Ends on"),
        "accept": N_("I have read the pledge and I sign it today"),
        "areas": N_("Experience wanted"),
        "language": N_("Language"),
        "availability": N_("Availability"),
        # the policy's form
        "call_deadline_days": N_("Days to call an applicant"),
        "mileage_rate_cents_per_km": N_("Mileage, per kilometre"),
        "mileage_cap_km": N_("Kilometres paid at most, per claim"),
        "transit_cap_cents": N_("Public transit, at most per claim"),
        "parking_cap_cents": N_("Parking, at most per claim"),
        "meal_cap_cents": N_("Meal, at most per claim"),
        "childcare_rate_cents_per_hour": N_("Childcare, per hour"),
        "childcare_cap_cents": N_("Childcare, at most per claim"),
        "claim_cap_cents": N_("A whole claim, at most"),
        "lunch_start": N_("Lunch from"),
        "lunch_end": N_("Lunch until"),
        "supper_start": N_("Supper from"),
        "supper_end": N_("Supper until"),
        "receipt_max_bytes": N_("Largest receipt file, in kB"),
        "receipt_types": N_("Receipt files accepted"),
        "receipt_required_kinds": N_("Expenses paid only with their receipt"),
        "pledge_version": N_("Version of the text"),
        "pledge_valid_months": N_("Months a signed pledge holds"),
        "privacy_officer_name": N_("Privacy officer"),
        "privacy_officer_email": N_("Privacy officer's e-mail"),
        "privacy_officer_phone": N_("Privacy officer's phone"),
        "inactivity_months": N_("Months without activity before a profile is anonymised"),
        # the public application form
        "first_name": N_("First name"),
        "last_name": N_("Last name"),
        "email": N_("E-mail"),
        "phone": N_("Phone"),
        "city": N_("City"),
        "experience_areas": N_("Your experience of care"),
        "languages": N_("Languages you speak"),
        "contributions": N_("How you would like to contribute"),
        "story": N_("In your own words"),
        "consent_contact": N_("I agree to be contacted about my application"),
        "form_token": N_("The form"),
        "website": N_("The form"),
        # hours and claims
        "activity": N_("Activity"),
        "worked_on": N_("Date"),
        "hours": N_("Hours"),
        "activity_on": N_("Date"),
        "file": N_("Receipt"),
        "lines": N_("Expenses"),
        "transit_amount": N_("Public transit ($)"),
        "parking_amount": N_("Parking ($)"),
        "mileage_amount": N_("Distance driven (km)"),
        "meal_amount": N_("Meal ($)"),
        "childcare_amount": N_("Childcare (hours)"),
        "ended_on": N_("Last day"),
    },
    "status": {
        "submitted": N_("Submitted"),
        "approved": N_("Approved"),
        "rejected": N_("Refused"),
        "paid": N_("Paid"),
        "open": N_("Open"),
        "done": N_("Done"),
    },
}

# What a page says after a form of the program did what was asked (its `?done=` after the redirect).
DONE = {
    "stage_changed": N_("The application moved to its new stage."),
    "interview_saved": N_("The interview notes were saved."),
    "pledge_recorded": N_("The signed pledge was recorded."),
    "mandate_given": N_("The mandate was given."),
    "hours_logged": N_("The hours were logged; they wait for approval."),
    "committee_created": N_("The committee was created."),
    "committee_saved": N_("The committee was saved."),
    "committee_ended": N_("The committee was ended, and the terms of its members with it."),
    "seat_added": N_("The member was seated on the committee."),
    "seat_saved": N_("The seat was saved."),
    "seat_ended": N_("The member's term was ended."),
    "meeting_scheduled": N_("The meeting was scheduled."),
    "attendance_saved": N_("The attendance was saved, and the hours of the partners present logged."),
    "decision_recorded": N_("The decision was recorded."),
    "action_added": N_("The action item was added."),
    "action_done": N_("The action item is done."),
    "minutes_saved": N_("The text of the minutes was saved."),
    "minutes_draft": N_("The minutes are a draft again."),
    "minutes_circulated": N_("The minutes were circulated for comments."),
    "minutes_approved": N_("The minutes were approved: they are frozen as they are."),
    "minutes_published": N_("The minutes were published."),
    "hours_approved": N_("The hours were approved."),
    "hours_rejected": N_("The hours were refused."),
    "claim_approved": N_("The claim was approved."),
    "claim_rejected": N_("The claim was refused; the partner sees the reason."),
    "batch_made": N_("The reimbursement batch was made: download its CSV for the finance department."),
    "batch_paid": N_("The batch and its claims are marked paid."),
    "training_created": N_("The training was created."),
    "session_added": N_("The session was added."),
    "enrolled": N_("The partner was enrolled."),
    "training_attendance_saved": N_("The attendance of the session was saved."),
    "training_completed": N_("The training was closed: those who attended every session completed it."),
    "pledge_signed": N_("Your pledge was signed. Thank you."),
    "consents_saved": N_("Your consents were saved."),
    "feedback_sent": N_("Your answers were sent. Thank you."),
    "claim_sent": N_("Your claim was sent; add its receipts below."),
    "receipt_added": N_("The receipt was added to your claim."),
}


def label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


def tenths(value: int | None) -> str:
    """A mean kept in tenths (42), as the reader writes it ("4,2" in French)."""
    return "—" if value is None else format_decimal(value / 10, format="0.0", locale=current_language())


def hours(minutes: int | None) -> str:
    """Minutes as hours in the reader's way of writing them: 600,0 h."""
    return format_decimal((minutes or 0) / 60, format="#,##0.0", locale=current_language()) + "\u00a0h"


web.environment.globals["partner_label"] = label
web.environment.globals["partner_hours"] = hours
web.environment.globals["partner_done"] = DONE
web.environment.globals["partner_tenths"] = tenths
