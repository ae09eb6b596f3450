"""The ballot box: the one door to the Vote row, to who may vote and who has voted, and to the
sealed and the published ballots. It knows votes by their kind (a question or motion at a meeting,
an election, a consultation) only through `VoteKind`, the small interface each kind implements in
its own module (motion_votes, elections, consultations; assembled in kinds.py): who may vote when it
opens, whether a ballot fits, how the box is decided, what the published box adds and how that is
verified. The box knows nothing of STV.

Secret ballots: `record_ballot` writes who has voted (vote_cast) and what was voted as two rows
sharing no value; the ballot is sealed in an envelope the database cannot open (backend/sealing.py),
since rows written in one transaction share hidden system columns. `close` opens the envelopes,
moves the ballots, shuffled, into the published box (ballot) as a hash chain and destroys the
envelopes, from the table's pages too (`_destroy_envelopes`), so no column, time or order links a
voter to a choice.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence

import msgspec
from piccolo.query.functions.aggregate import Count

from backend import db, sealing
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from governance.meetings import rules, vote_rules
from governance.meetings.services import Meetings, from_json
from governance.meetings.tables import Ballot, Vote, VoteCast, VoteEligibility
from tenants.services import UNIQUE_VIOLATIONS, audit_events

CHUNK = 1000  # rows per INSERT: stays under the databases' limits on bound parameters
ENVELOPE_BYTES = 512  # every envelope holds this many bytes, whatever the choice: its length tells nothing
_system_random = random.SystemRandom()

DOES_NOT_FIT = N_("This ballot does not fit this vote: an election's ballot marks candidates, another vote's is for, against or abstain.")


def does_not_fit() -> Invalid:
    return Invalid(DOES_NOT_FIT, errors=[FieldError("choice", N_("Use the ballot of this vote."))])


class VoteKind:
    """What a kind of vote adds to the box. `voters` and `check_ballot` raise the refusal (a
    Problem) that stops the step; the others have the defaults of a plain question."""

    async def voters(self, votes: Votes, vote: dict) -> list:
        """Before the vote opens: who may vote (items with `member_id` and `category`), frozen then."""
        raise NotImplementedError

    async def opened(self, votes: Votes, vote: dict, voters: list) -> dict:
        """Just opened (in the same transaction): what else happens; returns details for the audit log."""
        return {}

    async def closing(self, votes: Votes, vote: dict) -> None:
        """Before the close: may it close now."""

    async def check_ballot(self, votes: Votes, vote: dict, choice: str) -> None:
        """Before a ballot is recorded: it fits this vote (for, against or abstain by default)."""
        if choice not in rules.CHOICES:
            raise does_not_fit()

    async def decide(self, votes: Votes, vote: dict, published: list[rules.PublishedBallot]) -> rules.Tally:
        """At the close: the result of the published box."""
        settings = await votes.meetings.settings()
        return rules.tally((b.choice for b in published), vote["majority"], abstentions_count=settings.abstentions_count)

    async def certified(self, votes: Votes, vote: dict) -> dict:
        """Just certified (in the same transaction): what else happens; returns details for the audit log."""
        return {}

    async def box_part(self, votes: Votes, vote: dict) -> dict | None:
        """What the published box adds, to redo the count offline."""
        return None

    async def verify(self, votes: Votes, vote: dict, published: list[rules.PublishedBallot]) -> list[str]:
        """The faults of what box_part publishes (none by default)."""
        return []


class Votes:
    """The votes of one tenant, as handled by the meetings service's actor; `kinds` maps the
    Vote row's kind to its VoteKind (kinds.py)."""

    def __init__(self, meetings: Meetings, kinds: Mapping[str, VoteKind]):
        self.meetings = meetings
        self.tenant = meetings.tenant
        self.kinds = kinds

    def _mine(self):
        return Vote.tenant_id == self.tenant.id

    # --- reading -------------------------------------------------------------------------------

    async def row(self, vote_id: uuid.UUID) -> dict:
        """The Vote row (404 for a vote of a board meeting the actor does not see)."""
        row = await Vote.select().where(self._mine() & (Vote.id == vote_id)).first()
        if row is None or await self.meetings.hides(row["meeting_id"]):
            raise NotFound(N_("No vote of this organisation has this identifier."))
        row["counts"] = from_json(row["counts"])
        return row

    async def get(self, vote_id: uuid.UUID) -> dict:
        """The vote as anyone may see it (the API and the pages hide the counts until the close)."""
        row = await self.row(vote_id)
        return _shown(row, await VoteCast.count().where((VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id)))

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[dict]:
        """The meeting's votes on questions and motions (its elections: elections.py), each as `get`
        shows it: in two statements whatever their number (the projector and the member's page
        ask during a vote's burst), the meeting's visibility checked once for all."""
        await self.meetings.get(meeting_id)
        rows = await Vote.select().where(self._mine() & (Vote.meeting_id == meeting_id) & (Vote.kind == "question")).order_by(Vote.created_at)
        if not rows:
            return []
        counted = await VoteCast.select(VoteCast.vote_id, Count(alias="ballots")).where(
            (VoteCast.tenant_id == self.tenant.id) & VoteCast.vote_id.is_in([row["id"] for row in rows])
        ).group_by(VoteCast.vote_id)
        ballots = {str(row["vote_id"]): row["ballots"] for row in counted}
        for row in rows:
            row["counts"] = from_json(row["counts"])
        return [_shown(row, ballots.get(str(row["id"]), 0)) for row in rows]

    # --- life cycle ----------------------------------------------------------------------------

    async def create(self, *, kind: str, question: str, meeting_id: uuid.UUID | None, motion_id: uuid.UUID | None = None, mode: str = "secret",
                     majority: str = "majority", category: str | None = None) -> uuid.UUID:
        """A vote in draft, of this kind; the kind's own row (an election, a consultation) points to it."""
        if category is not None and category not in self.tenant.member_categories:
            raise Invalid(N_("This organisation has no such member category."), errors=[FieldError("category", N_("Choose a category of this organisation."))])
        vote_id, secret = uuid.uuid4(), mode in ("secret", "hybrid")
        await Vote.insert(Vote(
            tenant_id=self.tenant.id, id=vote_id, meeting_id=meeting_id, motion_id=motion_id, question=question, secret=secret, majority=majority,
            category=category, status="draft", created_at=now(), mode=mode, kind=kind,
        ))
        await self.meetings.audit("vote.created", "vote", vote_id, {"meeting_id": meeting_id, "kind": kind, "secret": secret, "mode": mode, "majority": majority, "category": category})
        return vote_id

    async def open(self, vote_id: uuid.UUID) -> dict:
        """Freezes who may vote (the kind says who) and takes ballots from then on."""
        vote = await self.row(vote_id)
        if vote["status"] != "draft":
            raise Conflict(N_("This vote was already opened."))
        kind = self.kinds[vote["kind"]]
        chosen = await kind.voters(self, vote)
        if not chosen:
            raise Conflict(N_("No member is eligible for this vote."))
        opened = await Vote.raw(
            "UPDATE vote SET status = 'open', opened_at = {}, eligible_count = {} WHERE tenant_id = {} AND id = {} AND status = 'draft' RETURNING id",
            now(), len(chosen), self.tenant.id, vote_id,
        )
        if not opened:  # opened by another request meanwhile
            raise Conflict(N_("This vote was already opened."))
        for start in range(0, len(chosen), CHUNK):
            await VoteEligibility.insert(*(
                VoteEligibility(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, member_id=v.member_id, category=v.category)
                for v in chosen[start:start + CHUNK]
            ))
        details = await kind.opened(self, vote, chosen)
        await self.meetings.audit("vote.opened", "vote", vote_id, {"eligible": len(chosen), **details})
        return await self.get(vote_id)

    async def cast(self, vote_id: uuid.UUID, choice: str) -> dict:
        """The actor's own ballot; returns the receipt code, which only the voter gets (its hash is
        in the published box). A member represented by proxy at the meeting votes through the holder
        (proxies.py), unless checked in themselves."""
        facts = await self._ballot_facts(vote_id, "user_id", self.meetings.actor_id)
        if facts["member_id"] is None:
            raise Problem(N_("Your login is not linked to an entry in the register of members."), status=403)
        if facts["represented"] and not facts["present"]:
            raise Conflict(N_("You are represented by proxy at this meeting: your proxy holder casts your ballot, unless you check in."))
        return await self._record(facts, choice)

    async def record_ballot(self, vote_id: uuid.UUID, member: dict, choice: str) -> dict:
        """The ballot of this member: the voter in person, the member a proxy holder represents, or
        the demo's members."""
        return await self._record(await self._ballot_facts(vote_id, "id", member["id"]), choice)

    async def _ballot_facts(self, vote_id: uuid.UUID, member_column: str, member_key) -> dict:
        """In one statement (a ballot is the hot path): the Vote row, held (PostgreSQL) with a
        share lock, so that the close, which takes the row for update, waits for ballots being cast
        and refuses later ones; its meeting's kind; the voter's member entry (by `member_column`,
        "user_id" or "id"), whether they may vote, whether a proxy holder represents them at the
        meeting and whether they are checked in. 404 for a vote the actor does not see."""
        sql = _BALLOT_FACTS.format(member_column=member_column, lock=" FOR SHARE OF v" if db.is_postgres(Vote._meta.db) else "")
        rows = await db.fetch(Vote._meta.db, sql, member_key, self.tenant.id, vote_id)
        if not rows or (rows[0]["meeting_kind"] == "board" and await self.meetings.hides(rows[0]["meeting_id"])):
            raise NotFound(N_("No vote of this organisation has this identifier."))
        facts = rows[0]
        facts["counts"] = from_json(facts["counts"])
        return facts

    async def _record(self, vote: dict, choice: str) -> dict:
        """The ballot of the member of `vote` (the facts of _ballot_facts): who voted, and the sealed envelope."""
        vote_id = vote["id"]
        vote_rules.check_ballot_taken(vote["status"], vote["mode"])
        await self.kinds[vote["kind"]].check_ballot(self, vote, choice)
        if not vote["eligible"]:
            raise Problem(_ineligible_reason(vote), status=403)
        engine = Vote._meta.db
        code = new_receipt_code()
        receipt = rules.receipt_hash(vote_id, code)
        voted = (self.tenant.id, uuid.uuid4(), vote_id, vote["member_id"], None if vote["secret"] else choice)
        sealed = (self.tenant.id, uuid.uuid4(), vote_id, seal_ballot(vote_id, choice, receipt))
        try:
            if db.is_postgres(engine):  # both rows in one statement (one round trip less per ballot)
                await db.fetch(engine, _CAST_AND_SEAL, *voted, *sealed)
            else:
                await db.fetch(engine, _CAST, *voted)
                await db.fetch(engine, _SEAL, *sealed)
        except UNIQUE_VIOLATIONS as error:  # (nothing of the ballot is kept: the request rolls back)
            raise Conflict(N_("You have already voted: one member, one vote.")) from error
        return {"vote_id": vote_id, "receipt_code": code, "receipt_hash": receipt}

    async def close(self, vote_id: uuid.UUID, rng: random.Random = _system_random) -> dict:
        """Seals the box: the envelopes opened, shuffled into the published hash chain, deleted;
        the result decided by the kind; a motion adopted or rejected."""
        vote = await self.row(vote_id)
        kind = self.kinds[vote["kind"]]
        await kind.closing(self, vote)
        closed = await Vote.raw(
            "UPDATE vote SET status = 'closed', closed_at = {} WHERE tenant_id = {} AND id = {} AND status = 'open' RETURNING id",
            now(), self.tenant.id, vote_id,
        )
        if not closed:
            raise Conflict(N_("Only an open vote can be closed."))
        published = await self._publish(vote_id, rng)
        result = await kind.decide(self, vote, published)
        if vote_rules.takes_room_count(vote["mode"]):  # decided once the scrutineers' count is in (vote_modes.py)
            result = rules.Tally(result.counts, None, None)
        head = rules.chain_head(vote_id, published)
        await Vote.update({Vote.counts: result.counts, Vote.votes_cast: result.votes_cast, Vote.adopted: result.adopted, Vote.chain_head: head}).where(
            self._mine() & (Vote.id == vote_id)
        )
        if vote["motion_id"] is not None and result.adopted is not None:
            await self.meetings.decide_motion(vote["motion_id"], result.adopted)
        await self.meetings.audit("vote.closed", "vote", vote_id, {"counts": result.counts, "votes_cast": result.votes_cast, "adopted": result.adopted, "chain_head": head})
        return await self.get(vote_id)

    async def _publish(self, vote_id: uuid.UUID, rng: random.Random) -> list[rules.PublishedBallot]:
        engine = Vote._meta.db
        if db.is_postgres(engine):  # closes take turns, before reading the envelopes (see _destroy_envelopes)
            await db.fetch(engine, "SELECT pg_advisory_xact_lock(hashtext('solidaire.ballot_envelope'))")
        rows = await db.fetch_tuples(engine, "SELECT envelope FROM ballot_envelope WHERE tenant_id = {} AND vote_id = {}", self.tenant.id, vote_id)
        try:
            sealed = open_ballots(vote_id, [envelope for (envelope,) in rows])
        except sealing.Unopenable as error:  # the vote stays open (the transaction rolls back), its envelopes untouched
            raise Conflict(N_("The ballots cannot be opened: they were sealed with another SECRET_KEY, or changed. Restore the key the service had when the vote opened, then close the vote.")) from error
        voters = await VoteCast.count().where((VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id))
        if voters != len(sealed):
            raise AssertionError(f"vote {vote_id}: {voters} voters but {len(sealed)} ballots")  # a bug, never a refusal
        published = rules.seal(vote_id, sealed, rng)
        if db.is_postgres(engine):  # one statement for the whole box (COPY is refused under row-level security)
            # unnest in the select list streams the rows (unnest in FROM stores them all first, in a
            # temporary file beyond work_mem: 17 MB for 100,000 ballots)
            columns = [list(column) for column in zip(*published, strict=True)] or [[], [], [], []]  # positions, choices, receipts, links
            await db.fetch(
                engine,
                "INSERT INTO ballot (tenant_id, id, vote_id, position, choice, receipt_hash, chain_hash) "
                "SELECT {}, gen_random_uuid(), {}, unnest({}::integer[]), unnest({}::text[]), unnest({}::text[]), unnest({}::text[])",
                self.tenant.id, vote_id, *columns,
            )
        else:
            for start in range(0, len(published), CHUNK):
                await Ballot.insert(*(
                    Ballot(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, position=b.position, choice=b.choice, receipt_hash=b.receipt_hash, chain_hash=b.chain_hash)
                    for b in published[start:start + CHUNK]
                ))
        await _destroy_envelopes(engine, self.tenant.id, vote_id)
        return published

    async def certify(self, vote_id: uuid.UUID, scrutineers: Sequence[str] = ()) -> dict:
        """The secretary certifies the result, with the scrutineers named (they sign the report)."""
        vote = await self.row(vote_id)
        vote_rules.check_certifiable(vote["status"], vote["mode"], room_counted=vote["room_counted_at"] is not None)
        certified = await Vote.raw(
            "UPDATE vote SET certified_by = {}, certified_at = {}, scrutineers = {} WHERE tenant_id = {} AND id = {} AND certified_at IS NULL RETURNING id",
            self.meetings.actor_id, now(), "\n".join(scrutineers) or None, self.tenant.id, vote_id,
        )
        if not certified:
            raise Conflict(N_("This vote is already certified."))
        details = await self.kinds[vote["kind"]].certified(self, vote)
        await self.meetings.audit("vote.certified", "vote", vote_id, {"chain_head": vote["chain_head"], "scrutineers": list(scrutineers), **details})
        return await self.get(vote_id)

    async def count_room(self, vote: dict, room: dict[str, int], details: dict) -> dict:
        """The scrutineers' count from the room (vote_modes.py checks it), entered once: the result is
        then the sum with the published box's counts."""
        entered = await Vote.raw(
            "UPDATE vote SET room_counts = {}, room_counted_by = {}, room_counted_at = {} WHERE tenant_id = {} AND id = {} "
            "AND room_counted_at IS NULL AND certified_at IS NULL RETURNING id",
            json.dumps(room, sort_keys=True), self.meetings.actor_id, now(), self.tenant.id, vote["id"],
        )
        if not entered:
            raise Conflict(N_("The room's count of this vote is already entered."))
        total = vote_rules.combined(vote["counts"] or {}, room)
        settings = await self.meetings.settings()
        result = rules.tally(Counter(total).elements(), vote["majority"], abstentions_count=settings.abstentions_count)
        await Vote.update({Vote.votes_cast: result.votes_cast, Vote.adopted: result.adopted}).where(self._mine() & (Vote.id == vote["id"]))
        if vote["motion_id"] is not None:
            await self.meetings.decide_motion(vote["motion_id"], result.adopted)
        await self.meetings.audit("vote.room_counted", "vote", vote["id"], {"room": room, **details, "total": total, "votes_cast": result.votes_cast, "adopted": result.adopted})
        return await self.get(vote["id"])

    # --- the published box ---------------------------------------------------------------------

    async def ballot_box(self, vote_id: uuid.UUID) -> dict:
        return await self._box(*await self._published(vote_id))

    async def _box(self, vote: dict, published: list[rules.PublishedBallot], *, as_dicts: bool = True) -> dict:
        """The box as published: every field of it is what `verify` checks (which takes the
        ballots as they are, `as_dicts=False`: 100,000 dicts made for nothing)."""
        vote_id = vote["id"]
        box = {"vote_id": vote_id, "chain_start": rules.chain_start(vote_id), "chain_head": vote["chain_head"], "counts": vote["counts"],
               "ballots": [b._asdict() for b in published] if as_dicts else published}
        part = await self.kinds[vote["kind"]].box_part(self, vote)
        if part is not None:
            box[vote["kind"]] = part
        return box

    async def find_receipt(self, vote_id: uuid.UUID, receipt_code: str) -> dict:
        """Where a receipt code's ballot is in the published box (position None: no ballot of the
        box has it), with the chain's head: what a member checks once the vote is closed."""
        vote = await self.row(vote_id)
        if vote["status"] != "closed":
            raise Conflict(N_("The ballot box is published when the vote closes."))
        found = await Ballot.select(Ballot.position, Ballot.chain_hash).where(
            (Ballot.tenant_id == self.tenant.id) & (Ballot.vote_id == vote_id) & (Ballot.receipt_hash == rules.receipt_hash(vote_id, receipt_code.strip().upper()))
        ).first()
        return {"position": found and found["position"], "chain_hash": found and found["chain_hash"], "chain_head": vote["chain_head"]}

    async def _published(self, vote_id: uuid.UUID) -> tuple[dict, list[rules.PublishedBallot]]:
        """The closed vote and its published box, in order."""
        vote = await self.row(vote_id)
        if vote["status"] != "closed":
            raise Conflict(N_("The ballot box is published when the vote closes."))
        rows = await db.fetch_tuples(
            Vote._meta.db, "SELECT position, choice, receipt_hash, chain_hash FROM ballot WHERE tenant_id = {} AND vote_id = {} ORDER BY position", self.tenant.id, vote_id,
        )
        return vote, list(map(rules.PublishedBallot._make, rows))

    async def verify(self, vote_id: uuid.UUID) -> list[str]:
        """Recomputes every field of the box as it is published (ballot_box): its chain from its
        start and its tally against the head and counts recorded at the close, in the vote and in the
        append-only audit log; then what the kind adds."""
        vote, published = await self._published(vote_id)
        box = await self._box(vote, published, as_dicts=False)
        faults = rules.verify_box(box["vote_id"], box["ballots"], box["chain_head"], box["counts"], box["chain_start"])
        logged = await self._closing_record(vote_id)
        if logged is None or logged.get("chain_head") != vote["chain_head"] or logged.get("counts") != vote["counts"]:
            faults.append("the vote's head or counts differ from those written in the audit log at the close")
        return faults + await self.kinds[vote["kind"]].verify(self, vote, published)

    async def _closing_record(self, vote_id: uuid.UUID) -> dict | None:
        events = [e for e in await audit_events(self.tenant, vote_id, limit=1000) if e["action"] == "vote.closed"]
        return events[0]["details"] if events else None

    # --- who voted (public), never how ----------------------------------------------------------

    async def turnout_by_category(self, vote_id: uuid.UUID) -> dict[str, tuple[int, int]]:
        """category -> (voted, eligible)."""
        await self.row(vote_id)
        rows = await VoteEligibility.raw(
            "SELECT e.category AS category, COUNT(*) AS eligible, COUNT(c.id) AS voted FROM vote_eligibility e "
            "LEFT JOIN vote_cast c ON c.tenant_id = e.tenant_id AND c.vote_id = e.vote_id AND c.member_id = e.member_id "
            "WHERE e.tenant_id = {} AND e.vote_id = {} GROUP BY e.category ORDER BY e.category",
            self.tenant.id, vote_id,
        )
        return {row["category"]: (row["voted"], row["eligible"]) for row in rows}

    async def has_voted(self, vote_id: uuid.UUID) -> bool:
        member = await self.meetings.own_entry()
        return member is not None and await VoteCast.exists().where(
            (VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id) & (VoteCast.member_id == member["id"])
        )


