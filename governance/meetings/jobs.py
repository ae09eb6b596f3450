"""The meetings' background work (backend.jobqueue): consultations opened and closed on time,
checked every minute for every tenant (`solidaire votes advance` does the same by hand)."""

from __future__ import annotations

from backend import db, jobqueue
from backend.clock import now
from backend.context import Context
from backend.errors import Problem
from governance.meetings import vote_rules
from governance.meetings.consultations import Consultations
from governance.meetings.kinds import votes_for
from governance.meetings.services import Meetings
from governance.meetings.tables import Consultation, Vote


async def advance(engine, tenant, payload: dict | None = None) -> dict[str, list[str]]:
    """Opens the tenant's consultations whose opening time has come and closes those whose closing
    time has passed, each in its own transaction, doing on time what the secretary may do by hand.
    A refusal (nobody eligible) is reported and changes nothing; the invitations wait in the outbox
    (the mail retry sends them)."""
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
                consultations = Consultations(votes_for(Meetings(Context(tenant))))
                await (consultations.open(row["id"]) if step == "open" else consultations.close(row["id"]))
            report["opened" if step == "open" else "closed"].append(row["title"])
        except Problem as refused:
            report["refused"].append(f"{row['title']}: {refused.detail}")
    return report


TASKS = [jobqueue.Task("meetings.advance", advance, every="* * * * *")]
