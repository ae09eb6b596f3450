"""An election of directors through the pages, in headless Chromium: the secretary sets it up from
the console, a member nominates two others, the secretary records their acceptance and opens the
vote; the member votes with the keyboard only and gets a receipt; the secretary closes the vote and
the results show who is elected, with the chart and the seed of the draw."""

import re

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_accessibility import wcag_violations
from tests.e2e.test_meetings_in_browser import SLUG, member_numbers, sign_in, submit

pytestmark = [pytest.mark.live, ON_SQLITE]


async def test_an_election_by_keyboard(server, browser_page):
    page, axe, violations = browser_page, Axe(), []
    await sign_in(page, server, "secretariat@coop-shawinigan.demo")
    (josee,) = await member_numbers(page, server, "q=lacerte")
    # A board meeting seats the directors: two of the demo's others.
    await page.goto(f"{server}/t/{SLUG}/directors")
    seated = re.findall(r"\((\d+)\)", " ".join(await page.locator("main table tbody tr td:first-child").all_inner_texts()))
    others = [n for n in seated if n != josee][:2]
    assert josee in seated and len(others) == 2, seated

    await page.goto(f"{server}/t/{SLUG}/meetings")
    form = page.locator("form[action$='/meetings']")
    await form.locator("[name=kind]").select_option("board")
    await form.locator("[name=title]").fill("Conseil : élection au poste vacant")
    await form.locator("[name=starts_at]").fill("2031-05-12T18:30")
    await form.locator("[name=place]").fill("Salle du conseil")
    await form.locator("[name=agenda]").fill("Ouverture\nÉlection\nLevée")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/meetings/[0-9a-f-]{36}/console$"))
    console = page.url
    await submit(page, "/session")
    for number in (josee, *others):
        await page.locator("form[action$='/attendance'] [name=member_number]").fill(number)
        await page.locator("form[action$='/attendance'] button[value=true]").click()
        await page.wait_for_url(console + "?done=attendance#attendance")  # back to the section, saying what was done

    setup = page.locator("form[action$='/elections']")
    await setup.locator("[name=title]").fill("Poste d'administrateur")
    await setup.locator("[name=agenda_item_id]").select_option(label="2. Élection")
    await setup.locator("[name=seats]").fill("1")
    await setup.locator("[name=nominations_close_at]").fill("2031-05-12T18:00")
    await setup.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/elections/[0-9a-f-]{36}\?done=created$"))
    election = page.url.split("?")[0]

    member_context = await page.context.browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
    member = await member_context.new_page()
    await sign_in(member, server, "membre@coop-shawinigan.demo")
    for number in others:
        await member.goto(election)
        await member.get_by_label("Numéro de membre de la personne proposée").fill(number)
        await member.get_by_role("button", name="Proposer").click()
        await member.wait_for_url(election + "?done=nominated#candidates")
    await page.goto(election)
    for _ in others:
        await page.get_by_role("button", name="Inscrire l'acceptation").first.click()
        await page.wait_for_url(election + "?done=accepted#candidates")
    await submit(page, "/open")

    await member.goto(election)
    violations += await wcag_violations(member, axe)  # the ballot
    await member.get_by_label(re.compile(r"^1\. ")).focus()
    await member.keyboard.press("Space")
    await member.get_by_role("button", name="Déposer mon bulletin").focus()
    await member.keyboard.press("Enter")
    await member.wait_for_load_state()
    assert re.search(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", await member.locator(".receipt-code").inner_text())
    await member_context.close()

    await page.goto(election)
    await submit(page, "/close")
    await page.goto(election)
    results = await page.locator("main").inner_text()
    assert "Élus :" in results and "Graine du tirage" in results and await page.locator("main svg").count() == 1
    violations += await wcag_violations(page, axe)  # the results
    for path in (console, f"{server}/t/{SLUG}/consultations"):  # the console with its election form; consultations
        await page.goto(path)
        violations += await wcag_violations(page, axe)
    assert violations == []
