"""Several processes on one PostgreSQL database, as a platform runs them behind a load balancer:
two servers on two ports (`solidaire serve`, web only) and the queue's workers (`solidaire
worker`), all started as the operator starts them. Nothing is done twice, nothing is lost.

The e-mail goes to the suite's real SMTP server (aiosmtpd, in this process)."""

import asyncio
import inspect
import itertools
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter

import httpx
import pytest

from backend import db, mail
from tenants import services
from tests.billing.test_issue_month import MONTH, coop_with_drafts
from tests.conftest import APP_ROLE, BACKEND, PASSWORD, REFUSED_DOMAIN
from tests.e2e.conftest import _free_port
from tests.meetings.support import in_session, open_vote, voters
from tests.meetings.test_consultations import consultation
from tests.partners.test_hours_and_expenses_api import PDF, active_partner, claim

pytestmark = [pytest.mark.live, pytest.mark.skipif(BACKEND != "postgres", reason="several processes share a PostgreSQL database; SQLite serves one")]
# The tests in two groups, each run in order by one of the live stage's processes (pytest-xdist),
# which starts the servers and workers below for it: side by side, they take half the time. The
# worker killed comes last in its group.
FIRST, SECOND = pytest.mark.xdist_group("platform-1"), pytest.mark.xdist_group("platform-2")

SIGN_IN_LIMIT = 20
STALLED_JOB_SECONDS = 3
RETRY_SECONDS = 3  # the mail retry's round (MAIL_RETRY_EVERY), every 3 s instead of 5 minutes


class Process:
    """One `solidaire …` command running in the background, its output kept in a file."""

    def __init__(self, env: dict[str, str], log, *args: str) -> None:
        self.log = log
        self.process = subprocess.Popen([sys.executable, "-c", "from solidaire.cli import main; main()", *args], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)

    def stop(self, how: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(how)
            self.process.wait(timeout=40)


@pytest.fixture(scope="module")
def platform_env(database, settings, smtp_server, tmp_path_factory) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database.app_url, "MIGRATION_DATABASE_URL": database.owner_url, "DATABASE_APP_ROLE": APP_ROLE,
        "SECRET_KEY": settings.secret_key,  # one key for every process, as in production
        "SOLIDAIRE_VAR": str(tmp_path_factory.mktemp("platform")), "COOKIE_SECURE": "false",
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_server[1]}", "QUEUE_IN_SERVER": "false", "PERIODIC_JOBS": "true",
        "SIGN_IN_ATTEMPTS_PER_MINUTE": str(SIGN_IN_LIMIT), "FORWARDED_ALLOW_IPS": "127.0.0.1",  # the load balancer's
        "STALLED_JOB_SECONDS": str(STALLED_JOB_SECONDS), "MAIL_RETRY_EVERY": f"* * * * * */{RETRY_SECONDS}",
    }
    return env


@pytest.fixture(scope="module")
def servers(platform_env, tmp_path_factory):
    """Two server processes, each with a client; ready once /readyz answers."""
    logs = tmp_path_factory.mktemp("servers")
    ports = [_free_port(), _free_port()]
    started = [Process({**platform_env, "PORT": str(port)}, logs / f"server-{port}.log", "serve", "--no-demo", "--workers", "1") for port in ports]
    try:
        for process, port in zip(started, ports, strict=True):
            _wait_ready(process, f"http://127.0.0.1:{port}")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in started:
            process.stop()


@pytest.fixture(scope="module")
def workers(platform_env, servers, tmp_path_factory):
    """The queue's workers: two to begin with; a test may stop or kill one, and start others."""
    logs = tmp_path_factory.mktemp("workers")
    running: list[Process] = []

    def start() -> Process:
        running.append(Process(platform_env, logs / f"worker-{len(running)}.log", "worker"))
        return running[-1]

    start(), start()
    yield running, start
    for process in running:
        process.stop()


