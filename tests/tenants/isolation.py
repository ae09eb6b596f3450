"""What the isolation walk (tests/test_isolation.py) needs of the tenants package: a valid body for
each route that takes one (sign-in, passwords, the language), and B's audit log as its API shows it."""

import secrets

JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/auth/token"): lambda: {"email": "x@example.org", "password": "x"},
    ("POST", "/api/t/{slug:str}/auth/password-link"): lambda: {"email": "x@example.org"},
    ("POST", "/api/t/{slug:str}/auth/password"): lambda: {"token": secrets.token_urlsafe(32), "password": "une longue phrase"},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/login"): {"email": "x@example.org", "password": "x"},
    ("POST", "/t/{slug:str}/language"): {"language": "en_CA"},
    ("POST", "/t/{slug:str}/logout"): {},
    ("POST", "/t/{slug:str}/password/forgot"): {"email": "x@example.org"},
    ("POST", "/t/{slug:str}/password"): {"token": "x" * 40, "password": "une longue phrase"},
}
UPLOADS: dict = {}


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    """Tenant B's people are made with the tenant; nothing to add."""
    return {}, []


async def snapshot(client, world, headers, ids) -> tuple:
    return (len((await client.get(f"/api/t/{world.tenant.slug}/audit", headers=headers)).json()),)
