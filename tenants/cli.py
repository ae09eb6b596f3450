"""The operator's commands about organisations, their people and their member register:
`solidaire tenants`, `solidaire users`, `solidaire members`."""

from __future__ import annotations

from pathlib import Path

import click

from backend import db, domains
from backend.cli import run_with_engine
from backend.errors import Problem
from tenants import register_documents, services
from tenants.services import ImportRefused, MemberRegister


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


@tenants_group.command(name="create", help="Create a tenant.")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(["coop", "partner_program"]), default="coop", show_default=True)
@click.option("--locale", type=click.Choice(["fr_CA", "en_CA", "fi"]), default="fr_CA", show_default=True)
@click.option("--timezone", default="America/Montreal", show_default=True)
@click.option("--currency", default="CAD", show_default=True)
@click.option("--categories", default="user,worker,supporting", show_default=True, help="Member categories, comma-separated.")
def tenants_create(slug, name, kind, locale, timezone, currency, categories) -> None:
    async def work(engine, settings):
        try:
            async with db.transaction(engine, write=True):
                await services.create_tenant(slug=slug, name=name, kind=kind, locale=locale, timezone=timezone, currency=currency, member_categories=categories.split(","))
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
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(domains.roles()))
@click.option("--member-number", type=int, help="Link the login to this entry of the register (the member signs in to it).")
@click.option("--password", envvar="SOLIDAIRE_PASSWORD", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(email, full_name, slug, roles, member_number, password) -> None:
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


COMMANDS = [tenants_group, users_group, members_group]
