"""Hostile bodies on every JSON operation of the OpenAPI document: invalid UTF-8 inside a string,
nesting 10,000 deep, malformed JSON, a body that is not sent as JSON, a number sent as a string.
Each is refused with the right 4xx and a problem+json body; none answers 5xx."""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from collections import Counter
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend import bodies, db, domains, i18n
from backend.errors import Problem
from backend.i18n import gettext
from backend.settings import Settings
from backend.throttle import MemoryAttempts, SharedAttempts
from solidaire import cli
from solidaire.app import create_app
from tenants import services
from tests.billing.helpers import future_day, make_coop
from tests.clock import local
from tests.conftest import BACKEND, bearer

PROBLEM = "application/problem+json"


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _integer_field(document: dict, schema: dict) -> str | None:
    """A top-level property of the body that takes a plain integer, if the body has one."""
    for name, prop in _resolve(document, schema).get("properties", {}).items():
        prop = _resolve(document, prop)
        if prop.get("type") == "integer" or any(_resolve(document, one).get("type") == "integer" for one in prop.get("oneOf", [])):
            return name
    return None


def json_operations(document: dict, slug: str) -> list[tuple[str, str, dict]]:
    """(method, path with its parameters filled in, body schema) of every operation taking JSON."""
    operations = []
    for template, item in document["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {}) if isinstance(operation, dict) else {}
            if "application/json" not in content:
                continue
            path = template.replace("{slug}", slug)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] != "slug":
                    path = path.replace("{" + parameter["name"] + "}", str(uuid.uuid4()))
            operations.append((method.upper(), path, content["application/json"]["schema"]))
    return operations


async def every_role(database, make_tenant, client) -> tuple[str, dict]:
    """A tenant whose administrator holds every role the domains bring: no guard stops a probe."""
    world = await make_tenant(roles=("clinician", "partner_coordinator", "partner"))
    async with database.as_owner(), db.transaction(database.owner, write=True):
        for role in set(domains.roles()) - {"administrator"}:
            await services.grant_role(world.tenant, world.users["administrator"], role)
    return world.tenant.slug, await bearer(client, world, "administrator")


async def test_no_json_operation_answers_5xx_to_a_hostile_body(app, database, client, make_tenant):
    slug, headers = await every_role(database, make_tenant, client)
    document = app.openapi_schema.to_schema()
    operations = json_operations(document, slug)
    assert len(operations) >= 80  # every JSON operation of every domain, found from the document
    json_type = {**headers, "content-type": "application/json"}
    probes = {
        "invalid UTF-8 in a string": (b'{"name": "caf\xe9 \xff"}', json_type, {400}),
        "nested 10,000 deep": (b"[" * 10_000 + b"]" * 10_000, json_type, {400}),
        "an object nested 10,000 deep": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, json_type, {400}),
        "malformed": (b'{"name": "x",', json_type, {400}),
        "not sent as JSON": (b"{}", {**headers, "content-type": "text/plain"}, {415}),
        "no content type": (b"{}", headers, {415}),
    }
    failures, probed = [], 0
    for method, path, schema in operations:
        cases = dict(probes)
        if field := _integer_field(document, schema):
            cases["a number as a string"] = (f'{{"{field}": "12"}}'.encode(), json_type, {400})
        for name, (body, request_headers, expected) in cases.items():
            response = await client.request(method, path, content=body, headers=request_headers)
            probed += 1
            kind = response.headers.get("content-type", "")
            if response.status_code not in expected or not kind.startswith(PROBLEM):
                failures.append((name, method, path, response.status_code, response.text[:200]))
            elif name == "a number as a string":
                problem = response.json()
                if field not in [error["field"] for error in problem.get("errors", [])]:
                    failures.append((name, method, path, "field not named", problem))
    summary = Counter((name, status) for name, _, _, status, _ in failures)
    assert failures == [], f"{len(failures)} of {probed} probes on {len(operations)} operations: {dict(summary)} {failures[:5]}"


async def test_the_unauthenticated_json_operations_refuse_hostile_bodies_too(client, make_tenant):
    world = await make_tenant()
    for path in ("public/apply", "auth/token", "auth/password-link"):
        for body in (b'{"email": "\xff"}', b"[" * 10_000):
            response = await client.post(f"/api/t/{world.tenant.slug}/{path}", content=body, headers={"content-type": "application/json"})
            assert response.status_code == 400, (path, response.text)
            assert response.headers["content-type"].startswith(PROBLEM)
            assert response.json()["detail"]


