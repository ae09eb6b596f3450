"""The partner program in headless Chromium, on a phone: a new person applies through the public
form of ciusss-mcq, the coordinator moves the application to active through the pages, and the
published minutes show the partners who did not consent only by their role; a partner logs hours
and a claim with its receipt, the coordinator approves it and publishes minutes through the pages."""

import asyncio
import re
import time
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.async_playwright import Axe

from governance.partners import rules
from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_accessibility import sign_in, wcag_violations

pytestmark = [pytest.mark.live, ON_SQLITE]
SLUG = "ciusss-mcq"


async def test_a_new_person_applies_and_the_coordinator_makes_them_active(server, browser_page):
    page = browser_page
    await page.goto(f"{server}/t/{SLUG}/public/apply")
    opened = time.monotonic()
    form = page.locator(f"form[action='/t/{SLUG}/public/apply']")
    for name, value in {"first_name": "Solange", "last_name": "Vaillancourt", "email": "solange.vaillancourt@exemple.ca", "city": "Nicolet"}.items():
        await form.locator(f"[name={name}]").fill(value)
    await form.locator("[name=kind]").select_option("relative_resource")
    for box in ("experience_areas-relative_care", "languages-fr", "availability-weekday_evening", "contributions-committees"):
        await form.locator(f"#f-{box}").check()
    await form.locator("[name=consent_contact]").check()
    # A person takes longer than the anti-spam minimum to fill the form; a robot does not.
    await asyncio.sleep(max(0.0, rules.MIN_FILL_SECONDS + 0.5 - (time.monotonic() - opened)))
    await form.get_by_role("button", name="Envoyer ma candidature").click()
    await page.wait_for_load_state()
    received = await page.locator("main").inner_text()
    number = re.search(r"\b(\d+)\b", received)
    assert "Merci" in received and number

    await page.goto(f"{server}/t/{SLUG}/program/pipeline")
    assert "/login" in page.url
    await page.get_by_label(re.compile("courriel", re.I)).fill("coordination@solidaire.demo")
    await page.get_by_label(re.compile("mot de passe", re.I)).fill("solidaire-demo")
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/program/pipeline/?$"))
    pipeline = await page.locator("main").inner_text()
    assert "En retard" in pipeline  # the demo's overdue application is flagged
    row = await page.locator("main tr", has_text="Solange Vaillancourt").inner_text()
    assert row.split()[0] == number.group(1) and "Reçue" in row
    await page.get_by_role("link", name="Solange Vaillancourt").click()
    await page.wait_for_url(re.compile(r"/program/partners/[0-9a-f-]{36}$"))
    for stage in ("called", "interview", "training", "active"):
        await page.locator("#f-stage").select_option(stage)
        await page.locator("form[action$='/stage'] button[type=submit]").click()
        await page.wait_for_load_state()
        assert "Solange Vaillancourt" in await page.locator("h1").inner_text()
    lead = await page.locator("main .lead").inner_text()
    assert "Proche-ressource" in lead and "Actif" in lead
    history = await page.locator("main ol").last.inner_text()
    assert history.count("—") >= 5  # received, called, interview, training, active

    await page.goto(f"{server}/t/{SLUG}/public/committees")
    await page.get_by_role("link", name=re.compile("Comité des usagers")).first.click()
    await page.wait_for_url(re.compile(r"/public/committees/minutes/[0-9a-f-]{36}$"))
    minutes = await page.locator("main").inner_text()
    assert "Réjean Lampron" in minutes  # the chair consented to their name
    assert re.search(r"Usager-ressource \d", minutes)  # the others appear by their role
    assert "Désaulniers" not in minutes  # the partner login sits on this committee without consenting


async def submit(page, button, url) -> None:
    """Clicks a form's button and waits for the page it leads to (a redirect, or the form again),
    matched on its path: the pages come back with what was done (?done=…) and where (#section)."""
    async with page.expect_navigation():
        await button.click()
    await page.wait_for_url(lambda address: bool(url.search(urlsplit(address).path)))


