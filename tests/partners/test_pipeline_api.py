"""The public application and the coordinator's pipeline, through the API."""

import datetime as dt
import re

from backend import db
from backend.clock import now
from backend.mail import deliveries
from governance.partners import rules, services
from governance.partners.tables import Partner
from tests.conftest import bearer
from tests.partners.helpers import activate, application, applied, coordinator_headers


async def count_partners(client, world, headers) -> int:
    return len((await client.get(f"/api/t/{world.tenant.slug}/program/partners", headers=headers)).json())


async def test_an_application_is_received_with_its_call_deadline(client, program, settings):
    response = await client.post(f"/api/t/{program.tenant.slug}/public/apply", json=application(settings, program.tenant.slug))
    assert response.status_code == 201, response.text
    assert response.json()["call_by"] == (program.tenant.today() + dt.timedelta(days=14)).isoformat()
    headers = await coordinator_headers(client, program)
    [partner] = (await client.get(f"/api/t/{program.tenant.slug}/program/partners", headers=headers)).json()
    assert partner["stage"] == "received" and not partner["overdue"] and partner["experience_areas"] == ["chronic_pain"]


async def test_the_form_token_comes_from_the_api(client, program):
    form = (await client.get(f"/api/t/{program.tenant.slug}/public/apply")).json()
    assert form["minimum_seconds"] == rules.MIN_FILL_SECONDS and "." in form["form_token"]