def _shown(row: dict, ballots: int) -> dict:
    """A Vote row (its counts read) as `Votes.get` shows it, with its number of ballots."""
    row["ballots"] = ballots
    row["room_counts"] = from_json(row["room_counts"])
    row["scrutineers"] = row["scrutineers"].split("\n") if row["scrutineers"] else []
    row["online_counts"] = row["counts"]  # the published box's (verify_box checks these)
    if row["room_counts"] is not None:  # counted in the room too: the result is the sum
        row["counts"] = vote_rules.combined(row["counts"] or {}, row["room_counts"])
    return row


_CAST = "INSERT INTO vote_cast (tenant_id, id, vote_id, member_id, named_choice) VALUES ({}, {}, {}, {}, {})"
_SEAL = "INSERT INTO ballot_envelope (tenant_id, id, vote_id, envelope) VALUES ({}, {}, {}, {})"
_CAST_AND_SEAL = f"WITH voted AS ({_CAST}) {_SEAL}"

_BALLOT_FACTS = (
    "SELECT v.*, m.kind AS meeting_kind, mb.id AS member_id, "
    "EXISTS (SELECT 1 FROM vote_eligibility e WHERE e.tenant_id = v.tenant_id AND e.vote_id = v.id AND e.member_id = mb.id) AS eligible, "
    "EXISTS (SELECT 1 FROM meeting_proxy p WHERE p.tenant_id = v.tenant_id AND p.meeting_id = v.meeting_id AND p.member_id = mb.id) AS represented, "
    "EXISTS (SELECT 1 FROM meeting_presence a WHERE a.tenant_id = v.tenant_id AND a.meeting_id = v.meeting_id AND a.member_id = mb.id AND a.present) AS present "
    "FROM vote v LEFT JOIN meeting m ON m.tenant_id = v.tenant_id AND m.id = v.meeting_id "
    "LEFT JOIN member mb ON mb.tenant_id = v.tenant_id AND mb.{member_column} = {{}} "
    "WHERE v.tenant_id = {{}} AND v.id = {{}}{lock}"
)


