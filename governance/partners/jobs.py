"""The partner program's background work (backend.jobqueue), done every day for every tenant:
the coordinators reminded of the applications not called on time, and the profiles idle longer than
the tenant's policy allows anonymised (`solidaire partners …` does each by hand)."""

from __future__ import annotations

from backend import db, jobqueue
from governance.partners.anonymisation import anonymise_inactive
from governance.partners.services import remind_overdue


async def _remind_overdue(engine, tenant, payload: dict) -> dict[str, int]:
    async with db.tenant_transaction(engine, tenant.id, write=True):
        return {"overdue": await remind_overdue(tenant)}


async def _anonymise_inactive(engine, tenant, payload: dict) -> dict[str, list[int]]:
    async with db.tenant_transaction(engine, tenant.id, write=True):
        return {"anonymised": await anonymise_inactive(tenant)}


# Times in UTC: 13:00 and 07:00 are 8:00 and 2:00 in Montreal in winter (an hour later in summer),
# 15:00 and 9:00 in Helsinki.
TASKS = [
    jobqueue.Task("partners.remind_overdue", _remind_overdue, every="0 13 * * *"),
    jobqueue.Task("partners.anonymise_inactive", _anonymise_inactive, every="0 7 * * *"),
]
