"""`solidaire partners …`: the partner program's daily jobs, by hand (the job queue runs them every day)."""

from __future__ import annotations

import click

from backend import db
from backend.cli import run_with_engine
from tenants.cli import tenant_named


@click.group(name="partners", help="The partner program's scheduled jobs.")
def partners_group() -> None: ...


@partners_group.command(name="remind-overdue", help="E-mail the coordinators the applications not called within the deadline.")
@click.option("--tenant", "slug", required=True, help="The organisation.")
def remind_overdue_command(slug: str) -> None:
    from governance.partners.services import remind_overdue

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            return await remind_overdue(tenant)

    late = run_with_engine(work)
    click.echo(f"{late} overdue application(s); reminder queued (`solidaire mail deliver` sends it)" if late else "no overdue application")


@partners_group.command(name="anonymise-inactive", help="Anonymise the profiles of partners inactive longer than the tenant's period.")
@click.option("--tenant", "slug", required=True, help="The organisation.")
def anonymise_inactive_command(slug: str) -> None:
    from governance.partners.anonymisation import anonymise_inactive

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            return await anonymise_inactive(tenant)

    numbers = run_with_engine(work)
    click.echo(f"anonymised {len(numbers)} profile(s): " + ", ".join(f"#{n}" for n in numbers) if numbers else "no profile to anonymise")


COMMANDS = [partners_group]
