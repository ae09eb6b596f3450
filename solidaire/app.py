"""The application factory: mounts the domain packages on the shared plumbing, and gives the
plumbing what it needs from the tenants package (who a tenant is, who is signed in, which
tenants the background jobs go through)."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg
import structlog
from litestar import Litestar, Request, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from piccolo.engine.base import Engine

from backend import db, domains, jobqueue, mail, pdf, sealing, web
from backend.auth import AuthenticationMiddleware
from backend.bodies import JSONRequest
from backend.errors import EXCEPTION_HANDLERS
from backend.settings import Settings
from backend.tenancy import TenantTransactionMiddleware
from backend.throttle import SignInThrottle, attempts_for
from tenants import services as tenant_services

# Where a password is tried or a password e-mail can be triggered: throttled per client address
# and per account tried.
SIGN_IN_PATHS = ("/login", "/auth/token", "/password", "/password/forgot", "/auth/password", "/auth/password-link")


# The version of a tenant's row (tenancy.py keeps the tenants found while it stays the same): any
# change to the row gives it another xmin; a deleted tenant has none.
TENANT_VERSION = "(SELECT xmin::text FROM tenant WHERE id = {})"


def is_sign_in(request: Request) -> bool:
    return request.method == "POST" and request.url.path.endswith(SIGN_IN_PATHS)


def secure_cookies(response: Response) -> Response:
    """With COOKIE_SECURE, every cookie the service sets is sent over HTTPS only (the language
    cookie lacked the flag)."""
    for cookie in getattr(response, "cookies", ()):  # a static file's ASGI response sets none
        cookie.secure = True
    return response


@get("/healthz", include_in_schema=False, sync_to_thread=False)
def health() -> dict[str, str]:
    """The process is up (a liveness probe)."""
    return {"status": "ok"}


# What a database that does not answer raises: it cannot connect, or it refuses.
DATABASE_DOWN = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, sqlite3.Error)


async def readiness(engine: Engine) -> tuple[int, dict]:
    """Whether a process on this database can serve: it answers, and has every migration of this
    version (a new version's processes wait for `solidaire migrate`)."""
    try:
        async with asyncio.timeout(5):
            missing = await db.unapplied_migrations(engine)
    except DATABASE_DOWN as error:
        return 503, {"status": "unavailable", "reason": f"the database does not answer ({type(error).__name__})"}
    if missing:
        return 503, {"status": "unavailable", "reason": "migrations not applied: run `solidaire migrate`", "missing": missing}
    return 200, {"status": "ready"}


@get("/readyz", include_in_schema=False)
async def ready(state: State) -> Response:
    """The readiness probe: a load balancer sends the process requests only while it answers 200."""
    status, body = await readiness(state.engine)
    return Response(body, status_code=status)


def queue_worker(engine: Engine, settings: Settings, *, periodic: bool) -> jobqueue.Worker:
    """The job queue's worker with every task of the plumbing and the domains (`solidaire worker`
    runs one on its own; each server process runs one unless told otherwise)."""
    tasks = [*mail.tasks(settings.mail_retry_every), *domains.tasks()]
    return jobqueue.Worker(engine, tasks, tenant_services.list_tenants, tenant_services.tenant_by_id, periodic=periodic, stalled_after=settings.stalled_job_seconds)


class QueueRunner:
    """A server process's worker, run beside the requests from start-up to shutdown."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.worker = queue_worker(engine, settings, periodic=settings.periodic_jobs)
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.worker.run())

    async def stop(self) -> None:
        self.worker.stop()
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


def configure_process(settings: Settings, engine: Engine) -> None:
    """What a server or a worker process sets up before its first request or job."""
    db.bind_tables(engine)
    mail.configure(engine, settings.smtp_url, settings.mail_from)
    sealing.configure(settings.secret_key)
    jobqueue.configure(engine)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    engine = engine or db.make_engine(settings.database_url)
    configure_process(settings, engine)
    queue = QueueRunner(engine, settings) if settings.queue_in_server or not db.is_postgres(engine) else None

    async def on_startup() -> None:
        await db.start(engine, pool_size=settings.database_pool_size)
        if queue is not None:
            queue.start()

    async def on_shutdown() -> None:
        if queue is not None:
            await queue.stop()  # the jobs under way end before the pool closes
        await db.drain_after_commit()
        await db.stop(engine)
        pdf.shutdown()

    # One JSON object per line; an error's traceback in full ("exception"), not only its name.
    structlog.configure(processors=[
        structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"), structlog.processors.format_exc_info, structlog.processors.JSONRenderer(),
    ])
    return Litestar(
        route_handlers=[
            health,
            ready,
            *domains.routes(),
            create_static_files_router(path="/static", directories=[domains.BACKEND / "static"]),
        ],
        middleware=[
            # Outermost: a throttled attempt opens no transaction.
            DefineMiddleware(SignInThrottle, attempts=attempts_for(engine), limit=settings.sign_in_attempts_per_minute, is_sign_in=is_sign_in),
            DefineMiddleware(TenantTransactionMiddleware, engine=engine, tenant_by_slug=tenant_services.tenant_by_slug, tenant_version=TENANT_VERSION),
            DefineMiddleware(
                AuthenticationMiddleware,
                by_token=tenant_services.principal_for_token,
                by_session=tenant_services.principal_for_session,
            ),
        ],
        template_config=TemplateConfig(instance=web.template_engine),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_secure=settings.cookie_secure,
            cookie_httponly=True,
            exclude=["/api/"],
        ),
        openapi_config=OpenAPIConfig(
            title="Solidaire",
            version="0.1.0",
            description="Member register, general meetings, room-hour billing and partner committees, one tenant per organisation.",
            path="/api/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        after_request=secure_cookies if settings.cookie_secure else None,
        request_class=JSONRequest,  # one strict decoder for every JSON body
        request_max_body_size=settings.max_upload_bytes,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        state=State({"settings": settings, "engine": engine, "queue": queue}),
    )
