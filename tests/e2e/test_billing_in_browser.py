"""A clinician books a room through the pages; the treasurer makes a month's drafts, issues the
invoice, opens its PDF, records a payment and downloads the month's accounting journal: on the demo
co-op, in headless Chromium, on a phone."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.clock import today
from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_accessibility import wcag_violations

pytestmark = pytest.mark.live
PASSWORD = "solidaire-demo"


async def sign_in(page, server, email: str) -> None:
    await page.context.clear_cookies()
    await page.goto(f"{server}/t/coop-shawinigan/billing/")
    await page.get_by_label(re.compile("courriel", re.I)).fill(email)
    await page.get_by_label(re.compile("mot de passe", re.I)).fill(PASSWORD)
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/t/coop-shawinigan/billing/?$"))


# A booking of a month gone by, written as it happened, the way the demo writes its past bookings:
# the pages book from now on only, and a month is billed once it has begun.
PAST_BOOKING = """
import datetime as dt, sys
from backend import db
from backend.cli import run_with_engine
from backend.context import Context
from billing.services import Bookings
from tenants.cli import tenant_named

async def work(engine, settings):
    tenant = await tenant_named("coop-shawinigan")
    async with db.tenant_transaction(engine, tenant.id, write=True):
        bookings = Bookings(Context(tenant))
        room = next(r for r in await bookings.rooms.rooms() if r["name"] == sys.argv[2])
        clinician = next(c for c in await bookings.clinicians.clinicians() if c["email"] == sys.argv[1])
        start = dt.datetime.fromisoformat(sys.argv[3]).replace(tzinfo=bookings.zone)
        await bookings.insert_booking(room, clinician, start, start + dt.timedelta(hours=2))

