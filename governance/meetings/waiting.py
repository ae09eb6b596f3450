"""What waits for a member: the votes, elections and consultations open now in which they may vote
(their name was on the list frozen at the opening) and have not voted yet, each with the page where
the ballot is; and a meeting's live state, which the member's meeting page watches to reload
itself when a vote opens or closes. For the member's home page too (the fragment
meetings/_waiting.html shows `waiting`'s list)."""

from __future__ import annotations

import hashlib
import uuid

from governance.meetings.services import Meetings
from governance.meetings.tables import Consultation, Election, Vote, VoteCast, VoteEligibility


async def waiting(meetings: Meetings) -> list[dict]:
    """The ballots the actor's register entry may still cast, oldest opening first: {kind, title, url}."""
    own = await meetings.own_entry()
    if own is None or own["status"] != "active":
        return []
    tenant = meetings.tenant.id
    mine = await VoteEligibility.select(VoteEligibility.vote_id).where((VoteEligibility.tenant_id == tenant) & (VoteEligibility.member_id == own["id"]))
    cast = await VoteCast.select(VoteCast.vote_id).where((VoteCast.tenant_id == tenant) & (VoteCast.member_id == own["id"]))
    ids = list({row["vote_id"] for row in mine} - {row["vote_id"] for row in cast})
    if not ids:
        return []
    votes = await Vote.select(Vote.id, Vote.kind, Vote.question, Vote.meeting_id, Vote.mode, Vote.opened_at).where(
        (Vote.tenant_id == tenant) & Vote.id.is_in(ids) & (Vote.status == "open")
    ).order_by(Vote.opened_at)
    votes = [v for v in votes if v["mode"] != "hands" and not await meetings.hides(v["meeting_id"])]  # (a show of hands is cast in the room)
    elections = await _by_vote(Election, tenant, [v["id"] for v in votes if v["kind"] == "election"])
    consultations = await _by_vote(Consultation, tenant, [v["id"] for v in votes if v["kind"] == "consultation"])
    base = f"/t/{meetings.tenant.slug}"
    listed = []
    for vote in votes:
        if vote["kind"] == "election" and vote["id"] in elections:
            listed.append({"kind": "election", "title": elections[vote["id"]]["title"], "url": f"{base}/elections/{elections[vote['id']]['id']}"})
        elif vote["kind"] == "consultation" and vote["id"] in consultations:
            listed.append({"kind": "consultation", "title": consultations[vote["id"]]["title"], "url": f"{base}/consultations/{consultations[vote['id']]['id']}"})
        elif vote["kind"] == "question":
            listed.append({"kind": "vote", "title": vote["question"], "url": f"{base}/meetings/{vote['meeting_id']}#ballots"})
    return listed


async def _by_vote(table, tenant: uuid.UUID, vote_ids: list) -> dict:
    if not vote_ids:
        return {}
    rows = await table.select(table.id, table.vote_id, table.title).where((table.tenant_id == tenant) & table.vote_id.is_in(vote_ids))
    return {row["vote_id"]: row for row in rows}


async def live_state(meetings: Meetings, meeting_id: uuid.UUID) -> str:
    """A short fingerprint of what the member's meeting page shows that a vote's opening or close
    changes: the meeting's status and its votes' (and elections'). Two statements: every member's
    phone asks every few seconds."""
    meeting = await meetings.row(meeting_id)  # (404 for a board meeting not the actor's)
    votes = await Vote.select(Vote.id, Vote.status).where((Vote.tenant_id == meetings.tenant.id) & (Vote.meeting_id == meeting_id)).order_by(Vote.id)
    seen = "|".join([meeting["status"], str(meeting["cancelled_at"]), *(f"{v['id']}:{v['status']}" for v in votes)])
    return hashlib.sha256(seen.encode()).hexdigest()[:16]
