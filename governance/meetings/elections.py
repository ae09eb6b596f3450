"""Elections of directors, on the ballot machinery of votes (same eligibility, secrecy, receipts,
shuffled hash-chained box and verification): an election is a vote of kind 'election' whose
ballots mark (plurality) or rank (single transferable vote) candidates by their ballot number.

Nominations: a member nominates another member of the election's category, before the deadline
and before the vote opens; the candidate (or the secretary, holding their written consent)
accepts. When the vote opens, the accepted candidates get their ballot numbers in alphabetical
order, and the seed of the draws by lot is drawn: kept, not shown, and its commitment (SHA-256 of
the seed) published on the election and in the audit log of the opening. At the close the count is
made by `election_rules` with that seed, revealed then and recorded with the result, in the audit
log and in the minutes with its commitment; the verification checks the seed against it. An
election opened before commitments existed has its seed drawn at the close, and says so.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter

from backend import i18n
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_, gettext
from governance.meetings import election_rules as er
from governance.meetings import rules
from governance.meetings.board import Board
from governance.meetings.guards import SECRETARIES
from governance.meetings.labels import turnout_parts
from governance.meetings.schemas import DirectorIn, ElectionIn, NominationIn
from governance.meetings.services import from_json
from governance.meetings.tables import Candidacy, Election
from governance.meetings.votes import VoteKind, Votes, does_not_fit
from tenants.services import UNIQUE_VIOLATIONS, audit_events


class Elections:
    """The elections of one tenant's meetings, as handled by the votes' actor."""

    def __init__(self, votes: Votes):
        self.votes = votes
        self.meetings = votes.meetings
        self.tenant = votes.tenant

    def _keeper(self) -> bool:
        actor = self.meetings.actor
        return actor is not None and actor.has_any(SECRETARIES)

    async def _record(self, action: str, object_id, details: dict) -> None:
        await self.meetings.audit(action, "election", object_id, details)

    # --- set-up --------------------------------------------------------------------------------

    async def create(self, meeting_id: uuid.UUID, request: ElectionIn) -> dict:
        meeting = await self.meetings.get(meeting_id)
        if meeting["status"] == "adjourned":
            raise Conflict(N_("The meeting is adjourned."))
        if request.agenda_item_id is not None and request.agenda_item_id not in {item["id"] for item in meeting["agenda"]}:
            raise Invalid(N_("Choose an item of this meeting's agenda."), errors=[FieldError("agenda_item_id", N_("Choose an item of this meeting's agenda."))])
        nominations_close_at = self.meetings.utc(request.nominations_close_at, "nominations_close_at")
        vote_id = await self.votes.create(kind="election", question=request.title, meeting_id=meeting_id, category=request.category)
        election_id = uuid.uuid4()
        await Election.insert(Election(
            tenant_id=self.tenant.id, id=election_id, vote_id=vote_id, meeting_id=meeting_id, agenda_item_id=request.agenda_item_id,
            title=request.title, seats=request.seats, method=request.method, category=request.category,
            nominations_close_at=nominations_close_at, created_at=now(),
        ))
        await self._record("election.created", election_id, {"meeting_id": meeting_id, "seats": request.seats, "method": request.method, "category": request.category})
        return await self.get(election_id)

    async def _election(self, election_id: uuid.UUID) -> dict:
        row = await Election.select().where((Election.tenant_id == self.tenant.id) & (Election.id == election_id)).first()
        if row is None:
            raise NotFound(N_("No election of this organisation has this identifier."))
        row["result"] = from_json(row["result"])
        return row

    async def of_vote(self, vote_id: uuid.UUID) -> dict | None:
        row = await Election.select(Election.id).where((Election.tenant_id == self.tenant.id) & (Election.vote_id == vote_id)).first()
        return await self._election(row["id"]) if row else None

    async def get(self, election_id: uuid.UUID) -> dict:
        """The election with its vote's state and its candidates; the result once the vote closes."""
        election = await self._election(election_id)
        vote = await self.votes.get(election["vote_id"])
        election.update(status=vote["status"], eligible_count=vote["eligible_count"], ballots=vote["ballots"], certified_at=vote["certified_at"], chain_head=vote["chain_head"])
        election["candidates"] = await self.candidates(election)
        if vote["status"] != "closed":
            election["result"] = election["tie_seed"] = None  # (the seed drawn at the opening: only its commitment is shown)
        by_number = {c["ballot_number"]: c for c in election["candidates"] if c["ballot_number"]}
        election["elected"] = [by_number[n] for n in election["result"]["elected"]] if election["result"] else None
        return election

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[dict]:
        await self.meetings.get(meeting_id)
        rows = await Election.select(Election.id).where((Election.tenant_id == self.tenant.id) & (Election.meeting_id == meeting_id)).order_by(Election.created_at)
        return [await self.get(row["id"]) for row in rows]

    async def candidates(self, election: dict) -> list[dict]:
        rows = await Candidacy.select().where((Candidacy.tenant_id == self.tenant.id) & (Candidacy.election_id == election["id"]))
        members = {m["id"]: m for m in await self.meetings.register.all_in_order()}
        listed = [
            {"id": r["id"], "member_number": members[r["member_id"]]["number"], "name": _full_name(members[r["member_id"]]),
             "category": members[r["member_id"]]["category"], "nominated_by_number": members[r["nominated_by"]]["number"],
             "nominated_by_name": _full_name(members[r["nominated_by"]]), "accepted": r["accepted_at"] is not None,
             "ballot_number": r["ballot_number"], "member_id": r["member_id"]}
            for r in rows
        ]
        return sorted(listed, key=lambda c: (c["ballot_number"] is None, c["ballot_number"] or 0, c["name"].casefold(), c["member_number"]))

    async def ballot_numbers(self, election_id: uuid.UUID) -> list[int]:
        """The numbers on the ballot: the accepted candidates', given when the vote opened."""
        rows = await Candidacy.select(Candidacy.ballot_number).where(
            (Candidacy.tenant_id == self.tenant.id) & (Candidacy.election_id == election_id) & Candidacy.ballot_number.is_not_null()
        )
        return sorted(row["ballot_number"] for row in rows)

    # --- nominations ---------------------------------------------------------------------------

    async def nominate(self, election_id: uuid.UUID, request: NominationIn) -> dict:
        election = await self._election(election_id)
        await self._nominations_open(election)
        if request.nominator_number is not None:
            if not self._keeper():
                raise Problem(N_("Only the secretary records a nomination made by another member."), status=403)
            nominator = await self.meetings.member_by_number(request.nominator_number, "nominator_number")
        else:
            nominator = await self.meetings.own_member()
        candidate = await self.meetings.member_by_number(request.candidate_number, "candidate_number")
        if candidate["id"] == nominator["id"]:
            raise Invalid(N_("A candidate is nominated by another member."), errors=[FieldError("candidate_number", N_("Nominate another member than yourself."))])
        for who, field in ((candidate, "candidate_number"), (nominator, "nominator_number")):
            if who["status"] != "active" or (election["category"] and who["category"] != election["category"]):
                raise Invalid(
                    N_("Candidates and those who nominate them are active members of the category that elects these directors."),
                    errors=[FieldError(field, N_("This member is not an active member of the category of this election."))],
                )
        candidacy_id = uuid.uuid4()
        try:
            await Candidacy.insert(Candidacy(
                tenant_id=self.tenant.id, id=candidacy_id, election_id=election_id, member_id=candidate["id"], nominated_by=nominator["id"], created_at=now(),
            ))
        except UNIQUE_VIOLATIONS as error:
            raise Conflict(N_("This member is already nominated in this election.")) from error
        await self._record("election.nominated", election_id, {"candidate": candidate["number"], "nominated_by": nominator["number"]})
        return await self._candidacy(candidacy_id)

    async def _nominations_open(self, election: dict) -> None:
        vote = await self.votes.row(election["vote_id"])
        if vote["status"] != "draft":
            raise Conflict(N_("Nominations are closed: the election's vote has opened."))
        if now() > election["nominations_close_at"]:
            raise Conflict(N_("Nominations closed on %(date)s."), date=_when(self.tenant, election["nominations_close_at"]))

    async def _candidacy(self, candidacy_id: uuid.UUID) -> dict:
        row = await Candidacy.select().where((Candidacy.tenant_id == self.tenant.id) & (Candidacy.id == candidacy_id)).first()
        if row is None:
            raise NotFound(N_("No candidacy of this organisation has this identifier."))
        election = await self._election(row["election_id"])
        return next(c for c in await self.candidates(election) if c["id"] == candidacy_id) | {"election_id": election["id"]}

    async def accept(self, candidacy_id: uuid.UUID) -> dict:
        """The candidate accepts (themselves, or the secretary holding their written consent)."""
        candidacy = await self._candidacy(candidacy_id)
        if not self._keeper():
            own = await self.meetings.own_member()
            if own["id"] != candidacy["member_id"]:
                raise Problem(N_("Only the candidate (or the secretary) accepts a nomination."), status=403)
        vote = await self.votes.row((await self._election(candidacy["election_id"]))["vote_id"])
        if vote["status"] != "draft":
            raise Conflict(N_("Nominations are closed: the election's vote has opened."))
        accepted = await Candidacy.raw(
            "UPDATE candidacy SET accepted_at = {} WHERE tenant_id = {} AND id = {} AND accepted_at IS NULL RETURNING id", now(), self.tenant.id, candidacy_id,
        )
        if not accepted:
            raise Conflict(N_("This nomination is already accepted."))
        await self._record("election.accepted", candidacy["election_id"], {"candidate": candidacy["member_number"]})
        return await self._candidacy(candidacy_id)

    # --- ballots -------------------------------------------------------------------------------

    async def cast(self, election_id: uuid.UUID, numbers: list[int]) -> dict:
        election = await self._election(election_id)
        return await self.votes.cast(election["vote_id"], er.encode(election["method"], numbers))  # checked by ElectionVote