run_with_engine(work)
"""


def write_past_booking(server_env, email: str, room: str, start: dt.datetime) -> None:
    done = subprocess.run([sys.executable, "-c", PAST_BOOKING, email, room, start.isoformat()], env=server_env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr


async def test_a_booking_becomes_an_issued_invoice_paid_by_cheque(server, server_env, browser_page):
    page = browser_page
    day = today() + dt.timedelta(weeks=5)
    day += dt.timedelta(days=(5 - day.weekday()) % 7)  # a Saturday: the demo's weekly bookings are on weekdays
    coming = f"{day.year:04d}-{day.month:02d}"

    await sign_in(page, server, "dre.gelinas@coop-shawinigan.demo")
    form = page.locator("form[action$='/billing/bookings']")
    await form.locator("[name=room_id]").select_option(label="Bureau 102 — Bureau, fauteuils, insonorisé")
    await form.locator("[name=day]").fill(day.isoformat())
    await form.locator("[name=start]").fill("09:00")
    await form.locator("[name=end]").fill("11:00")
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()
    assert "avant taxes" in await page.locator("#quote").inner_text()  # the price, before it is booked
    assert await wcag_violations(page, Axe()) == []
    await page.get_by_role("button", name="Confirmer la réservation").click()
    await page.wait_for_url(re.compile(r"/t/coop-shawinigan/billing/\?done=booked$"))
    assert "Réservé" in await page.locator("main").inner_text() and "Bureau 102" in await page.locator("main table").first.inner_text()

    await sign_in(page, server, "tresorerie@coop-shawinigan.demo")
    await page.goto(f"{server}/t/coop-shawinigan/billing/invoices?month={coming}")
    await page.locator("form[action$='/invoice-runs'] button[type=submit]").click()
    await page.wait_for_load_state()
    assert "pas commencé" in await page.locator("main").inner_text()  # said in words, nothing made

    # The month before last: the demo has invoiced last month, and has no booking before it.
    gone = today().replace(day=1) - dt.timedelta(days=1)
    gone = gone.replace(day=1) - dt.timedelta(days=1)
    month = f"{gone.year:04d}-{gone.month:02d}"
    write_past_booking(server_env, "dre.gelinas@coop-shawinigan.demo", "Bureau 102", dt.datetime.combine(gone.replace(day=10), dt.time(9)))
    await page.goto(f"{server}/t/coop-shawinigan/billing/invoices?month={month}")
    await page.locator("form[action$='/invoice-runs'] button[type=submit]").click()
    await page.wait_for_load_state()
    row = page.locator("main table tbody tr", has_text="Gélinas")
    await row.locator("form[action$='/issue'] button").click()
    await page.wait_for_url(re.compile(rf"/billing/invoices\?month={month}$"))
    row = page.locator("main table tbody tr", has_text="Gélinas")
    number = (await row.locator("td").first.inner_text()).strip()
    assert re.fullmatch(r"\d{4}-\d{6}", number)

    await row.locator("td a").first.click()  # the invoice's own page: its lines, payments, e-mails
    await page.wait_for_url(re.compile(r"/billing/invoices/[0-9a-f-]+$"))
    assert number in await page.locator("h1").inner_text()
    pdf = await page.request.get(server + await page.get_by_role("link", name="Le PDF").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf") and (await pdf.body()).startswith(b"%PDF")
    await page.go_back()

    collect = page.locator("form[action$='/payments']", has_text=number)
    await collect.locator("[name=method]").select_option("cheque")
    await collect.locator("[name=reference]").fill("Chèque 1042")
    await collect.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(rf"/billing/invoices\?month={month}$"))
    paid = page.locator("main table tbody tr", has_text=number)
    assert "Payé" in await paid.inner_text()  # the default value is the whole balance

    # This month's accounting journal (entries by the day they happened: the invoice issued and the
    # cheque received today), downloaded from this month's page for the accounting software.
    this_month = today().strftime("%Y-%m")
    await page.goto(f"{server}/t/coop-shawinigan/billing/invoices?month={this_month}")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=re.compile("Le journal comptable de")).click()
    download = await downloading.value
    journal = Path(await download.path()).read_text(encoding="utf-8").splitlines()
    assert download.suggested_filename == f"journal-{this_month}.csv"
    assert sum(number in line for line in journal) >= 3, journal  # the sale, its taxes or receivable, and the cheque


@ON_SQLITE  # pages only: the booking to an invoice above runs on both databases
async def test_a_clinician_reads_their_week_and_the_treasurer_the_room_report(server, browser_page):
    page = browser_page
    await sign_in(page, server, "dre.gelinas@coop-shawinigan.demo")
    await page.goto(f"{server}/t/coop-shawinigan/billing/calendar/")
    await page.get_by_role("link", name="Ma semaine").click()
    await page.get_by_role("link", name="Semaine suivante").click()
    await page.wait_for_url(re.compile(r"/billing/calendar/clinicians/[0-9a-f-]+\?week=\d{4}-\d{2}-\d{2}$"))
    assert "Semaine du" in await page.locator("h1").inner_text()
    # The demo's weekly bookings: drawn as blocks, and listed in the table that screen readers read.
    blocks = page.locator(".week .block")
    assert await blocks.count() > 0 and await blocks.first.is_visible()
    rows = page.locator("section table tbody tr")
    assert await rows.count() == await blocks.count()
    await page.screenshot(path="/tmp/billing-week.png", full_page=True)

    await sign_in(page, server, "tresorerie@coop-shawinigan.demo")
    await page.goto(f"{server}/t/coop-shawinigan/billing/reports/")
    assert await page.locator("svg[role=img]").count() == 3
    assert await page.locator("main table").first.locator("tbody tr").count() >= 1
    await page.screenshot(path="/tmp/billing-report.png", full_page=True)


@ON_SQLITE
async def test_the_treasurer_sets_billing_up_and_a_clinician_books_every_week_then_cancels_the_series(server, browser_page):
    page = browser_page
    await sign_in(page, server, "tresorerie@coop-shawinigan.demo")
    # On the phone, the menu unfolds; billing is one entry, its pages listed under the menu.
    await page.get_by_role("button", name="Menu").click()
    await page.get_by_role("link", name="Locaux et facturation").click()
    await page.locator("nav.section-nav").get_by_role("link", name="Paramètres de facturation").click()
    await page.get_by_label("Délai de paiement d’une facture (jours)").fill("21")
    await page.get_by_role("button", name="Enregistrer les paramètres").click()
    await page.wait_for_url(re.compile(r"/billing/settings/\?saved=true$"))
    assert "Les paramètres ont été enregistrés" in await page.locator("main").inner_text()
    assert await page.get_by_label("Délai de paiement d’une facture (jours)").input_value() == "21"

    await sign_in(page, server, "m.bellemare@coop-shawinigan.demo")
    day = today() + dt.timedelta(weeks=12)
    day += dt.timedelta(days=(5 - day.weekday()) % 7)  # a Saturday, beyond the demo's eight weeks
    form = page.locator("form[action$='/billing/bookings']")
    await form.locator("[name=room_id]").select_option(label="Bureau 101 — Bureau, deux chaises, lavabo")
    await form.locator("[name=day]").fill(day.isoformat())
    await form.locator("[name=start]").fill("09:00")
    await form.locator("[name=end]").fill("10:00")
    await form.locator("[name=weeks]").fill("3")
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()
    assert "La même chose chaque semaine." in await page.locator("#quote").inner_text()
    await page.get_by_role("button", name="Confirmer la réservation").click()
    await page.wait_for_load_state()
    assert "3 semaines réservées." in await page.locator("main").inner_text()
    await page.locator("form[action*='/series/'] button").first.click()  # asks first (answered yes)
    await page.wait_for_url(re.compile(r"/billing/\?done=series_cancelled$"))
    assert "Toutes les réservations à venir de la série ont été annulées." in await page.locator("main").inner_text()
    assert any("série" in asked for asked in page.dialogs.asked)
