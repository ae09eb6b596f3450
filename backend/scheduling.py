"""What the server does on its own, at intervals: the mail retry (backend.mail) and each domain's
jobs for every tenant (`JOBS` in a domain's jobs.py; backend.domains). A failed round is logged
and the next one comes anyway; the operator's commands do the same from cron where no server runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from backend import domains

log = structlog.get_logger()


async def repeat(every_seconds: float, work: Callable[[], Awaitable[object]], name: str) -> None:
    """Runs `work` every `every_seconds`, until cancelled."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await work()
        except Exception:  # noqa: BLE001 - a failed round is logged and tried again next time
            log.exception(f"{name} round failed")


async def run_jobs(engine, tenants: Callable[[], Awaitable[list]]) -> None:
    """Every domain's jobs, for every tenant; what a job reports (if anything) is logged."""
    jobs = domains.jobs()
    for tenant in await tenants():
        for job in jobs:
            report = await job(engine, tenant)
            if report and any(report.values()):
                log.info("job done", job=job.__qualname__, tenant=tenant.slug, report=report)
