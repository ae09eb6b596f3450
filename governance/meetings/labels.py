"""Translated names of the meetings' codes, for pages and messages (Jinja: `meeting_label`)."""

from __future__ import annotations

from backend import web
from backend.i18n import N_, label_of
from governance.members.labels import label

LABELS: dict[str, dict[str, str]] = {
    "kind": {"annual_general": N_("Annual general meeting"), "special_general": N_("Special general meeting"), "board": N_("Board meeting")},
    "status": {"scheduled": N_("Scheduled"), "in_session": N_("In session"), "adjourned": N_("Adjourned"), "draft": N_("Prepared"), "open": N_("Open"), "closed": N_("Closed")},
    "motion": {"proposed": N_("Before the meeting"), "adopted": N_("Adopted"), "rejected": N_("Rejected"), "withdrawn": N_("Withdrawn")},
    "minutes": {"draft": N_("Draft"), "approved": N_("Approved")},
    "choice": {"yes": N_("For"), "no": N_("Against"), "abstain": N_("Abstention")},
    "delivery": {"queued": N_("Waiting"), "sending": N_("Sending"), "sent": N_("Sent"), "failed": N_("Failed")},
    "majority": {"majority": N_("Majority of the votes cast"), "two_thirds": N_("Two thirds of the votes cast")},
    "requisition": {"collecting": N_("Collecting signatures"), "threshold_reached": N_("Threshold reached: the board must call the meeting"), "called": N_("Meeting called")},
    "document": {"annual_report": N_("Annual report"), "financial_statements": N_("Financial statements"), "auditor_report": N_("Auditor's report"), "other": N_("Other document")},
    "approved_body": {"general_meeting": N_("The general meeting"), "board": N_("The board of directors")},
    "method": {"plurality": N_("Plurality (the most votes)"), "stv": N_("Ranked choice (single transferable vote)")},
    "mode": {"secret": N_("Secret ballot"), "named": N_("Named vote"), "hands": N_("Show of hands (or paper), counted by the scrutineers"), "hybrid": N_("Hybrid: secret ballots online and a count in the room")},
    "round": {"elected": N_("Elected"), "excluded": N_("Eliminated"), "filled": N_("Elected (remaining seats)")},
}


def meeting_label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


def turnout_parts(turnout: dict[str, tuple[int, int]]) -> list[str]:
    """Each category's turnout, "Membres utilisateurs 12/40": who voted of those who could."""
    return [f"{label('category', category)} {voted}/{eligible}" for category, (voted, eligible) in turnout.items()]


web.environment.globals["meeting_label"] = meeting_label
