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


def label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


def tenths(value: int | None) -> str:
    """A mean kept in tenths (42), as the reader writes it ("4,2" in French)."""
    return "—" if value is None else format_decimal(value / 10, format="0.0", locale=current_language())


web.environment.globals["partner_label"] = label
web.environment.globals["partner_tenths"] = tenths
