"""The demo tenants: loaded once, realistic, and every demo login signs in.

The test database is shared by the whole run and the demo's slugs and e-mails are fixed, so this
module loads the demo once (or finds it loaded by an earlier module) and never creates it twice.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from backend import db
from backend.context import Context
from governance.members import demo as members_demo
from governance.members.services import MemberRegister
from solidaire.cli import load_demo
from tenants import demo, services
from tenants.labels import audit_action

SLUGS = ("coop-shawinigan", "ciusss-mcq", "hus")
QUEBEC_POSTAL_CODE = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$")
FINNISH_POSTAL_CODE = re.compile(r"^\d{5}$")
COUNTED_TABLES = ("tenant", "app_user", "tenant_role", "number_sequence", "member", "member_status_change", "audit_event")


@pytest.fixture(scope="module")
async def loaded(database) -> bool:
    """Whether this module's load() wrote the demo (False when an earlier module had loaded it)."""
    async with database.as_owner():
        already = await services.tenant_by_slug(demo.FIRST_SLUG) is not None
        wrote = await load_demo(database.owner)
    assert wrote is not already
    return wrote


async def _registers(database) -> dict[str, tuple[services.TenantInfo, list[dict]]]:
    registers = {}
    async with database.as_owner():
        for slug in SLUGS:
            tenant = await services.tenant_by_slug(slug)
            assert tenant is not None, slug
            async with db.tenant_transaction(database.owner, tenant.id, write=False):
                registers[slug] = (tenant, await MemberRegister(Context(tenant)).all_in_order())
    return registers