PROBLEMS = {"twice": N_("Each candidate is marked once."), "unknown": N_("Mark only candidates of this ballot."), "too_many": N_("Mark at most %(seats)s candidates.")}


class ElectionVote(VoteKind):
    """An election in the box: candidates numbered when it opens, ballots of their numbers, the
    count (plurality or STV) with the seed committed to at the opening, and all of it recounted offline."""

    async def voters(self, votes: Votes, vote: dict) -> list:
        voters = await votes.meetings.voters_at_opening(vote["meeting_id"], vote["category"])
        await self._number_candidates(Elections(votes), vote["id"])
        return voters

    async def _number_candidates(self, elections: Elections, vote_id: uuid.UUID) -> None:
        """The accepted candidates get their ballot numbers (alphabetical)."""
        election = await elections.of_vote(vote_id)
        accepted = [c for c in await elections.candidates(election) if c["accepted"]]
        if not accepted:
            raise Conflict(N_("No candidate has accepted a nomination: the election cannot open."))
        accepted.sort(key=lambda c: (c["name"].casefold(), c["member_number"]))
        for number, candidate in enumerate(accepted, start=1):
            await Candidacy.update({Candidacy.ballot_number: number}).where((Candidacy.tenant_id == elections.tenant.id) & (Candidacy.id == candidate["id"]))
        await elections._record("election.ballot", election["id"], {"ballot": {n: c["member_number"] for n, c in enumerate(accepted, start=1)}})

    async def opened(self, votes: Votes, vote: dict, voters: list) -> dict:
        """The seed of the draws by lot, drawn now (before any ballot) and kept unseen; its
        commitment published on the election and in the opening's audit record."""
        seed = secrets.token_hex(16)
        commitment = er.seed_commitment(seed)
        await Election.update({Election.tie_seed: seed, Election.seed_commitment: commitment}).where(
            (Election.tenant_id == votes.tenant.id) & (Election.vote_id == vote["id"])
        )
        return {"seed_commitment": commitment}

    async def check_ballot(self, votes: Votes, vote: dict, choice: str) -> None:
        elections = Elections(votes)
        election = await elections.of_vote(vote["id"])
        try:
            numbers = er.decode(election["method"], choice)
        except ValueError:
            raise does_not_fit() from None
        candidates = await elections.ballot_numbers(election["id"])  # (on every ballot: not the register's names)
        problem = er.ballot_problem(election["method"], numbers, candidates, election["seats"])
        if problem is not None:
            raise Invalid(PROBLEMS[problem], errors=[FieldError("candidates", PROBLEMS[problem])], seats=election["seats"])

    async def decide(self, votes: Votes, vote: dict, published: list[rules.PublishedBallot]) -> rules.Tally:
        """The count, with the seed drawn at the opening (revealed now), recorded with the election
        and the audit log; an election opened before commitments gets its seed drawn now. The
        vote's counts are the box's ballots by their text (so the box's recount checks them)."""
        elections = Elections(votes)
        election = await elections.of_vote(vote["id"])
        numbers = await elections.ballot_numbers(election["id"])
        seed = election["tie_seed"]
        if election["seed_commitment"] is None:  # opened before commitments: drawn now, after the last ballot
            seed = secrets.token_hex(16)
        choices = [b.choice for b in published]
        result = er.count(election["method"], choices, numbers, election["seats"], seed).record()
        await Election.update({Election.tie_seed: seed, Election.result: result}).where((Election.tenant_id == votes.tenant.id) & (Election.id == election["id"]))
        await elections._record("election.decided", election["id"], {"seed": seed, "seed_commitment": election["seed_commitment"], "result": result})
        return rules.Tally(dict(Counter(choices)), result["valid"], None)

    async def certified(self, votes: Votes, vote: dict) -> dict:
        """The certified winners enter the register of directors (s. 124) from the day of the meeting
        that elected them, in the seat of the election's category (where the by-laws reserve seats
        and the election has none: the director's own); a winner who sits already keeps their term."""
        elections = Elections(votes)
        election = await elections.get((await elections.of_vote(vote["id"]))["id"])
        board = Board(votes.meetings)
        reserved = bool((await votes.meetings.settings()).board_seats)
        meeting = await votes.meetings.row(election["meeting_id"])
        elected_on = min(votes.meetings.local_date(meeting["starts_at"]), votes.tenant.today())  # (a meeting opened before its day)
        entered = []
        for winner in election["elected"] or []:
            member = await votes.meetings.member_by_number(winner["member_number"])
            if await board.sits(member["id"]):
                continue
            seat = election["category"] or (member["category"] if reserved else None)
            await board.appoint(DirectorIn(member_number=member["number"], seat_category=seat, term_starts_on=elected_on))
            entered.append(member["number"])
        return {"directors_entered": entered}

    async def box_part(self, votes: Votes, vote: dict) -> dict | None:
        election = await Elections(votes).of_vote(vote["id"])
        if election is None:
            return None
        return {"method": election["method"], "seats": election["seats"], "tie_seed": election["tie_seed"], "seed_commitment": election["seed_commitment"], "result": election["result"]}

    async def verify(self, votes: Votes, vote: dict, published: list[rules.PublishedBallot]) -> list[str]:
        """The count redone from the box with the recorded seed, against the election's result and
        the one written in the audit log at the close; the seed against the commitment published
        at the opening (the election's and the one in the opening's audit record)."""
        election = await Elections(votes).of_vote(vote["id"])
        if election is None or election["result"] is None:
            return ["the election has no recorded result"]
        faults = er.verify(election["result"], [b.choice for b in published], election["tie_seed"])
        faults += er.commitment_faults(election["tie_seed"], election["seed_commitment"])
        logged = [e["details"] for e in await audit_events(votes.tenant, election["id"], limit=1000) if e["action"] == "election.decided"]
        if not logged or logged[0].get("result") != election["result"] or logged[0].get("seed") != election["tie_seed"]:
            faults.append("the election's result or seed differ from those written in the audit log at the close")
        opening = [e["details"] for e in await audit_events(votes.tenant, vote["id"], limit=1000) if e["action"] == "vote.opened"]
        if not opening or opening[0].get("seed_commitment") != election["seed_commitment"]:
            faults.append("the election's commitment to the seed differs from the one written in the audit log at the opening")
        return faults


