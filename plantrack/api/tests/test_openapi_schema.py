"""The OpenAPI schema is valid OpenAPI 3 and documents what the server does: refusals (4xx) with their bodies,
``version`` required where the server requires it, bare lists as lists, the report filters."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

WORKFLOW_ACTIONS = ["submit", "return", "accept"]


@pytest.fixture
def schema(client, world):
    client.force_login(world.viewer)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _components(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_the_schema_is_valid_openapi(schema):
    validate(schema)


def test_every_operation_documents_its_refusals(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"403", "429"} <= codes, (method, path)
            if path != "/api/v1/auth/token/":
                assert "401" in codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "patch", "put"):
                assert "400" in codes, (method, path)


def test_workflow_moves_document_409_and_require_version(schema):
    for name in WORKFLOW_ACTIONS:
        operation = schema["paths"][f"/api/v1/reports/{{id}}/{name}/"]["post"]
        assert "409" in operation["responses"]
        body = _components(schema, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        assert "version" in body["required"], name
    patch = schema["paths"]["/api/v1/reports/{id}/"]["patch"]
    body = _components(schema, patch["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    assert "version" in body["required"]


def test_bare_lists_are_not_shown_as_paginated(schema):
    for path in ("/api/v1/cycles/{id}/status/", "/api/v1/reports/{id}/submissions/"):
        response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert response["type"] == "array", path
        assert not any(p["name"] == "page" for p in schema["paths"][path]["get"].get("parameters", []))


def test_report_filters_are_documented(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/reports/"]["get"]["parameters"]}

    assert parameters["cycle"]["schema"]["type"] == "integer"
    assert set(parameters["state"]["schema"]["enum"]) >= {"draft", "submitted", "returned", "accepted"}


def test_the_token_endpoint_is_documented_without_authentication(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert operation.get("security", []) in ([], [{}])
    assert {"200", "400", "403", "429"} <= set(operation["responses"])


def test_the_docs_page_says_its_language(client, world):
    """Screen readers pick their voice from <html lang>; drf-spectacular's page has none (our override adds it)."""
    client.force_login(world.viewer)
    html = client.get("/api/v1/docs/").content.decode()
    assert '<html lang="vi">' in html
