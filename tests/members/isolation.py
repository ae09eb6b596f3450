"""What the isolation walk (tests/test_isolation.py) needs of the member register: tenant B's
member, a valid body for each route that takes one, and B's register as its API shows it. The
routes that read B's entry (its page, API, openings, certificate) and the member's own data
(/me/data, /me/data.pdf) are GETs: the walk calls them without a body, and B's openings, as B's
keepers see them, show that no one of tenant A opened B's entry."""

import secrets
import uuid

from tests.conftest import admission

# Tenant B's member, once made: the selection that A sends names it.
B_MEMBER: dict[str, str] = {}

JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/members"): lambda: admission(),
    ("PATCH", "/api/t/{slug:str}/members/{member_id:uuid}"): lambda: {"city": "Ailleurs"},
    ("POST", "/api/t/{slug:str}/members/{member_id:uuid}/status"): lambda: {"status": "suspended", "effective_on": "2099-01-01", "reason": "test"},
    ("POST", "/api/t/{slug:str}/members/{member_id:uuid}/invitation"): lambda: None,
    ("POST", "/api/t/{slug:str}/members/invitations"): lambda: None,
    ("POST", "/api/t/{slug:str}/members/invitations/selection"): lambda: {"member_ids": [B_MEMBER.get("id", str(uuid.uuid4()))]},
    ("PATCH", "/api/t/{slug:str}/me"): lambda: {"city": "Ailleurs"},
    ("POST", "/api/t/{slug:str}/members/{member_id:uuid}/shares"): lambda: {"kind": "subscription", "shares": 1},
    ("POST", "/api/t/{slug:str}/shares/operations/{operation_id:uuid}/reversal"): lambda: {"reason": "test"},
    ("PUT", "/api/t/{slug:str}/shares/settings"): lambda: {"preferred_price_cents": 100, "signatories": "X"},
    ("POST", "/api/t/{slug:str}/share-requests/{request_id:uuid}/answer"): lambda: {"approved": False, "reason": "test"},
    ("POST", "/api/t/{slug:str}/me/shares/requests"): lambda: {"kind": "subscription", "shares": 1},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/status"): {"status": "suspended", "effective_on": "2099-01-01", "reason": "test"},
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/edit"): {"city": "Ailleurs"},
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/invitation"): {},
    ("POST", "/t/{slug:str}/members/invitations"): {},  # (B's member ticked: make_objects adds it)
    ("POST", "/t/{slug:str}/members/new"): admission(),
    ("POST", "/t/{slug:str}/me"): {"city": "Ailleurs"},
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/shares"): {"kind": "subscription", "share_kind": "qualifying", "shares": "1"},
    ("POST", "/t/{slug:str}/members/{member_id:uuid}/shares/{operation_id:uuid}/reversal"): {"reason": "test"},
    ("POST", "/t/{slug:str}/shares/settings"): {"preferred_price": "1", "signatories": "X"},
    ("POST", "/t/{slug:str}/shares/requests/{request_id:uuid}/answer"): {"approved": "no", "reason": "test"},
    ("POST", "/t/{slug:str}/me/shares/requests"): {"kind": "subscription", "share_kind": "qualifying", "shares": "1"},
}
# Uploads: (method, route) -> (file name, content, content type)
UPLOADS = {
    ("POST", "/api/t/{slug:str}/members/import"): ("m.csv", b"last_name\nX\n", "text/csv"),
    ("POST", "/t/{slug:str}/members/import"): ("m.csv", b"last_name\nX\n", "text/csv"),
}


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    """Tenant B's member: ({path parameter: B's id}, texts of B that A must never see)."""
    marker = f"Secret{secrets.token_hex(4)}"
    member = (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(last_name=marker), headers=headers)).json()
    B_MEMBER["id"] = member["id"]
    FORM_BODIES[("POST", "/t/{slug:str}/members/invitations")]["member_ids"] = member["id"]
    shares = (await client.get(f"/api/t/{world.tenant.slug}/members/{member['id']}/shares", headers=headers)).json()
    # (B's requests for shares are asked by its members signed in: an id B never gave stands for one.)
    ids = {"member_id": member["id"], "operation_id": shares["operations"][0]["id"], "request_id": str(uuid.uuid4())}
    return ids, [marker, member["email"]]


async def snapshot(client, world, headers, ids) -> tuple:
    base = f"/api/t/{world.tenant.slug}"
    return (
        (await client.get(f"{base}/members/{ids['member_id']}", headers=headers)).json(),
        (await client.get(f"{base}/members/{ids['member_id']}/history", headers=headers)).json(),
        (await client.get(f"{base}/members", headers=headers)).json()["total"],
        (await client.get(f"{base}/members/{ids['member_id']}/shares", headers=headers)).json(),
        (await client.get(f"{base}/shares/settings", headers=headers)).json(),
        # Who opened B's entry, but B's administrator reading it here: nobody of tenant A.
        [o for o in (await client.get(f"{base}/members/{ids['member_id']}/openings", headers=headers)).json() if o["user_id"] != str(world.users["administrator"])],
    )
