"""Test set-up: one database per run, SQLite by default, PostgreSQL when SOLIDAIRE_TEST_DATABASE=postgres.

On PostgreSQL the run creates its own database, migrates it as the owner (postgres) and serves
the application as the non-owner role `solidaire_app`, exactly as in production, then drops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher

from backend import auth, db, jobqueue, sealing
from backend.settings import Settings
from solidaire.app import create_app
from tenants import services
from tests.clock import ZONE

BACKEND = os.environ.get("SOLIDAIRE_TEST_DATABASE", "sqlite")
pytest_plugins = ["tests.hang_report"]

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
APP_ROLE = "solidaire_app"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Argon2 with its production cost takes ~0.15 s a hash and the suite creates hundreds of
    logins: the tests hash with minimal cost parameters (same algorithm, same code path)."""
    strong = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    auth._hasher = strong


@pytest.fixture(scope="session", autouse=True)
def sealing_key() -> str:
    """The key ballots are sealed with, configured before any test as the server does at start-up:
    the demo's loaders seal ballots without the application (and a test process of pytest-xdist
    may load the demo before it builds the application)."""
    key = secrets.token_urlsafe(32)
    sealing.configure(key)
    return key


@dataclass
class Database:
    owner_url: str
    app_url: str
    owner: object  # the owner's engine (migrations, tenants)
    app: object  # the application's engine

    @contextlib.asynccontextmanager
    async def as_owner(self) -> AsyncIterator[None]:
        """Runs Piccolo queries as the owner (to create tenants), then gives the tables back to the app."""
        db.bind_tables(self.owner)
        try:
            yield
        finally:
            db.bind_tables(self.app)


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def _with_user(url: str, user: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[-1]}"


async def _create_app_role(admin) -> None:
    """The application's role belongs to the whole server, not to one database: the test processes
    (pytest-xdist) that start together create it in turn, under a lock of the admin database."""
    async with admin.transaction():
        await admin.execute("SELECT pg_advisory_xact_lock(hashtext('solidaire.tests.app_role'))")
        await admin.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN CREATE ROLE {APP_ROLE} LOGIN; END IF; END $$")


@pytest.fixture(scope="session")
async def database(tmp_path_factory) -> AsyncIterator[Database]:
    if BACKEND == "postgres":
        name = f"solidaire_test_{secrets.token_hex(4)}"
        admin = await asyncpg.connect(POSTGRES_URL)
        await _create_app_role(admin)
        await admin.execute(f'CREATE DATABASE "{name}"')
        owner_url = _with_database(POSTGRES_URL, name)
        app_url = _with_user(owner_url, APP_ROLE)
    else:
        path = tmp_path_factory.mktemp("db") / "solidaire.sqlite3"
        owner_url = app_url = f"sqlite:///{path}"
    owner = db.make_engine(owner_url)
    db.bind_tables(owner)
    await db.start(owner)
    await db.migrate(owner, app_role=APP_ROLE)
    app = db.make_engine(app_url) if app_url != owner_url else owner
    database = Database(owner_url, app_url, owner, app)
    db.bind_tables(app)
    try:
        yield database
    finally:
        await db.stop(owner)
        if BACKEND == "postgres":
            await admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()")
            await admin.execute(f'DROP DATABASE "{name}"')
            await admin.close()


@pytest.fixture
async def empty_database_url(tmp_path):
    """A database of its own, empty: a SQLite file, or a PostgreSQL database dropped afterwards."""
    if BACKEND != "postgres":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"solidaire_migrate_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(POSTGRES_URL, name)
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()



REFUSED_DOMAIN = "@refused.test"


