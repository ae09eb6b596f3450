"""The `solidaire` command line: the operator's commands, each domain adding its own.

Operator commands connect with MIGRATION_DATABASE_URL (the tables' owner, default DATABASE_URL);
the service itself connects with DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import click

from backend import db, domains, sealing
from backend.settings import Settings


def run_with_engine(work: Callable[..., Awaitable[object]]) -> object:
    """Runs `work(engine, settings)` against the owner's connection, pool opened and closed."""
    settings = Settings.from_env()
    sealing.configure(settings.secret_key)

    async def main() -> object:
        engine = db.make_engine(settings.migration_database_url)
        db.bind_tables(engine)
        await db.start(engine)
        try:
            return await work(engine, settings)
        finally:
            await db.stop(engine)

    return asyncio.run(main())


async def _migrate(engine, settings: Settings) -> list[str]:
    return await db.migrate(engine, app_role=settings.app_role)


async def tenant_named(slug: str):
    """The tenant a command works for; what the command writes (e-mails, PDFs, messages) is then
    in the tenant's language. (A command runs in `asyncio.run`'s own context, which ends with it.)"""
    from tenants.services import tenant_by_slug

    tenant = await tenant_by_slug(slug)
    if tenant is None:
        raise click.ClickException(f"no tenant has the slug {slug!r}")
    return tenant


async def load_demo(engine) -> bool:
    """The demo tenants, then each domain's demo data, in one transaction, once: False, with
    nothing written, if the demo is already there."""
    from tenants import demo

    async with db.transaction(engine, write=True):
        if not await demo.load(engine):
            return False
        for load in domains.demo_loaders():
            await load(engine)
    return True


@click.command(name="migrate", help="Apply the database migrations not yet applied.")
def migrate_command() -> None:
    applied = run_with_engine(_migrate)
    click.echo("\n".join(f"applied {name}" for name in applied) or "the schema is up to date")


@click.command(name="demo", help="Load the demo tenants, once (nothing happens if they exist).")
def demo_command() -> None:
    async def work(engine, settings):
        await _migrate(engine, settings)
        return await load_demo(engine)

    click.echo("demo tenants loaded" if run_with_engine(work) else "demo tenants were already there")


@click.command(name="serve", help="Migrate, load the demo once, print the URL and serve.")
@click.option("--host", default=None, help="Interface to listen on (default HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default PORT or 8000).")
@click.option("--demo/--no-demo", default=True, show_default=True, help="Load the demo tenants if absent.")
def serve_command(host: str | None, port: int | None, demo: bool) -> None:
    import uvicorn

    async def prepare(engine, settings):
        await _migrate(engine, settings)
        if demo:
            await load_demo(engine)

    settings = Settings.from_env()
    run_with_engine(prepare)
    host, port = host or settings.host, port or settings.port
    if settings.smtp_url and not settings.public_url:
        click.echo(f"Warning: PUBLIC_URL is not set, so the links in e-mails (passwords, invoices) point to {settings.base_url}", err=True)
    click.echo(f"Solidaire is running at http://{host}:{port}/  (demo sign-in: see README.md; stop with Ctrl-C)")
    sys.stdout.flush()
    uvicorn.run("backend.app:create_app", factory=True, host=host, port=port, log_level="warning")


@click.group(name="tenants", help="Organisations served by this installation.")
def tenants_group() -> None: ...


@tenants_group.command(name="list", help="List the tenants.")
def tenants_list() -> None:
    from tenants.services import list_tenants

    async def work(engine, settings):
        for tenant in await list_tenants():
            click.echo(f"{tenant.slug}\t{tenant.kind}\t{tenant.locale}\t{tenant.timezone}\t{tenant.currency}\t{tenant.name}")

    run_with_engine(work)


@tenants_group.command(name="create", help="Create a tenant.")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(["coop", "partner_program"]), default="coop", show_default=True)
@click.option("--locale", type=click.Choice(["fr_CA", "en_CA", "fi"]), default="fr_CA", show_default=True)
@click.option("--timezone", default="America/Montreal", show_default=True)
@click.option("--currency", default="CAD", show_default=True)
@click.option("--categories", default="user,worker,supporting", show_default=True, help="Member categories, comma-separated.")
def tenants_create(slug, name, kind, locale, timezone, currency, categories) -> None:
    from tenants.services import create_tenant

    async def work(engine, settings):
        try:
            async with db.transaction(engine, write=True):
                await create_tenant(slug=slug, name=name, kind=kind, locale=locale, timezone=timezone, currency=currency, member_categories=categories.split(","))
        except (ValueError, KeyError) as error:
            raise click.ClickException(str(error)) from error

    run_with_engine(work)
    click.echo(f"created tenant {slug}")