async def test_a_body_too_large_is_refused_before_it_is_read_whole(app, client, make_tenant):
    world = await make_tenant()
    body = b'{"email": "' + b"x" * (app.state.settings.max_upload_bytes + 1) + b'"}'
    response = await client.post(f"/api/t/{world.tenant.slug}/public/apply", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_a_refusal_says_what_is_wrong_in_the_users_language(client, make_tenant):
    world = await make_tenant()
    url = f"/api/t/{world.tenant.slug}/auth/token"
    cases = {
        b'{"email": "\xff"}': "UTF-8",
        b'{"email": ': "JSON",
        b'{"email" "a"}': "byte 9",
        b"[" * 10_000: "object",  # the body should be an object: refused at its first character
    }
    for body, words in cases.items():
        response = await client.post(url, content=body, headers={"content-type": "application/json", "accept-language": "en"})
        assert words in str(response.json()), (body[:20], response.json())
    french = await client.post(url, content=b'{"email": "\xff"}', headers={"content-type": "application/json", "accept-language": "fr-CA"})
    assert "UTF-8" in french.json()["detail"] and "corps" in french.json()["detail"], french.json()
    refused = await client.post(url, content=b"{}", headers={"content-type": "text/plain", "accept-language": "en"})
    assert refused.status_code == 415 and "application/json" in refused.json()["detail"]


def test_nesting_too_deep_is_refused_where_any_value_is_allowed():
    with i18n.using("fr_CA"), pytest.raises(Problem) as refused:
        bodies.decode(b"[" * 10_000 + b"]" * 10_000, Any)
    assert refused.value.status == 400 and "imbriqu" in gettext(refused.value.detail)


async def test_json_bodies_still_work(client, make_tenant):
    """A JSON body with its charset, or sent as a +json type, is read as before."""
    world = await make_tenant()
    url = f"/api/t/{world.tenant.slug}/auth/token"
    body = httpx.Request("POST", url, json={"email": world.emails["secretary"], "password": "correct horse battery staple"}).content
    for kind in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = await client.post(url, content=body, headers={"content-type": kind})
        assert response.status_code == 201, (kind, response.text)


async def test_a_put_of_settings_changes_only_what_it_is_given(app, database, client, make_tenant):
    """Billing settings, dues settings and the partner policy: PUT {} changes nothing (it reset every
    setting, the legal name and tax numbers included); a partial PUT changes the fields it names."""
    slug, headers = await every_role(database, make_tenant, client)
    api = f"/api/t/{slug}"
    cases = [
        (f"{api}/billing/settings", {"legal_name": "Coop X inc.", "gst_number": "812345678 RT0001", "payment_terms_days": 15, "reminder_days": [10]}),
        (f"{api}/billing/dues/settings", {"dues_cents": {"user": 2500}, "dues_taxable": True}),
        (f"{api}/program/policy", {"call_deadline_days": 7, "privacy_officer_name": "Léa Roy", "receipt_types": ["application/pdf"]}),
    ]
    for url, values in cases:
        assert (await client.put(url, json=values, headers=headers)).status_code == 200, url
        before = (await client.get(url, headers=headers)).json()
        assert {name: before[name] for name in values} == values, url
        for body in ({}, {"nothing": 1}, {next(iter(values)): None}):
            response = await client.put(url, json=body, headers=headers)
            assert response.status_code in (200, 400), (url, body, response.text)
            assert (await client.get(url, headers=headers)).json() == before, (url, body)
        name, value = next(iter(values.items()))
        assert (await client.put(url, json={name: value}, headers=headers)).json() == before, url
    # One field changed: only it.
    url, values = cases[0]
    changed = (await client.put(url, json={"payment_terms_days": 45}, headers=headers)).json()
    assert changed["payment_terms_days"] == 45 and changed["legal_name"] == "Coop X inc." and changed["gst_number"] == "812345678 RT0001"


def test_the_openapi_document_says_a_settings_put_takes_any_of_its_fields(app):
    document = app.openapi_schema.to_schema()
    for path in ("/api/t/{slug}/billing/settings", "/api/t/{slug}/billing/dues/settings", "/api/t/{slug}/program/policy"):
        schema = _resolve(document, document["paths"][path]["put"]["requestBody"]["content"]["application/json"]["schema"])
        assert schema.get("required", []) == [] and len(schema["properties"]) >= 2, path


async def test_a_body_missing_fields_names_every_one(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    response = await client.post(f"/api/t/{world.tenant.slug}/members", json={"first_name": "Ève"}, headers=headers)
    assert response.status_code == 400
    named = {error["field"] for error in response.json()["errors"]}
    assert {"last_name", "street", "city", "category"} <= named, named


# --- the sign-in throttle ------------------------------------------------------------------------


def throttled_app(database, settings, limit: int):
    return create_app(dataclasses.replace(settings, sign_in_attempts_per_minute=limit), engine=database.app)


def fresh_address(first: int = 10) -> str:
    """A client address no other test used: on PostgreSQL the counts are shared by every app of the run."""
    return ".".join([str(first), *(str(secrets.randbelow(254) + 1) for _ in range(3))])


async def test_guesses_at_one_account_from_many_addresses_are_throttled(database, settings, make_tenant):
    world = await make_tenant()
    app = throttled_app(database, settings, 4)
    url = f"/api/t/{world.tenant.slug}/auth/token"
    statuses = []
    addresses = [fresh_address() for _ in range(4)]
    for i in range(8):  # four addresses, two guesses each: each address stays within its budget
        transport = httpx.ASGITransport(app=app, client=(addresses[i % 4], 40000))
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as client:
            statuses.append(await client.post(url, json={"email": world.emails["secretary"].upper(), "password": f"guess{i}"}))
    assert [r.status_code for r in statuses] == [422] * 4 + [429] * 4
    refused = statuses[-1]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(refused.headers["retry-after"]) <= 60 and refused.json()["status"] == 429
    # The sign-in page counts against the same account; another account is not held back.
    transport = httpx.ASGITransport(app=app, client=(fresh_address(), 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as client:
        page = await client.get(f"/t/{world.tenant.slug}/login")
        form = {"email": world.emails["secretary"], "password": "x", "_csrf_token": client.cookies["csrftoken"]}
        refused_page = await client.post(f"/t/{world.tenant.slug}/login", data=form)
        assert page.status_code == 200 and refused_page.status_code == 429 and "retry-after" in refused_page.headers
        other = await client.post(url, json={"email": world.emails["treasurer"], "password": "correct horse battery staple"})
        assert other.status_code == 201, other.text


async def test_a_forwarded_for_header_does_not_change_the_address_counted(database, settings, make_tenant):
    """From 127.0.0.1, a new X-Forwarded-For on each attempt no longer makes a new client (the
    in-process app sees the peer; what uvicorn believes is tested below)."""
    world = await make_tenant()
    app = throttled_app(database, settings, 3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(fresh_address(127), 40000)), base_url="https://testserver.local") as client:
        statuses = [
            (await client.post(f"/api/t/{world.tenant.slug}/auth/token", json={"email": f"nobody{i}@x.ca", "password": "x"}, headers={"x-forwarded-for": f"203.0.113.{i}"})).status_code
            for i in range(5)
        ]
    assert statuses == [422, 422, 422, 429, 429]


def recording(seen: dict):
    """An app factory whose app notes the client address it is given."""

    def factory():
        async def app(scope, receive, send):
            seen["client"] = scope["client"][0]

        return app

    return factory


@pytest.mark.parametrize(("trusted", "peer", "expected"), [("", "127.0.0.1", "127.0.0.1"), ("10.0.0.2", "127.0.0.1", "127.0.0.1"), ("10.0.0.2", "10.0.0.2", "203.0.113.7")])
async def test_serve_believes_x_forwarded_for_only_from_the_proxies_named(settings, trusted, peer, expected):
    seen: dict = {}
    config = cli.uvicorn_config(dataclasses.replace(settings, forwarded_allow_ips=trusted), "127.0.0.1", 8000, app=recording(seen))
    config.load()  # the app uvicorn serves, its proxy-headers middleware included when enabled
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http", "path": "/",
        "raw_path": b"/", "query_string": b"", "root_path": "", "headers": [(b"x-forwarded-for", b"203.0.113.7")],
        "client": (peer, 40000), "server": ("127.0.0.1", 8000),
    }
    await config.loaded_app(scope, None, None)
    assert seen["client"] == expected


def test_the_setting_is_off_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.setenv("SOLIDAIRE_VAR", str(tmp_path))
    assert Settings.from_env().forwarded_allow_ips == ""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")
    assert Settings.from_env().forwarded_allow_ips == "10.0.0.2"


async def test_the_attempts_store_counts_per_key_and_window():
    now = [100.0]
    attempts = MemoryAttempts(clock=lambda: now[0])
    assert [await attempts.hit("a", limit=2, window=60) for _ in range(3)] == [0, 0, 60]
    assert await attempts.hit("b", limit=2, window=60) == 0
    now[0] += 45
    assert await attempts.hit("a", limit=2, window=60) == 15
    now[0] += 15
    assert await attempts.hit("a", limit=2, window=60) == 0


@pytest.mark.skipif(BACKEND != "postgres", reason="the shared store is PostgreSQL's (the embedded default is one process)")
async def test_the_processes_of_a_deployment_count_sign_in_attempts_together(database):
    """Two processes (two engines, two stores) share one budget per key, kept in PostgreSQL, hashed."""
    now = [1_800_000_030.0]
    engines = [db.make_engine(database.app_url) for _ in range(2)]
    for engine in engines:
        await db.start(engine)
    try:
        first, second = (SharedAttempts(engine, clock=lambda: now[0]) for engine in engines)
        key = f"account:{uuid.uuid4()}@exemple.ca"
        waits = [await store.hit(key, limit=3, window=60) for store in (first, second, first, second)]
        assert waits[:3] == [0, 0, 0] and waits[3] == 30  # the fourth in the minute, from either process
        now[0] += 30
        assert await second.hit(key, limit=3, window=60) == 0  # a new window
        stored = await db.execute(engines[0], "SELECT key_hash FROM sign_in_attempt")
        assert all("@" not in row["key_hash"] for row in stored)
    finally:
        for engine in engines:
            await db.stop(engine)


# --- a cookie, a refusal's words ---------------------------------------------------------------


@pytest.mark.parametrize("secure", [True, False])
async def test_the_language_cookie_is_secure_when_cookies_are(database, settings, make_tenant, secure):
    world = await make_tenant()
    app = create_app(dataclasses.replace(settings, cookie_secure=secure), engine=database.app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as client:
        await client.get(f"/t/{world.tenant.slug}/login")
        chosen = await client.post(f"/t/{world.tenant.slug}/language", data={"language": "fi", "next": f"/t/{world.tenant.slug}/", "_csrf_token": client.cookies["csrftoken"]})
    assert chosen.status_code in (302, 303), chosen.text
    cookie = next(value for value in chosen.headers.get_list("set-cookie") if value.startswith("solidaire_lang="))
    assert ("secure" in cookie.lower().split("; ")) is secure, cookie


async def test_a_room_of_another_organisation_is_an_unknown_room(client, make_tenant):
    ours, theirs = await make_coop(client, make_tenant), await make_coop(client, make_tenant)
    day = future_day()
    body = {"room_id": theirs.room["id"], "starts_at": local(day, 9), "ends_at": local(day, 10)}
    for headers in (ours.admin, ours.clinician):  # the administrator has no clinician account of their own
        for path in ("bookings", "series"):
            extra = {"rrule": "FREQ=WEEKLY;COUNT=2"} if path == "series" else {}
            refused = await client.post(f"{ours.api}/{path}", json={**body, **extra}, headers={**headers, "accept-language": "en"})
            assert refused.status_code == 404, (path, refused.text)
            assert "clinician account" not in refused.json()["detail"], refused.json()


JSON_TREES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_any_json_tree_on_any_operation_is_answered_without_5xx(app, database, client, make_tenant, data):
    """Hypothesis writes JSON documents of every shape (and, half the time, the operation's own
    fields with values of any type) to operations drawn from the OpenAPI document."""
    slug, headers = await every_role(database, make_tenant, client)  # (a tenant per example: what one example writes, the next does not see)
    document = app.openapi_schema.to_schema()
    operations = json_operations(document, slug)
    for _ in range(8):
        method, path, schema = data.draw(st.sampled_from(operations))
        fields = list(_resolve(document, schema).get("properties", {}))
        body = data.draw(JSON_TREES | (st.dictionaries(st.sampled_from(fields), JSON_TREES, max_size=len(fields)) if fields else JSON_TREES))
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code < 500, (method, path, body, response.text[:300])
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith(PROBLEM), (method, path, response.status_code)


@pytest.mark.parametrize("refusal", [asyncpg.TooManyConnectionsError, asyncpg.CannotConnectNowError])
async def test_a_database_refusing_connections_answers_503_with_retry_after_not_500(client, make_tenant, monkeypatch, refusal):
    """PostgreSQL's max_connections reached by every process's pool (or it is restarting): the
    request is told to come back in a moment, in the person's language, and nothing is written."""
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")

    async def refuse(*args, **kwargs):
        raise refusal("sorry, too many clients already")

    monkeypatch.setattr(db, "scope_to_tenant", refuse)
    busy = await client.get(f"/api/t/{world.tenant.slug}/members", headers=headers)
    assert (busy.status_code, busy.headers["retry-after"], busy.headers["content-type"]) == (503, "2", "application/problem+json")
    assert busy.json()["status"] == 503
    page = await client.get(f"/t/{world.tenant.slug}/login")
    assert page.status_code == 503 and "réessayez dans quelques secondes" in page.text  # the co-op's language