def minutes_text(election: dict, turnout: dict | None = None) -> str:
    """The election as the minutes tell it (in the active language)."""
    method = gettext(N_("single transferable vote")) if election["method"] == er.Method.STV else gettext(N_("plurality"))
    lines = [gettext(N_("Election: %(title)s — %(seats)s seat(s), %(method)s."), title=election["title"], seats=election["seats"], method=method)]
    candidates = [c for c in election["candidates"] if c["ballot_number"]]
    if candidates:
        lines.append(gettext(N_("Candidates: %(names)s."), names="; ".join(f"{c['name']} ({c['member_number']})" for c in candidates)))
    if election["status"] != "closed" or not election["result"]:
        lines.append(gettext(N_("The election was not held.")))
        return "\n".join(lines)
    result = election["result"]
    votes = result["votes"]
    lines.append(gettext(N_("%(valid)s valid ballots, %(blank)s blank; %(eligible)s members could vote."), valid=result["valid"], blank=result["blank"], eligible=election["eligible_count"]))
    if result["quota"]:
        lines.append(gettext(N_("Quota (Droop): %(quota)s."), quota=result["quota"]))
    lines += [f"- {c['name']} ({c['member_number']}): {votes.get(str(c['ballot_number']), 0)}" for c in candidates]
    lines.append(gettext(N_("Elected: %(names)s."), names="; ".join(f"{c['name']} ({c['member_number']})" for c in election["elected"])))
    if turnout:
        lines.append(gettext(N_("Turnout by category: %(parts)s."), parts="; ".join(turnout_parts(turnout))))
    committed = election.get("seed_commitment")
    for draw in result["draws"]:
        by_number = {c["ballot_number"]: c["name"] for c in candidates}
        names = {"context": draw["context"], "tied": ", ".join(by_number[n] for n in draw["tied"]), "order": ", ".join(by_number[n] for n in draw["order"]), "seed": election["tie_seed"]}
        if committed:
            lines.append(gettext(
                N_("Tie decided by lot (%(context)s) between %(tied)s: order drawn %(order)s, with the seed %(seed)s, drawn when the vote opened, whose commitment %(commitment)s (SHA-256 of the seed) was published at the opening (SHA-256 of \"solidaire-lot|seed|context|ballot number\", lowest first)."),
                commitment=committed, **names,
            ))
        else:
            lines.append(gettext(N_("Tie decided by lot (%(context)s) between %(tied)s: order drawn %(order)s, with the seed %(seed)s (SHA-256 of \"solidaire-lot|seed|context|ballot number\", lowest first)."), **names))
    if not result["draws"]:
        if committed:
            lines.append(gettext(
                N_("No tie was decided by lot; the seed, drawn when the vote opened, was %(seed)s, and its commitment %(commitment)s (SHA-256 of the seed) was published at the opening."),
                seed=election["tie_seed"], commitment=committed,
            ))
        else:
            lines.append(gettext(N_("No tie was decided by lot; the seed drawn at the close was %(seed)s."), seed=election["tie_seed"]))
    if not committed:
        lines.append(gettext(N_("This election opened before a commitment to the seed was published at the opening: its seed was drawn at the close.")))
    return "\n".join(lines)


def _full_name(member: dict) -> str:
    return f"{member['first_name']} {member['last_name']}"


def _when(tenant, moment) -> str:
    return i18n.format_datetime(moment, tenant.timezone)
