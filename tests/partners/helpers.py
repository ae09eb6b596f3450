"""What the partner program's tests share: an application sent the way the form sends it,
a partner moved to active, a committee with a meeting."""

from __future__ import annotations

import datetime as dt
import secrets

from backend.clock import now
from governance.partners import rules
from tests.conftest import bearer


def application(settings, slug: str, **overrides) -> dict:
    issued = now() - dt.timedelta(seconds=30)  # as if the person took 30 seconds to fill it in
    values = {
        "first_name": "Nathalie", "last_name": f"Forget{secrets.token_hex(3)}", "email": f"n.{secrets.token_hex(4)}@exemple.ca",
        "phone": "819 555-0142", "city": "Trois-Rivières", "language": "fr_CA", "kind": "resource_user",
        "experience_areas": ["chronic_pain"], "languages": ["fr", "en"], "availability": ["weekday_daytime"],
        "contributions": ["committees", "document_review"], "story": "Trois opérations lombaires.", "consent_contact": True,
        "form_token": rules.form_token(settings.secret_key, slug, issued), "website": "",
    }
    return {**values, **overrides}


async def applied(client, settings, world, **overrides) -> dict:
    """An application, then its partner file as the coordinator sees it."""
    response = await client.post(f"/api/t/{world.tenant.slug}/public/apply", json=application(settings, world.tenant.slug, **overrides))
    assert response.status_code == 201, response.text
    headers = await coordinator_headers(client, world)
    partners = (await client.get(f"/api/t/{world.tenant.slug}/program/partners", headers=headers)).json()
    return next(p for p in partners if p["number"] == response.json()["number"])


async def coordinator_headers(client, world) -> dict:
    return await bearer(client, world, "partner_coordinator")


async def activate(client, world, partner_id: str, headers: dict) -> dict:
    for stage in ("called", "interview", "training", "active"):
        response = await client.post(f"/api/t/{world.tenant.slug}/program/partners/{partner_id}/stage", json={"stage": stage}, headers=headers)
        assert response.status_code == 200, response.text
    return response.json()


async def pledge(client, world, partner_id: str, headers: dict, signed_on: str | None = None) -> dict:
    """The partner's signed confidentiality pledge, recorded (a partner sits on a committee only with one)."""
    body = {"signed_on": signed_on or world.tenant.today().isoformat(), "version": "1"}
    response = await client.post(f"/api/t/{world.tenant.slug}/program/partners/{partner_id}/pledges", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()
