"""Committees, meetings, attendance that logs hours, decisions, action items carried until done,
and minutes: draft → circulated → approved (frozen) → published, naming partners only with consent."""

from tests.clock import in_days
from tests.conftest import bearer
from tests.partners.helpers import activate, applied, coordinator_headers, pledge


async def committee_with_partners(client, settings, world, headers, consents=(True, False)):
    slug = world.tenant.slug
    partners = []
    for index, consent in enumerate(consents):
        partner = await applied(client, settings, world, first_name=f"Prénom{index}", kind="resource_user")
        await activate(client, world, partner["id"], headers)
        await pledge(client, world, partner["id"], headers)
        partners.append({**partner, "consent": consent})
    committee = (await client.post(f"/api/t/{slug}/program/committees", json={"name": "Comité d'amélioration — douleur chronique", "kind": "improvement", "mandate": "Améliorer le parcours."}, headers=headers)).json()
    seats = []
    for partner in partners:
        seat = await client.post(f"/api/t/{slug}/program/committees/{committee['id']}/members", json={"partner_id": partner["id"], "role": "partner", "term_start": "2024-01-01", "term_end": "2025-12-31"}, headers=headers)
        assert seat.status_code == 201, seat.text
        seats.append(seat.json())
    staff = (await client.post(f"/api/t/{slug}/program/committees/{committee['id']}/members", json={"name": "Dre Hélène Gélinas", "role": "chair", "term_start": "2024-01-01"}, headers=headers)).json()
    meeting = (await client.post(f"/api/t/{slug}/program/committees/{committee['id']}/meetings", json={"starts_at": "2024-03-12T13:00:00", "ends_at": "2024-03-12T15:30:00", "place": "Pavillon Saint-Joseph"}, headers=headers)).json()
    return committee, partners, seats, staff, meeting


async def test_attendance_logs_each_present_partners_hours_once(client, program, settings):
    headers = await coordinator_headers(client, program)
    slug = program.tenant.slug
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers)
    url = f"/api/t/{slug}/program/meetings/{meeting['id']}/attendance"
    for _ in range(2):  # recorded twice: logged once
        response = await client.put(url, json={"present": [seats[0]["id"], staff["id"]]}, headers=headers)
        assert response.status_code == 200, response.text
    report = (await client.get(f"/api/t/{slug}/program/reports/hours", headers=headers)).json()
    assert report["per_committee"] == [{"name": committee["name"], "minutes": 150}]
    assert [p["minutes"] for p in report["per_person"]] == [150]
    await client.put(url, json={"present": [seats[1]["id"]]}, headers=headers)
    report = (await client.get(f"/api/t/{slug}/program/reports/hours", headers=headers)).json()
    assert [(p["first_name"], p["minutes"]) for p in report["per_person"]] == [("Prénom1", 150)]
    foreign = await client.put(url, json={"present": ["00000000-0000-0000-0000-000000000000"]}, headers=headers)
    assert foreign.status_code == 422


async def test_action_items_are_carried_until_done(client, program, settings):
    headers = await coordinator_headers(client, program)
    slug = program.tenant.slug
    committee, partners, seats, staff, first = await committee_with_partners(client, settings, program, headers, consents=(True,))
    action = (await client.post(f"/api/t/{slug}/program/meetings/{first['id']}/actions", json={"description": "Réviser le dépliant", "owner_member_id": seats[0]["id"], "due_on": "2024-04-01"}, headers=headers)).json()
    second = (await client.post(f"/api/t/{slug}/program/committees/{committee['id']}/meetings", json={"starts_at": "2024-04-09T13:00:00", "ends_at": "2024-04-09T15:00:00", "place": "Visio"}, headers=headers)).json()
    carried = (await client.get(f"/api/t/{slug}/program/meetings/{second['id']}", headers=headers)).json()["actions"]
    assert [a["description"] for a in carried] == ["Réviser le dépliant"]
    assert (await client.post(f"/api/t/{slug}/program/actions/{action['id']}/done", headers=headers)).status_code == 200
    assert (await client.post(f"/api/t/{slug}/program/actions/{action['id']}/done", headers=headers)).status_code == 409
    third = (await client.post(f"/api/t/{slug}/program/committees/{committee['id']}/meetings", json={"starts_at": in_days(30, 13), "ends_at": in_days(30, 15), "place": "Visio"}, headers=headers)).json()
    assert (await client.get(f"/api/t/{slug}/program/meetings/{third['id']}", headers=headers)).json()["actions"] == []


async def test_minutes_flow_frozen_once_approved_and_published_only_when_approved(client, program, settings):
    headers = await coordinator_headers(client, program)
    slug = program.tenant.slug
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers)
    base = f"/api/t/{slug}/program/meetings/{meeting['id']}"
    await client.put(f"{base}/attendance", json={"present": [s["id"] for s in seats] + [staff["id"]]}, headers=headers)
    await client.post(f"{base}/decisions", json={"text": "Le comité adopte le plan d'action."}, headers=headers)
    assert (await client.put(f"{base}/minutes", json={"text": "Compte rendu."}, headers=headers)).status_code == 200
    early = await client.post(f"{base}/minutes/status", json={"status": "published"}, headers=headers)
    assert early.status_code == 409 and early.headers["content-type"].startswith("application/problem+json")
    for status in ("circulated", "approved"):
        assert (await client.post(f"{base}/minutes/status", json={"status": status}, headers=headers)).status_code == 200
    before = (await client.get(base, headers=headers)).json()
    for method, path, body in (("PUT", "/minutes", {"text": "Changé"}), ("POST", "/decisions", {"text": "Ajout"}), ("PUT", "/attendance", {"present": []}), ("POST", "/actions", {"description": "Ajout"})):
        refused = await client.request(method, base + path, json=body, headers=headers)
        assert refused.status_code == 409, path
    assert (await client.get(base, headers=headers)).json() == before
    assert (await client.post(f"{base}/minutes/status", json={"status": "published"}, headers=headers)).status_code == 200


async def test_only_coordinators_run_committees(client, program):
    member = await bearer(client, program, "member")
    assert (await client.post(f"/api/t/{program.tenant.slug}/program/committees", json={"name": "X", "kind": "users"}, headers=member)).status_code == 403
