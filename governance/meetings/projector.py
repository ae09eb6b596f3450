"""The projector: what the room sees during a meeting, live: turnout and quorum, the vote under
way (how many have voted, never how), and the results once a vote is closed."""

from __future__ import annotations

import uuid

from governance.meetings.votes import Votes


async def live(votes: Votes, meeting_id: uuid.UUID) -> dict:
    meetings = votes.meetings
    meeting = await meetings.get(meeting_id)
    shown = []
    for vote in await votes.of_meeting(meeting_id):
        if vote["status"] == "draft":
            continue
        closed = vote["status"] == "closed"
        shown.append({
            "id": vote["id"], "question": vote["question"], "status": vote["status"], "ballots": vote["ballots"],
            "eligible_count": vote["eligible_count"], "counts": vote["counts"] if closed else None, "adopted": vote["adopted"] if closed else None,
            "votes_cast": vote["votes_cast"] if closed else None, "majority": vote["majority"],
        })
    return {"meeting_id": meeting["id"], "title": meeting["title"], "status": meeting["status"], "quorum": await meetings.quorum(meeting_id), "votes": shown}
