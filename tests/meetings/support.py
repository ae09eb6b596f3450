"""What the meetings tests share: members with logins, directors, a meeting in session, a vote open."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import msgspec

from backend import db
from backend.context import Context
from governance.meetings import rules
from governance.members.schemas import Admission
from governance.members.services import MemberRegister
from tenants import services
from tests.clock import in_days, today
from tests.conftest import PASSWORD, admission, bearer


@dataclass
class Voter:
    member: dict
    headers: dict[str, str]
    user_id: object


async def voters(database, world, count: int, *, category: str = "user", status: str = "active") -> list[Voter]:
    """`count` members of the register, each with a login holding the member role and a token."""
    made = []
    async with db.tenant_transaction(database.app, world.tenant.id, write=True):
        register = MemberRegister(Context(world.tenant))
        for _ in range(count):
            email = f"voter.{secrets.token_hex(5)}@exemple.ca"
            user_id = await services.create_user(email, "Votant", PASSWORD)
            await services.grant_role(world.tenant, user_id, "member")
            entry = msgspec.convert(admission(email=email, category=category, status=status), Admission)
            member = await register.admit(entry, user_id=user_id)
            token, _ = await services.issue_token(world.tenant, user_id, "test")
            made.append(Voter(member, {"authorization": f"Bearer {token}"}, user_id))
    return made


async def appoint(client, world, headers, people: list[Voter]) -> list[dict]:
    """These members on the board from today (board meetings are the directors' to see)."""
    made = []
    for voter in people:
        response = await client.post(f"/api/t/{world.tenant.slug}/directors", json={
            "member_number": voter.member["number"], "term_starts_on": world.tenant.today().isoformat(),
        }, headers=headers)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def annual_meeting_in(days: int, hour: int = 19) -> str:
    """A local time at least `days` ahead on which an annual meeting is in time under the default
    by-laws (within six months of the fiscal year's end): from late May on, that is next year."""
    offset = days
    while not rules.agm_in_time(today() + dt.timedelta(days=offset), rules.GovernanceSettings()):
        offset += 1
    return in_days(offset, hour)


async def meeting(client, world, headers, **overrides) -> dict:
    body = {
        "kind": "special_general", "title": "Assemblée extraordinaire", "starts_at": in_days(30),
        "place": "Salle communautaire, 1250 avenue de la Station", "agenda": [{"title": "Ouverture"}, {"title": "Règlements"}],
        **overrides,
    }
    response = await client.post(f"/api/t/{world.tenant.slug}/meetings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def in_session(client, world, headers, present: list[Voter], **overrides) -> dict:
    """A meeting in session with these members checked in by the secretary."""
    created = await meeting(client, world, headers, **overrides)
    base = f"/api/t/{world.tenant.slug}/meetings/{created['id']}"
    assert (await client.post(f"{base}/start", json={}, headers=headers)).status_code == 200
    for voter in present:
        response = await client.post(f"{base}/attendance", json={"member_number": voter.member["number"]}, headers=headers)
        assert response.status_code == 200, response.text
    return created


async def open_vote(client, world, headers, meeting_id, **body) -> dict:
    created = await client.post(f"/api/t/{world.tenant.slug}/meetings/{meeting_id}/votes", json={"question": "Adopter le budget?", **body}, headers=headers)
    assert created.status_code == 201, created.text
    opened = await client.post(f"/api/t/{world.tenant.slug}/votes/{created.json()['id']}/open", json={}, headers=headers)
    assert opened.status_code == 200, opened.text
    return opened.json()


async def secretary(client, world) -> dict[str, str]:
    return await bearer(client, world, "secretary")
