"""A member follows a meeting on a phone: the page reloads by itself when the secretary opens a vote
(its script watches the meeting's state), the ballot comes first; without JavaScript the page
reloads on its own once nothing waits to be filled in. After the close the member checks their
receipt in a page: in the box, at its position, counted, with the chain's head."""

import re

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_accessibility import wcag_violations
from tests.e2e.test_meetings_in_browser import SLUG, member_numbers, sign_in, submit

pytestmark = [pytest.mark.live, ON_SQLITE]  # the page's reloading, not the database: on the default one


async def test_the_members_page_follows_the_vote_and_the_receipt_is_checked(server, browser_page, solidaire):
    page = browser_page
    await sign_in(page, server, "secretariat@coop-shawinigan.demo")
    (josee,) = await member_numbers(page, server, "q=lacerte")
    others = [n for n in await member_numbers(page, server, "status=active") if n != josee][:2]
    await page.goto(f"{server}/t/{SLUG}/meetings")
    form = page.locator("form[action$='/meetings']")
    await form.locator("[name=kind]").select_option("special_general")
    await form.locator("[name=title]").fill("Assemblée en ligne sur le règlement 8")
    await form.locator("[name=starts_at]").fill("2031-03-11T19:00")
    await form.locator("[name=video_url]").fill("https://visio.exemple.ca/reglement-8")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/meetings/[0-9a-f-]{36}/console$"))
    console = page.url
    await submit(page, "/session")
    for number in others:
        await page.locator("form[action$='/attendance'] [name=member_number]").fill(number)
        await page.locator("form[action$='/attendance'] button[value=true]").click()
        await page.wait_for_load_state()

    phone = await page.context.browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
    member = await phone.new_page()
    await sign_in(member, server, "membre@coop-shawinigan.demo")
    await member.goto(console.removesuffix("/console"))
    assert "se met à jour d'elle-même" in await member.locator("main").inner_text()
    await member.get_by_role("button", name="Enregistrer mon arrivée").click()  # from afar: the meeting has a video link
    await member.wait_for_load_state()

    await page.goto(console)
    await page.locator("form[action$='/votes'] [name=question]").fill("Adopter le règlement 8?")
    await submit(page, "/votes")
    await submit(page, "/open")
    # The member's page reloads by itself and puts the ballot first.
    await member.wait_for_selector("#ballots input[value=yes]", timeout=20_000)
    headings = await member.locator("main h2").all_inner_texts()
    assert headings.index("Votes") < headings.index("Avis de convocation"), headings
    axe = Axe()
    found = await wcag_violations(member, axe)  # the ballot, on the phone
    await member.get_by_label("Pour", exact=True).check()
    await member.get_by_role("button", name="Déposer mon bulletin").click()
    await member.wait_for_load_state()
    code = (await member.locator(".receipt-code").inner_text()).strip()

    no_script = await page.context.browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    plain = await no_script.new_page()
    await sign_in(plain, server, "membre@coop-shawinigan.demo")
    await plain.goto(console.removesuffix("/console"))
    assert "Vous avez voté." in await plain.locator("main").inner_text()
    await page.goto(console)
    page.dialogs.refuse_next = 0
    await submit(page, "/close")
    # Without JavaScript the page reloads on its own (every 20 s) and shows the results' link.
    await plain.wait_for_selector("text=Voir les résultats", timeout=30_000)
    await no_script.close()

    await member.get_by_role("link", name="Vérifier mon reçu après la fermeture").click()
    await member.wait_for_load_state()
    await member.get_by_label("Votre code de reçu").fill(code.lower())
    await member.get_by_role("button", name="Vérifier", exact=True).click()
    await member.wait_for_load_state()
    said = await member.locator("main").inner_text()
    assert re.search(r"Votre bulletin est dans l'urne, à la position \d+, compté\.", said), said
    assert re.search(r"Tête de la chaîne : [0-9a-f]{64}", said) and "solidaire votes verify --box" in said
    found += await wcag_violations(member, axe)  # the receipt's check
    assert found == [], "\n".join(found)
    await phone.close()