async def test_refused_applications_write_nothing(client, program, settings):
    headers = await coordinator_headers(client, program)
    slug = program.tenant.slug
    good = application(settings, slug)
    refusals = [
        ({k: v for k, v in good.items() if k != "experience_areas"}, 400),  # a required answer missing
        ({**good, "contributions": []}, 400),
        ({**good, "email": "pas une adresse"}, 400),
        ({**good, "consent_contact": False}, 422),
        ({**good, "website": "http://spam.example"}, 400),  # the honeypot
        ({**good, "form_token": rules.form_token(settings.secret_key, slug, now())}, 400),  # sent too fast
        ({**good, "form_token": "123.forged"}, 400),
    ]
    for body, status in refusals:
        response = await client.post(f"/api/t/{slug}/public/apply", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json") and response.json()["detail"]
    assert await count_partners(client, program, headers) == 0


async def test_overdue_applications_are_flagged_and_mailed_to_the_coordinator(client, program, settings, database):
    headers = await coordinator_headers(client, program)
    partner = await applied(client, settings, program)

    async with db.tenant_transaction(database.app, program.tenant.id, write=True):
        await Partner.update({Partner.received_on: program.tenant.today() - dt.timedelta(days=15)}).where(Partner.id == partner["id"])
    [listed] = (await client.get(f"/api/t/{program.tenant.slug}/program/partners", headers=headers)).json()
    assert listed["overdue"]
    async with db.tenant_transaction(database.app, program.tenant.id, write=True):
        assert await services.remind_overdue(program.tenant) == 1
        sent = await deliveries(program.tenant.id)
    assert [m["recipient"] for m in sent if m["purpose"] == "partner.overdue"] == [program.emails["partner_coordinator"]]
    called = await client.post(f"/api/t/{program.tenant.slug}/program/partners/{partner['id']}/stage", json={"stage": "called"}, headers=headers)
    assert called.status_code == 200 and not called.json()["overdue"] and called.json()["called_on"] == program.tenant.today().isoformat()


async def test_the_pipeline_to_active_creates_the_partners_login(client, program, settings):
    headers = await coordinator_headers(client, program)
    partner = await applied(client, settings, program)
    base = f"/api/t/{program.tenant.slug}/program/partners/{partner['id']}"
    skipped = await client.post(f"{base}/stage", json={"stage": "active"}, headers=headers)
    assert skipped.status_code == 409
    for stage in ("called", "interview"):
        assert (await client.post(f"{base}/stage", json={"stage": stage}, headers=headers)).status_code == 200
    notes = await client.put(f"{base}/interview", json={"interview_notes": "Très motivée.", "decision": "accepted"}, headers=headers)
    assert notes.status_code == 200 and notes.json()["decision"] == "accepted"
    for stage in ("training", "active"):
        response = await client.post(f"{base}/stage", json={"stage": stage}, headers=headers)
        assert response.status_code == 200, response.text
    assert response.json()["user_id"] is not None
    history = (await client.get(f"{base}/history", headers=headers)).json()
    assert [h["to_stage"] for h in history] == ["received", "called", "interview", "training", "active"]


async def test_a_new_partner_chooses_a_password_through_the_welcome_link(client, program, settings, mailbox):
    headers = await coordinator_headers(client, program)
    partner = await applied(client, settings, program)
    await activate(client, program, partner["id"], headers)
    [welcome] = await mailbox.received_by(partner["email"])
    assert welcome["Subject"] == f"Votre accès à {program.tenant.name}"
    assert "mot de passe" not in welcome["Subject"] and "temporaire" not in welcome.get_content()  # no password travels by e-mail
    secret = re.search(r"/password\?token=(\S+)", welcome.get_content()).group(1)
    slug = program.tenant.slug
    assert (await client.post(f"/api/t/{slug}/auth/password", json={"token": secret, "password": "mes heures de bénévolat"})).status_code == 204
    token = await client.post(f"/api/t/{slug}/auth/token", json={"email": partner["email"], "password": "mes heures de bénévolat"})
    assert token.status_code == 201
    me = await client.get(f"/api/t/{slug}/program/me", headers={"authorization": f"Bearer {token.json()['token']}"})
    assert me.status_code == 200 and me.json()["id"] == partner["id"]


async def test_activation_links_an_existing_login(client, program, settings):
    headers = await coordinator_headers(client, program)
    partner = await applied(client, settings, program, email=program.emails["member"])
    active = await activate(client, program, partner["id"], headers)
    assert active["user_id"] == str(program.users["member"])
    member = await bearer(client, program, "member")
    me = await client.get(f"/api/t/{program.tenant.slug}/program/me", headers=member)
    assert me.status_code == 200 and me.json()["id"] == partner["id"]


async def test_declining_needs_a_reason_and_is_final(client, program, settings):
    headers = await coordinator_headers(client, program)
    partner = await applied(client, settings, program)
    base = f"/api/t/{program.tenant.slug}/program/partners/{partner['id']}"
    refused = await client.post(f"{base}/stage", json={"stage": "declined"}, headers=headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    assert (await client.get(base, headers=headers)).json()["stage"] == "received"
    declined = await client.post(f"{base}/stage", json={"stage": "declined", "reason": "Ne souhaite plus s'impliquer."}, headers=headers)
    assert declined.status_code == 200 and declined.json()["stage_reason"] == "Ne souhaite plus s'impliquer."
    assert (await client.post(f"{base}/stage", json={"stage": "called"}, headers=headers)).status_code == 409


async def test_opening_a_file_is_logged_and_others_cannot_read_it(client, program, settings):
    headers = await coordinator_headers(client, program)
    partner = await applied(client, settings, program)
    base = f"/api/t/{program.tenant.slug}/program/partners/{partner['id']}"
    await client.get(base, headers=headers)
    accesses = (await client.get(f"{base}/accesses", headers=headers)).json()
    assert [a["user_id"] for a in accesses] == [str(program.users["partner_coordinator"])]
    member = await bearer(client, program, "member")
    assert (await client.get(base, headers=member)).status_code == 403
    assert (await client.get(f"/api/t/{program.tenant.slug}/program/me", headers=member)).status_code == 404


async def test_the_policy_is_a_setting_and_bad_values_are_refused(client, program):
    headers = await coordinator_headers(client, program)
    url = f"/api/t/{program.tenant.slug}/program/policy"
    assert (await client.get(url, headers=headers)).json()["call_deadline_days"] == 14
    changed = await client.put(url, json={"call_deadline_days": 10, "mileage_rate_cents_per_km": 60, "privacy_officer_email": "vie.privee@ciusss.demo"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["mileage_rate_cents_per_km"] == 60
    refused = await client.put(url, json={"lunch_start": 800, "lunch_end": 700}, headers=headers)
    assert refused.status_code == 422
    assert (await client.get(url, headers=headers)).json()["call_deadline_days"] == 10
    assert (await client.put(url, json={}, headers=await bearer(client, program, "member"))).status_code == 403
