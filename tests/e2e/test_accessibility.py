"""Every page a demo person reaches from the menu, and one page of each kind linked from there, has
no accessibility violation of the WCAG 2.1 A and AA rules (axe-core, every impact), on a phone
screen: members vote, book and claim expenses with screen readers and keyboards too. The keyboard's
focus is seen on every element it reaches, with a 3:1 contrast at least (WCAG 2.4.7, 1.4.11).

The pages are found by walking the menu, so a page added by any domain is checked without being
listed here. Templates are the same on both databases: the walk runs once, on SQLite."""

import re

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.e2e.conftest import ON_SQLITE

pytestmark = [pytest.mark.live, ON_SQLITE]

# Each organisation's people walk in a test of their own (the tests share the live stage's
# processes); a page seen by one is not checked again for the next.
PEOPLE = {
    "coop-shawinigan": ["admin", "secretariat", "tresorerie", "dre.gelinas", "membre"],
    "ciusss-mcq": ["admin", "partenaire"],
    "hus": ["kokemusasiantuntija"],
}
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


async def wcag_violations(page, axe: Axe) -> list[str]:
    results = await axe.run(page, options=OPTIONS)
    return [f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in results.response["violations"]]


async def check(page, axe: Axe, url: str) -> list[str]:
    response = await page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    return await wcag_violations(page, axe)


async def test_public_pages_have_no_accessibility_violation(server, browser_page):
    page, axe = browser_page, Axe()
    found = [line for path in PUBLIC for line in await check(page, axe, f"{server}{path}")]
    assert found == [], "\n".join(found)
    # The checker itself sees a violation when there is one.
    await page.set_content('<!doctype html><html lang="fr"><title>t</title><main><img src="/x.png"></main></html>')
    assert any("image-alt" in line for line in await wcag_violations(page, axe))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("group", PEOPLE)
async def test_pages_have_no_accessibility_violation(server, browser_page, group):
    page, axe, slug = browser_page, Axe(), group.split("/")[0]
    found, visited = [], set()

    async def walk(path: str) -> None:
        visited.add(ID.sub("{id}", path))
        found.extend(await check(page, axe, f"{server}{path}"))

    for person in PEOPLE[group]:
        await page.context.clear_cookies()
        await sign_in(page, server, slug, f"{person}@{slug}.demo")
        menu = await links(page, "nav.site-nav a", slug)
        assert menu, f"{person}@{slug}.demo: no menu"
        for entry in menu:
            if ID.sub("{id}", entry) in visited:
                continue
            await walk(entry)
            for deeper in await links(page, "main a, nav.section-nav a", slug):
                if ID.sub("{id}", deeper) not in visited:
                    await walk(deeper)
                    await page.goto(f"{server}{entry}")
    assert len(visited) >= 2 * len(PEOPLE[group]), sorted(visited)
    assert found == [], "\n".join(found)


# What the focused element shows: its outline and the colours of its box shadows (the focus ring's
# parts), and the colour behind it (its own background, else the first ancestor's that has one).
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  let behind = element.parentElement, background = "rgba(0, 0, 0, 0)";
  while (behind && (background = getComputedStyle(behind).backgroundColor) === "rgba(0, 0, 0, 0)") behind = behind.parentElement;
  const shadows = style.boxShadow.match(/rgba?\\([^)]*\\)/g) || [];
  return {name: element.tagName + (element.id ? "#" + element.id : "") + " " + (element.textContent || "").trim().slice(0, 30),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 ? style.outlineColor : null,
          shadows, own: style.backgroundColor, behind: behind ? background : "rgb(255, 255, 255)"};
}"""


def luminance(colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_the_keyboard_focus_is_seen_with_three_to_one_contrast(server, browser_page):
    page = browser_page
    await sign_in(page, server, "coop-shawinigan", "tresorerie@coop-shawinigan.demo")
    unseen = []
    for path in ("/t/coop-shawinigan/", "/t/coop-shawinigan/members", "/t/coop-shawinigan/meetings", "/t/coop-shawinigan/billing/invoices", "/t/coop-shawinigan/billing/settings"):
        await page.goto(f"{server}{path}")
        for _ in range(25):
            await page.keyboard.press("Tab")
            focus = await page.evaluate(FOCUS)
            if focus is None:
                continue
            behind = focus["own"] if focus["own"] != "rgba(0, 0, 0, 0)" else focus["behind"]
            rings = [colour for colour in (focus["outline"], *focus["shadows"]) if colour]
            if not rings or max(contrast(ring, focus["behind"]) for ring in rings) < 3 and max(contrast(ring, behind) for ring in rings) < 3:
                unseen.append(f"{path}: {focus}")
    assert unseen == []
