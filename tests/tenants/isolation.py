"""What the isolation walk (tests/test_isolation.py) needs of the tenants package: one of tenant B's
people, a valid body for each route that takes one, and B's audit log and people as its API shows them."""

import secrets

JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/auth/token"): lambda: {"email": "x@example.org", "password": "x"},
    ("POST", "/api/t/{slug:str}/auth/password-link"): lambda: {"email": "x@example.org"},
    ("POST", "/api/t/{slug:str}/auth/password"): lambda: {"token": secrets.token_urlsafe(32), "password": "une longue phrase"},
    ("POST", "/api/t/{slug:str}/people"): lambda: {"email": f"x{secrets.token_hex(3)}@example.org", "full_name": "X", "roles": ["member"]},
    ("PUT", "/api/t/{slug:str}/people/{user_id:uuid}/roles"): lambda: {"roles": []},
    ("POST", "/api/t/{slug:str}/people/{user_id:uuid}/invitation"): lambda: None,
    ("POST", "/api/t/{slug:str}/people/{user_id:uuid}/deactivation"): lambda: None,
    ("PUT", "/api/t/{slug:str}/organisation"): lambda: {"qualifying_shares": 1},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/login"): {"email": "x@example.org", "password": "x"},
    ("POST", "/t/{slug:str}/language"): {"language": "en_CA"},
    ("POST", "/t/{slug:str}/logout"): {},
    ("POST", "/t/{slug:str}/password/forgot"): {"email": "x@example.org"},
    ("POST", "/t/{slug:str}/password"): {"token": "x" * 40, "password": "une longue phrase"},
    ("POST", "/t/{slug:str}/people"): {"email": "x@example.org", "full_name": "X", "roles": "member"},
    ("POST", "/t/{slug:str}/people/{user_id:uuid}/roles"): {},
    ("POST", "/t/{slug:str}/people/{user_id:uuid}/invitation"): {},
    ("POST", "/t/{slug:str}/people/{user_id:uuid}/invitation/revoke"): {},
    ("POST", "/t/{slug:str}/people/{user_id:uuid}/deactivate"): {},
    ("POST", "/t/{slug:str}/people/{user_id:uuid}/reactivate"): {},
    ("POST", "/t/{slug:str}/organisation"): {"name": "Coop A", "locale": "fr_CA", "timezone": "America/Montreal", "member_categories": "user", "share_price": "10", "qualifying_shares": "1"},
}
UPLOADS: dict = {}


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    """Tenant B's people are made with the tenant: one of them, by id and e-mail."""
    return {"user_id": str(world.users["treasurer"])}, [world.emails["treasurer"]]


async def snapshot(client, world, headers, ids) -> tuple:
    base = f"/api/t/{world.tenant.slug}"
    return (
        len((await client.get(f"{base}/audit", headers=headers)).json()), (await client.get(f"{base}/people", headers=headers)).json(),
        (await client.get(f"{base}/organisation", headers=headers)).json(),
    )
