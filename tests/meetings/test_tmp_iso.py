from tests.test_isolation import *  # noqa
from tests import test_isolation as t


async def test_mine(app, client, make_tenant):
    a = await make_tenant()
    b, b_headers, ids, secrets = await t.tenant_b(client, make_tenant)
    before = await t.snapshot(client, b, b_headers, ids)
    a_headers = await t.bearer(client, a, "administrator")
    await t.sign_in(client, a, "administrator")
    for method, template in t.tenant_routes(app):
        if not any(w in template for w in ("election", "candidac", "consultation", "room-count", "/named", "/turnout")):
            continue
        for slug, expect in ((a.tenant.slug, (404,)), (b.tenant.slug, (401, 403, 404))):
            response = await t.call(client, method, template, slug, ids, a_headers)
            where = f"{method} {template}: {response.status_code}"
            print(where)
            assert response.status_code < 500, where
            assert not any(secret in response.text for secret in secrets), where
            if set(t.PARAMETER.findall(template)) - {"slug"}:
                assert response.status_code in expect, where
    assert await t.snapshot(client, b, b_headers, ids) == before
