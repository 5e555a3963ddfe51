"""Brand back-office: products, zones, fonts (uploaded, parsed, checked), keys, settings."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from atelier.auth.principal import Role
from atelier.local.seed import demo_font_files

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


def test_product_and_zone_lifecycle(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    created = api.brand(
        a,
        "POST",
        "/api/v1/products",
        json_body={
            "name": "Brass tag",
            "priceCents": 1250,
            "widthMm": 50,
            "heightMm": 20,
            "template3d": "disc",
            "status": "ACTIVE",
        },
    )
    assert created.status == 201, created.body
    product = created.json()
    assert product["slug"] == "brass-tag" and product["priceCents"] == 1250
    zone = api.brand(
        a,
        "POST",
        f"/api/v1/products/{product['id']}/zones",
        json_body={
            "name": "Initials",
            "geometry": {"xMm": 5, "yMm": 5, "widthMm": 40, "heightMm": 10},
            "rules": {"maxLength": 3, "caseTransform": "upper"},
            "text": {"fontIds": [a.font_ids[0]], "minSizeMm": 3, "maxSizeMm": 8},
        },
    )
    assert zone.status == 201, zone.body
    outside = api.brand(
        a,
        "POST",
        f"/api/v1/products/{product['id']}/zones",
        json_body={
            "name": "Too far",
            "geometry": {"xMm": 45, "yMm": 5, "widthMm": 40, "heightMm": 10},
            "text": {"fontIds": ["nope"], "maxSizeMm": 30},
        },
    )
    assert outside.status == 422
    assert {(e["field"], e["code"]) for e in outside.json()["errors"]} == {
        ("geometry", "outside_product"),
        ("text.fontIds", "unknown_font"),
        ("text.maxSizeMm", "out_of_range"),
    }
    patched = api.brand(
        a, "PATCH", f"/api/v1/products/{product['id']}", json_body={"priceCents": 1300}
    )
    assert patched.json()["priceCents"] == 1300 and len(patched.json()["zones"]) == 1

    # the widget sees it, with the zone's rules applied
    flow = api.widget(
        a,
        "POST",
        "/api/v1/specs",
        json_body={"productId": product["id"], "zones": {zone.json()["id"]: {"text": "ab"}}},
    )
    assert flow.status == 201 and flow.json()["spec"]["zones"][0]["text"] == "AB"

    assert api.brand(a, "DELETE", f"/api/v1/products/{product['id']}").status == 204
    assert api.widget(a, "GET", f"/api/v1/widget/config/{product['id']}").status == 404
    assert api.brand(a, "GET", f"/api/v1/products/{product['id']}").json()["status"] == "ARCHIVED"


def test_roles_are_enforced(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    body = {"name": "Viewer's", "priceCents": 1, "widthMm": 1, "heightMm": 1}
    assert api.brand(a, "POST", "/api/v1/products", json_body=body, role=Role.VIEWER).status == 403
    assert api.brand(a, "GET", "/api/v1/products", role=Role.VIEWER).status == 200
    assert (
        api.brand(a, "POST", "/api/v1/keys", json_body={"name": "x"}, role=Role.EDITOR).status
        == 403
    )
    # secret keys edit the catalogue but do not administer keys
    secret = {"Authorization": f"Bearer {a.secret_key}"}
    assert api.call("POST", "/api/v1/products", json_body=body, headers=secret).status == 201
    assert api.call("GET", "/api/v1/keys", headers=secret).status == 403


def test_font_upload_is_parsed_and_checked(
    api: Api, tenants: tuple[Tenant, Tenant], tmp_path: Path
):
    a, _ = tenants
    font = next(p for p in demo_font_files() if "Lato" in p.name)
    payload = {"data": base64.b64encode(font.read_bytes()).decode()}
    first = api.brand(a, "POST", "/api/v1/fonts", json_body=payload)
    assert first.status == 200, "the seed already uploaded this very file: same font"
    assert first.json()["family"] == "Lato" and first.json()["glyphCount"] > 100
    junk = api.brand(
        a,
        "POST",
        "/api/v1/fonts",
        json_body={"data": base64.b64encode(b"not a font at all!").decode()},
    )
    assert junk.status == 422 and junk.json()["errors"][0]["code"] == "invalid_font"
    woff = api.brand(
        a,
        "POST",
        "/api/v1/fonts",
        json_body={"data": base64.b64encode(b"wOF2" + b"\0" * 64).decode()},
    )
    assert woff.status == 422 and "web format" in woff.json()["errors"][0]["message"]
    in_use = api.brand(a, "DELETE", f"/api/v1/fonts/{a.font_ids[0]}")
    assert in_use.status == 409


def test_keys_and_settings(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    created = api.brand(
        a, "POST", "/api/v1/keys", json_body={"name": "staging", "kind": "publishable"}
    )
    assert created.status == 201 and created.json()["secret"].startswith("pk_")
    assert created.headers["Cache-Control"] == "no-store"
    listed = api.brand(a, "GET", "/api/v1/keys").json()["items"]
    assert created.json()["id"] in {k["id"] for k in listed}
    settings = api.brand(
        a,
        "PATCH",
        "/api/v1/brand/settings",
        json_body={"allowedOrigins": ["https://New.example/"], "blockedWords": ["zut"]},
    )
    assert settings.json()["allowedOrigins"] == ["https://new.example"]
    bad = api.brand(
        a, "PATCH", "/api/v1/brand/settings", json_body={"allowedOrigins": ["javascript:alert(1)"]}
    )
    assert bad.status == 422
    blocked = api.call(
        "POST",
        "/api/v1/personalization/validate",
        headers={"X-Atelier-Key": created.json()["secret"], "Origin": "https://new.example"},
        json_body={"productId": a.product_id, "zones": {a.zone_ids[0]: {"text": "Zut alors"}}},
    )
    assert blocked.status == 200 and blocked.json()["issues"][0]["code"] == "blocked_word"
