"""A new co-operative, from the operator's one command to its members online, in the pages only:
`solidaire tenants create --admin-email` invites the first administrator; she chooses her password
from the e-mail, sets the organisation up (address, $50 shares, the person in charge of personal
information), the by-laws of its meetings and its billing, imports the register from a CSV file,
and puts every member with an address online; a member accepts on her phone and lands at home;
the audit log shows it all in words. Each page on the way has no accessibility violation (axe,
WCAG 2.1 A and AA). Headless Chromium; the e-mails are read from the outbox."""

import re
import secrets

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_accessibility import wcag_violations
from tests.e2e.test_invitation_in_browser import last_mail

pytestmark = [pytest.mark.live, ON_SQLITE]

REGISTER = (
    "last_name,first_name,street,city,region,postal_code,category,shares_subscribed,email\n"
    "Bédard,Ève,1 rue des Érables,Shawinigan,QC,G9N 1A1,user,1,{email}\n"
    "Blais,Léo,2 rue des Pins,Shawinigan,QC,G9N 1A2,worker,2,\n"
)


async def choose_password(page, server: str, server_env, slug: str, email: str, password: str) -> None:
    link = re.search(r"https?://[^/\s]+(/t/[a-z0-9-]+/password\?token=\S+)", last_mail(server_env, email, slug)).group(1)
    await page.context.clear_cookies()
    await page.goto(f"{server}{link}")
    await page.get_by_label(re.compile("Nouveau mot de passe", re.I)).fill(password)
    await page.get_by_role("button", name=re.compile("Enregistrer mon mot de passe")).click()
    await page.wait_for_url(re.compile(rf"/t/{slug}/\?welcome=1$"))


async def save(page, action: str, fields: dict[str, str]) -> str:
    form = page.locator(f"main form[action$='{action}']").first
    for name, value in fields.items():
        await form.locator(f"[name={name}]").fill(value)
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()
    return await page.locator("main").inner_text()


async def test_a_new_coop_is_set_up_and_put_online_from_its_pages(server, server_env, solidaire, browser_page, tmp_path):
    page, slug, axe, found = browser_page, f"coop-{secrets.token_hex(3)}", Axe(), []
    admin, member = f"helene@{slug}.exemple", f"eve@{slug}.exemple"
    solidaire("tenants", "create", "--slug", slug, "--name", "Coop santé des Chenaux", "--admin-email", admin, "--admin-name", "Hélène Trudel")
    await choose_password(page, server, server_env, slug, admin, "une coop qui démarre bien")
    assert "Bienvenue, Hélène Trudel" in await page.locator("main").inner_text()

    await page.goto(f"{server}/t/{slug}/organisation")
    shown = await save(page, "/organisation", {
        "address": "50, rue Principale\nSainte-Geneviève-de-Batiscan (Québec) G0X 2R0", "share_price": "50,00",
        "privacy_officer_name": "Secrétaire du conseil", "privacy_officer_email": f"vie-privee@{slug}.exemple",
    })
    assert "ont été enregistrés" in shown
    assert f"vie-privee@{slug}.exemple" in await page.locator("footer").inner_text()
    found += await wcag_violations(page, axe)

    await page.goto(f"{server}/t/{slug}/meetings/settings")
    assert "ont été enregistrés" in await save(page, "/meetings/settings", {"general_notice_days": "15"})
    found += await wcag_violations(page, axe)

    await page.goto(f"{server}/t/{slug}/billing/settings")
    lacking = "Les factures partent sans ces renseignements"
    assert lacking in await page.locator("main").inner_text()  # what the invoices lack, until it is set
    shown = await save(page, "/billing/settings/", {
        "legal_name": "Coopérative de solidarité santé des Chenaux", "address": "50, rue Principale\nSainte-Geneviève-de-Batiscan (Québec) G0X 2R0",
        "gst_number": "812345678 RT0001", "qst_number": "1223456789 TQ0001",
    })
    assert "enregistrés" in shown and lacking not in shown
    found += await wcag_violations(page, axe)

    register = tmp_path / "registre.csv"
    register.write_text(REGISTER.format(email=member), encoding="utf-8")
    await page.goto(f"{server}/t/{slug}/members/import")
    await page.locator("#f-file").set_input_files(str(register))
    await page.locator("#f-dry_run").uncheck()
    await page.get_by_role("button", name="Envoyer le fichier").click()
    await page.wait_for_load_state()
    assert "2" in await page.locator("main").inner_text()
    found += await wcag_violations(page, axe)
    await page.goto(f"{server}/t/{slug}/members")
    listed = await page.locator("main table tbody").inner_text()
    assert listed.index("Bédard") < listed.index("Blais")  # as a French reader sorts them

    await page.get_by_role("button", name=re.compile("Envoyer 1 invitation")).click()  # the page asks first (answered yes)
    await page.wait_for_load_state()
    assert "1 invitation à se connecter a été envoyée" in await page.locator("[role=status]").first.inner_text()

    await page.set_viewport_size({"width": 390, "height": 844})  # Ève, on her phone
    await choose_password(page, server, server_env, slug, member, "mes parts de la coop")
    main = await page.locator("main").inner_text()
    assert "Bienvenue, Ève Bédard" in main and "Votre adhésion" in main
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    found += await wcag_violations(page, axe)

    await page.context.clear_cookies()
    await page.goto(f"{server}/t/{slug}/login")
    await page.locator("#f-email").fill(admin)
    await page.locator("#f-password").fill("une coop qui démarre bien")
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_load_state()
    await page.goto(f"{server}/t/{slug}/audit/")
    log = await page.locator("main table").inner_text()
    for done in ("Paramètres de l’organisation modifiés", "Paramètres de facturation modifiés", "Membre admis", "Membre invité à se connecter", "Mot de passe choisi"):
        assert done in log, done
    found += await wcag_violations(page, axe)
    assert found == [], "\n".join(found)
