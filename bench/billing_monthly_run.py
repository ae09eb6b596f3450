"""The monthly invoice run on PostgreSQL: 500 clinicians with 40 bookings each in one month.

Creates its own database, migrates it, writes (COPY, as the owner) 500 clinicians' logins and
billing accounts (half in French, half in English, three classes of clinician), 50 rooms with their
rates and 20,000 bookings last month (one in 40 a no-show, one in 40 cancelled late). Then, through
the service code as the non-owner role solidaire_app (row-level security applies), times:

1. the drafts: `Invoicing.run_month` in one transaction (what the button and the API do);
2. issuing, the old way, for the first `--single` drafts: `Invoicing.issue`, one transaction each,
   the PDF rendered inside it (the counters stay locked meanwhile);
3. issuing the rest in batches (`billing.invoicing.issue_month`, as `solidaire invoices issue`):
   numbers and hash chain in transactions of `--batch` invoices, then after each commit the PDFs
   (pool of 2 WeasyPrint workers) and the e-mails, written in short transactions;
4. the same HTML printed by bare WeasyPrint, in this process, one after the other; the ratio of
   the service's PDF stage to it;

then checks that the numbers are gapless, the hash chain intact and every document in the outbox.
Run from the root (a few minutes with the defaults):

    .venv/bin/python bench/billing_monthly_run.py [--clinicians 500] [--bookings 40] [--batch 50] [--single 20]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import time
import uuid
from zoneinfo import ZoneInfo

import asyncpg

from backend import db, mail, pdf
from backend.context import Context
from billing import invoicing
from billing.invoicing import Invoicing
from billing.tables import Invoice
from tenants import services

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ZONE = ZoneInfo("America/Montreal")
ROOMS = 50
CLASSES = ("family_physician", "specialist", "psychologist")
HOURS = '{"mon": "07:00-22:00", "tue": "07:00-22:00", "wed": "07:00-22:00", "thu": "07:00-22:00", "fri": "07:00-22:00", "sat": "07:00-22:00", "sun": "07:00-22:00"}'


def last_month() -> tuple[str, dt.date, int]:
    first = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return f"{first:%Y-%m}", first, (following - first).days


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def prepare(owner_url: str, clinicians: int, per_clinician: int):
    engine = db.make_engine(owner_url)
    db.bind_tables(engine)
    await db.start(engine)
    await db.migrate(engine)
    async with db.transaction(engine, write=True):
        tenant = await services.create_tenant(slug="bench-coop", name="Coopérative de solidarité santé du banc d'essai", kind="coop", locale="fr_CA", timezone="America/Montreal", currency="CAD", member_categories=["user", "worker"])
    await db.stop(engine)
    month, first, days = last_month()
    now = dt.datetime.now(dt.UTC)
    connection = await asyncpg.connect(owner_url)
    await connection.execute(
        "INSERT INTO billing_settings (tenant_id, id, gst_rate_pcm, qst_rate_pcm, gst_number, qst_number, legal_name, address, free_cancellation_hours, "
        "late_fee_percent, no_show_percent, payment_terms_days, updated_at) VALUES ($1, $2, 5000, 9975, '123456789 RT0001', '1234567890 TQ0001', "
        "'Coopérative de solidarité santé du banc d''essai', '1 rue Principale\nShawinigan (Québec) G9N 1A1', 48, 50, 100, 30, $3)",
        tenant.id, uuid.uuid4(), now,
    )
    rooms = [uuid.uuid4() for _ in range(ROOMS)]
    await connection.executemany(
        "INSERT INTO room (tenant_id, id, name, kind, equipment, opening_hours, active, created_at) VALUES ($1, $2, $3, $4, '', $5, true, $6)",
        [(tenant.id, room, f"Bureau {i + 1}", "office" if i % 2 else "exam", HOURS, now) for i, room in enumerate(rooms)],
    )
    await connection.executemany(
        "INSERT INTO room_rate (tenant_id, id, room_kind, clinician_class, hourly_cents, increment_minutes, rounding, minimum_minutes, valid_from, created_at) "
        "VALUES ($1, $2, $3, $4, $5, 15, 'up', 60, '2020-01-01', $6)",
        [(tenant.id, uuid.uuid4(), kind, cls, 2500 + 750 * i + (500 if kind == "exam" else 0), now) for i, cls in enumerate(CLASSES) for kind in ("office", "exam")],
    )
    users, accounts = [], []
    for i in range(clinicians):
        user, account = uuid.uuid4(), uuid.uuid4()
        email = f"clinicien{i:04d}@bench.test"
        name = f"Dre Clinicienne {i:04d}" if i % 2 else f"Dr Clinician {i:04d}"
        users.append((user, email, name, "not a password hash", None, True, now))
        accounts.append((tenant.id, account, user, name, email, "fr_CA" if i % 2 else "en_CA", CLASSES[i % 3], secrets.token_urlsafe(24), now))
    await connection.copy_records_to_table("app_user", records=users, columns=["id", "email", "full_name", "password_hash", "locale", "is_active", "created_at"])
    await connection.copy_records_to_table(
        "clinician_account", records=accounts,
        columns=["tenant_id", "id", "user_id", "name", "email", "language", "clinician_class", "calendar_token", "created_at"],
    )
    # Every room's hours of the month, 07:00-22:00, one hour each; clinician c takes slots c, c + n, ...
    slots = [(room, day, hour) for day in range(days) for hour in range(7, 22) for room in rooms]
    needed = clinicians * per_clinician
    if needed > len(slots):
        raise SystemExit(f"{needed} bookings do not fit in {len(slots)} room-hours")
    rows = []
    for index in range(needed):
        room, day, hour = slots[index]
        start = dt.datetime.combine(first + dt.timedelta(days=day), dt.time(hour), ZONE)
        status, fee = ("no_show", 100) if index % 40 == 7 else ("cancelled", 50) if index % 40 == 23 else ("booked", 0)
        duration = dt.timedelta(minutes=50 if index % 3 else 60)
        rows.append((tenant.id, uuid.uuid4(), room, accounts[index % clinicians][1], start, start + duration, status, fee, now))
    await connection.copy_records_to_table(
        "booking", records=rows,
        columns=["tenant_id", "id", "room_id", "clinician_id", "starts_at", "ends_at", "status", "cancellation_fee_percent", "created_at"],
    )
    await connection.execute("ANALYZE")
    await connection.close()
    return tenant, month, needed


def bare_weasyprint(htmls: list[str]) -> float:
    from weasyprint import HTML

    HTML(string=htmls[0]).write_pdf()  # imports and fonts loaded, as in a warm pool worker
    began = time.perf_counter()
    for html in htmls:
        HTML(string=html).write_pdf()
    return time.perf_counter() - began


async def measure(app_url: str, tenant, month: str, bookings: int, batch: int, single: int) -> None:
    engine = db.make_engine(app_url)
    db.bind_tables(engine)
    mail.configure(engine, None, "bench@solidaire.invalid")
    await db.start(engine)
    await pdf.html_to_pdf("<p>warm</p>")  # start the pool's workers (imports), as a running server has
    try:
        print(f"load average before: {loadavg()}")
        began = time.perf_counter()
        async with db.tenant_transaction(engine, tenant.id, write=True):
            report = await Invoicing(Context(tenant)).run_month(month)
        drafts_s = time.perf_counter() - began
        print(f"drafts: {report['drafts']} invoices from {bookings} bookings ({report['total_cents'] / 100:,.2f} $ in all) in {drafts_s:.2f} s; unpriced {len(report['unpriced'])}")

        async with db.tenant_transaction(engine, tenant.id, write=False):
            ids = [row["id"] for row in await Invoice.select(Invoice.id).where((Invoice.tenant_id == tenant.id) & (Invoice.month == month) & (Invoice.status == "draft")).order_by(Invoice.created_at, Invoice.id)]
        holds = []
        began = time.perf_counter()
        for invoice_id in ids[:single]:
            start = time.perf_counter()
            async with db.tenant_transaction(engine, tenant.id, write=True):
                await Invoicing(Context(tenant)).issue(invoice_id)
            holds.append(time.perf_counter() - start)
        if single:
            print(f"issue one by one, PDF inside the transaction: {single} invoices in {time.perf_counter() - began:.2f} s, "
                  f"{sum(holds) / len(holds) * 1000:.0f} ms each (max {max(holds) * 1000:.0f} ms) holding the number counters")

        # The batched issue, as billing.invoicing.issue_month does it, with each stage timed.
        numbering, mailing, locks, issued = 0.0, 0.0, [], 0
        while True:
            start = time.perf_counter()
            async with db.tenant_transaction(engine, tenant.id, write=True):
                batch_ids = await Invoicing(Context(tenant)).issue_drafts(month, batch)
            locks.append(time.perf_counter() - start)
            numbering += locks[-1]
            if not batch_ids:
                break
            issued += len(batch_ids)
            start = time.perf_counter()
            await invoicing.mail_documents(engine, tenant, batch_ids)
            mailing += time.perf_counter() - start
        print(f"issue in batches of {batch}: {issued} invoices numbered and chained in {numbering:.2f} s "
              f"({numbering / max(issued, 1) * 1000:.1f} ms each; a batch holds the counters at most {max(locks) * 1000:.0f} ms)")
        print(f"PDFs + e-mails after the commits: {issued} in {mailing:.2f} s ({mailing / max(issued, 1) * 1000:.0f} ms per invoice, 2 PDF workers)")
        print(f"total, drafts + issue + PDFs: {drafts_s + numbering + mailing + sum(holds):.1f} s  (load average now {loadavg()})")

        async with db.tenant_transaction(engine, tenant.id, write=False):
            service = Invoicing(Context(tenant))
            problems = await service.verify_chain()
            documents = await service.invoices(month=month, status="issued")
            outbox = len(await mail.MailMessage.select(mail.MailMessage.id).where(mail.MailMessage.tenant_id == tenant.id))
            began = time.perf_counter()
            htmls = [await service.pdf_html(document) for document in documents[single:]]
            html_s = time.perf_counter() - began
        print(f"check: {len(documents)} issued, numbers {documents[0]['number']}..{documents[-1]['number']}, chain problems {problems or 'none'}, {outbox} e-mails in the outbox")
        bare = await asyncio.get_running_loop().run_in_executor(None, bare_weasyprint, htmls)
        print(f"bare WeasyPrint, same HTML, one process: {len(htmls)} PDFs in {bare:.2f} s ({bare / len(htmls) * 1000:.0f} ms each); HTML from the service {html_s:.2f} s")
        print(f"ratio service PDF stage (HTML + 2 workers + e-mail) / bare WeasyPrint serial: {mailing / bare:.2f}")
        print(f"load average after: {loadavg()}")
    finally:
        pdf.shutdown()
        await db.stop(engine)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clinicians", type=int, default=500)
    parser.add_argument("--bookings", type=int, default=40, help="per clinician")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--single", type=int, default=20, help="drafts issued one by one the old way first")
    args = parser.parse_args()
    name = f"solidaire_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    owner_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    app_url = owner_url.replace("://postgres@", "://solidaire_app@")
    try:
        began = time.perf_counter()
        tenant, month, bookings = await prepare(owner_url, args.clinicians, args.bookings)
        print(f"{args.clinicians} clinicians, {bookings} bookings in {month} over {ROOMS} rooms written in {time.perf_counter() - began:.1f} s")
        await measure(app_url, tenant, month, bookings, args.batch, args.single)
    finally:
        await admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()")
        await admin.execute(f'DROP DATABASE "{name}"')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
