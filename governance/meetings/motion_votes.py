"""Votes on a question or a motion at a meeting, the plainest kind of vote: prepared by the
secretary (a motion's text and majority by default), opened with the meeting in session and its
quorum reached, for, against or abstain, decided by the majority (the motion is then adopted or
rejected by the box, votes.py)."""

from __future__ import annotations

import uuid

from backend.errors import Conflict, FieldError, Invalid
from backend.i18n import N_
from governance.meetings.schemas import VoteIn
from governance.meetings.votes import VoteKind, Votes


class MotionVote(VoteKind):
    async def voters(self, votes: Votes, vote: dict) -> list:
        voters = await votes.meetings.voters_at_opening(vote["meeting_id"], vote["category"])
        if vote["motion_id"] is not None:
            await votes.meetings.check_motion_votable(vote["motion_id"])
        return voters


async def prepare(votes: Votes, meeting_id: uuid.UUID, request: VoteIn) -> dict:
    """A vote in draft on a question, or on a motion of this meeting still before it."""
    meeting = await votes.meetings.get(meeting_id)
    if meeting["status"] == "adjourned":
        raise Conflict(N_("The meeting is adjourned."))
    question, majority = request.question, request.majority
    if request.motion_id is not None:
        motion = await votes.meetings.motion(request.motion_id)
        if motion["meeting_id"] != meeting_id or motion["status"] != "proposed":
            raise Invalid(N_("Only a motion of this meeting still before it can be put to the vote."), errors=[FieldError("motion_id", N_("Choose a pending motion."))])
        question, majority = question or motion["text"], motion["majority"]
    if not question:
        raise Invalid(N_("A vote needs a question or a motion."), errors=[FieldError("question", N_("This field is required."))])
    mode = request.mode or ("secret" if request.secret else "named")  # how it is taken (vote_modes.py)
    vote_id = await votes.create(kind="question", question=question, meeting_id=meeting_id, motion_id=request.motion_id, mode=mode, majority=majority, category=request.category)
    return await votes.get(vote_id)
