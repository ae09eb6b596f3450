"""Hours logged by partners and approved by the coordinator (never by themselves), expense claims
with receipts, the approval queue, reimbursement batches with their CSV, and reports."""

import csv
import io
import uuid

from backend import db, files
from governance.partners import rules
from tests.conftest import bearer
from tests.partners.helpers import activate, applied, coordinator_headers

PDF = b"%PDF-1.4\n% receipt\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def active_partner(client, settings, world, role="member"):
    """A partner whose login is the `role` person's, activated by the coordinator."""
    headers = await coordinator_headers(client, world)
    partner = await applied(client, settings, world, email=world.emails[role])
    await activate(client, world, partner["id"], headers)
    return partner, headers, await bearer(client, world, role)


def claim(**overrides):
    values = {"activity_on": "2024-03-12", "starts_at": "11:00", "ends_at": "14:00", "description": "Comité douleur chronique",
              "lines": [{"kind": "mileage", "km": 42}, {"kind": "meal", "amount_cents": 1850}, {"kind": "parking", "amount_cents": 900}]}
    return {**values, **overrides}


async def test_a_partner_logs_hours_and_the_coordinator_approves(client, program, settings):
    partner, coordinator, mine = await active_partner(client, settings, program)
    slug = program.tenant.slug
    entry = await client.post(f"/api/t/{slug}/program/me/hours", json={"activity": "review", "worked_on": "2024-02-10", "minutes": 90, "description": "Guide d'accueil"}, headers=mine)
    assert entry.status_code == 201, entry.text
    waiting = (await client.get(f"/api/t/{slug}/program/hours", headers=coordinator)).json()
    assert [w["id"] for w in waiting] == [entry.json()["id"]]
    decided = await client.post(f"/api/t/{slug}/program/hours/{entry.json()['id']}/decision", json={"status": "approved"}, headers=coordinator)
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    report = (await client.get(f"/api/t/{slug}/program/reports/hours?year=2024", headers=coordinator)).json()
    assert report["per_activity"] == [{"activity": "review", "minutes": 90}] and report["partners"] == 1
    assert report["per_year"] == [{"year": 2024, "minutes": 90, "partners": 1}]
    future = await client.post(f"/api/t/{slug}/program/me/hours", json={"activity": "review", "worked_on": "2999-01-01", "minutes": 60}, headers=mine)
    assert future.status_code == 422


async def test_a_partner_cannot_approve_their_own_hours(client, program, settings):
    # The coordinator is also a partner: their own hours wait for another coordinator.
    partner, coordinator, mine = await active_partner(client, settings, program, role="partner_coordinator")
    slug = program.tenant.slug
    entry = (await client.post(f"/api/t/{slug}/program/me/hours", json={"activity": "project", "worked_on": "2024-02-10", "minutes": 60}, headers=mine)).json()
    refused = await client.post(f"/api/t/{slug}/program/hours/{entry['id']}/decision", json={"status": "approved"}, headers=mine)
    assert refused.status_code == 403 and refused.json()["detail"]
    assert (await client.get(f"/api/t/{slug}/program/hours", headers=coordinator)).json()[0]["status"] == "submitted"
    other = await bearer(client, program, "administrator")
    assert (await client.post(f"/api/t/{slug}/program/hours/{entry['id']}/decision", json={"status": "approved"}, headers=other)).status_code == 200


async def test_a_claim_is_computed_by_the_policy(client, program, settings):
    partner, coordinator, mine = await active_partner(client, settings, program)
    response = await client.post(f"/api/t/{program.tenant.slug}/program/me/claims", json=claim(), headers=mine)
    assert response.status_code == 201, response.text
    policy = rules.Policy()
    assert [line["allowed_cents"] for line in response.json()["lines"]] == [42 * policy.mileage_rate_cents_per_km, 1850, 900]
    assert response.json()["total_cents"] == 42 * policy.mileage_rate_cents_per_km + 1850 + 900


async def test_a_meal_outside_meal_hours_is_refused_and_nothing_is_written(client, program, settings):
    partner, coordinator, mine = await active_partner(client, settings, program)
    refused = await client.post(f"/api/t/{program.tenant.slug}/program/me/claims", json=claim(starts_at="14:00", ends_at="16:00"), headers=mine)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "lines"
    assert (await client.get(f"/api/t/{program.tenant.slug}/program/me/claims", headers=mine)).json() == []


