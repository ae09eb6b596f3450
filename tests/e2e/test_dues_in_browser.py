"""The treasurer sets the dues, makes next year's dues drafts and issues them; a member finds their
dues invoice under "My invoices" and opens its PDF: on the demo co-op, in headless Chromium."""

import re

import pytest

from tenants.demo import AS_OF
from tests.e2e.conftest import ON_SQLITE
from tests.e2e.test_billing_in_browser import sign_in

pytestmark = [pytest.mark.live, ON_SQLITE]


async def test_the_treasurer_runs_and_issues_the_dues_and_a_member_opens_theirs(server, browser_page):
    page = browser_page
    year = AS_OF.year + 1
    await sign_in(page, server, "tresorerie@coop-shawinigan.demo")
    await page.goto(f"{server}/t/coop-shawinigan/billing/dues?year={year}")
    settings = page.locator("form[action$='/dues/settings']")
    await settings.locator("[name=dues_user]").fill("12,50")
    await settings.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/billing/dues$"))
    assert await page.locator("[name=dues_user]").input_value() == "12.50"

    await page.goto(f"{server}/t/coop-shawinigan/billing/dues?year={year}")
    await page.locator("form[action$='/dues/runs'] button[type=submit]").click()
    await page.wait_for_load_state()
    assert await page.locator("[role=status]").count() == 1
    rows = page.locator("main section[aria-labelledby=dues-run-title] table tbody tr")
    drafted = await rows.count()
    assert drafted > 20
    await page.locator("form[action$='/dues/runs/issue'] button[type=submit]").click()
    await page.wait_for_url(re.compile(rf"/billing/dues\?year={year}$"))
    numbers = [text.strip() for text in await page.locator("main section[aria-labelledby=dues-run-title] table tbody tr td:nth-child(3)").all_inner_texts()]
    assert len(numbers) == drafted and all(re.fullmatch(r"\d{4}-\d{6}", n) for n in numbers)

    await sign_in(page, server, "membre@coop-shawinigan.demo")
    await page.goto(f"{server}/t/coop-shawinigan/billing/mine")
    links = page.locator("main table tbody tr td a")
    assert await links.count() >= 2  # this year's dues (demo) and next year's
    pdf = await page.request.get(server + await links.first.get_attribute("href"))
    assert pdf.status == 200 and (await pdf.body()).startswith(b"%PDF")
