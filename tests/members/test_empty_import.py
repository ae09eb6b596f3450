"""An empty CSV file is refused by the register's import (it answered 200, "0 imported"): no header
line, or a header line and no rows, is a 422 saying so, on the API and on the page."""

import pytest

from tests.conftest import bearer, sign_in

HEADER = b"last_name,first_name,street,city,region,postal_code,category\n"
EMPTY = {b"": "no header line", b"\n\n": "no header line", HEADER: "no rows", b"\xef\xbb\xbf" + HEADER + b"\n": "no rows"}


@pytest.mark.parametrize("dry_run", ["true", "false"])
async def test_the_api_refuses_an_empty_file(client, make_tenant, dry_run):
    world = await make_tenant()
    headers = {**await bearer(client, world, "secretary"), "content-type": "text/csv", "accept-language": "en"}
    for content, said in EMPTY.items():
        refused = await client.post(f"/api/t/{world.tenant.slug}/members/import", params={"dry_run": dry_run}, content=content, headers=headers)
        assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json"), (content, refused.text)
        body = refused.json()
        assert body["rows"] == 0 and len(body["errors"]) == 1 and said in body["errors"][0]["message"], (content, body)


async def test_the_page_refuses_an_empty_file_in_the_persons_language(client, make_tenant):
    world = await make_tenant()  # in French
    await sign_in(client, world, "secretary")
    for content, said in ((b"", "aucune ligne d’en-tête"), (HEADER, "aucun membre à importer")):
        refused = await client.post(
            f"/t/{world.tenant.slug}/members/import",
            data={"_csrf_token": client.cookies["csrftoken"]},
            files={"file": ("membres.csv", content, "text/csv")},
        )
        assert refused.status_code == 422 and said in refused.text, refused.text[-2000:]
