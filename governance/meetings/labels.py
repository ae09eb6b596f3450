"""Translated names of the meetings' codes, for pages and messages (Jinja: `meeting_label`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers

from backend import web
from backend.i18n import N_, current_language, gettext, label_of
from governance.members.labels import label
from tenants.labels import AUDIT_ACTIONS

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
    "quorum_rule": {"present": N_("The members present, however many"), "number": N_("A number of members"), "percent": N_("A percentage of the members")},
    "setting": {
        "general_notice_days": N_("Notice of the annual general meeting (days before)"),
        "special_notice_days": N_("Notice of a special general meeting (days before)"), "board_notice_days": N_("Notice of a board meeting (days before)"),
        "agm_months_after_year_end": N_("Annual meeting within (months after the year end)"), "fiscal_year_end_month": N_("Fiscal year ends: month"),
        "fiscal_year_end_day": N_("Fiscal year ends: day"), "quorum_rule": N_("Quorum of a general meeting"), "quorum_value": N_("Quorum: number or percentage"),
        "abstentions_count": N_("Abstentions count as votes cast"), "presence_required": N_("Only members present vote"),
        "representation_allowed": N_("A member may be represented (a legal person's representative)"), "proxies_allowed": N_("Proxies are allowed"),
        "proxy_cap": N_("Proxies one member may hold"), "requisition_large_membership": N_("A large membership starts at (members)"),
        "requisition_large_count": N_("Signatures a large membership needs to call a special meeting"),
        "requisition_percent": N_("Otherwise, the share of members who must sign (percent)"),
        "board_seats": N_("Seats on the board"),
    },
}


def meeting_label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


def month_names() -> list[tuple[int, str]]:
    """The months by number with their names in the current language (Babel: janvier, tammikuu)."""
    names = dates.get_month_names("wide", context="stand-alone", locale=current_language())
    return [(number, names[number]) for number in range(1, 13)]


def meeting_time(moment: dt.datetime, timezone: str) -> str:
    """A meeting's day and hour as its readers write them, in the organisation's zone: « lundi
    10 mars 2031 à 19 h » (19 h 30 when it is not on the hour), "maanantai 10. maaliskuuta 2031
    klo 19.00", "Monday, March 10, 2031 at 7:00 p.m." (CLDR's full time adds seconds and the zone's name)."""
    local = moment.astimezone(ZoneInfo(timezone))
    language = current_language()
    hour = f"{local.hour} h" if language.startswith("fr") and local.minute == 0 else dates.format_time(local, "short", locale=language)
    return gettext(N_("%(date)s at %(time)s"), date=dates.format_date(local.date(), "full", locale=language), time=hour)


def format_percent(percent: float) -> str:
    """A percentage (66.7 for two thirds) with one decimal, as the language writes it: 66,7 %, 66.7%."""
    pattern = Locale.parse(current_language()).percent_formats[None].pattern.replace("0", "0.0", 1)
    return numbers.format_percent(percent / 100, pattern, locale=current_language())


def turnout_parts(turnout: dict[str, tuple[int, int]]) -> list[str]:
    """Each category's turnout, "Membres utilisateurs 12/40": who voted of those who could."""
    return [f"{label('category', category)} {voted}/{eligible}" for category, (voted, eligible) in turnout.items()]


# What meetings write in the audit log, in words (the log's page, tenants/templates/audit.html).
AUDIT_ACTIONS.update({
    "governance.settings_changed": N_("By-laws settings changed"),
    "meeting.scheduled": N_("Meeting called"),
    "meeting.changed": N_("Meeting changed"),
    "meeting.postponed": N_("Meeting postponed"),
    "meeting.cancelled": N_("Meeting cancelled"),
    "meeting.notice_sent": N_("Notice of meeting sent"),
    "meeting.document_added": N_("Meeting document added"),
    "meeting.in_session": N_("Meeting opened"),
    "meeting.adjourned": N_("Meeting adjourned"),
    "meeting.attendance": N_("Attendance recorded"),
    "meeting.proxy_given": N_("Proxy given"),
    "meeting.proxy_withdrawn": N_("Proxy withdrawn"),
    "motion.proposed": N_("Motion proposed"),
    "motion.withdrawn": N_("Motion withdrawn"),
    "motion.decided": N_("Motion decided"),
    "vote.created": N_("Vote prepared"),
    "vote.opened": N_("Vote opened"),
    "vote.closed": N_("Vote closed"),
    "vote.room_counted": N_("Votes counted in the room"),
    "vote.certified": N_("Vote results certified"),
    "election.created": N_("Election prepared"),
    "election.nominated": N_("Candidate nominated"),
    "election.accepted": N_("Candidacy accepted"),
    "election.ballot": N_("Election ballot cast"),
    "election.decided": N_("Election decided"),
    "director.appointed": N_("Director entered in the register of directors"),
    "director.corrected": N_("Director's entry corrected"),
    "director.term_ended": N_("Director's term ended"),
    "minutes.drafted": N_("Minutes drafted"),
    "minutes.edited": N_("Minutes edited"),
    "minutes.approved": N_("Minutes approved"),
    "minutes.published": N_("Minutes published"),
    "consultation.created": N_("Written consultation prepared"),
    "requisition.opened": N_("Requisition of a meeting opened"),
    "requisition.signed": N_("Requisition signed"),
    "requisition.threshold_reached": N_("Requisition reached its signatures"),
    "requisition.meeting_called": N_("Meeting called on a requisition"),
})


web.environment.globals.update(meeting_label=meeting_label, meeting_time=meeting_time, format_percent=format_percent)
