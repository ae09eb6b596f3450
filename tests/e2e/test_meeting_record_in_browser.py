"""The meeting's record in headless Chromium, on the demo co-op: a member shows the QR code of
her meeting card; at the door the secretary's console takes the scanned token as a USB scanner
types it (characters then Enter) and checks her in; the projector, open in another window, updates
by itself; the member requests a special meeting online and has signed it."""

import re

import pytest

from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_meetings_in_browser import SLUG, sign_in, submit

pytestmark = [pytest.mark.live, ON_SQLITE]


async def test_check_in_by_scanning_the_card_and_the_projector_follows(server, browser_page):
    page = browser_page
    member_context = await page.context.browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
    member = await member_context.new_page()
    await sign_in(member, server, "membre@coop-shawinigan.demo")
    await member.goto(f"{server}/t/{SLUG}/meetings/card")
    assert await member.locator("main .qr svg").count() == 1
    token = (await member.locator("main code").inner_text()).strip()
    assert re.fullmatch(r"SOL-\d+-[A-Z2-7]{16}", token)

    await sign_in(page, server, "secretariat@coop-shawinigan.demo")
    await page.goto(f"{server}/t/{SLUG}/meetings")
    form = page.locator("form[action$='/meetings']")
    await form.locator("[name=kind]").select_option("board")
    await form.locator("[name=title]").fill("Conseil d'administration de mars")
    await form.locator("[name=starts_at]").fill("2031-03-12T18:30")
    await form.locator("[name=place]").fill("Salle du conseil")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/meetings/[0-9a-f-]{36}/console$"))
    console = page.url
    await submit(page, "/session")

    projector_page = await page.context.new_page()
    await projector_page.goto(console.removesuffix("/console") + "/projector")
    present = projector_page.locator("main .figure").first
    assert (await present.inner_text()).strip() == "0"

    scanner = page.locator("form[action$='/scan'] [name=code]")
    assert await scanner.evaluate("field => field === document.activeElement")  # ready for the scanner
    await page.keyboard.type(token)
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/console\?scanned=\d+"))
    assert "enregistré" in await page.locator("form[action$='/scan'] [role=status]").inner_text()
    # The projector reloads by itself and shows the new count.
    await projector_page.wait_for_function("() => document.querySelector('main .figure').textContent.trim() === '1'", timeout=15_000)

    await member.goto(console.removesuffix("/console"))
    assert "Votre présence est enregistrée." in await member.locator("main").inner_text()
    await member.goto(f"{server}/t/{SLUG}/requisitions")
    await member.get_by_label(re.compile("Objet de l'assemblée")).fill("Modifier le règlement sur les parts de qualification")
    await member.get_by_role("button", name="Envoyer et signer la demande").click()
    await member.wait_for_load_state()
    assert "Vous avez signé cette demande." in await member.locator("main").inner_text()
    await member_context.close()
