"""Schemathesis generates requests from the OpenAPI document against the live server, valid ones
and, in its negative mode, requests that break the schema (wrong types, missing fields, values out
of range): whatever the input, the API answers with no 5xx, and every refusal is problem+json."""

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from tests.e2e.conftest import ON_POSTGRES

pytestmark = [pytest.mark.live, ON_POSTGRES]


@pytest.fixture(scope="module")
def token(server):
    request = urllib.request.Request(
        f"{server}/api/t/coop-shawinigan/auth/token",
        data=json.dumps({"email": "secretariat@coop-shawinigan.demo", "password": "solidaire-demo", "name": "fuzz"}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["token"]


@pytest.fixture(scope="module")
def api_schema(server):
    loaded = schemathesis.openapi.from_url(f"{server}/api/schema/openapi.json")
    loaded.config.generation.update(modes=list(GenerationMode))  # positive and negative data
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")
# The operations in four tests of about 60 each, which the live stage's processes run side by side.
PROGRAM, BILLING = r"^/api/t/\{slug\}/program/", r"^/api/t/\{slug\}/billing/"
MEETINGS = r"^/api/t/\{slug\}/(meetings|votes|elections|candidacies|consultations|requisitions|minutes|directors|motions|proxies|resolutions|governance|annual-report)"


def never_fails(operations):
    @operations.parametrize()
    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))  # x 2 modes x ~250 operations: CI within its 12 minutes
    @pytest.mark.timeout(600)  # a whole part of the API runs inside one test: more than the usual 120 s
    def test(case, server, token):
        if "slug" in (case.path_parameters or {}):
            case.path_parameters["slug"] = "coop-shawinigan"
        response = case.call(base_url=server, headers={"authorization": f"Bearer {token}"})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"][0].startswith("application/problem+json"), (case.method, case.formatted_path, response.status_code)

    return test


test_the_program_api_never_fails_on_generated_input = never_fails(schema.include(path_regex=PROGRAM))
test_the_billing_api_never_fails_on_generated_input = never_fails(schema.include(path_regex=BILLING))
test_the_meetings_api_never_fails_on_generated_input = never_fails(schema.include(path_regex=MEETINGS))
test_the_rest_of_the_api_never_fails_on_generated_input = never_fails(schema.exclude(path_regex=PROGRAM).exclude(path_regex=BILLING).exclude(path_regex=MEETINGS))
