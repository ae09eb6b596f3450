"""The secretary of the demo co-op runs an annual general meeting through the pages, on a phone, as
it goes in a room: a motion moved and seconded, an amendment to it moved and seconded, each put to a
show of hands and counted by the scrutineers, then certified; the adopted motion becomes a numbered
resolution, in the register of resolutions and in the minutes. No API call, no command line; each
page on the way has no accessibility violation (axe, WCAG 2.1 A and AA)."""

import re

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_accessibility import wcag_violations
from tests.e2e.test_meetings_in_browser import SLUG, member_numbers, sign_in, submit

# The pages, on the default database; the counts and numbering run on both in tests/meetings/.
pytestmark = [pytest.mark.live, ON_SQLITE]

MOTION = "Adopter les états financiers de l'exercice 2030"
AMENDMENT = "Ajouter : tels que vérifiés par l'auditeur"


async def record_motion(page, text: str, mover: str, seconder: str, amends: str | None = None) -> None:
    form = page.locator("form[action$='/motions']")
    await form.locator("[name=text]").fill(text)
    await form.locator("[name=proposer_number]").fill(mover)
    await form.locator("[name=seconder_number]").fill(seconder)
    if amends:
        await form.locator("[name=amends_id]").select_option(label=amends)
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()


async def hands_vote(page, console: str, motion_text: str, yes: int, no: int) -> None:
    """Puts the motion to a show of hands, opens and closes it, enters the scrutineers' count and
    certifies the result."""
    motion = page.locator("#motions article", has_text=motion_text).last
    await motion.locator("select[name=mode]").select_option("hands")
    await motion.get_by_role("button", name="Mettre aux voix").click()
    await page.wait_for_load_state()
    vote = page.locator("#votes article", has_text=motion_text).last
    await vote.get_by_role("button", name="Ouvrir le vote").click()
    await page.wait_for_load_state()
    await page.locator("#votes article", has_text=motion_text).last.get_by_role("button", name="Fermer le vote").click()
    await page.wait_for_load_state()
    counting = page.locator("form[action$='/room-count']")
    await counting.locator("[name=yes]").fill(str(yes))
    await counting.locator("[name=no]").fill(str(no))
    await counting.locator("button[type=submit]").click()
    await page.wait_for_load_state()
    await page.locator("#votes article", has_text=motion_text).last.get_by_role("button", name="Certifier le résultat").click()
    await page.wait_for_load_state()
    assert page.url.startswith(console)


async def test_an_annual_meeting_adopts_an_amended_motion_that_becomes_a_numbered_resolution(server, browser_page):
    page, axe, found = browser_page, Axe(), []
    await sign_in(page, server, "secretariat@coop-shawinigan.demo")
    present = (await member_numbers(page, server, "status=active"))[:3]
    await page.goto(f"{server}/t/{SLUG}/meetings")
    form = page.locator("form[action$='/meetings']")
    await form.locator("[name=kind]").select_option("annual_general")
    await form.locator("[name=title]").fill("Assemblée générale annuelle 2031")
    await form.locator("[name=starts_at]").fill("2031-06-12T19:00")
    await form.locator("[name=place]").fill("Salle communautaire")
    await form.locator("[name=agenda]").fill("Ouverture\nÉtats financiers 2030\nLevée")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/meetings/[0-9a-f-]{36}/console$"))
    console = page.url
    await submit(page, "/notice")
    await submit(page, "/session")  # before its date: it asks first (the dialog is accepted)
    for number in present:
        await page.locator("form[action$='/attendance'] [name=member_number]").fill(number)
        await page.locator("form[action$='/attendance'] button[value=true]").click()
        await page.wait_for_load_state()
    assert "Le quorum est atteint." in await page.locator("main").inner_text()

    await record_motion(page, MOTION, present[0], present[1])
    await record_motion(page, AMENDMENT, present[1], present[2], amends=MOTION)
    motions = await page.locator("#motions").inner_text()
    assert re.search(r"Amendement\s?:", motions) and AMENDMENT in motions
    found += await wcag_violations(page, axe)

    await hands_vote(page, console, AMENDMENT, yes=3, no=0)
    await hands_vote(page, console, MOTION, yes=2, no=1)
    adopted = page.locator("#motions article", has_text=MOTION).first
    said = await adopted.inner_text()
    number = re.search(r"Résolution (\S+)", said)
    assert "Adoptée" in said and number, said
    found += await wcag_violations(page, axe)

    await page.goto(f"{server}/t/{SLUG}/resolutions")
    register = page.locator("main table tbody tr", has_text=MOTION)
    assert await register.count() == 1 and number.group(1) in await register.inner_text()
    found += await wcag_violations(page, axe)

    await page.goto(console)
    await submit(page, "/session")  # adjourned
    await page.goto(console.removesuffix("/console") + "/minutes")
    await submit(page, "/minutes")
    body = await page.locator("[name=body]").input_value()
    assert MOTION in body and number.group(1) in body, body
    found += await wcag_violations(page, axe)
    assert found == [], "\n".join(found)
