"""The partner program's demo: the CIUSSS MCQ program and the HUS client councils, realistic,
fast to load, with a pipeline (one call overdue), about 600 approved hours in the year, claims,
published minutes that name only the consenting partner, and a partner login per tenant."""

from __future__ import annotations

from collections import Counter

import pytest

from backend import db
from backend.context import Context
from governance.partners import demo as partners_demo
from governance.partners.commitments import Commitments
from governance.partners.committees import Committees
from governance.partners.expenses import Expenses, hours_report
from governance.partners.services import PartnerProgram, policy
from governance.partners.trainings import Trainings
from solidaire.cli import load_demo
from tenants import demo, services


@pytest.fixture(scope="module")
async def demo_loaded(database) -> None:
    """Loads the demo once for the run (its speed is measured by bench/cold_start.sh, not here)."""
    async with database.as_owner():
        await load_demo(database.owner)


async def _tenant(database, slug):
    async with database.as_owner():
        return await services.tenant_by_slug(slug)


async def test_the_ciusss_program_has_about_seventy_partners_a_pipeline_and_600_hours(database, demo_loaded):
    tenant = await _tenant(database, "ciusss-mcq")
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        partners = await PartnerProgram(Context(tenant)).pipeline()
        stages = Counter(p["stage"] for p in partners)
        assert 65 <= len(partners) <= 75 and stages["active"] >= 55
        assert all(stages[s] >= 1 for s in ("received", "called", "interview", "training", "declined", "withdrawn", "inactive")), stages
        assert set(Counter(p["kind"] for p in partners)) == {"resource_user", "relative_resource", "peer_helper", "expert_by_experience"}
        assert len({(p["first_name"], p["last_name"]) for p in partners}) == len(partners)
        overdue = await PartnerProgram(Context(tenant)).overdue()
        assert len(overdue) == 1 and overdue[0]["stage"] == "received"
        report = await hours_report(tenant, partners_demo.YEAR)
        hours = sum(row["minutes"] for row in report["per_activity"]) / 60
        assert 590 <= hours <= 610, hours
        assert 40 <= report["partners"] <= 72
        assert [row["year"] for row in report["per_year"]] == [partners_demo.YEAR - 2, partners_demo.YEAR - 1, partners_demo.YEAR]
        assert len(report["per_committee"]) == 4
        assert (await policy(tenant)).privacy_officer_email == "vie.privee@ciusss-mcq.demo"
        claims = await Expenses(Context(tenant)).claims()
        assert Counter(c["status"] for c in claims) == {"paid": 3, "approved": 1, "submitted": 2}


async def test_published_minutes_name_only_the_consenting_partner_and_others_by_role(database, demo_loaded):
    tenant = await _tenant(database, "ciusss-mcq")
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        committees = Committees(Context(tenant))
        published = await committees.published()
        assert len(published) >= 10
        first = next(c for c in await committees.list() if c["name"] == "Comité des usagers du CIUSSS MCQ")
        meeting = next(m for m in published if m["committee"] == first["name"])
        minutes = await committees.minutes(meeting["id"], public=True)
        people = minutes["present"] + minutes["absent"]
        named = {p["name"] for p in people if p["name"] and p["kind"]}
        assert named <= {"Réjean Lampron"}
        assert any(p["kind"] and not p["name"] and p["number"] >= 1 for p in people)
        hidden = [f"{p['first_name']} {p['last_name']}" for p in await PartnerProgram(Context(tenant)).pipeline() if p["first_name"] != "Réjean"]
        assert not [name for name in hidden if name in minutes["text"]], minutes["text"]
        statuses = Counter()
        for committee in await committees.list():
            statuses.update(m["minutes_status"] for m in await committees.meetings(committee["id"]))
        assert statuses["published"] >= 10 and statuses["approved"] >= 1 and statuses["circulated"] >= 1 and statuses["draft"] == 4


async def test_hus_has_client_councils_with_minutes_in_finnish(database, demo_loaded):
    tenant = await _tenant(database, "hus")
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        committees = Committees(Context(tenant))
        assert {c["kind"] for c in await committees.list()} == {"client_council"}
        published = await committees.published()
        assert published
        minutes = await committees.minutes(published[0]["id"], public=True)
        assert "Raati" in minutes["text"] or "raati" in minutes["text"]
        assert 20 <= len(await PartnerProgram(Context(tenant)).pipeline()) <= 30
        assert len(await PartnerProgram(Context(tenant)).overdue()) == 1


@pytest.mark.parametrize(("slug", "email"), [("ciusss-mcq", "partenaire@ciusss-mcq.demo"), ("hus", "kokemusasiantuntija@hus.demo")])
async def test_each_program_has_a_partner_login_with_committees_hours_and_a_claim(database, demo_loaded, client, slug, email):
    response = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code in (200, 201), response.text
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    own = await client.get(f"/api/t/{slug}/program/me", headers=headers)
    assert own.status_code == 200, own.text
    assert own.json()["stage"] == "active"
    tenant = await _tenant(database, slug)
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        assert await Committees(Context(tenant)).of_partner(own.json()["id"])
        hours = await Expenses(Context(tenant)).hours_of(own.json()["id"])
        assert {h["status"] for h in hours} >= {"approved", "submitted"}
        assert await Expenses(Context(tenant)).claims(partner_id=own.json()["id"])


@pytest.mark.parametrize("slug", ["ciusss-mcq", "hus"])
async def test_each_program_has_a_completed_training_with_its_questionnaire_and_the_next_one(database, demo_loaded, slug):
    tenant = await _tenant(database, slug)
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        trainings = Trainings(Context(tenant))
        upcoming, done = await trainings.list()
        assert done["completed_at"] is not None and upcoming["completed_at"] is None and upcoming["enrolled"] == 1
        summary = await trainings.summary(done["id"])
        assert summary.enrolled == done["enrolled"] - 1 and 1 <= summary.responses <= summary.enrolled and summary.comments
        assert all(3 <= q.mean_tenths / 10 <= 5 for q in summary.questions)
        if slug == "hus":
            assert done["school"] and done["min_size"] == 17 and done["enrolled"] >= 12


async def test_the_coordinator_follows_up_a_few_pledges_and_mandates(database, demo_loaded):
    tenant = await _tenant(database, "ciusss-mcq")
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        follow_up = await Commitments(Context(tenant)).follow_up()
        assert sorted(p["state"] for p in follow_up["pledges"]) == ["missing", "missing", "outdated"]
        assert sorted(s["state"] for s in follow_up["mandates"]) == ["expired", "missing"]