async def _destroy_envelopes(engine, tenant_id: uuid.UUID, vote_id: uuid.UUID) -> None:
    """The closed vote's envelopes, gone from the table's pages, not only from its rows: a deleted
    row stays in its page until VACUUM (and VACUUM does not zero the space), so a disk snapshot or
    backup taken after the close, with SECRET_KEY, would still link voters to choices.

    PostgreSQL: the table is truncated (new, empty files) with every other envelope written back,
    by the owner's function destroy_ballot_envelopes (migration 0010_envelope_destruction). Chosen
    over the other ways: overwriting first is an UPDATE, which leaves the old version in the page
    as well; a per-vote key destroyed at the close is a row deleted, the same problem one level
    down; a table or partition per vote needs DDL at every open and leaves tables outside the
    tenant's policies. The cost: the close copies the envelopes of the votes still open, and holds
    the table (ballots of other votes wait) from the copy to its commit; closes take turns, under
    the advisory lock taken before the envelopes are read (two closes each holding a read lock and
    wanting the table would deadlock).

    SQLite: `secure_delete` overwrites a deleted row's bytes with zeros in its page."""
    if db.is_postgres(engine):
        await db.fetch(engine, "SELECT destroy_ballot_envelopes({})", vote_id)
    else:
        await db.fetch(engine, "PRAGMA secure_delete = ON")
        await db.fetch(engine, "DELETE FROM ballot_envelope WHERE tenant_id = {} AND vote_id = {}", tenant_id, vote_id)


