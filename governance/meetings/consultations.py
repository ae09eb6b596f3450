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

from backend import db, i18n, mail
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_, gettext
from governance.meetings import vote_rules
from governance.meetings.notice import language_of
from governance.meetings.schemas import ConsultationIn
from governance.meetings.services import CHUNK, Governance
from governance.meetings.tables import Consultation, Vote, VoteEligibility

PURPOSE = "consultation_invitation"


class Consultations:
    """The consultations of one tenant, as handled by one person (the governance's actor)."""

    def __init__(self, governance: Governance):
        self.governance = governance
        self.tenant = governance.tenant

    async def create(self, request: ConsultationIn) -> dict:
        governance = self.governance
        opens_at, closes_at = governance._utc(request.opens_at, "opens_at"), governance._utc(request.closes_at, "closes_at")
        if closes_at <= opens_at:
            raise Invalid(N_("A consultation closes after it opens."), errors=[FieldError("closes_at", N_("Choose a time after the opening."))])
        if closes_at <= now():
            raise Invalid(N_("A consultation closes in the future."), errors=[FieldError("closes_at", N_("Choose a time in the future."))])
        if request.category is not None and request.category not in self.tenant.member_categories:
            raise Invalid(N_("This organisation has no such member category."), errors=[FieldError("category", N_("Choose a category of this organisation."))])
        vote_id, consultation_id, moment = uuid.uuid4(), uuid.uuid4(), now()
        await Vote.insert(Vote(
            tenant_id=self.tenant.id, id=vote_id, meeting_id=None, motion_id=None, question=request.title, secret=True,
            majority="majority", category=request.category, status="draft", created_at=moment, kind="consultation",
        ))
        await Consultation.insert(Consultation(
            tenant_id=self.tenant.id, id=consultation_id, vote_id=vote_id, title=request.title, description=request.description,
            category=request.category, opens_at=opens_at, closes_at=closes_at, created_at=moment,
        ))
        await governance._record("consultation.created", "consultation", consultation_id, {"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(), "category": request.category})
        return await self.get(consultation_id)

    async def _consultation(self, consultation_id: uuid.UUID) -> dict:
        row = await Consultation.select().where((Consultation.tenant_id == self.tenant.id) & (Consultation.id == consultation_id)).first()
        if row is None:
            raise NotFound(N_("No consultation of this organisation has this identifier."))
        return row

    async def get(self, consultation_id: uuid.UUID) -> dict:
        """The consultation with its vote's state; the counts stay hidden until it is closed."""
        consultation = await self._consultation(consultation_id)
        vote = await self.governance.vote(consultation["vote_id"])
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
        vote_id = consultation["vote_id"]
        if vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]) == "before":
            raise Conflict(N_("This consultation opens on %(date)s."), date=i18n.format_datetime(consultation["opens_at"], self.tenant.timezone, "short"))
        opened = await Vote.raw(
            "UPDATE vote SET status = 'open', opened_at = {} WHERE tenant_id = {} AND id = {} AND status = 'draft' RETURNING id", now(), self.tenant.id, vote_id,
        )
        if not opened:
            raise Conflict(N_("This consultation was already opened."))
        members = await self.governance.register.all_in_order()
        chosen = vote_rules.consultation_voters(
            (vote_rules.Member(m["id"], m["status"], m["category"], m["shares_paid"]) for m in members),
            category=consultation["category"], qualifying_shares=self.tenant.qualifying_shares,
        )
        if not chosen:
            raise Conflict(N_("No member is eligible for this consultation."))
        for start in range(0, len(chosen), CHUNK):
            await VoteEligibility.insert(*(
                VoteEligibility(tenant_id=self.tenant.id, id=uuid.uuid4(), vote_id=vote_id, member_id=m.member_id, category=m.category)
                for m in chosen[start:start + CHUNK]
            ))
        await Vote.update({Vote.eligible_count: len(chosen)}).where((Vote.tenant_id == self.tenant.id) & (Vote.id == vote_id))
        invited = await self._invite(consultation, {m.member_id for m in chosen}, members)
        await Consultation.update({Consultation.invited: invited}).where((Consultation.tenant_id == self.tenant.id) & (Consultation.id == consultation_id))
        await self.governance._record("vote.opened", "vote", vote_id, {"eligible": len(chosen), "consultation": str(consultation_id), "invited": invited})
        return await self.get(consultation_id)

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
        return await self.governance.cast(consultation["vote_id"], choice)  # the window: check_still_open

    async def close(self, consultation_id: uuid.UUID) -> dict:
        consultation = await self._consultation(consultation_id)
        if vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]) != "after":
            raise Conflict(N_("This consultation is open until %(date)s; it closes then."), date=i18n.format_datetime(consultation["closes_at"], self.tenant.timezone, "short"))
        await self.governance.close_vote(consultation["vote_id"], consultation=True)
        return await self.get(consultation_id)

    async def certify(self, consultation_id: uuid.UUID) -> dict:
        consultation = await self._consultation(consultation_id)
        await self.governance.certify(consultation["vote_id"])
        return await self.get(consultation_id)


async def advance(engine, tenant) -> dict[str, list[str]]:
    """Opens the tenant's consultations whose opening time has come and closes those whose closing
    time has passed, each in its own transaction: the server's job (jobs.py) and `solidaire votes
    advance` do on time what the secretary may do by hand. A refusal (nobody eligible) is
    reported and changes nothing; the invitations wait in the outbox (the mail retry sends them)."""
    async with db.tenant_transaction(engine, tenant.id, write=False):
        rows = await Consultation.select(Consultation.id, Consultation.title, Consultation.vote_id, Consultation.opens_at, Consultation.closes_at).where(
            Consultation.tenant_id == tenant.id
        )
        status = {v["id"]: v["status"] for v in await Vote.select(Vote.id, Vote.status).where((Vote.tenant_id == tenant.id) & (Vote.kind == "consultation"))}
    report: dict[str, list[str]] = {"opened": [], "closed": [], "refused": []}
    for row in rows:
        step = vote_rules.consultation_step(status[row["vote_id"]], vote_rules.window(now(), row["opens_at"], row["closes_at"]))
        if step is None:
            continue
        try:
            async with db.tenant_transaction(engine, tenant.id, write=True):
                consultations = Consultations(Governance(tenant, None))
                await (consultations.open(row["id"]) if step == "open" else consultations.close(row["id"]))
            report["opened" if step == "open" else "closed"].append(row["title"])
        except Problem as refused:
            report["refused"].append(f"{row['title']}: {refused.detail}")
    return report


async def check_still_open(governance: Governance, vote_id: uuid.UUID) -> None:
    """A ballot of a consultation counts only before its closing time (called by record_ballot)."""
    consultation = await Consultation.select().where((Consultation.tenant_id == governance.tenant.id) & (Consultation.vote_id == vote_id)).first()
    if consultation and vote_rules.window(now(), consultation["opens_at"], consultation["closes_at"]) == "after":
        raise Conflict(N_("This consultation closed on %(date)s: the ballot was not counted."), date=i18n.format_datetime(consultation["closes_at"], governance.tenant.timezone, "short"))


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
