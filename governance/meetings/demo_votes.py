"""The demo's election and consultation (called by demo.py): at the last annual meeting, the user
members elected two directors by single transferable vote among three candidates (closed, counted
and certified); between meetings, the members are consulted on opening the clinic on Saturdays
(open for two weeks from the demo's loading, some ballots cast, results hidden until it closes)."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from backend.clock import now
from governance.meetings import election_rules as er
from governance.meetings.consultations import Consultations
from governance.meetings.elections import Elections
from governance.meetings.schemas import ConsultationIn, ElectionIn
from governance.meetings.tables import Candidacy
from governance.meetings.votes import Votes


async def election(votes: Votes, meeting: dict, present: list[dict], rng: random.Random) -> None:
    """The users' directors, elected at the meeting (nominations recorded before it, as on paper)."""
    item = next(i for i in meeting["agenda"] if i["title"].startswith("Élection"))
    elections = Elections(votes)
    made = await elections.create(meeting["id"], ElectionIn(
        title="Administrateurs — membres utilisateurs", seats=2, method="stv", category="user",
        nominations_close_at=meeting["starts_at"] - dt.timedelta(days=7), agenda_item_id=item["id"],
    ))
    users = [m for m in present if m["category"] == "user"]
    for index, candidate in enumerate(users[:3]):
        nominator = users[(index + 3) % len(users)]
        await Candidacy.insert(Candidacy(
            tenant_id=votes.tenant.id, id=uuid.uuid4(), election_id=made["id"], member_id=candidate["id"], nominated_by=nominator["id"],
            accepted_at=meeting["starts_at"] - dt.timedelta(days=8), created_at=meeting["starts_at"] - dt.timedelta(days=10),
        ))
    await votes.open(made["vote_id"])
    numbers = [1, 2, 3]
    for member in users:
        ranking = rng.sample(numbers, k=rng.choice((1, 2, 3)))
        await votes.record_ballot(made["vote_id"], member, er.encode(er.Method.STV, ranking))
    await votes.close(made["vote_id"])
    await votes.certify(made["vote_id"])


async def consultation(votes: Votes, rng: random.Random) -> None:
    """Open for two weeks from now; a third of the members have answered."""
    consultations = Consultations(votes)
    moment = now().replace(microsecond=0)
    made = await consultations.create(ConsultationIn(
        title="Ouvrir la clinique le samedi matin?",
        description="Le conseil consulte les membres avant de proposer un budget : ouvrir la clinique le samedi de 9 h à 13 h, avec une infirmière et un médecin.",
        opens_at=moment - dt.timedelta(days=1), closes_at=moment + dt.timedelta(days=14),
    ))
    opened = await consultations.open(made["id"])
    members = [m for m in await votes.meetings.register.all_in_order() if m["status"] == "active"]
    for member in rng.sample(members, k=min(len(members), max(1, opened["eligible_count"] // 3))):
        if member["shares_paid"] >= votes.tenant.qualifying_shares:
            await votes.record_ballot(made["vote_id"], member, rng.choices(("yes", "no", "abstain"), weights=(6, 3, 1))[0])
