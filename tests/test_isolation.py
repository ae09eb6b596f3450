"""Tenant isolation, route by route, for every domain: a user of tenant A, with the identifiers
of tenant B's objects, reads and changes nothing of B (404, never 200, never 500).

Each domain's `tests/<domain>/isolation.py` gives what the walk needs: `make_objects` (B's objects
by path parameter, and texts of B that must never show), `snapshot` (B's state through its API),
and `JSON_BODIES`, `FORM_BODIES`, `UPLOADS` (a valid body for each route that takes one, so that a
refusal is about the tenant, not the body). A new route without a body here fails the walk.
"""

import importlib
import re
from pathlib import Path

from litestar.routes import HTTPRoute

from tests.conftest import PASSWORD, bearer, sign_in

SAFE = {"GET", "HEAD", "OPTIONS"}
PARAMETER = re.compile(r"\{(\w+):\w+\}")
DOMAINS = [
    importlib.import_module(f"tests.{path.parent.name}.isolation")
    for path in sorted(Path(__file__).parent.glob("*/isolation.py"))
]
JSON_BODIES = {key: body for domain in DOMAINS for key, body in domain.JSON_BODIES.items()}
FORM_BODIES = {key: body for domain in DOMAINS for key, body in domain.FORM_BODIES.items()}
UPLOADS = {key: upload for domain in DOMAINS for key, upload in domain.UPLOADS.items()}


def tenant_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute) and "{slug:str}" in route.path
        for method in route.methods
        if method not in {"HEAD", "OPTIONS"}
    )


def url(template: str, slug: str, ids: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "slug":
            return slug
        assert name in ids, f"give the isolation test an object of tenant B for {{{name}}} (tests/<domain>/isolation.py)"
        return str(ids[name])

    return PARAMETER.sub(value, template)


async def call(client, method, template, slug, ids, api_headers):
    target = url(template, slug, ids)
    key = (method, template)
    if template.startswith("/api/"):
        if key in UPLOADS:
            _, content, content_type = UPLOADS[key]
            return await client.request(method, target, content=content, headers={**api_headers, "content-type": content_type})
        if method in SAFE | {"DELETE"} and key not in JSON_BODIES:
            return await client.request(method, target, headers=api_headers)
        assert key in JSON_BODIES, f"give the isolation test a body for {key}"
        return await client.request(method, target, json=JSON_BODIES[key](), headers=api_headers)
    csrf = {"_csrf_token": client.cookies.get("csrftoken", "")}
    if method in SAFE:
        return await client.request(method, target)
    if key in UPLOADS:
        return await client.request(method, target, data=csrf, files={"file": UPLOADS[key]})
    assert key in FORM_BODIES, f"give the isolation test a form for {key}"
    return await client.request(method, target, data={**FORM_BODIES[key], **csrf})


async def tenant_b(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "administrator")
    ids, secrets = {}, []
    for domain in DOMAINS:
        found, texts = await domain.make_objects(client, world, headers)
        ids.update(found)
        secrets.extend(texts)
    return world, headers, ids, secrets


async def snapshot(client, world, headers, ids):
    return [await domain.snapshot(client, world, headers, ids) for domain in DOMAINS]


def ends_the_walk(method: str, template: str) -> bool:
    """Signing A out (or revoking A's token) would end the walk; it touches no object of anyone."""
    return template.endswith("/logout") or (method, template) == ("DELETE", "/api/t/{slug:str}/auth/token")


async def test_every_route_with_tenant_a_and_tenant_b_ids_reveals_and_changes_nothing(app, client, make_tenant):
    a = await make_tenant()
    b, b_headers, ids, secrets = await tenant_b(client, make_tenant)
    before = await snapshot(client, b, b_headers, ids)
    a_headers = await bearer(client, a, "administrator")
    await sign_in(client, a, "administrator")
    routes = tenant_routes(app)
    assert len(routes) >= 20
    for method, template in routes:
        if ends_the_walk(method, template):
            continue
        response = await call(client, method, template, a.tenant.slug, ids, a_headers)
        where = f"{method} {template}: {response.status_code}"
        assert response.status_code < 500, where
        # (B's id may be echoed back in the requested URL, e.g. the language switcher's return address.)
        assert not any(secret in response.text for secret in secrets), where
        if set(PARAMETER.findall(template)) - {"slug"}:
            assert response.status_code == 404, where
    assert await snapshot(client, b, b_headers, ids) == before


async def test_tenant_a_credentials_open_nothing_in_tenant_b(app, client, make_tenant):
    a = await make_tenant()
    b, b_headers, ids, secrets = await tenant_b(client, make_tenant)
    before = await snapshot(client, b, b_headers, ids)
    a_headers = await bearer(client, a, "administrator")
    await sign_in(client, a, "administrator")
    public = re.compile(r"/(login|language|auth/token|auth/password|auth/password-link|password|password/forgot|stripe/webhook)$|/public(/|$)")
    for method, template in tenant_routes(app):
        if template.endswith("/logout"):
            continue
        response = await call(client, method, template, b.tenant.slug, ids, a_headers)
        where = f"{method} {template}: {response.status_code}"
        assert response.status_code < 500 and not any(secret in response.text for secret in secrets), where
        if not public.search(template):
            assert response.status_code in (401, 403, 404), where
    # A's password does not open B either.
    token = await client.post(f"/api/t/{b.tenant.slug}/auth/token", json={"email": a.emails["administrator"], "password": PASSWORD})
    assert token.status_code == 422
    assert await snapshot(client, b, b_headers, ids) == before
