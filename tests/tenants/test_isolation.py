"""Tenant isolation, route by route: a user of tenant A, with the identifiers of tenant B's
objects, reads and changes nothing of B (404, never 200, never 500)."""

import re
import secrets

from litestar.routes import HTTPRoute

from tests.conftest import PASSWORD, admission, bearer, sign_in

SAFE = {"GET", "HEAD", "OPTIONS"}
# A valid body for every route that takes one, so that a refusal is about the tenant, not the body.
JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/members"): lambda: admission(),
    ("PATCH", "/api/t/{slug:str}/members/{member_id:uuid}"): lambda: {"city": "Ailleurs"},
    ("POST", "/api/t/{slug:str}/members/{member_id:uuid}/status"): lambda: {"status": "suspended", "effective_on": "2099-01-01", "reason": "test"},
    ("PATCH", "/api/t/{slug:str}/me"): lambda: {"city": "Ailleurs"},
    ("POST", "/api/t/{slug:str}/auth/token"): lambda: {"email": "x@example.org", "password": "x"},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/status"): {"status": "suspended", "effective_on": "2099-01-01", "reason": "test"},
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/edit"): {"city": "Ailleurs"},
    ("POST", "/t/{slug:str}/members/new"): admission(),
    ("POST", "/t/{slug:str}/me"): {"city": "Ailleurs"},
    ("POST", "/t/{slug:str}/login"): {"email": "x@example.org", "password": "x"},
    ("POST", "/t/{slug:str}/language"): {"language": "en_CA"},
    ("POST", "/t/{slug:str}/logout"): {},
}
MULTIPART = {("POST", "/api/t/{slug:str}/members/import"), ("POST", "/t/{slug:str}/members/import")}


def tenant_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute) and "{slug:str}" in route.path
        for method in route.methods
        if method not in {"HEAD", "OPTIONS"}
    )


async def call(client, method, template, slug, member_id, api_headers):
    url = template.replace("{slug:str}", slug).replace("{member_id:uuid}", str(member_id))
    key = (method, template)
    if template.startswith("/api/"):
        if key in MULTIPART:
            return await client.request(method, url, content=b"last_name\nX\n", headers={**api_headers, "content-type": "text/csv"})
        if method in SAFE | {"DELETE"}:
            return await client.request(method, url, headers=api_headers)
        assert key in JSON_BODIES, f"give the isolation test a body for {key}"
        return await client.request(method, url, json=JSON_BODIES[key](), headers=api_headers)
    csrf = {"_csrf_token": client.cookies.get("csrftoken", "")}
    if method in SAFE:
        return await client.request(method, url)
    if key in MULTIPART:
        return await client.request(method, url, data=csrf, files={"file": ("m.csv", b"last_name\nX\n", "text/csv")})
    assert key in FORM_BODIES, f"give the isolation test a form for {key}"
    return await client.request(method, url, data={**FORM_BODIES[key], **csrf})


async def tenant_b(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "administrator")
    marker = f"Secret{secrets.token_hex(4)}"
    member = (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(last_name=marker), headers=headers)).json()
    return world, headers, marker, member


async def snapshot(client, world, headers, member_id):
    base = f"/api/t/{world.tenant.slug}"
    return (
        (await client.get(f"{base}/members/{member_id}", headers=headers)).json(),
        (await client.get(f"{base}/members/{member_id}/history", headers=headers)).json(),
        (await client.get(f"{base}/members", headers=headers)).json()["total"],
        len((await client.get(f"{base}/audit", headers=headers)).json()),
    )


async def test_every_route_with_tenant_a_and_tenant_b_ids_reveals_and_changes_nothing(app, client, make_tenant):
    a = await make_tenant()
    b, b_headers, marker, b_member = await tenant_b(client, make_tenant)
    before = await snapshot(client, b, b_headers, b_member["id"])
    a_headers = await bearer(client, a, "administrator")
    await sign_in(client, a, "administrator")
    routes = tenant_routes(app)
    assert len(routes) >= 20
    for method, template in routes:
        if template.endswith("/logout") or (method, template) == ("DELETE", "/api/t/{slug:str}/auth/token"):
            continue  # signing A out (or revoking A's token) would end the walk; it touches no object of anyone
        response = await call(client, method, template, a.tenant.slug, b_member["id"], a_headers)
        where = f"{method} {template}: {response.status_code}"
        assert response.status_code < 500, where
        # (B's id may be echoed back in the requested URL, e.g. the language switcher's return address.)
        assert marker not in response.text and b_member["email"] not in response.text, where
        if "{member_id:uuid}" in template:
            assert response.status_code == 404, where
    assert await snapshot(client, b, b_headers, b_member["id"]) == before


async def test_tenant_a_credentials_open_nothing_in_tenant_b(app, client, make_tenant):
    a = await make_tenant()
    b, b_headers, marker, b_member = await tenant_b(client, make_tenant)
    before = await snapshot(client, b, b_headers, b_member["id"])
    a_headers = await bearer(client, a, "administrator")
    await sign_in(client, a, "administrator")
    public = re.compile(r"/(login|language|auth/token)$")
    for method, template in tenant_routes(app):
        if template.endswith("/logout"):
            continue
        response = await call(client, method, template, b.tenant.slug, b_member["id"], a_headers)
        where = f"{method} {template}: {response.status_code}"
        assert response.status_code < 500 and marker not in response.text, where
        if not public.search(template):
            assert response.status_code in (401, 403, 404), where
    # A's password does not open B either.
    token = await client.post(f"/api/t/{b.tenant.slug}/auth/token", json={"email": a.emails["administrator"], "password": PASSWORD})
    assert token.status_code == 422
    assert await snapshot(client, b, b_headers, b_member["id"]) == before
