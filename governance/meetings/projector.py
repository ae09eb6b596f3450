"""The projector: what the room sees during a meeting, live: turnout and quorum, the vote under
way (how many have voted, never how), and the results once a vote is closed."""

from __future__ import annotations

import uuid

from governance.meetings.services import Governance


async def live(governance: Governance, meeting_id: uuid.UUID) -> dict:
    meeting = await governance.get(meeting_id)
    votes = []
    for vote in await governance.votes(meeting_id):
        if vote["status"] == "draft":
            continue
        closed = vote["status"] == "closed"
        votes.append({
            "id": vote["id"], "question": vote["question"], "status": vote["status"], "ballots": vote["ballots"],
            "eligible_count": vote["eligible_count"], "counts": vote["counts"] if closed else None, "adopted": vote["adopted"] if closed else None,
            "votes_cast": vote["votes_cast"] if closed else None, "majority": vote["majority"],
        })
    return {"meeting_id": meeting["id"], "title": meeting["title"], "status": meeting["status"], "quorum": await governance.quorum(meeting_id), "votes": votes}