async def test_receipts_are_checked_and_kept_in_the_file_store(client, program, settings, database):
    partner, coordinator, mine = await active_partner(client, settings, program)
    slug = program.tenant.slug
    created = (await client.post(f"/api/t/{slug}/program/me/claims", json=claim(), headers=mine)).json()
    url = f"/api/t/{slug}/program/me/claims/{created['id']}/receipts?filename=recu.pdf"
    too_big = await client.post(url, content=b"%PDF-" + b"0" * (rules.Policy().receipt_max_bytes + 1), headers={**mine, "content-type": "application/pdf"})
    assert too_big.status_code == 413
    wrong_type = await client.post(url, content=b"<html>", headers={**mine, "content-type": "text/html"})
    assert wrong_type.status_code == 415
    disguised = await client.post(url, content=b"<html>", headers={**mine, "content-type": "application/pdf"})
    assert disguised.status_code == 415
    assert (await client.get(f"/api/t/{slug}/program/claims/{created['id']}", headers=coordinator)).json()["receipts"] == []
    stored = await client.post(url, content=PDF, headers={**mine, "content-type": "application/pdf"})
    assert stored.status_code == 201, stored.text
    assert not (settings.var_dir / "receipts").exists()  # in the database, not on this host's disk
    async with db.tenant_transaction(database.app, program.tenant.id, write=False):
        assert await files.read(program.tenant.id, uuid.UUID(stored.json()["id"])) == PDF
    download = await client.get(f"/api/t/{slug}/program/claims/{created['id']}/receipts/{stored.json()['id']}", headers=coordinator)
    assert download.status_code == 200 and download.content == PDF


async def test_another_persons_claim_is_out_of_reach(client, program, settings):
    partner, coordinator, mine = await active_partner(client, settings, program)
    slug = program.tenant.slug
    created = (await client.post(f"/api/t/{slug}/program/me/claims", json=claim(), headers=mine)).json()
    other_partner, _, theirs = await active_partner(client, settings, program, role="treasurer")
    upload = await client.post(f"/api/t/{slug}/program/me/claims/{created['id']}/receipts", content=PNG, headers={**theirs, "content-type": "image/png"})
    assert upload.status_code == 404
    assert (await client.get(f"/api/t/{slug}/program/claims/{created['id']}", headers=theirs)).status_code == 403
    assert (await client.get(f"/api/t/{slug}/program/partners/{partner['id']}", headers=theirs)).status_code == 403


async def test_approval_batch_csv_and_payment(client, program, settings):
    partner, coordinator, mine = await active_partner(client, settings, program)
    slug = program.tenant.slug
    first = (await client.post(f"/api/t/{slug}/program/me/claims", json=claim(), headers=mine)).json()
    second = (await client.post(f"/api/t/{slug}/program/me/claims", json=claim(lines=[{"kind": "transit", "amount_cents": 700}], description="=HYPERLINK(1)"), headers=mine)).json()
    assert (await client.post(f"/api/t/{slug}/program/batches", headers=coordinator)).status_code == 409  # nothing approved yet
    rejected = await client.post(f"/api/t/{slug}/program/claims/{first['id']}/decision", json={"status": "rejected"}, headers=coordinator)
    assert rejected.status_code == 422  # a rejection needs its reason
    # The policy asks a receipt for each meal, parking and transit expense: two for the first claim.
    url = f"/api/t/{slug}/program/claims/{first['id']}/decision"
    for _ in range(2):
        refused = await client.post(url, json={"status": "approved"}, headers=coordinator)
        assert refused.status_code == 409 and "Repas, Stationnement" in refused.json()["detail"], refused.text
        await client.post(f"/api/t/{slug}/program/me/claims/{first['id']}/receipts", content=PDF, headers={**mine, "content-type": "application/pdf"})
    assert (await client.put(f"/api/t/{slug}/program/policy", json={"receipt_required_kinds": ["meal", "parking"]}, headers=coordinator)).status_code == 200
    for item in (first, second):  # transit no longer needs one
        assert (await client.post(f"/api/t/{slug}/program/claims/{item['id']}/decision", json={"status": "approved"}, headers=coordinator)).status_code == 200
    batch = (await client.post(f"/api/t/{slug}/program/batches", headers=coordinator)).json()
    assert batch["claims"] == 2 and batch["total_cents"] == first["total_cents"] + 700
    rows = list(csv.DictReader(io.StringIO((await client.get(f"/api/t/{slug}/program/batches/{batch['id']}/csv", headers=coordinator)).text)))
    assert [r["amount"] for r in rows] == [f"{first['total_cents'] / 100:.2f}", "7.00"]
    assert rows[1]["description"] == "'=HYPERLINK(1)"
    assert (await client.post(f"/api/t/{slug}/program/batches/{batch['id']}/paid", headers=coordinator)).status_code == 200
    assert (await client.post(f"/api/t/{slug}/program/batches/{batch['id']}/paid", headers=coordinator)).status_code == 409
    assert {c["status"] for c in (await client.get(f"/api/t/{slug}/program/me/claims", headers=mine)).json()} == {"paid"}
    months = (await client.get(f"/api/t/{slug}/program/reports/expenses?year=2024", headers=coordinator)).json()
    assert months[2]["total_cents"] == batch["total_cents"]


async def test_consents_and_my_data(client, program, settings):
    partner, coordinator, mine = await active_partner(client, settings, program)
    slug = program.tenant.slug
    changed = await client.patch(f"/api/t/{slug}/program/me/consents", json={"consent_public_name": True, "consent_photos": True}, headers=mine)
    assert changed.status_code == 200 and changed.json()["consent_public_name"] and not changed.json()["consent_research"]
    data = await client.get(f"/api/t/{slug}/program/me/data", headers=mine)
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    assert data.json()["partner"]["email"] == program.emails["member"] and [h["to_stage"] for h in data.json()["history"]][-1] == "active"