async def test_a_partner_logs_hours_and_a_claim_and_the_coordinator_publishes_minutes_by_role(server, browser_page):
    page = browser_page
    await page.goto(f"{server}/t/{SLUG}/program/me/hours")
    assert "/login" in page.url
    await page.get_by_label(re.compile("courriel", re.I)).fill("partenaire@ciusss-mcq.demo")
    await page.get_by_label(re.compile("mot de passe", re.I)).fill("solidaire-demo")
    await submit(page, page.locator("form[action$='/login'] button[type=submit]"), re.compile(r"/program/me/hours/?$"))
    hours = page.locator(f"form[action='/t/{SLUG}/program/me/hours']")
    await hours.locator("[name=activity]").select_option("review")
    await hours.locator("[name=hours]").fill("1,5")
    await hours.locator("[name=description]").fill("Relecture du guide d'accueil en navigateur")
    await submit(page, hours.get_by_role("button", name="Inscrire ces heures"), re.compile(r"/program/me/hours/?$"))
    row = await page.locator("main tr", has_text="Relecture du guide d'accueil en navigateur").inner_text()
    assert "1.5" in row.replace(",", ".") and "Soumis" in row

    await page.goto(f"{server}/t/{SLUG}/program/me/claims")
    claim = page.locator(f"form[action='/t/{SLUG}/program/me/claims']")
    await claim.locator("[name=starts_at]").fill("09:00")
    await claim.locator("[name=ends_at]").fill("11:00")
    await claim.locator("[name=description]").fill("Comité des usagers — essai navigateur")
    await claim.locator("[name=transit_amount]").fill("3,50")
    await submit(page, claim.get_by_role("button", name="Envoyer la demande"), re.compile(r"/program/me/claims/?$"))
    mine = page.locator("main section.card", has_text="Comité des usagers — essai navigateur")
    assert "3,50" in await mine.inner_text()
    await mine.locator("input[type=file]").set_input_files(files=[{"name": "recu-autobus.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% recu\n"}])
    await submit(page, mine.get_by_role("button", name="Envoyer le reçu"), re.compile(r"/program/me/claims/?$"))
    assert "recu-autobus.pdf" in await page.locator("main section.card", has_text="Comité des usagers — essai navigateur").inner_text()

    # The coordinator approves the claim, then publishes the minutes circulated for comments.
    await page.context.clear_cookies()
    await page.goto(f"{server}/t/{SLUG}/program/approvals")
    await page.get_by_label(re.compile("courriel", re.I)).fill("coordination@solidaire.demo")
    await page.get_by_label(re.compile("mot de passe", re.I)).fill("solidaire-demo")
    await submit(page, page.locator("form[action$='/login'] button[type=submit]"), re.compile(r"/program/approvals/?$"))
    waiting = page.locator("main div.card", has_text="Comité des usagers — essai navigateur")
    await submit(page, waiting.get_by_role("button", name="Approuver la demande"), re.compile(r"/program/approvals/?$"))
    assert await page.locator("main div.card", has_text="Comité des usagers — essai navigateur").count() == 0

    await page.goto(f"{server}/t/{SLUG}/program/committees")
    await page.get_by_role("link", name="Comité des usagers du CIUSSS MCQ").click()
    await page.locator("main li", has_text="Diffusé pour commentaires").get_by_role("link").click()
    await page.wait_for_url(re.compile(r"/program/meetings/[0-9a-f-]{36}$"))
    for step in ("Approuver le procès-verbal", "Publier le procès-verbal"):  # each asks first (answered yes)
        await submit(page, page.locator("form[action$='/minutes/status']").get_by_role("button", name=step), re.compile(r"/program/meetings/[0-9a-f-]{36}$"))
    await page.get_by_role("link", name="Voir le procès-verbal public").click()
    await page.wait_for_url(re.compile(r"/public/committees/minutes/[0-9a-f-]{36}$"))
    minutes = await page.locator("main").inner_text()
    assert re.search(r"Usager-ressource \d", minutes) and "Désaulniers" not in minutes


async def test_the_coordinators_new_pages_and_refused_forms_have_no_serious_accessibility_violation(server, browser_page):
    page, axe, found = browser_page, Axe(), []
    await sign_in(page, server, SLUG, "admin@ciusss-mcq.demo")
    base = f"{server}/t/{SLUG}/program"
    for path in ("/trainings", "/matching?kind=committee_seat&areas=oncology&language=fr", "/follow-up", "/committees"):
        response = await page.goto(base + path)
        assert response.status == 200, path
        found += await wcag_violations(page, axe)
    await page.goto(base + "/trainings")
    await page.locator("main table a").first.click()
    await page.wait_for_url(re.compile(r"/program/trainings/[0-9a-f-]{36}$"))
    training = page.url
    found += await wcag_violations(page, axe)
    await page.goto(base + "/follow-up")
    await page.locator("main table a").first.click()
    await page.wait_for_url(re.compile(r"/program/partners/[0-9a-f-]{36}$"))
    found += await wcag_violations(page, axe)
    # A refused form comes back in place, its fields marked and described.
    form = page.locator("form[action$='/pledges']")
    await form.locator("[name=signed_on]").fill("2999-01-01")
    await submit(page, form.locator("button[type=submit]"), re.compile(r"/pledges$"))
    assert await page.locator("#f-signed_on[aria-invalid=true]").count() == 1 and await page.locator("#error-summary").count() == 1
    found += await wcag_violations(page, axe)
    await page.goto(training)
    session = page.locator("form[action$='/sessions']")
    if await session.count():  # the next training is open: a session ending before it starts is refused
        await session.locator("[name=starts_at]").fill("2030-03-12T15:00")
        await session.locator("[name=ends_at]").fill("2030-03-12T13:00")
        await session.locator("[name=place]").fill("Salle")
        await session.locator("[name=trainers]").fill("Ginette")
        await submit(page, session.locator("button[type=submit]"), re.compile(r"/sessions$"))
        assert await page.locator("#f-ends_at[aria-invalid=true]").count() == 1
        found += await wcag_violations(page, axe)
    assert found == [], "\n".join(found)
