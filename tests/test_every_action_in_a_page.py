"""Every operation of the JSON API can be done by a person in the pages, or says why no page is
needed: each domain's routes module lists its operations (`IN_PAGES`: "METHOD /path" under
/api/t/{slug}, mapped to "METHOD /path" of a page under /t/{slug}, or to "no page: why"). An
operation belongs to the domain whose module handles it. A new operation with neither fails here,
and so does a page named that does not exist.

The domains that do not keep their list yet are named by the last test: no other may go without
one (a domain that starts its list is held to the whole of it by the first test)."""

import importlib

import pytest
from litestar.routes import HTTPRoute

from backend import domains

API = "/api/t/{slug:str}"
PAGES = "/t/{slug:str}"


def owner(module: str) -> str | None:
    """The domain package a handler's module belongs to (the longest name that holds it)."""
    holding = [package for package in domains.DOMAINS if module == package or module.startswith(package + ".")]
    return max(holding, key=len, default=None)


def operations(app, prefix: str, package: str | None = None) -> set[str]:
    return {
        f"{method} {route.path.removeprefix(prefix)}"
        for route in app.routes
        if isinstance(route, HTTPRoute) and route.path.startswith(prefix + "/")
        for handler in route.route_handlers
        if package is None or owner(handler.fn.__module__) == package
        for method in handler.http_methods
        if method not in ("HEAD", "OPTIONS")
    }


def with_list() -> list[str]:
    return [package for package in domains.DOMAINS if hasattr(importlib.import_module(f"{package}.routes"), "IN_PAGES")]


@pytest.mark.parametrize("package", with_list())
def test_every_operation_of_the_api_has_its_page_or_a_reason(app, package):
    listed = importlib.import_module(f"{package}.routes").IN_PAGES
    api = operations(app, API, package)
    assert api - set(listed) == set(), "say where each of these is done in the pages (routes.IN_PAGES), or why no page is needed"
    assert set(listed) - api == set(), "these operations are gone: take them off routes.IN_PAGES"
    pages = operations(app, PAGES)
    missing = {operation: page for operation, page in listed.items() if not page.startswith("no page: ") and page not in pages}
    assert missing == {}, "these pages do not exist"


def test_the_domains_without_their_list_yet_are_known():
    without = set(domains.DOMAINS) - set(with_list())
    assert without <= {"tenants", "governance.members", "governance.meetings", "governance.partners"}
