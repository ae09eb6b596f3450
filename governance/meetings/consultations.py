"""Consultations on orientations between meetings: an advisory online vote open for days, on the
ballot machinery of votes (a vote of kind 'consultation' without a meeting: same secrecy, receipts,
shuffled hash-chained box, verification, certification).

- The secretary sets the question, the opening and the closing time, and optionally a category.
- It opens (the secretary's action, or the server's job on time: jobs.py; not before `opens_at`):
  eligibility is frozen then (members in good standing, of the category if any; no presence:
  there is no meeting), and every eligible member with an e-mail address is invited, in their
  language (backend.mail, after the commit).
- Ballots are taken until `closes_at`; later ones are refused. The results stay hidden until it
  is closed (the secretary's action or the job; not before `closes_at`), then it may be certified.
"""

from __future__ import annotations

import uuid

from backend import i18n, mail
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from governance.meetings import vote_rules
from governance.meetings.notice import language_of
from governance.meetings.schemas import ConsultationIn
from governance.meetings.tables import Consultation
from governance.meetings.votes import VoteKind, Votes

PURPOSE = "consultation_invitation"


class Consultations:
    """The consultations of one tenant, as handled by the votes' actor."""

    def __init__(self, votes: Votes):
        self.votes = votes
        self.meetings = votes.meetings
        self.tenant = votes.tenant

    async def create(self, request: ConsultationIn) -> dict:
        opens_at, closes_at = self.meetings.utc(request.opens_at, "opens_at"), self.meetings.utc(request.closes_at, "closes_at")
        if closes_at <= opens_at:
            raise Invalid(N_("A consultation closes after it opens."), errors=[FieldError("closes_at", N_("Choose a time after the opening."))])
        if closes_at <= now():
            raise Invalid(N_("A consultation closes in the future."), errors=[FieldError("closes_at", N_("Choose a time in the future."))])
        vote_id = await self.votes.create(kind="consultation", question=request.title, meeting_id=None, category=request.category)
        consultation_id = uuid.uuid4()
        await Consultation.insert(Consultation(
            tenant_id=self.tenant.id, id=consultation_id, vote_id=vote_id, title=request.title, description=request.description,
            category=request.category, opens_at=opens_at, closes_at=closes_at, created_at=now(),
        ))
        await self.meetings.audit("consultation.created", "consultation", consultation_id, {"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(), "category": request.category})
        return await self.get(consultation_id)

    async def _consultation(self, consultation_id: uuid.UUID) -> dict:
        row = await Consultation.select().where((Consultation.tenant_id == self.tenant.id) & (Consultation.id == consultation_id)).first()
        if row is None:
            raise NotFound(N_("No consultation of this organisation has this identifier."))
        return row

    async def get(self, consultation_id: uuid.UUID) -> dict:
        """The consultation with its vote's state; the counts stay hidden until it is closed."""
        consultation = await self._consultation(consultation_id)
        vote = await self.votes.get(consultation["vote_id"])
        closed = vote["status"] == "closed"
        consultation.update(
            status=vote["status"], eligible_count=vote["eligible_count"], ballots=vote["ballots"], certified_at=vote["certified_at"],
            chain_head=vote["chain_head"], counts=vote["counts"] if closed else None, votes_cast=vote["votes_cast"] if closed else None,
            window=vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]),
        )
        return consultation

    async def all(self) -> list[dict]:
        rows = await Consultation.select(Consultation.id).where(Consultation.tenant_id == self.tenant.id).order_by(Consultation.opens_at, ascending=False)
        return [await self.get(row["id"]) for row in rows]

    async def open(self, consultation_id: uuid.UUID) -> dict:
        consultation = await self._consultation(consultation_id)
        await self.votes.open(consultation["vote_id"])  # (ConsultationVote: not before its time; the invitations)
        return await self.get(consultation_id)

    async def of_vote(self, vote_id: uuid.UUID) -> dict:
        return await Consultation.select().where((Consultation.tenant_id == self.tenant.id) & (Consultation.vote_id == vote_id)).first()

    async def _invite(self, consultation: dict, eligible: set, members: list[dict]) -> int:
        """An invitation to every eligible member with an e-mail address, in their language."""
        sent = 0
        for member in members:
            if member["id"] not in eligible or not member["email"]:
                continue
            with i18n.using(language_of(member, self.tenant)):
                subject, text = gettext(N_("Consultation: %(title)s"), title=consultation["title"]), invitation_text(self.tenant, consultation, member)
            await mail.queue(self.tenant.id, to=member["email"], subject=subject, text=text, purpose=PURPOSE, object_id=consultation["id"])
            sent += 1
        return sent

    async def cast(self, consultation_id: uuid.UUID, choice: str) -> dict:
        consultation = await self._consultation(consultation_id)
        return await self.votes.cast(consultation["vote_id"], choice)  # the window: ConsultationVote

    async def close(self, consultation_id: uuid.UUID) -> dict:
        consultation = await self._consultation(consultation_id)
        await self.votes.close(consultation["vote_id"])  # (ConsultationVote: not before its time)
        return await self.get(consultation_id)

    async def certify(self, consultation_id: uuid.UUID) -> dict:
        consultation = await self._consultation(consultation_id)
        await self.votes.certify(consultation["vote_id"])
        return await self.get(consultation_id)


