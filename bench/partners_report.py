"""The partner program's dashboard report over 5 years of 500 partners and 200,000 logged hours,
on PostgreSQL.

Creates its own database, migrates it, writes 500 partners, 12 committees and 200,000 hours
entries over five years (COPY, as the owner; 95 % approved), then asks the application (in process,
httpx's ASGI transport, as the non-owner role solidaire_app so row-level security applies) for the
coordinator's dashboard page, the hours report of one year and of all years, and the expenses per
month. Prints the seconds of each (median and worst of --repeat). Run from the root:

    .venv/bin/python bench/partners_report.py [--partners 500] [--entries 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from backend import db
from backend.settings import Settings
from solidaire.app import create_app
from tenants import services

logging.getLogger("httpx").setLevel(logging.WARNING)
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SLUG = "bench-program"
YEARS = 5
ACTIVITIES = ("committee_meeting", "project", "review", "training_given", "accompaniment")
KINDS = ("resource_user", "relative_resource", "peer_helper", "expert_by_experience")


async def prepare(owner_url: str, partners: int, entries: int) -> int:
    """Writes the program; returns the last year it covers."""
    engine = db.make_engine(owner_url)
    db.bind_tables(engine)
    await db.start(engine)
    await db.migrate(engine)
    async with db.transaction(engine, write=True):
        tenant = await services.create_tenant(slug=SLUG, name="Bench program", kind="partner_program", locale="fr_CA", timezone="America/Montreal", currency="CAD", member_categories=["user", "supporting"])
        async with db.tenant_transaction(engine, tenant.id, write=True):
            user_id = await services.create_user("coordination@bench.test", "Coordination", "bench password")
            await services.grant_role(tenant, user_id, "partner_coordinator")
    await db.stop(engine)
    rng = random.Random(5)
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    first = dt.date(today.year - YEARS + 1, 1, 1)
    connection = await asyncpg.connect(owner_url)
    people = [uuid.uuid4() for _ in range(partners)]
    await connection.copy_records_to_table("partner", records=[
        (tenant.id, pid, n + 1, rng.choice(KINDS), "active", f"Prénom{n}", f"Nom{n}", f"p{n}@bench.test", "Trois-Rivières", "fr_CA",
         json.dumps(["chronic_pain"]), json.dumps(["fr"]), json.dumps(["weekday_daytime"]), json.dumps(["committees"]), "",
         True, n % 3 == 0, False, False, first, "", "", today, now, now)
        for n, pid in enumerate(people)
    ], columns=["tenant_id", "id", "number", "kind", "stage", "first_name", "last_name", "email", "city", "language", "experience_areas", "languages",
                "availability", "contributions", "story", "consent_contact", "consent_public_name", "consent_photos", "consent_research",
                "received_on", "interview_notes", "stage_reason", "last_activity_on", "created_at", "updated_at"])
    committees = [uuid.uuid4() for _ in range(12)]
    await connection.copy_records_to_table("committee", records=[(tenant.id, c, f"Comité {i}", "improvement", "", now) for i, c in enumerate(committees)],
                                           columns=["tenant_id", "id", "name", "kind", "mandate", "created_at"])
    span = (today - first).days
    rows = []
    for _ in range(entries):
        activity = rng.choice(ACTIVITIES)
        rows.append((tenant.id, uuid.uuid4(), rng.choice(people), activity, rng.choice(committees) if activity == "committee_meeting" else None,
                     first + dt.timedelta(days=rng.randrange(span)), rng.choice((60, 90, 120, 150, 180)), "", "approved" if rng.random() < 0.95 else "submitted", now))
    await connection.copy_records_to_table("hours_entry", records=rows, columns=["tenant_id", "id", "partner_id", "activity", "committee_id", "worked_on", "minutes", "description", "status", "created_at"])
    await connection.execute("ANALYZE")
    await connection.close()
    return today.year


async def measure(app_url: str, owner_url: str, year: int, repeat: int) -> None:
    settings = Settings(var_dir=Path(tempfile.mkdtemp()), database_url=app_url, migration_database_url=owner_url, app_role="solidaire_app", secret_key="bench", cookie_secure=True, sign_in_attempts_per_minute=10**6)
    engine = db.make_engine(app_url)
    app = create_app(settings, engine=engine)
    await db.start(engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://bench.local") as client:
        token = (await client.post(f"/api/t/{SLUG}/auth/token", json={"email": "coordination@bench.test", "password": "bench password"})).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        await client.get(f"/t/{SLUG}/login")  # a session for the pages, as a browser signs in
        signed_in = await client.post(f"/t/{SLUG}/login", data={"email": "coordination@bench.test", "password": "bench password", "_csrf_token": client.cookies["csrftoken"]})
        assert signed_in.status_code in (302, 303), signed_in.text
        for label, url, use_headers in (
            ("dashboard page (this year's hours and partners, chart per year)", f"/t/{SLUG}/program/", False),
            (f"hours report, year {year} (JSON)", f"/api/t/{SLUG}/program/reports/hours?year={year}", True),
            (f"hours report, all {YEARS} years (JSON)", f"/api/t/{SLUG}/program/reports/hours", True),
            (f"reports page, year {year}", f"/t/{SLUG}/program/reports?year={year}", False),
        ):
            seconds = []
            for _ in range(repeat):
                began = time.perf_counter()
                response = await client.get(url, headers=headers if use_headers else None)
                seconds.append(time.perf_counter() - began)
                assert response.status_code == 200, (url, response.status_code, response.text[:300])
            print(f"{label}: median {statistics.median(seconds):.3f} s, worst {max(seconds):.3f} s")
            if url.endswith(f"hours?year={year}"):
                body = response.json()
                hours = sum(row["minutes"] for row in body["per_activity"]) / 60
                print(f"    {year}: {hours:,.0f} approved hours by {body['partners']} partners")
    await db.stop(engine)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=500)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    name = f"solidaire_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    owner_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    app_url = owner_url.replace("://postgres@", "://solidaire_app@")
    try:
        began = time.perf_counter()
        year = await prepare(owner_url, args.partners, args.entries)
        print(f"{args.partners} partners and {args.entries} hours entries over {YEARS} years written in {time.perf_counter() - began:.1f} s")
        await measure(app_url, owner_url, year, args.repeat)
    finally:
        await admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()")
        await admin.execute(f'DROP DATABASE "{name}"')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
