"""The `solidaire` command line: the service (`serve`), the schema (`migrate`), the demo, the
outbox, and every domain's own commands (each domain's `cli.py`)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import click

from backend import db, domains, mail, pdf
from backend.citus import citus_group
from backend.cli import migrate, run_with_engine
from backend.settings import Settings
from solidaire.app import configure_process, queue_worker
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
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Server processes (default: the machine's cores on PostgreSQL, 1 on SQLite).")
def serve_command(host: str | None, port: int | None, demo: bool, workers: int | None) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    async def prepare(engine, settings):
        await migrate(engine, settings)
        if demo:
            await load_demo(engine)

    settings = Settings.from_env()
    workers = server_processes(settings, workers)
    run_with_engine(prepare)
    host, port = host or settings.host, port or settings.port
    if settings.smtp_url and not settings.public_url:
        click.echo(f"Warning: PUBLIC_URL is not set, so the links in e-mails (passwords, invoices) point to {settings.base_url}", err=True)
    click.echo(f"Solidaire is running at http://{host}:{port}/  (demo sign-in: see README.md; stop with Ctrl-C)")
    sys.stdout.flush()
    config = uvicorn_config(settings, host, port, workers=workers)
    server = uvicorn.Server(config)
    if workers == 1:
        server.run()
    else:  # as `uvicorn --workers`: one socket, the processes restarted if one dies
        Multiprocess(config, sockets=[config.bind_socket()]).run()


def server_processes(settings: Settings, asked: int | None) -> int:
    """How many server processes `serve` runs. SQLite is one process's database: its job queue
    lives in that process, and its throttle counts in that process's memory."""
    if not settings.database_url.startswith("sqlite"):
        return asked or os.cpu_count() or 1
    if asked and asked > 1:
        raise click.UsageError("SQLite serves one process: set DATABASE_URL to a PostgreSQL database to run several workers.")
    return 1


def uvicorn_config(settings: Settings, host: str, port: int, app: object = "solidaire.app:create_app", *, workers: int = 1):
    """How `serve` runs uvicorn. uvicorn believes X-Forwarded-For from 127.0.0.1 unless told
    otherwise, so a client on the machine could pose as any address to the sign-in throttle: here it
    believes the proxies of FORWARDED_ALLOW_IPS only, and by default none. On SIGTERM it stops
    taking connections, gives the requests in flight up to 30 s, then the shutdown waits for the
    jobs under way."""
    import uvicorn

    trusted = settings.forwarded_allow_ips
    return uvicorn.Config(
        app, factory=True, host=host, port=port, workers=workers, log_level="warning",
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or "", timeout_graceful_shutdown=30,
    )


@click.command(name="worker", help="Run the job queue (e-mail, PDFs, periodic work) until stopped; PostgreSQL only.")
@click.option("--periodic/--no-periodic", default=None, help="Also queue the periodic work when due (default PERIODIC_JOBS).")
def worker_command(periodic: bool | None) -> None:
    settings = Settings.from_env()
    if settings.database_url.startswith("sqlite"):
        raise click.UsageError("On SQLite the queue runs inside `solidaire serve`: a worker needs DATABASE_URL on PostgreSQL.")
    click.echo("Solidaire's job queue is running (stop with Ctrl-C or SIGTERM: the jobs under way finish first)")
    sys.stdout.flush()
    asyncio.run(run_worker(settings, settings.periodic_jobs if periodic is None else periodic))


async def run_worker(settings: Settings, periodic: bool) -> None:
    """One queue worker with the service's own connection, until SIGTERM or SIGINT."""
    engine = db.make_engine(settings.database_url)
    configure_process(settings, engine)
    worker = queue_worker(engine, settings, periodic=periodic)
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop_signal, worker.stop)
    await db.start(engine, pool_size=settings.database_pool_size)
    try:
        await worker.run()
    finally:
        await db.drain_after_commit()
        await db.stop(engine)
        pdf.shutdown()


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
    for command in (serve_command, worker_command, migrate_command, demo_command, mail_group, citus_group, *domains.cli_commands()):
        solidaire.add_command(command)
    solidaire(prog_name="solidaire")