class ConsultationVote(VoteKind):
    """A consultation in the box: open from its opening time to its closing time, for the members
    in good standing (of its category, if any), each invited by e-mail when it opens."""

    async def voters(self, votes: Votes, vote: dict) -> list:
        consultations = Consultations(votes)
        consultation = await consultations.of_vote(vote["id"])
        if vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]) == "before":
            raise Conflict(N_("This consultation opens on %(date)s."), date=_when(votes.tenant, consultation["opens_at"]))
        members = await votes.meetings.register.all_in_order()
        return vote_rules.consultation_voters(
            (vote_rules.Member(m["id"], m["status"], m["category"], m["shares_paid"]) for m in members),
            category=consultation["category"], qualifying_shares=votes.tenant.qualifying_shares,
        )

    async def opened(self, votes: Votes, vote: dict, voters: list) -> dict:
        consultations = Consultations(votes)
        consultation = await consultations.of_vote(vote["id"])
        invited = await consultations._invite(consultation, {m.member_id for m in voters}, await votes.meetings.register.all_in_order())
        await Consultation.update({Consultation.invited: invited}).where((Consultation.tenant_id == votes.tenant.id) & (Consultation.id == consultation["id"]))
        return {"consultation": str(consultation["id"]), "invited": invited}

    async def closing(self, votes: Votes, vote: dict) -> None:
        consultation = await Consultations(votes).of_vote(vote["id"])
        if vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]) != "after":
            raise Conflict(N_("This consultation is open until %(date)s; it closes then."), date=_when(votes.tenant, consultation["closes_at"]))

    async def check_ballot(self, votes: Votes, vote: dict, choice: str) -> None:
        """A ballot counts only before the closing time."""
        await super().check_ballot(votes, vote, choice)
        consultation = await Consultations(votes).of_vote(vote["id"])
        if vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]) == "after":
            raise Conflict(N_("This consultation closed on %(date)s: the ballot was not counted."), date=_when(votes.tenant, consultation["closes_at"]))


def _when(tenant, moment) -> str:
    return i18n.format_datetime(moment, tenant.timezone, "short")


def invitation_text(tenant, consultation: dict, member: dict) -> str:
    """The invitation's text, in the current language."""
    return "\n".join([
        gettext(N_("Hello %(name)s,"), name=member["first_name"]), "",
        gettext(N_("%(organisation)s consults its members on an orientation, online, between meetings. The vote is advisory and secret."), organisation=tenant.name), "",
        consultation["title"], consultation["description"], "",
        gettext(N_("You may vote from %(opens)s to %(closes)s on the consultation's page: %(path)s"),
                opens=i18n.format_datetime(consultation["opens_at"], tenant.timezone, "short"), closes=i18n.format_datetime(consultation["closes_at"], tenant.timezone, "short"),
                path=f"/t/{tenant.slug}/consultations/{consultation['id']}"),
        "", gettext(N_("The secretary")),
    ])
