"""Every page of every domain, in French and in Finnish, shows no English message of the catalogues
untranslated: a label passed to a page as its message id and never given to gettext, a string
marked N_() but shown raw, would show here in English. The pages are walked with the objects the
isolation walk makes (tests/<domain>/isolation.py), as their administrator.

Only messages whose translation differs from the English, of three words or more and without
placeholders, are looked for: shorter ones ("Mode", "Total") read the same in several languages."""

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from backend import domains
from tests.conftest import sign_in
from tests.test_isolation import PARAMETER, tenant_b, tenant_routes, url

TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def english_messages(language: str) -> set[str]:
    """The catalogues' English message ids that this language translates into other words."""
    found = set()
    for package in ("backend", *domains.DOMAINS):
        po = domains.folder(package) / "locale" / language / "LC_MESSAGES" / "messages.po"
        if not Path(po).exists():
            continue
        with open(po, "rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and message.string and message.string != message.id and "%(" not in message.id and len(message.id.split()) >= 3:
                    found.add(message.id)
    return found


def visible_text(page: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", page)).split())


@pytest.mark.parametrize("language", ["fr_CA", "fi"])
async def test_every_page_speaks_the_language_chosen(app, client, make_tenant, language):
    world, _, ids, _ = await tenant_b(client, make_tenant)
    await sign_in(client, world, "administrator")
    client.cookies.set("solidaire_lang", language)
    english = english_messages(language)
    assert len(english) > 200
    shown, untranslated = 0, []
    for method, template in tenant_routes(app):
        if method != "GET" or template.startswith("/api/") or template.endswith("/logout") or not set(PARAMETER.findall(template)) <= {"slug", *ids}:
            continue
        response = await client.get(url(template, world.tenant.slug, ids))
        assert response.status_code < 500, template
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        shown += 1
        text = visible_text(response.text)
        untranslated += [(template, message) for message in english if message in text]
    assert shown > 40
    assert untranslated == [], untranslated
