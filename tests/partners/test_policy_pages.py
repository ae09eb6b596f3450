"""The program's policy from its page: rates and caps in money as people write it, meal hours as
times, every refused field at once next to itself in the reader's language; the idle profiles
anonymised by hand after the page asked."""

import datetime as dt

from backend import db
from governance.partners.tables import Partner
from tests.conftest import bearer, sign_in
from tests.partners.helpers import applied, coordinator_headers
from tests.partners.test_pages import csrf

POLICY = {"call_deadline_days": "10", "mileage_rate_cents_per_km": "0,61", "mileage_cap_km": "250", "transit_cap_cents": "18,50",
          "parking_cap_cents": "25", "meal_cap_cents": "22,75", "childcare_rate_cents_per_hour": "15", "childcare_cap_cents": "1 000,00",
          "claim_cap_cents": "300", "lunch_start": "11:30", "lunch_end": "13:00", "supper_start": "18:00", "supper_end": "19:30",
          "receipt_max_bytes": "4096", "receipt_types": ["application/pdf", "image/png"], "receipt_required_kinds": "parking",
          "pledge_version": "2", "pledge_valid_months": "12", "privacy_officer_name": "Julie Roy", "privacy_officer_email": "jroy@exemple.ca",
          "privacy_officer_phone": "", "inactivity_months": "36"}


async def test_the_coordinator_sets_the_policy_in_the_page(client, program):
    slug = program.tenant.slug
    await sign_in(client, program, "partner_coordinator")
    shown = await client.get(f"/t/{slug}/program/policy")
    assert shown.status_code == 200
    assert 'name="mileage_rate_cents_per_km" type="text" value="0,54"' in shown.text and 'value="12:00"' in shown.text
    form = {**POLICY, "_csrf_token": csrf(client)}
    saved = await client.post(f"/t/{slug}/program/policy", data=form)
    assert saved.status_code in (302, 303) and saved.headers["location"].endswith("/program/policy/?saved=true")
    assert "La politique a été enregistrée." in (await client.get(saved.headers["location"])).text
    policy = (await client.get(f"/api/t/{slug}/program/policy", headers=await coordinator_headers(client, program))).json()
    assert policy["mileage_rate_cents_per_km"] == 61 and policy["transit_cap_cents"] == 1850 and policy["childcare_cap_cents"] == 100_000
    assert policy["lunch_start"] == 690 and policy["supper_end"] == 1170 and policy["receipt_max_bytes"] == 4096 * 1024
    assert policy["receipt_types"] == ["application/pdf", "image/png"] and policy["receipt_required_kinds"] == ["parking"]
    assert policy["inactivity_months"] == 36 and policy["privacy_officer_name"] == "Julie Roy" and policy["call_deadline_days"] == 10
    assert "dans les 10 jours" in (await client.get(f"/t/{slug}/public/apply")).text  # the public form says the deadline set


async def test_a_refused_policy_names_every_wrong_field_in_words(client, program):
    slug = program.tenant.slug
    await sign_in(client, program, "partner_coordinator")
    before = (await client.get(f"/api/t/{slug}/program/policy", headers=await coordinator_headers(client, program))).json()
    form = {"call_deadline_days": "0", "mileage_rate_cents_per_km": "beaucoup", "meal_cap_cents": "-3", "lunch_start": "midi",
            "supper_start": "19:00", "supper_end": "18:00", "receipt_types": [], "inactivity_months": "24", "_csrf_token": csrf(client)}
    refused = await client.post(f"/t/{slug}/program/policy", data=form)
    assert refused.status_code == 422
    page = refused.text
    for field in ("call_deadline_days", "mileage_rate_cents_per_km", "meal_cap_cents", "lunch_start", "receipt_types"):
        assert f'id="f-{field}-error"' in page, field
    assert "Entrez un montant de zéro ou plus" in page and "Entrez une heure" in page and "au moins 1" in page
    assert "Délai d&#39;appel" in page or "Jours pour appeler" in page  # the summary names the fields in words
    for code in ("call_deadline_days", "mileage_rate", "receipt_types", "Expected"):
        assert f">{code}" not in page and f"{code} —" not in page
    assert 'value="beaucoup"' in page  # what was typed is shown again
    after = (await client.get(f"/api/t/{slug}/program/policy", headers=await coordinator_headers(client, program))).json()
    assert after == before  # nothing half written
    meal_hours = await client.post(f"/t/{slug}/program/policy", data={**POLICY, "supper_start": "19:00", "supper_end": "18:00", "_csrf_token": csrf(client)})
    assert meal_hours.status_code == 422 and 'id="f-supper_end-error"' in meal_hours.text


async def test_idle_profiles_are_anonymised_from_the_page(client, program, settings):
    slug = program.tenant.slug
    partner = await applied(client, settings, program)
    headers = await coordinator_headers(client, program)
    await client.post(f"/api/t/{slug}/program/partners/{partner['id']}/stage", json={"stage": "withdrawn", "reason": "Déménagement"}, headers=headers)
    long_ago = program.tenant.today() - dt.timedelta(days=25 * 31)
    async with db.tenant_transaction(client._transport.app.state.engine, program.tenant.id, write=True):
        await Partner.update({Partner.last_activity_on: long_ago}).where(Partner.id == partner["id"])
    await sign_in(client, program, "partner_coordinator")
    page = await client.get(f"/t/{slug}/program/policy")
    assert "1 profil est inactif depuis assez longtemps" in page.text and 'data-confirm="Anonymiser 1 profil maintenant' in page.text
    done = await client.post(f"/t/{slug}/program/policy/anonymise", data={"_csrf_token": csrf(client)})
    assert done.status_code in (302, 303)
    assert "1 profil a été anonymisé." in (await client.get(done.headers["location"])).text
    file = (await client.get(f"/api/t/{slug}/program/partners/{partner['id']}", headers=headers)).json()
    assert file["first_name"] == "—" and file["email"] is None


async def test_the_privacy_page_names_the_programs_officer_or_else_the_organisations(client, program):
    slug = program.tenant.slug
    headers = await coordinator_headers(client, program)
    admin = await bearer(client, program, "administrator")
    organisation = await client.put(f"/api/t/{slug}/organisation", json={"privacy_officer_name": "Secrétariat général", "privacy_officer_email": "vie-privee@exemple.ca"}, headers=admin)
    assert organisation.status_code == 200, organisation.text
    page = (await client.get(f"/t/{slug}/public/privacy")).text
    assert "<address>" in page and "Secrétariat général" in page.split("<address>")[1].split("</address>")[0]
    await client.put(f"/api/t/{slug}/program/policy", json={"privacy_officer_name": "Julie Roy", "privacy_officer_phone": "819 555-0100"}, headers=headers)
    address = (await client.get(f"/t/{slug}/public/privacy")).text.split("<address>")[1].split("</address>")[0]
    assert "Julie Roy" in address and "819 555-0100" in address and "Secrétariat" not in address
