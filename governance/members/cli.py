"""The operator's commands about the member register: `solidaire members import|export|link`."""

from __future__ import annotations

from pathlib import Path

import click

from backend import db
from backend.cli import run_with_engine
from backend.context import Context
from backend.errors import Problem
from governance.members import documents
from governance.members.services import ImportRefused, MemberRegister
from tenants import services
from tenants.cli import tenant_named


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
                return await MemberRegister(Context(tenant)).import_csv(documents.decode_csv(csv_file.read_bytes()), dry_run=dry_run)
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
            members = await MemberRegister(Context(tenant)).all_in_order()
        if fmt == "csv":
            return documents.register_csv(members).encode()
        return await documents.register_pdf(tenant, members, tenant.today())

    document = run_with_engine(work)
    if output:
        output.write_bytes(document)
        click.echo(f"wrote {output}")
    elif fmt == "pdf":
        raise click.ClickException("a PDF needs --output")
    else:
        click.echo(document.decode(), nl=False)


@members_group.command(name="link", help="Link a login to a member's entry: the member then signs in to it (votes, profile).")
@click.option("--tenant", "slug", required=True)
@click.option("--number", type=int, required=True, help="The member's number in the register.")
@click.option("--email", required=True, help="The login's e-mail address (`solidaire users create` makes it).")
def members_link(slug: str, number: int, email: str) -> None:
    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            user = await services.user_by_email(email)
            if user is None:
                raise click.ClickException(f"no login has the e-mail address {email}")
            try:
                await MemberRegister(Context(tenant)).link_login(number, user["id"])
            except Problem as problem:
                raise click.ClickException(problem.detail) from problem

    run_with_engine(work)
    click.echo(f"{email} is linked to member no. {number} in {slug}")


COMMANDS = [members_group]
