"""The administrator admits a member and invites them from their entry; the member opens the
e-mailed link on a phone, chooses a password and lands on their home page, signed in; the people
page then lists them as active. Headless Chromium, pages only (the e-mail is read from the
server's outbox, where it waits when no mail server is configured)."""

import re
import secrets
import subprocess
import sys

import pytest

from tests.e2e.conftest import ON_SQLITE

pytestmark = [pytest.mark.live, ON_SQLITE]

SLUG = "coop-shawinigan"

# The text of the last e-mail queued for an address in an organisation's outbox.
LAST_MAIL = """
import sys
from email import message_from_bytes
from email.policy import default
from backend import db
from backend.cli import run_with_engine
from backend.mail import MailMessage
from tenants.cli import tenant_named

async def work(engine, settings):
    tenant = await tenant_named(sys.argv[1])
    async with db.tenant_transaction(engine, tenant.id, write=False):
        row = await MailMessage.select(MailMessage.message).where(
            (MailMessage.tenant_id == tenant.id) & (MailMessage.recipient == sys.argv[2])
        ).order_by(MailMessage.queued_at, ascending=False).first()
    print(message_from_bytes(bytes(row["message"]), policy=default).get_body(("plain",)).get_content())

run_with_engine(work)
"""


def last_mail(server_env, email: str, slug: str = SLUG) -> str:
    done = subprocess.run([sys.executable, "-c", LAST_MAIL, slug, email], env=server_env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def sign_in(page, server: str, email: str) -> None:
    await page.goto(f"{server}/t/{SLUG}/login")
    await page.get_by_label(re.compile("courriel", re.I)).fill(email)
    await page.get_by_label(re.compile("mot de passe", re.I)).fill("solidaire-demo")
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_load_state()


async def test_the_administrator_invites_a_member_who_accepts_on_a_phone(server, server_env, browser_page):
    page = browser_page
    email = f"rosalie.{secrets.token_hex(3)}@exemple.ca"
    await sign_in(page, server, "admin@coop-shawinigan.demo")
    await page.goto(f"{server}/t/{SLUG}/members/new")
    form = page.locator("form[action$='/members/new']")
    for name, value in {
        "first_name": "Rosalie", "last_name": "Bellerive", "email": email, "street": "1200, rue Trudel", "city": "Shawinigan",
        "region": "QC", "postal_code": "G9N 5T2", "shares_subscribed": "1", "shares_paid": "1",
    }.items():
        await form.locator(f"[name={name}]").fill(value)
    await form.locator("[name=category]").select_option("user")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(rf"/t/{SLUG}/members/[0-9a-f-]{{36}}$"))

    await page.get_by_role("button", name=re.compile("Inviter à se connecter")).click()
    await page.wait_for_url(re.compile(r"\?invited=1$"))
    assert email in await page.locator("[role=status]").first.inner_text()

    # The member, on her phone: the link of the e-mail (its path on this server), a password.
    text = last_mail(server_env, email)
    assert "Choisissez votre mot de passe" in text or "mot de passe" in text
    link = re.search(r"https?://[^/\s]+(/t/[a-z0-9-]+/password\?token=\S+)", text).group(1)
    await page.context.clear_cookies()
    await page.goto(f"{server}{link}")
    await page.get_by_label(re.compile("Nouveau mot de passe", re.I)).fill("la coop sur mon téléphone")
    await page.get_by_role("button", name=re.compile("Enregistrer mon mot de passe")).click()
    await page.wait_for_url(re.compile(rf"/t/{SLUG}/\?welcome=1$"))
    main = await page.locator("main").inner_text()
    assert "Bienvenue, Rosalie Bellerive" in main and "vous êtes connecté" in main
    assert "Votre adhésion" in main  # her own entry, linked to the login
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"

    # The link works once: opened again, it is refused in words.
    await page.context.clear_cookies()
    await page.goto(f"{server}{link}")
    await page.get_by_label(re.compile("Nouveau mot de passe", re.I)).fill("une autre phrase encore")
    await page.get_by_role("button", name=re.compile("Enregistrer mon mot de passe")).click()
    assert "Ce lien n’est plus valide" in await page.locator("main").inner_text()

    # The administrator sees her active, signed in.
    await sign_in(page, server, "admin@coop-shawinigan.demo")
    await page.goto(f"{server}/t/{SLUG}/people?show=active")
    row = page.locator("main table tbody tr", has_text=email)
    assert await row.count() == 1 and "Jamais" not in await row.inner_text()
