"""`solidaire invoices …`: the monthly run and the check of the hash chain, for the operator."""

from __future__ import annotations

import click
import msgspec

from backend import db
from backend.cli import run_with_engine
from backend.context import Context
from backend.errors import Problem
from billing import invoicing
from billing.collections import Collections
from billing.invoicing import Invoicing
from billing.schemas import InvoiceRunIn
from tenants.cli import tenant_named


@click.group(name="invoices", help="Room-hour invoices of a tenant.")
def invoices_group() -> None: ...


def _month(month: str) -> str:
    try:
        return msgspec.convert({"month": month}, InvoiceRunIn).month
    except msgspec.ValidationError as error:
        raise click.BadParameter("write the month as YYYY-MM", param_hint="--month") from error


@invoices_group.command(name="run", help="Make the month's drafts, one per clinician (the treasurer issues them).")
@click.option("--tenant", "slug", required=True)
@click.option("--month", required=True, help="The month, as YYYY-MM.")
def run_command(slug: str, month: str) -> None:
    month = _month(month)

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        with click.progressbar(length=1, label=f"{slug} {month}", file=click.get_text_stream("stderr")) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            async with db.tenant_transaction(engine, tenant.id, write=True):
                try:
                    return await Invoicing(Context(tenant)).run_month(month, progress)
                except Problem as problem:
                    raise click.ClickException(problem.body()["detail"]) from problem

    report = run_with_engine(work)
    for item in report["unpriced"]:
        click.echo(f"no rate: {item}", err=True)
    click.echo(f"{report['drafts']} drafts for {month}, {report['total_cents'] / 100:.2f} in all")


@invoices_group.command(name="issue", help="Issue every draft of a month, in batches, and e-mail each invoice with its PDF.")
@click.option("--tenant", "slug", required=True)
@click.option("--month", required=True, help="The month, as YYYY-MM.")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 1000), help="Invoices numbered per transaction.")
def issue_command(slug: str, month: str, batch: int) -> None:
    month = _month(month)

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        with click.progressbar(length=1, label=f"{slug} {month}", file=click.get_text_stream("stderr")) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            try:
                return await invoicing.issue_month(engine, tenant, None, month, batch=batch, progress=progress)
            except Problem as problem:
                raise click.ClickException(problem.body()["detail"]) from problem

    report = run_with_engine(work)
    click.echo(f"{report['issued']} invoices of {month} issued, {report['mailed']} e-mailed")


@invoices_group.command(name="mail", help="Queue the e-mail (with its PDF) of every document of a month not yet e-mailed (after an interruption).")
@click.option("--tenant", "slug", required=True)
@click.option("--month", required=True, help="The month, as YYYY-MM.")
def mail_command(slug: str, month: str) -> None:
    month = _month(month)

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=False):
            ids = [row["id"] for row in await Invoicing(Context(tenant)).invoices(month=month, status="issued")]
        return await invoicing.mail_documents(engine, tenant, ids)

    click.echo(f"{run_with_engine(work)} documents of {month} e-mailed")


@invoices_group.command(name="verify", help="Check the hash chain and numbering of issued documents; fails on any change.")
@click.option("--tenant", "slug", required=True)
def verify_command(slug: str) -> None:
    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=False):
            return await Invoicing(Context(tenant)).verify_chain()

    problems = run_with_engine(work)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"the chain of issued documents is broken ({len(problems)} problem(s))")
    click.echo("the chain of issued documents is intact")


@invoices_group.command(name="remind", help="E-mail the reminders of overdue invoices due today (the tenant's delays; each reminder once).")
@click.option("--tenant", "slug", required=True)
def remind_command(slug: str) -> None:
    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            return await Collections(Context(tenant)).send_reminders()

    sent = run_with_engine(work)
    for reminder in sent:
        click.echo(f"{reminder['number']}: {reminder['days']} days past due, reminder sent to {reminder['sent_to']}")
    click.echo(f"{len(sent)} reminders sent")


@invoices_group.command(name="dues", help="Make the year's dues drafts, one per active member whose category pays dues; with --issue, issue them and e-mail each with its PDF.")
@click.option("--tenant", "slug", required=True)
@click.option("--year", required=True, type=click.IntRange(2000, 2999))
@click.option("--issue", "issue_too", is_flag=True, help="Also issue the drafts (and e-mail them; members without an address are listed).")
def dues_command(slug: str, year: int, issue_too: bool) -> None:
    from billing.dues import Dues, issue_dues_cli

    async def work(engine, settings):
        tenant = await tenant_named(slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            try:
                report = await Dues(Context(tenant)).run_dues(year)
            except Problem as problem:
                raise click.ClickException(problem.body()["detail"]) from problem
        to_post = []
        if issue_too:
            report.update(await issue_dues_cli(engine, tenant, year))
            async with db.tenant_transaction(engine, tenant.id, write=False):
                to_post = await Dues(Context(tenant)).member_documents(year=year, to_post=True)
        return report, to_post

    report, to_post = run_with_engine(work)
    click.echo(f"{report['drafts']} dues drafts for {year}, {report['total_cents'] / 100:.2f} in all; {report['already_issued']} already issued, {report['without_dues']} in a category without dues")
    if issue_too:
        click.echo(f"{report['issued']} issued, {report['mailed']} e-mailed, {len(to_post)} to send by post")
        for document in to_post:
            click.echo(f"by post: {document['number']} {document['name']}, {document['address'].replace(chr(10), ', ')}")


COMMANDS = [invoices_group]
