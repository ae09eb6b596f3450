"""The kinds of vote the box takes, assembled: the one place that names them all. Whoever needs
the votes of a tenant (the API, the pages, the minutes, the jobs, the commands) asks `votes_for`."""

from __future__ import annotations

from governance.meetings.consultations import ConsultationVote
from governance.meetings.elections import ElectionVote
from governance.meetings.motion_votes import MotionVote
from governance.meetings.services import Meetings
from governance.meetings.votes import Votes

KINDS = {"question": MotionVote(), "election": ElectionVote(), "consultation": ConsultationVote()}


def votes_for(meetings: Meetings) -> Votes:
    return Votes(meetings, KINDS)