def _wait_ready(process: Process, url: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.process.poll() is not None or time.monotonic() > deadline:
            process.stop(signal.SIGKILL)
            pytest.fail(f"the server did not start:\n{process.log.read_text()}")
        time.sleep(0.3)


@pytest.fixture
async def clients(servers):
    async with httpx.AsyncClient(base_url=servers[0], timeout=30) as first, httpx.AsyncClient(base_url=servers[1], timeout=30) as second:
        yield first, second


async def token(database, world, role: str) -> dict[str, str]:
    """A token minted in the database, as a sign-in would: the throttle only counts its own test."""
    async with db.tenant_transaction(database.app, world.tenant.id, write=True):
        value, _ = await services.issue_token(world.tenant, world.users[role], "test")
    return {"authorization": f"Bearer {value}"}


async def eventually(check, seconds: float, what: str):
    """Polls `check()` (a function, or a coroutine function) until it returns something true, for
    at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not (found := await _result(check())):
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s: {what}")
        await asyncio.sleep(0.2)
    return found


async def _result(value):
    return await value if inspect.isawaitable(value) else value


def delivered(mailbox, addresses) -> Counter:
    return Counter(address for message in list(mailbox.messages) for address in addresses if address in message["X-Envelope-To"])


@SECOND
async def test_a_vote_burst_split_over_both_servers_counts_every_ballot_once(clients, workers, make_tenant, database):
    world = await make_tenant()
    headers = await token(database, world, "secretary")
    people = await voters(database, world, 30)
    created = await in_session(clients[0], world, headers, people)
    vote = await open_vote(clients[1], world, headers, created["id"])
    url = f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot"
    # Each member's ballot goes to both servers at once: one counts, the other is refused.
    tries = [clients[(i + twice) % 2].post(url, json={"choice": "yes"}, headers=voter.headers) for i, voter in enumerate(people) for twice in (0, 1)]
    statuses = Counter(response.status_code for response in await asyncio.gather(*tries))
    assert statuses == {201: 30, 409: 30}, statuses
    closed = await clients[0].post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)
    assert closed.json()["counts"]["yes"] == 30, closed.text


@FIRST
async def test_a_consultation_due_opens_once_and_invites_each_member_once(clients, workers, make_tenant, database, mailbox):
    world = await make_tenant()
    headers = await token(database, world, "secretary")
    people = await voters(database, world, 3)
    due = await consultation(clients[0], world, headers)  # its window opened yesterday
    url = f"/api/t/{world.tenant.slug}/consultations/{due['id']}"

    async def opened():
        return (await clients[1].get(url, headers=headers)).json()["status"] == "open"

    # Both workers' schedules are due every minute; each due run is taken by one of them.
    await eventually(opened, 75, "the consultation opened by the queue")
    addresses = [voter.member["email"] for voter in people]
    await eventually(lambda: len(delivered(mailbox, addresses)) == 3, 20, "the three invitations")
    await asyncio.sleep(3)  # anything sent twice would be here by now
    assert delivered(mailbox, addresses) == dict.fromkeys(addresses, 1)


@SECOND
async def test_a_failed_e_mail_is_tried_again_once_per_round_not_once_per_worker(workers, make_tenant, database):
    world = await make_tenant()
    async with db.tenant_transaction(database.app, world.tenant.id, write=True):  # (queued by no job: the rounds send it)
        message_id = await mail.queue(world.tenant.id, to=f"nobody{REFUSED_DOMAIN}", subject="Avis", text="x", purpose="test")
    attempts, tried_at, status = 0, [], None
    deadline = time.monotonic() + RETRY_SECONDS * (mail.MAX_ATTEMPTS + 2)
    # (An attempt is counted as it starts, status "sending"; the last one ends "failed".)
    while (attempts, status) != (mail.MAX_ATTEMPTS, "failed") and time.monotonic() < deadline:
        [row] = await db.execute(database.owner, "SELECT attempts, status FROM mail_message WHERE id = {}", message_id)
        if row["attempts"] > attempts:
            attempts, tried_at = row["attempts"], [*tried_at, *[time.monotonic()] * (row["attempts"] - attempts)]
        status = row["status"]
        await asyncio.sleep(0.1)
    assert (attempts, status) == (mail.MAX_ATTEMPTS, "failed")
    # Both workers' schedules fire on every round; one of them takes it: one attempt per round.
    # (The first attempt may be a delivery queued at the commit, when this process has a queue.)
    gaps = [later - earlier for earlier, later in itertools.pairwise(tried_at[1:])]
    assert min(gaps) > RETRY_SECONDS / 2, gaps


@FIRST
async def test_a_receipt_uploaded_through_one_server_is_read_through_the_other(clients, workers, make_tenant, settings):
    world = await make_tenant(roles=("partner_coordinator",))
    _, coordinator, mine = await active_partner(clients[0], settings, world)
    slug = world.tenant.slug
    created = (await clients[0].post(f"/api/t/{slug}/program/me/claims", json=claim(), headers=mine)).json()
    stored = await clients[0].post(f"/api/t/{slug}/program/me/claims/{created['id']}/receipts?filename=recu.pdf", content=PDF, headers={**mine, "content-type": "application/pdf"})
    assert stored.status_code == 201, stored.text
    read = await clients[1].get(f"/api/t/{slug}/program/claims/{created['id']}/receipts/{stored.json()['id']}", headers=coordinator)
    assert (read.status_code, read.content) == (200, PDF)


@SECOND
async def test_a_job_whose_worker_is_killed_is_done_again_by_another_never_lost(clients, workers, make_tenant, database, mailbox):
    running, start = workers
    coop, accounts = await coop_with_drafts(clients[0], database, make_tenant, clinicians=6)
    for process in running[1:]:
        process.stop()  # graceful: it finishes what it holds; one worker is left to take the job
    issued = await clients[1].post(f"{coop.api}/invoice-runs/issue", json={"month": MONTH}, headers=coop.treasurer)
    assert issued.status_code == 200 and issued.json()["issued"] == 6, issued.text

    async def picked():
        rows = await db.execute(database.owner, "SELECT id FROM pgqueuer WHERE entrypoint = 'billing.mail_documents' AND status = 'picked'")
        return bool(rows)

    await eventually(picked, 20, "the month's documents taken by the worker")
    running[0].stop(signal.SIGKILL)  # in the middle of its PDFs: no goodbye, no cleanup
    addresses = [account["email"] for account in accounts]
    assert not delivered(mailbox, addresses), "the job ended before the worker was killed: nothing was proven"
    start()  # another worker takes the job once its heartbeat is stale
    await eventually(lambda: len(delivered(mailbox, addresses)) == 6, 60, "each invoice e-mailed by the new worker")
    await asyncio.sleep(2)
    assert delivered(mailbox, addresses) == dict.fromkeys(addresses, 1)


@FIRST
async def test_the_sign_in_throttle_counts_over_both_servers(clients, make_tenant):
    world = await make_tenant()
    address = f"203.0.113.{secrets.randbelow(250) + 1}"  # one client, seen through the load balancer
    attempt = {"email": world.emails["member"], "password": PASSWORD + "?"}
    # The counts are per minute of the clock: the attempts start early in one, so that none is
    # counted in the next (21 attempts take a few seconds).
    if (into := time.time() % 60) > 40:
        await asyncio.sleep(60.2 - into)
    statuses = []
    for i in range(SIGN_IN_LIMIT + 1):
        response = await clients[i % 2].post(f"/api/t/{world.tenant.slug}/auth/token", json=attempt, headers={"x-forwarded-for": address})
        statuses.append(response.status_code)
    # Each server alone saw about half the limit; counted together, the last one is over it.
    assert statuses == [422] * SIGN_IN_LIMIT + [429], statuses  # (a wrong password: 422)
