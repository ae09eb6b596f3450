"""Billing's background work (backend.jobqueue): the issued documents' PDFs made and e-mailed after
the commit that issued them, and every day the reminders of overdue invoices (`solidaire invoices
mail` and `solidaire invoices remind` do each by hand)."""

from __future__ import annotations

import uuid

from backend import db, jobqueue
from backend.context import Context
from billing.collections import Collections
from billing.invoicing import MAIL_DOCUMENTS, mail_documents


async def _mail_documents(engine, tenant, payload: dict) -> dict[str, int]:
    return {"queued": await mail_documents(engine, tenant, [uuid.UUID(i) for i in payload["invoices"]])}


async def _send_reminders(engine, tenant, payload: dict) -> dict[str, int]:
    async with db.tenant_transaction(engine, tenant.id, write=True):
        return {"reminded": len(await Collections(Context(tenant)).send_reminders())}


# 14:00 UTC: 9:00 in Montreal in winter (10:00 in summer).
TASKS = [
    jobqueue.Task(MAIL_DOCUMENTS, _mail_documents),
    jobqueue.Task("billing.send_reminders", _send_reminders, every="0 14 * * *"),
]
