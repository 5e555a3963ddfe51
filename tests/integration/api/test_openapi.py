"""The OpenAPI 3.1 document is generated from the handlers' models and is valid."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from atelier import routes
from atelier.http.app import powertools_path

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


def test_openapi_document_is_valid_and_complete(api: Api, tenants: tuple[Tenant, Tenant]):
    r = api.call("GET", "/api/v1/openapi.json")
    assert r.status == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.1")
    validate(doc)
    documented = {(method.upper(), path) for path, item in doc["paths"].items() for method in item}
    expected = {
        (route.method, powertools_path(route.path).replace("<", "{").replace(">", "}"))
        for route in routes.ROUTES
        if route.handler not in (routes.PREFLIGHT_HANDLER, "functions.system.openapi")
    }
    assert documented == expected
    snapshot = doc["paths"]["/api/v1/snapshots"]["post"]
    body = snapshot["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/SnapshotIn")
    assert "SnapshotView" in doc["components"]["schemas"]
    assert "specHash" in doc["components"]["schemas"]["SnapshotView"]["properties"]
