"""Every operation of the JSON API can be done by a person in the pages, or says why no page is
needed: each domain's routes module lists them (`IN_PAGES`: "METHOD /path" under its API prefix,
mapped to "METHOD /path" of a page under /t/{slug}, or to "no page: why"). A new operation with
neither fails here, and so does a page named that does not exist.

Billing keeps the list so far; the domains that do not yet are named by the last test, which
fails the day one of them starts a list without finishing it (see the issue's note)."""

import importlib

import pytest
from litestar.routes import HTTPRoute

from backend import domains

API = "/api/t/{slug:str}"
PAGES = "/t/{slug:str}"
PREFIXES = {"billing": "/billing"}


def operations(app, prefix: str) -> set[str]:
    return {
        f"{method} {route.path.removeprefix(prefix)}"
        for route in app.routes
        if isinstance(route, HTTPRoute) and (route.path == prefix or route.path.startswith(prefix + "/"))
        for method in route.methods
        if method not in ("HEAD", "OPTIONS")
    }


@pytest.mark.parametrize("package", sorted(PREFIXES))
def test_every_operation_of_the_api_has_its_page_or_a_reason(app, package):
    listed = importlib.import_module(f"{package}.routes").IN_PAGES
    api = operations(app, API + PREFIXES[package])
    assert api - set(listed) == set(), "say where each of these is done in the pages (routes.IN_PAGES), or why no page is needed"
    assert set(listed) - api == set(), "these operations are gone: take them off routes.IN_PAGES"
    pages = operations(app, PAGES)
    missing = {operation: page for operation, page in listed.items() if not page.startswith("no page: ") and page not in pages}
    assert missing == {}, "these pages do not exist"


def test_the_domains_without_their_list_yet_are_known():
    without = {package for package in domains.DOMAINS if not hasattr(importlib.import_module(f"{package}.routes"), "IN_PAGES")}
    assert without == {"tenants", "governance.members", "governance.meetings", "governance.partners"}
