"""What the isolation walk (tests/test_isolation.py) needs of the tenants package: tenant B's
objects, a valid body for each route that takes one, and B's state as its API shows it."""

import secrets

from tests.conftest import admission

JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/members"): lambda: admission(),
    ("PATCH", "/api/t/{slug:str}/members/{member_id:uuid}"): lambda: {"city": "Ailleurs"},
    ("POST", "/api/t/{slug:str}/members/{member_id:uuid}/status"): lambda: {"status": "suspended", "effective_on": "2099-01-01", "reason": "test"},
    ("PATCH", "/api/t/{slug:str}/me"): lambda: {"city": "Ailleurs"},
    ("POST", "/api/t/{slug:str}/auth/token"): lambda: {"email": "x@example.org", "password": "x"},
    ("POST", "/api/t/{slug:str}/auth/password-link"): lambda: {"email": "x@example.org"},
    ("POST", "/api/t/{slug:str}/auth/password"): lambda: {"token": secrets.token_urlsafe(32), "password": "une longue phrase"},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/status"): {"status": "suspended", "effective_on": "2099-01-01", "reason": "test"},
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/edit"): {"city": "Ailleurs"},
    ("POST", "/t/{slug:str}/members/new"): admission(),
    ("POST", "/t/{slug:str}/me"): {"city": "Ailleurs"},
    ("POST", "/t/{slug:str}/login"): {"email": "x@example.org", "password": "x"},
    ("POST", "/t/{slug:str}/language"): {"language": "en_CA"},
    ("POST", "/t/{slug:str}/logout"): {},
    ("POST", "/t/{slug:str}/password/forgot"): {"email": "x@example.org"},
    ("POST", "/t/{slug:str}/password"): {"token": "x" * 40, "password": "une longue phrase"},
}
# Uploads: (method, route) -> (file name, content, content type)
UPLOADS = {
    ("POST", "/api/t/{slug:str}/members/import"): ("m.csv", b"last_name\nX\n", "text/csv"),
    ("POST", "/t/{slug:str}/members/import"): ("m.csv", b"last_name\nX\n", "text/csv"),
}


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    """Tenant B's objects: ({path parameter: B's id}, texts of B that A must never see)."""
    marker = f"Secret{secrets.token_hex(4)}"
    member = (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(last_name=marker), headers=headers)).json()
    return {"member_id": member["id"]}, [marker, member["email"]]


async def snapshot(client, world, headers, ids) -> tuple:
    base = f"/api/t/{world.tenant.slug}"
    return (
        (await client.get(f"{base}/members/{ids['member_id']}", headers=headers)).json(),
        (await client.get(f"{base}/members/{ids['member_id']}/history", headers=headers)).json(),
        (await client.get(f"{base}/members", headers=headers)).json()["total"],
        len((await client.get(f"{base}/audit", headers=headers)).json()),
    )