async def _table_counts(database) -> dict[str, int]:
    # The tests' owner is a superuser on PostgreSQL: row-level security does not hide rows from it.
    async with database.as_owner():
        return {
            table: (await db.execute(database.owner, f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]
            for table in COUNTED_TABLES
        }


async def test_the_demo_has_three_organisations_with_their_settings(database, loaded):
    registers = await _registers(database)
    coop, ciusss, hus = (registers[slug][0] for slug in SLUGS)
    assert (coop.kind, coop.locale, coop.timezone, coop.currency) == ("coop", "fr_CA", "America/Montreal", "CAD")
    assert coop.member_categories == ("user", "worker", "supporting")
    assert (coop.share_price_cents, coop.qualifying_shares) == (1000, 1)
    assert (ciusss.kind, ciusss.locale, ciusss.timezone, ciusss.currency) == ("partner_program", "fr_CA", "America/Montreal", "CAD")
    assert (hus.kind, hus.locale, hus.timezone, hus.currency) == ("partner_program", "fi", "Europe/Helsinki", "EUR")
    assert set(ciusss.member_categories) == set(hus.member_categories) == {"user", "supporting"}
    assert coop.name == "Coopérative de solidarité santé de Shawinigan"


async def test_each_register_is_realistic(database, loaded):
    for slug, (tenant, members) in (await _registers(database)).items():
        assert 30 <= len(members) <= 45, slug
        assert [m["number"] for m in members] == list(range(1, len(members) + 1)), slug
        statuses = Counter(m["status"] for m in members)
        assert statuses["active"] >= len(members) // 2, (slug, statuses)
        assert all(statuses[s] >= 1 for s in ("applicant", "suspended", "resigned", "deceased")), (slug, statuses)
        assert set(Counter(m["category"] for m in members)) == set(tenant.member_categories), slug
        admitted = [m["admitted_on"] for m in members if m["status"] != "applicant"]
        assert all(admitted) and admitted == sorted(admitted), f"{slug}: numbers follow admission dates"
        assert len({d.year for d in admitted}) >= 5, f"{slug}: admissions spread over the years"
        assert all(m["admission_resolution"] for m in members if m["status"] != "applicant"), slug
        for key in ("consent_contact", "consent_publish_name", "consent_photos", "consent_research"):
            assert len({m[key] for m in members}) == 2, f"{slug}: {key} varies"
        emails = [m["email"] for m in members if m["email"]]
        assert len(emails) == len(set(emails)) and all(e.endswith(".demo") for e in emails), slug
        assert len({(m["first_name"], m["last_name"]) for m in members}) == len(members), slug
        if slug == "hus":
            assert all(m["country"] == "FI" and FINNISH_POSTAL_CODE.match(m["postal_code"]) for m in members)
            assert {m["city"] for m in members} <= {"Helsinki", "Espoo", "Vantaa"}
            assert {m["language"] for m in members} == {"fi"}
        else:
            assert all(m["country"] == "CA" and m["region"] == "QC" for m in members), slug
            assert all(QUEBEC_POSTAL_CODE.match(m["postal_code"]) for m in members), slug
            assert {m["city"] for m in members} <= {"Shawinigan", "Trois-Rivières", "Drummondville", "Victoriaville"}
            assert Counter(m["language"] for m in members).most_common(1)[0][0] == "fr_CA", slug
            assert all(m["language"] in ("fr_CA", "en_CA") for m in members), slug
    coop = (await _registers(database))["coop-shawinigan"][1]
    assert all(m["shares_subscribed"] >= 1 and m["shares_paid"] <= m["shares_subscribed"] for m in coop)
    assert any(re.fullmatch(r"CA-20\d\d-\d\d", m["admission_resolution"] or "") for m in coop)


async def test_the_demo_is_the_same_every_time(database, loaded):
    """The register in the database is the seeded one, entry for entry (applicants are dated on loading)."""
    registers = await _registers(database)
    for organisation in demo.ORGANISATIONS:
        expected = members_demo.register(organisation)
        assert expected == members_demo.register(organisation)
        stored = registers[organisation.slug][1]
        assert [(e.admission.first_name, e.admission.last_name, e.admission.email, e.admission.admitted_on) for e in expected] == [
            (m["first_name"], m["last_name"], m["email"], m["admitted_on"]) for m in stored
        ]
        assert [e.changes[-1].status if e.changes else e.admission.status for e in expected] == [m["status"] for m in stored]


async def test_status_changes_have_their_history_and_audit(database, loaded):
    tenant, members = (await _registers(database))["coop-shawinigan"]
    changed = [m for m in members if m["status"] in ("suspended", "resigned", "deceased")]
    async with database.as_owner(), db.tenant_transaction(database.owner, tenant.id, write=False):
        register = MemberRegister(Context(tenant))
        for member in changed:
            history = await register.history(member["id"])
            assert history[0]["from_status"] is None and history[0]["effective_on"] == member["admitted_on"]
            assert history[-1]["to_status"] == member["status"] and history[-1]["effective_on"] == member["status_since"]
            assert member["status_since"] > member["admitted_on"] and history[-1]["reason"]
            actions = {event["action"] for event in await services.audit_events(tenant, member["id"])}
            assert {"member.admitted", "member.status_changed"} <= actions
        # One suspension was lifted: suspended, then active again.
        lifted = [m for m in members if m["status"] == "active" and len(await register.history(m["id"])) == 3]
        assert len(lifted) == 1


async def test_a_second_load_returns_false_and_changes_nothing(database, loaded):
    before_counts, before_registers = await _table_counts(database), await _registers(database)
    async with database.as_owner():
        assert await load_demo(database.owner) is False
    assert await _table_counts(database) == before_counts
    assert await _registers(database) == before_registers


@pytest.mark.parametrize(("email", "slug", "roles"), demo.DEMO_LOGINS)
async def test_each_demo_login_signs_in_with_its_roles(client, database, loaded, email, slug, roles):
    response = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 201, response.text
    async with database.as_owner():
        tenant = await services.tenant_by_slug(slug)
        user = await services.user_by_email(email)
        async with db.tenant_transaction(database.owner, tenant.id, write=False):
            assert await services.roles_of(tenant, user["id"]) == frozenset(roles)


async def test_the_coordinator_holds_roles_in_two_tenants_and_none_in_the_coop(client, loaded):
    email = "coordination@solidaire.demo"
    assert {slug for e, slug, _ in demo.DEMO_LOGINS if e == email} == {"ciusss-mcq", "hus"}
    refused = await client.post("/api/t/coop-shawinigan/auth/token", json={"email": email, "password": demo.DEMO_PASSWORD})
    assert refused.status_code == 422


async def _token(client, email: str, slug: str) -> dict[str, str]:
    response = await client.post(f"/api/t/{slug}/auth/token", json={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 201, response.text
    return {"authorization": f"Bearer {response.json()['token']}"}


async def test_the_coops_secretary_lists_the_register_and_the_member_sees_their_entry(client, loaded):
    secretary = await _token(client, "secretariat@coop-shawinigan.demo", "coop-shawinigan")
    listing = await client.get("/api/t/coop-shawinigan/members", headers=secretary)
    assert listing.status_code == 200, listing.text
    assert listing.json()["total"] >= 30
    found = await client.get("/api/t/coop-shawinigan/members", params={"q": "lacerte"}, headers=secretary)
    assert "membre@coop-shawinigan.demo" in [m["email"] for m in found.json()["items"]]

    member = await _token(client, "membre@coop-shawinigan.demo", "coop-shawinigan")
    me = await client.get("/api/t/coop-shawinigan/me/", headers=member)
    assert me.status_code == 200, me.text
    assert (me.json()["first_name"], me.json()["last_name"], me.json()["status"]) == ("Josée", "Lacerte", "active")
    assert (await client.get("/api/t/coop-shawinigan/members", headers=member)).status_code == 403


async def test_each_program_admin_reads_their_own_register_only(client, loaded):
    for email, slug, other in (("admin@ciusss-mcq.demo", "ciusss-mcq", "hus"), ("admin@hus.demo", "hus", "ciusss-mcq")):
        headers = await _token(client, email, slug)
        listing = await client.get(f"/api/t/{slug}/members", headers=headers)
        assert listing.status_code == 200 and listing.json()["total"] >= 30, listing.text
        # A token belongs to one tenant: it opens nothing in another.
        assert (await client.get(f"/api/t/{other}/members", headers=headers)).status_code in (401, 403)


async def test_every_action_of_the_demo_log_has_a_name(database, loaded):
    async with database.as_owner():
        demo = [(await services.tenant_by_slug(slug)).id for slug in SLUGS]  # (other tests' tenants share the database)
        actions = {row["action"] for tenant_id in demo for row in await db.execute(database.owner, "SELECT DISTINCT action FROM audit_event WHERE tenant_id = {}", tenant_id)}
    assert len(actions) > 20
    assert sorted(action for action in actions if audit_action(action) is None) == []
