"""Every page a demo person reaches from the menu, and one page of each kind linked from there, has
no serious or critical accessibility violation (axe-core, WCAG 2.1 A and AA rules), on a phone
screen: members vote, book and claim expenses with screen readers and keyboards too.

The pages are found by walking the menu, so a page added by any domain is checked without being
listed here. Templates are the same on both databases: the walk runs once, on SQLite."""

import re

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.e2e.conftest import ON_SQLITE

pytestmark = [pytest.mark.live, ON_SQLITE]

PEOPLE = [
    ("coop-shawinigan", "membre@coop-shawinigan.demo"),
    ("coop-shawinigan", "secretariat@coop-shawinigan.demo"),
    ("coop-shawinigan", "tresorerie@coop-shawinigan.demo"),
    ("coop-shawinigan", "dre.gelinas@coop-shawinigan.demo"),
    ("ciusss-mcq", "admin@ciusss-mcq.demo"),
    ("ciusss-mcq", "partenaire@ciusss-mcq.demo"),
    ("hus", "kokemusasiantuntija@hus.demo"),
]
PUBLIC = ["/t/ciusss-mcq/public/apply", "/t/ciusss-mcq/public/committees", "/t/hus/public/apply", "/t/coop-shawinigan/login", "/t/coop-shawinigan/password/forgot"]
# Downloads and feeds are not pages.
NOT_A_PAGE = re.compile(r"\.(pdf|csv|ics|json|xml)$|/(pdf|csv|feed|atom|export)(/|$)|/logout$")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}


async def sign_in(page, server: str, slug: str, email: str) -> None:
    await page.goto(f"{server}/t/{slug}/login")
    await page.locator("#f-email").fill(email)
    await page.locator("#f-password").fill("solidaire-demo")
    await page.locator("form[action$='/login'] button[type=submit]").click()
    await page.wait_for_url(re.compile(rf"/t/{slug}/(?!login)"))  # home, or where the person's role lands


async def links(page, selector: str, slug: str) -> list[str]:
    hrefs = await page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith(f"/t/{slug}/") and "?" not in h and "#" not in h and not NOT_A_PAGE.search(h)]


async def serious_violations(page, axe: Axe) -> list[str]:
    results = await axe.run(page, options=OPTIONS)
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.timeout(600)
async def test_pages_have_no_serious_accessibility_violation(server, browser_page):
    page, axe = browser_page, Axe()
    found, visited = [], set()

    async def check(path: str) -> None:
        visited.add(ID.sub("{id}", path))
        response = await page.goto(f"{server}{path}")
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        found.extend(await serious_violations(page, axe))

    for path in PUBLIC:
        await check(path)
    for slug, email in PEOPLE:
        await page.context.clear_cookies()
        await sign_in(page, server, slug, email)
        menu = await links(page, "nav.site-nav a", slug)
        for entry in menu:
            if ID.sub("{id}", entry) in visited:
                continue
            await check(entry)
            for deeper in await links(page, "main a, nav.section-nav a", slug):
                if ID.sub("{id}", deeper) not in visited:
                    await check(deeper)
                    await page.goto(f"{server}{entry}")
    assert len(visited) >= 25, sorted(visited)
    assert found == [], "\n".join(found)
    # The checker itself sees a violation when there is one.
    await page.set_content('<!doctype html><html lang="fr"><title>t</title><main><img src="/x.png"></main></html>')
    assert any("image-alt" in line for line in await serious_violations(page, axe))
