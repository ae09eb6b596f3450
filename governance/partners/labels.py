"""Translated names of the partner program's codes, one place for pages, PDFs and messages.
The names are message ids, translated when shown."""

from __future__ import annotations

from backend import web
from backend.i18n import N_, label_of

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
    "status": {
        "submitted": N_("Submitted"),
        "approved": N_("Approved"),
        "rejected": N_("Rejected"),
        "paid": N_("Paid"),
        "open": N_("Open"),
        "done": N_("Done"),
    },
}


def label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


web.environment.globals["partner_label"] = label
