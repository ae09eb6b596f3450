"""What the isolation walk needs of the meeting's record (requests for a special meeting,
documents, proxies, check-in, minutes' approval): bodies, B's objects and B's state. Included by
tests/meetings/isolation.py."""

from __future__ import annotations

import secrets

import msgspec

from backend import db
from backend.context import Context
from governance.members.schemas import Admission
from governance.members.services import MemberRegister
from tenants import services
from tests.conftest import PASSWORD, admission
from tests.meetings.test_meetings_api import SETTINGS

PDF = ("rapport.pdf", b"%PDF-1.4\n% rapport annuel\n%%EOF\n", "application/pdf")
JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/requisitions"): lambda: {"object": "Assemblée"},
    ("POST", "/api/t/{slug:str}/requisitions/{requisition_id:uuid}/signatures"): lambda: {},
    ("POST", "/api/t/{slug:str}/requisitions/{requisition_id:uuid}/meeting"): lambda: {"meeting_id": "00000000-0000-4000-8000-000000000000"},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/proxies"): lambda: {"member_number": 1, "holder_number": 2},
    ("POST", "/api/t/{slug:str}/proxies/{proxy_id:uuid}/withdraw"): lambda: {},
    ("POST", "/api/t/{slug:str}/votes/{vote_id:uuid}/proxy-ballot"): lambda: {"member_number": 1, "choice": "yes"},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/scan"): lambda: {"code": "1"},
    ("POST", "/api/t/{slug:str}/minutes/{minutes_id:uuid}/publish"): lambda: {},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/requisitions"): {"object": "Assemblée"},
    ("POST", "/t/{slug:str}/requisitions/{requisition_id:uuid}/sign"): {},
    ("POST", "/t/{slug:str}/requisitions/{requisition_id:uuid}/meeting"): {"meeting_id": "00000000-0000-4000-8000-000000000000"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/proxies"): {"represented_number": "1", "holder_number": "2"},
    ("POST", "/t/{slug:str}/proxies/{proxy_id:uuid}/withdraw"): {},
    ("POST", "/t/{slug:str}/votes/{vote_id:uuid}/proxy-ballot"): {"member_number": "1", "choice": "yes"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/scan"): {"code": "1", "present": "true"},
    ("POST", "/t/{slug:str}/minutes/{minutes_id:uuid}/publish"): {},
}
UPLOADS: dict = {
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/documents"): PDF,
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/documents"): PDF,
}


async def member_login(client, world) -> tuple[dict, dict[str, str]]:
    """A member of B's register with a login of the member role, and its bearer token."""
    engine = client._transport.app.state["engine"]
    async with db.tenant_transaction(engine, world.tenant.id, write=True):
        email = f"membre.b.{secrets.token_hex(4)}@exemple.ca"
        user_id = await services.create_user(email, "Membre B", PASSWORD)
        await services.grant_role(world.tenant, user_id, "member")
        member = await MemberRegister(Context(world.tenant)).admit(msgspec.convert(admission(email=email), Admission), user_id=user_id)
        token, _ = await services.issue_token(world.tenant, user_id, "isolation")
    return member, {"authorization": f"Bearer {token}"}


async def make_objects(client, world, headers, ids: dict, marker: str) -> dict[str, str]:
    base = f"/api/t/{world.tenant.slug}"
    member, member_headers = await member_login(client, world)
    requisition = await client.post(f"{base}/requisitions", json={"object": f"Demande {marker}"}, headers=member_headers)
    assert requisition.status_code == 201, requisition.text
    document = await client.post(
        f"{base}/meetings/{ids['meeting_id']}/documents", params={"kind": "annual_report", "title": f"Rapport {marker}"},
        content=PDF[1], headers={**headers, "content-type": "application/pdf"},
    )
    assert document.status_code == 201, document.text

    await client.put(f"{base}/governance/settings", json={**SETTINGS, "proxies_allowed": True, "proxy_cap": 1}, headers=headers)
    numbers = [(await client.post(f"{base}/members", json=admission(), headers=headers)).json()["number"] for _ in range(2)]
    proxy = await client.post(f"{base}/meetings/{ids['meeting_id']}/proxies", json={"member_number": numbers[0], "holder_number": numbers[1]}, headers=headers)
    assert proxy.status_code == 201, proxy.text
    return {"requisition_id": requisition.json()["id"], "document_id": document.json()["id"], "proxy_id": proxy.json()["id"]}


async def snapshot(client, world, headers, ids) -> tuple:
    base = f"/api/t/{world.tenant.slug}"
    return tuple([
        (await client.get(path, headers=headers)).json()
        for path in (f"{base}/requisitions/{ids['requisition_id']}", f"{base}/requisitions/{ids['requisition_id']}/signatures",
                     f"{base}/meetings/{ids['meeting_id']}/documents", f"{base}/meetings/{ids['meeting_id']}/proxies")
    ])
