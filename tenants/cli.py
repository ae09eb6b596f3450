"""The operator's commands about organisations and their people: `solidaire tenants`, `solidaire users`,
and their audit log: `solidaire audit verify`."""

from __future__ import annotations

import re

import click

from backend import db, domains
from backend.cli import run_with_engine
from tenants import passwords, services
from tenants.schemas import EMAIL


async def tenant_named(slug: str):
    """The tenant a command works for; what the command writes (e-mails, PDFs, messages) is then
    in the tenant's language. (A command runs in `asyncio.run`'s own context, which ends with it.)"""
    tenant = await services.tenant_by_slug(slug)
    if tenant is None:
        raise click.ClickException(f"no tenant has the slug {slug!r}")
    return tenant


@click.group(name="tenants", help="Organisations served by this installation.")
def tenants_group() -> None: ...


@tenants_group.command(name="list", help="List the tenants.")
def tenants_list() -> None:
    async def work(engine, settings):
        for tenant in await services.list_tenants():
            click.echo(f"{tenant.slug}\t{tenant.kind}\t{tenant.locale}\t{tenant.timezone}\t{tenant.currency}\t{tenant.name}")

    run_with_engine(work)


@tenants_group.command(name="create", help="Create a tenant, and invite its first administrator (--admin-email): they set everything else up in the pages.")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(["coop", "partner_program"]), default="coop", show_default=True)
@click.option("--locale", type=click.Choice(["fr_CA", "en_CA", "fi"]), default="fr_CA", show_default=True)
@click.option("--timezone", default="America/Montreal", show_default=True)
@click.option("--currency", default="CAD", show_default=True)
@click.option("--categories", default="user,worker,supporting", show_default=True, help="Member categories, comma-separated.")
@click.option("--admin-email", default=None, help="The first administrator, e-mailed an invitation to choose a password (PUBLIC_URL's link).")
@click.option("--admin-name", default=None, help="The first administrator's name (default: the address).")
def tenants_create(slug, name, kind, locale, timezone, currency, categories, admin_email, admin_name) -> None:
    if admin_email and not re.fullmatch(EMAIL, admin_email):
        raise click.BadParameter(f"{admin_email!r} is not an e-mail address", param_hint="--admin-email")

    async def work(engine, settings):
        try:
            async with db.transaction(engine, write=True):
                tenant = await services.create_tenant(slug=slug, name=name, kind=kind, locale=locale, timezone=timezone, currency=currency, member_categories=categories.split(","))
                if admin_email:
                    await passwords.invite(tenant, None, admin_email, admin_name or admin_email, frozenset({"administrator"}), settings.base_url)
        except (ValueError, KeyError) as error:
            raise click.ClickException(str(error)) from error

    run_with_engine(work)
    click.echo(f"created tenant {slug}")
    if admin_email:
        click.echo(f"{admin_email} is invited as its administrator: the e-mail waits in the outbox until the server sends it")


@click.group(name="users", help="People who sign in.")
def users_group() -> None: ...


@users_group.command(name="create", help="Create a login (or reuse it) and give it roles in a tenant.")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--tenant", "slug", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(domains.roles()))
@click.option("--password", envvar="SOLIDAIRE_PASSWORD", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(email, full_name, slug, roles, password) -> None:
    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            user = await services.user_by_email(email)
            user_id = user["id"] if user else await services.create_user(email, full_name, password)
            for role in roles:
                await services.grant_role(tenant, user_id, role)

    run_with_engine(work)
    click.echo(f"{email} holds {', '.join(roles)} in {slug} (`solidaire members link` links a member's login to their entry)")


@click.group(name="audit", help="The audit log.")
def audit_group() -> None: ...


@audit_group.command(name="verify", help="Recompute a tenant's audit chain; exit non-zero naming the first broken row.")
@click.option("--tenant", "slug", required=True)
def audit_verify(slug) -> None:
    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=False):
            return await services.verify_audit_chain(tenant)

    report = run_with_engine(work)
    if report.broken is not None:
        row = f" (id {report.broken.row_id})" if report.broken.row_id else ""
        raise click.ClickException(f"the audit chain of {slug} is broken at row {report.broken.position}{row}: {report.broken.reason}")
    click.echo(f"the audit chain of {slug} holds: {report.chained} rows, head {report.head}; {report.unchained} rows from before the chain, not covered")


COMMANDS = [tenants_group, users_group, audit_group]
