"""A secretary signs in and admits a member through the pages, in headless Chromium, on a phone."""

import re

import pytest

from tests.clock import today
from tests.e2e.conftest import ON_SQLITE

pytestmark = [pytest.mark.live, ON_SQLITE]


async def test_secretary_signs_in_and_admits_a_member(server, browser_page):
    page = browser_page
    resolution = f"CA-{today().year}-31"  # the board's resolution admitting her, this year
    await page.goto(f"{server}/t/coop-shawinigan/members")
    assert "/t/coop-shawinigan/login" in page.url  # not signed in: sent to the sign-in page
    assert await page.locator("html").get_attribute("lang") == "fr"
    await page.get_by_label(re.compile("courriel", re.I)).fill("secretariat@coop-shawinigan.demo")
    await page.get_by_label(re.compile("mot de passe", re.I)).fill("solidaire-demo")
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/t/coop-shawinigan/members/?$"))

    await page.goto(f"{server}/t/coop-shawinigan/members/new")
    form = page.locator("form[action$='/members/new']")
    for name, value in {
        "first_name": "Gisèle", "last_name": "Lacoursière", "email": "gisele.lacoursiere@exemple.ca",
        "street": "550, avenue de la Station", "city": "Shawinigan", "region": "QC", "postal_code": "G9N 1V9",
        "shares_subscribed": "2", "shares_paid": "2", "admission_resolution": resolution,
    }.items():
        await form.locator(f"[name={name}]").fill(value)
    await form.locator("[name=category]").select_option("user")
    await form.locator("[name=consent_contact]").check()
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/t/coop-shawinigan/members/[0-9a-f-]{36}$"))
    body = await page.locator("main").inner_text()
    assert "Lacoursière" in body and resolution in body

    await page.goto(f"{server}/t/coop-shawinigan/members?q=lacoursiere")
    rows = page.locator("main table tbody tr")
    assert await rows.count() == 1 and "Gisèle" in await rows.first.inner_text()