class Mailbox:
    """A real SMTP server (aiosmtpd) on a free port of this machine: what it received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.endswith(REFUSED_DOMAIN):  # a recipient the server refuses: the delivery fails
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = BytesParser(policy=default).parsebytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    async def received_by(self, address: str) -> list[EmailMessage]:
        """The messages delivered to `address`, once the deliveries under way have finished."""
        await jobqueue.drain()
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    return smtp_server[0]


@pytest.fixture(scope="session")
def settings(database, tmp_path_factory, smtp_server, sealing_key) -> Settings:
    var = tmp_path_factory.mktemp("var")
    return Settings(
        var_dir=Path(var),
        database_url=database.app_url,
        migration_database_url=database.owner_url,
        app_role=APP_ROLE,
        secret_key=sealing_key,
        cookie_secure=True,
        sign_in_attempts_per_minute=100_000,  # the suite signs in hundreds of times; see test_sign_in_is_throttled
        smtp_url=f"smtp://127.0.0.1:{smtp_server[1]}",
        mail_from="Solidaire <no-reply@solidaire.test>",
        periodic_jobs=False,  # a test queues the periodic work itself, when it wants it
    )


@pytest.fixture(scope="session")
async def app(database, settings):
    application = create_app(settings, engine=database.app)
    # The connection pool lives on the tests' event loop (Litestar's test client would run the
    # lifespan in a thread of its own), so the fixture starts it as the lifespan would.
    if database.app is not database.owner:
        await db.start(database.app)
    queue = application.state.queue
    queue.start()  # as the server does: the e-mails and the documents' PDFs go through the queue
    yield application
    await jobqueue.drain()
    await queue.stop()
    if database.app is not database.owner:
        try:  # a connection a test left taken would make the pool wait for ever: say so, and end
            await asyncio.wait_for(db.stop(database.app), timeout=30)
        except TimeoutError:
            database.app.pool.terminate()
            raise


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as test_client:
        yield test_client


@dataclass
class World:
    """A tenant with people in it, as the tests need them."""

    tenant: services.TenantInfo
    users: dict[str, uuid.UUID]  # role -> user id
    emails: dict[str, str]


@pytest.fixture
def make_tenant(database):
    """Creates a co-op with one person per role (administrator, secretary, treasurer, member, and
    any other roles asked for: clinician, partner_coordinator, partner)."""

    async def make(*, categories=("user", "worker", "supporting"), locale="fr_CA", qualifying_shares=1, roles=(), currency="CAD") -> World:
        slug = f"coop-{secrets.token_hex(4)}"
        async with database.as_owner(), db.transaction(database.owner, write=True):
            tenant = await services.create_tenant(
                slug=slug, name=f"Coopérative {slug}", kind="coop", locale=locale, timezone=ZONE.key,
                currency=currency, member_categories=list(categories), qualifying_shares=qualifying_shares,
            )
            users, emails = {}, {}
            for role in ("administrator", "secretary", "treasurer", "member", *roles):
                email = f"{role}@{slug}.test"
                users[role] = await services.create_user(email, f"{role.title()} {slug}", PASSWORD)
                emails[role] = email
                await services.grant_role(tenant, users[role], role)
        return World(tenant, users, emails)

    return make


async def bearer(client: httpx.AsyncClient, world: World, role: str) -> dict[str, str]:
    response = await client.post(f"/api/t/{world.tenant.slug}/auth/token", json={"email": world.emails[role], "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"authorization": f"Bearer {response.json()['token']}"}


async def sign_in(client: httpx.AsyncClient, world: World, role: str) -> None:
    """Signs in through the login page (CSRF cookie and field included), as a browser does."""
    page = await client.get(f"/t/{world.tenant.slug}/login")
    assert page.status_code == 200
    response = await client.post(
        f"/t/{world.tenant.slug}/login",
        data={"email": world.emails[role], "password": PASSWORD, "_csrf_token": client.cookies["csrftoken"]},
    )
    assert response.status_code in (302, 303), response.text


def admission(**overrides) -> dict:
    values = {
        "first_name": "Ève", "last_name": "Côté", "email": f"eve.{secrets.token_hex(3)}@exemple.ca",
        "street": "1250, avenue de la Station", "city": "Shawinigan", "region": "QC", "postal_code": "G9N 8K9",
        "category": "user", "shares_subscribed": 1, "shares_paid": 1, "language": "fr_CA",
    }
    return {**values, **overrides}


# The fixtures through which a test reaches a database (the suite's, or one of its own).
DATABASE_FIXTURES = {"database", "empty_database_url"}


def pytest_collection_modifyitems(config, items) -> None:
    """On PostgreSQL, a test that reaches no database (pure rules, templates, translations, the
    architecture, files) has already run on SQLite, with the same result: it is not run twice."""
    if BACKEND != "postgres":
        return
    again = pytest.mark.skip(reason="reaches no database: it runs on SQLite")
    for item in items:
        if not DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())) and not item.get_closest_marker("live"):
            item.add_marker(again)