@click.group(name="users", help="People who sign in.")
def users_group() -> None: ...


@users_group.command(name="create", help="Create a login (or reuse it) and give it roles in a tenant.")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--tenant", "slug", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(["administrator", "secretary", "treasurer", "member", "clinician", "partner_coordinator", "partner"]))
@click.option("--member-number", type=int, help="Link the login to this entry of the register (the member signs in to it).")
@click.option("--password", envvar="SOLIDAIRE_PASSWORD", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(email, full_name, slug, roles, member_number, password) -> None:
    from backend.errors import Problem
    from tenants import services

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            user = await services.user_by_email(email)
            user_id = user["id"] if user else await services.create_user(email, full_name, password)
            for role in roles:
                await services.grant_role(tenant, user_id, role)
            if member_number is not None:
                try:
                    await services.MemberRegister(tenant, None).link_login(member_number, user_id)
                except Problem as problem:
                    raise click.ClickException(problem.detail) from problem

    run_with_engine(work)
    linked = f", linked to member no. {member_number}" if member_number is not None else ""
    click.echo(f"{email} holds {', '.join(roles)} in {slug}{linked}")


@click.group(name="members", help="The member register of a tenant.")
def members_group() -> None: ...


@members_group.command(name="import", help="Import members from a CSV file (all rows or none).")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "slug", required=True)
@click.option("--dry-run", is_flag=True, help="Check every row, import nothing.")
def members_import(csv_file: Path, slug: str, dry_run: bool) -> None:
    from backend.errors import Problem
    from tenants import register_documents
    from tenants.services import ImportRefused, MemberRegister

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            try:
                return await MemberRegister(tenant, None).import_csv(register_documents.decode_csv(csv_file.read_bytes()), dry_run=dry_run)
            except ImportRefused as refusal:
                for error in refusal.report.errors:
                    click.echo(f"line {error.line}: {error.field}: {error.message}", err=True)
                raise click.ClickException(f"{len(refusal.report.errors)} error(s) in {refusal.report.rows} rows; nothing imported") from refusal
            except Problem as problem:
                raise click.ClickException(problem.detail) from problem

    report = run_with_engine(work)
    click.echo(f"{report.rows} rows checked, nothing imported (dry run)" if dry_run else f"{report.imported} members imported")


@members_group.command(name="export", help="Export the register as CSV or PDF.")
@click.option("--tenant", "slug", required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "pdf"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard output for CSV).")
def members_export(slug: str, fmt: str, output: Path | None) -> None:
    from tenants import register_documents
    from tenants.services import MemberRegister

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=False):
            members = await MemberRegister(tenant, None).all_in_order()
        if fmt == "csv":
            return register_documents.register_csv(members).encode()
        return await register_documents.register_pdf(tenant, members, tenant.today())

    document = run_with_engine(work)
    if output:
        output.write_bytes(document)
        click.echo(f"wrote {output}")
    elif fmt == "pdf":
        raise click.ClickException("a PDF needs --output")
    else:
        click.echo(document.decode(), nl=False)


@click.group(name="mail", help="The e-mail outbox.")
def mail_group() -> None: ...


@mail_group.command(name="deliver", help="Send every tenant's waiting e-mails (new, or failed fewer than 5 times).")
def mail_deliver() -> None:
    from backend import mail
    from tenants.services import tenant_ids

    async def work(engine, settings):
        if not settings.smtp_url:
            raise click.ClickException("SMTP_URL is not set: the messages stay in the outbox")
        mail.configure(engine, settings.smtp_url, settings.mail_from)
        return await mail.deliver_everywhere(tenant_ids)

    click.echo(f"{run_with_engine(work)} message(s) sent")


@click.group(name="solidaire", help="Solidaire's operator commands (the service itself: `solidaire serve`).")
def solidaire() -> None: ...


def main() -> None:
    # A plain group, not Litestar's: that one builds the whole application before any command runs.
    for command in (serve_command, migrate_command, demo_command, tenants_group, users_group, members_group, mail_group, *domains.cli_commands()):
        solidaire.add_command(command)
    solidaire(prog_name="solidaire")
