"""The OpenAPI document describes the JSON API only: pages are for browsers, not for clients."""


def test_the_openapi_document_holds_the_api_and_no_page(app):
    paths = list(app.openapi_schema.paths)
    assert any(path.startswith("/api/t/{slug}/members") for path in paths)
    assert [path for path in paths if not path.startswith("/api/")] == []