def _ineligible_reason(vote: dict) -> str:
    if vote["category"]:
        return N_("You may not vote: this vote is for members of another category, active and present when it opened.")
    return N_("You may not vote: only members active (and present, where the meeting requires it) when the vote opened may vote.")


def seal_ballot(vote_id: uuid.UUID, choice: str, receipt_hash: str) -> str:
    content = json.dumps([choice, receipt_hash]).encode()
    if len(content) > ENVELOPE_BYTES:  # (the ballot schemas keep choices far shorter)
        raise Invalid(N_("This ballot is too long."), errors=[FieldError("choice", N_("This ballot is too long."))])
    return sealing.seal(f"ballot:{vote_id}", content.ljust(ENVELOPE_BYTES))


def open_ballot(vote_id: uuid.UUID, envelope: str) -> tuple[str, str]:
    """(choice, receipt hash) of an envelope sealed for this vote."""
    return open_ballots(vote_id, [envelope])[0]


def open_ballots(vote_id: uuid.UUID, envelopes: Sequence[str]) -> list[tuple[str, str]]:
    """(choice, receipt hash) of each envelope sealed for this vote."""
    purpose, decode, unseal = f"ballot:{vote_id}", _BALLOT.decode, sealing.unseal
    return [decode(unseal(purpose, envelope)) for envelope in envelopes]


_BALLOT = msgspec.json.Decoder(tuple[str, str])  # the envelope's content: [choice, receipt hash], padded with spaces


def new_receipt_code() -> str:
    """80 random bits, as 16 characters in four groups (letters and the digits 2 to 7)."""
    text = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))
