"""How a vote is taken, beyond the secret electronic ballot:

- **named** (open electronic vote): the choice is kept with the voter (vote_cast.named_choice);
  after the close the results list who voted what.
- **hands** (show of hands or paper ballots): no ballot online; after the close the scrutineers
  enter the count in the room.
- **hybrid**: secret online ballots (members following at a distance) plus the count in the room.

Each member is counted once: the room's count may not exceed the members eligible for the vote
(frozen at its opening), present now (in person or, where proxies are allowed, represented by a
present holder), who have NOT voted online. The online ballots are closed (the box sealed) before
the count is entered, so that number cannot change under it; the count is entered once (the
UPDATE only succeeds while no count is recorded and the result is not certified: 409 otherwise,
also for two scrutineers at once).
"""

from __future__ import annotations

import uuid

from backend.errors import Conflict, FieldError, Invalid
from backend.i18n import N_
from governance.meetings import vote_rules
from governance.meetings.schemas import RoomCountIn
from governance.meetings.tables import VoteCast, VoteEligibility
from governance.meetings.votes import Votes


async def room_capacity(votes: Votes, vote: dict) -> int:
    """How many hands the room may count: eligible, present now, and not voted online."""
    tenant_id = votes.tenant.id
    eligible = {r["member_id"] for r in await VoteEligibility.select(VoteEligibility.member_id).where((VoteEligibility.tenant_id == tenant_id) & (VoteEligibility.vote_id == vote["id"]))}
    voted = {r["member_id"] for r in await VoteCast.select(VoteCast.member_id).where((VoteCast.tenant_id == tenant_id) & (VoteCast.vote_id == vote["id"]))}
    present = await votes.meetings.present_ids(vote["meeting_id"]) if vote["meeting_id"] else set()
    return len((eligible & present) - voted)


async def enter_room_count(votes: Votes, vote_id: uuid.UUID, count: RoomCountIn) -> dict:
    vote = await votes.row(vote_id)
    vote_rules.check_room_count_entered(vote["status"], vote["mode"], room_counted=vote["room_counted_at"] is not None, certified=vote["certified_at"] is not None)
    room = {"yes": count.yes, "no": count.no, "abstain": count.abstain}
    capacity = await room_capacity(votes, vote)
    if vote_rules.room_count_problem(room, capacity) == "too_many":
        message = N_("The room can count at most %(capacity)s members: those eligible, present and who have not voted online.")
        raise Invalid(message, errors=[FieldError("yes", message)], capacity=capacity)
    return await votes.count_room(vote, room, {"capacity": capacity})


async def named_results(votes: Votes, vote_id: uuid.UUID) -> list[dict]:
    """Who voted what, for an open (named) vote, once it is closed."""
    vote = await votes.row(vote_id)
    if vote["mode"] != vote_rules.Mode.NAMED:
        raise Conflict(N_("Only an open (named) vote lists who voted what."))
    if vote["status"] != "closed":
        raise Conflict(N_("The results are published when the vote closes."))
    rows = await VoteCast.select(VoteCast.member_id, VoteCast.named_choice).where((VoteCast.tenant_id == votes.tenant.id) & (VoteCast.vote_id == vote_id))
    members = {m["id"]: m for m in await votes.meetings.register.all_in_order()}
    listed = [{"member_number": members[r["member_id"]]["number"], "name": f"{members[r['member_id']]['first_name']} {members[r['member_id']]['last_name']}", "choice": r["named_choice"]} for r in rows]
    return sorted(listed, key=lambda r: r["member_number"])


async def turnout(votes: Votes, vote_id: uuid.UUID) -> dict:
    """Turnout by category (online ballots: who voted is public), and the room's count."""
    vote = await votes.get(vote_id)
    by_category = await votes.turnout_by_category(vote_id)
    room = sum(vote["room_counts"].values()) if vote["room_counts"] else None
    return {
        "by_category": [{"category": c, "voted": voted, "eligible": eligible} for c, (voted, eligible) in by_category.items()],
        "online": sum(voted for voted, _ in by_category.values()), "room": room, "eligible": vote["eligible_count"] or 0,
    }
