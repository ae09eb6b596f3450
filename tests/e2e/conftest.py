"""A real server (the `solidaire serve` command, demo loaded) and headless Chromium.

On SQLite by default; with SOLIDAIRE_TEST_DATABASE=postgres, on a database of its own that the
command migrates as the owner and serves as the non-owner role, as in production."""

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import asyncpg
import pytest
from playwright.async_api import async_playwright

from tests.conftest import APP_ROLE, BACKEND, POSTGRES_URL, _with_database, _with_user

# The pages do not depend on the database: the browser tests run on the default one (SQLite, what
# `./dev start` serves), the booking to an invoice on both. The API fuzzing and the processes sharing
# one database run on PostgreSQL, production's and the stricter of the two (NUL characters, ranges).
ON_SQLITE = pytest.mark.skipif(BACKEND != "sqlite", reason="pages do not depend on the database: checked on the default one, SQLite")
ON_POSTGRES = pytest.mark.skipif(BACKEND != "postgres", reason="the API fuzzing runs on PostgreSQL, the stricter database")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def database_urls():
    """(DATABASE_URL, MIGRATION_DATABASE_URL) for the server, or None for its SQLite default."""
    if BACKEND != "postgres":
        yield None
        return
    name = f"solidaire_e2e_{secrets.token_hex(4)}"
    _admin(f'CREATE DATABASE "{name}"')
    owner = _with_database(POSTGRES_URL, name)
    try:
        yield _with_user(owner, APP_ROLE), owner
    finally:
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def _admin(sql: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def server_env(tmp_path_factory, database_urls) -> dict[str, str]:
    """The environment of the live server, and of the commands run against its database."""
    port = _free_port()
    env = {
        **os.environ,
        "SOLIDAIRE_VAR": str(tmp_path_factory.mktemp("var")),
        "PORT": str(port),
        # The API fuzzing tries hundreds of token requests from this address; the throttle itself
        # is tested in tests/tenants/test_register_api.py.
        "SIGN_IN_ATTEMPTS_PER_MINUTE": "100000",
    }
    for name in ("DATABASE_URL", "MIGRATION_DATABASE_URL"):
        env.pop(name, None)
    if database_urls:
        env["DATABASE_URL"], env["MIGRATION_DATABASE_URL"] = database_urls
        env["DATABASE_APP_ROLE"] = APP_ROLE
    return env


@pytest.fixture(scope="session")
def solidaire(server, server_env):
    """Runs the `solidaire` command line against the live server's database, as its operator would."""
    def run(*args: str, **extra_env: str) -> str:
        done = subprocess.run([sys.executable, "-c", "from solidaire.cli import main; main()", *args], env={**server_env, **extra_env}, capture_output=True, text=True, timeout=100)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


@pytest.fixture(scope="session")
def server(server_env):
    env, port = server_env, server_env["PORT"]
    process = subprocess.Popen([sys.executable, "-c", "from solidaire.cli import main; main()", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start:\n{process.stdout.read()}")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=10)


class Dialogs:
    """Answers the page's confirmations (what cannot be undone asks first): yes, unless a test asks
    to say no to the next ones; what each asked is kept."""

    def __init__(self) -> None:
        self.refuse_next = 0
        self.asked: list[str] = []

    async def __call__(self, dialog) -> None:
        self.asked.append(dialog.message)
        if self.refuse_next:
            self.refuse_next -= 1
            await dialog.dismiss()
        else:
            await dialog.accept()

@pytest.fixture
async def browser_page():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = await browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})  # a phone
        try:
            page = await context.new_page()
            page.dialogs = Dialogs()
            page.on("dialog", page.dialogs)
            yield page
        finally:
            await browser.close()
