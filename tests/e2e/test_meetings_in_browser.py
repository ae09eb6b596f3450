"""The secretary of the demo co-op runs a small meeting through the pages, in headless Chromium on a
phone: calls it, sends the notice, opens it, checks members in (the quorum follows), prepares and
opens a secret vote; three members cast their ballots and get receipts; the secretary closes and
certifies the vote, the results show the chart; the meeting is adjourned and the minutes drafted,
approved and printed. The server has no SMTP: the notices wait in the outbox."""

import re

import pytest

from tests.e2e.conftest import ON_SQLITE

# The pages, on the default database; the secret vote on PostgreSQL runs in process
# (tests/meetings) and across two servers (test_many_processes.py).
pytestmark = [pytest.mark.live, ON_SQLITE]
SLUG = "coop-shawinigan"


async def sign_in(page, server, email: str) -> None:
    await page.goto(f"{server}/t/{SLUG}/login")
    await page.get_by_label(re.compile("courriel", re.I)).fill(email)
    await page.get_by_label(re.compile("mot de passe", re.I)).fill("solidaire-demo")
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_load_state()


async def member_numbers(page, server, query: str) -> list[str]:
    await page.goto(f"{server}/t/{SLUG}/members?{query}")
    # Each row's first number cell: its member number (a first cell ticks the member to invite).
    numbers = await page.locator("main table tbody tr").evaluate_all("rows => rows.map(row => row.querySelector('td.num')?.innerText ?? '')")
    return [number.strip() for number in numbers if number.strip()]


async def submit(page, action_suffix: str) -> None:
    await page.locator(f"form[action$='{action_suffix}'] button[type=submit]").first.click()
    await page.wait_for_load_state()


async def test_the_secretary_runs_a_small_meeting_through_the_pages(server, browser_page, solidaire):
    page = browser_page
    await sign_in(page, server, "secretariat@coop-shawinigan.demo")
    (josee,) = await member_numbers(page, server, "q=lacerte")
    others = [n for n in await member_numbers(page, server, "status=active") if n != josee][:2]
    # Two more members get a login from the operator's command line, as a co-op would hand them out.
    for number in others:
        solidaire("users", "create", "--email", f"membre-{number}@exemple.demo", "--name", f"Membre {number}", "--tenant", SLUG,
                  "--role", "member", SOLIDAIRE_PASSWORD="solidaire-demo")
        solidaire("members", "link", "--tenant", SLUG, "--number", number, "--email", f"membre-{number}@exemple.demo")

    await page.goto(f"{server}/t/{SLUG}/meetings")
    form = page.locator("form[action$='/meetings']")
    await form.locator("[name=kind]").select_option("special_general")
    await form.locator("[name=title]").fill("Assemblée extraordinaire sur le règlement 7")
    await form.locator("[name=starts_at]").fill("2031-03-10T18:30")
    await form.locator("[name=place]").fill("Salle communautaire")
    await form.locator("[name=agenda]").fill("Ouverture\nRèglement 7\nLevée")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/meetings/[0-9a-f-]{36}/console$"))
    console = page.url

    await submit(page, "/notice")
    assert "En attente" in await page.locator("main").inner_text()  # the delivery log: in the outbox
    await submit(page, "/session")
    assert "Le quorum n'est pas atteint." in await page.locator("main").inner_text()
    for number in (josee, *others):
        await page.locator("form[action$='/attendance'] [name=member_number]").fill(number)
        await page.locator("form[action$='/attendance'] button[value=true]").click()
        await page.wait_for_url(console + "?done=attendance#attendance")  # back to the section, saying what was done
    assert "Le quorum est atteint." in await page.locator("main").inner_text()

    await page.locator("form[action$='/votes'] [name=question]").fill("Adopter le règlement 7?")
    await submit(page, "/votes")
    await submit(page, "/open")

    ballots = {"membre@coop-shawinigan.demo": "Pour", f"membre-{others[0]}@exemple.demo": "Pour", f"membre-{others[1]}@exemple.demo": "Contre"}
    for email, choice in ballots.items():
        member_context = await page.context.browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844})
        member = await member_context.new_page()
        await sign_in(member, server, email)
        await member.goto(console.removesuffix("/console"))
        await member.get_by_label(choice, exact=True).check()
        await member.get_by_role("button", name="Déposer mon bulletin").click()
        await member.wait_for_load_state()
        assert re.search(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", await member.locator(".receipt-code").inner_text())
        await member_context.close()

    await page.goto(console)
    page.dialogs.refuse_next = 1  # closing cannot be undone: it asks, and "no" changes nothing
    await submit(page, "/close")
    assert "Fermer le vote" in page.dialogs.asked[-1] and await page.locator("form[action$='/close']").count() == 1
    await submit(page, "/close")
    await submit(page, "/certify")
    await page.locator("main a", has_text="Adopter le règlement 7?").click()
    await page.wait_for_load_state()
    results = await page.locator("main").inner_text()
    assert "Adoptée" in results and await page.locator("main svg").count() == 1
    assert re.search(r"Pour\s*2", results) and re.search(r"Contre\s*1", results), results

    await page.goto(console)
    await submit(page, "/session")  # adjourn
    await page.goto(console.removesuffix("/console") + "/minutes")
    await submit(page, "/minutes")
    body = await page.locator("[name=body]").input_value()
    assert "Adopter le règlement 7?" in body and "Le quorum a été atteint." in body
    await submit(page, "/approve")
    assert "Approuvé" in await page.locator("main").inner_text()
    pdf_link = await page.locator("main a", has_text="PDF").first.get_attribute("href")
    document = await page.request.get(f"{server}{pdf_link}")
    assert document.ok and (await document.body()).startswith(b"%PDF")
