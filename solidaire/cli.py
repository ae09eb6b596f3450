"""The `solidaire` command line: the service (`serve`), the schema (`migrate`), the demo, the
outbox, and every domain's own commands (each domain's `cli.py`)."""

from __future__ import annotations

import sys

import click

from backend import db, domains, mail
from backend.cli import migrate, run_with_engine
from backend.settings import Settings
from tenants import demo as tenants_demo
from tenants import services as tenant_services


async def load_demo(engine) -> bool:
    """The demo tenants, then each domain's demo data, in one transaction, once: False, with
    nothing written, if the demo is already there."""
    async with db.transaction(engine, write=True):
        if not await tenants_demo.load(engine):
            return False
        for load in domains.demo_loaders():
            await load(engine)
    return True


@click.command(name="migrate", help="Apply the database migrations not yet applied.")
def migrate_command() -> None:
    applied = run_with_engine(migrate)
    click.echo("\n".join(f"applied {name}" for name in applied) or "the schema is up to date")


@click.command(name="demo", help="Load the demo tenants, once (nothing happens if they exist).")
def demo_command() -> None:
    async def work(engine, settings):
        await migrate(engine, settings)
        return await load_demo(engine)

    click.echo("demo tenants loaded" if run_with_engine(work) else "demo tenants were already there")


@click.command(name="serve", help="Migrate, load the demo once, print the URL and serve.")
@click.option("--host", default=None, help="Interface to listen on (default HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default PORT or 8000).")
@click.option("--demo/--no-demo", default=True, show_default=True, help="Load the demo tenants if absent.")
def serve_command(host: str | None, port: int | None, demo: bool) -> None:
    import uvicorn

    async def prepare(engine, settings):
        await migrate(engine, settings)
        if demo:
            await load_demo(engine)

    settings = Settings.from_env()
    run_with_engine(prepare)
    host, port = host or settings.host, port or settings.port
    if settings.smtp_url and not settings.public_url:
        click.echo(f"Warning: PUBLIC_URL is not set, so the links in e-mails (passwords, invoices) point to {settings.base_url}", err=True)
    click.echo(f"Solidaire is running at http://{host}:{port}/  (demo sign-in: see README.md; stop with Ctrl-C)")
    sys.stdout.flush()
    uvicorn.Server(uvicorn_config(settings, host, port)).run()


def uvicorn_config(settings: Settings, host: str, port: int, app: object = "solidaire.app:create_app"):
    """How `serve` runs uvicorn. uvicorn believes X-Forwarded-For from 127.0.0.1 unless told
    otherwise, so a client on the machine could pose as any address to the sign-in throttle: here it
    believes the proxies of FORWARDED_ALLOW_IPS only, and by default none."""
    import uvicorn

    trusted = settings.forwarded_allow_ips
    return uvicorn.Config(app, factory=True, host=host, port=port, log_level="warning", proxy_headers=bool(trusted), forwarded_allow_ips=trusted or "")


@click.group(name="mail", help="The e-mail outbox.")
def mail_group() -> None: ...


@mail_group.command(name="deliver", help="Send every tenant's waiting e-mails (new, or failed fewer than 5 times).")
def mail_deliver() -> None:
    async def work(engine, settings):
        if not settings.smtp_url:
            raise click.ClickException("SMTP_URL is not set: the messages stay in the outbox")
        mail.configure(engine, settings.smtp_url, settings.mail_from)
        return await mail.deliver_everywhere(tenant_services.tenant_ids)

    click.echo(f"{run_with_engine(work)} message(s) sent")


@click.group(name="solidaire", help="Solidaire's operator commands (the service itself: `solidaire serve`).")
def solidaire() -> None: ...


def main() -> None:
    # A plain group, not Litestar's: that one builds the whole application before any command runs.
    for command in (serve_command, migrate_command, demo_command, mail_group, *domains.cli_commands()):
        solidaire.add_command(command)
    solidaire(prog_name="solidaire")
