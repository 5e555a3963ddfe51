"""Tenant isolation is absolute: with brand A's key or token, every brand B object these
endpoints touch answers 404 — the same as an id that never existed."""

from __future__ import annotations

import pytest

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


@pytest.fixture
def b_objects(api: Api, tenants: tuple[Tenant, Tenant]) -> dict[str, str]:
    _, b = tenants
    snap = api.widget(
        b,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {"productId": b.product_id, "zones": {b.zone_ids[0]: {"text": "Bea"}}}
        },
    )
    assert snap.status == 201, snap.body
    return {"snapshot": snap.json()["id"], "spec": snap.json()["specHash"]}


def test_widget_key_of_a_cannot_reach_b(
    api: Api, tenants: tuple[Tenant, Tenant], b_objects: dict[str, str]
):
    a, b = tenants
    design = {"productId": b.product_id, "zones": {b.zone_ids[0]: {"text": "Bea"}}}
    calls = [
        ("GET", f"/api/v1/widget/config/{b.product_id}", None),
        ("GET", f"/api/v1/specs/{b_objects['spec']}", None),
        ("GET", f"/api/v1/snapshots/{b_objects['snapshot']}", None),
        ("POST", "/api/v1/personalization/validate", design),
        (
            "POST",
            "/api/v1/personalization/auto-fit",
            {"productId": b.product_id, "zoneId": b.zone_ids[0], "text": "x"},
        ),
        ("POST", "/api/v1/specs", design),
        ("POST", "/api/v1/snapshots", {"design": design}),
        ("POST", "/api/v1/snapshots", {"specHash": b_objects["spec"]}),
    ]
    for method, path, body in calls:
        r = api.widget(a, method, path, json_body=body)
        assert r.status == 404, (method, path, r.body)
        assert r.json()["type"] == "urn:atelier:problem:not-found"
        assert b.brand_id.encode() not in r.body


def test_brand_token_and_secret_key_of_a_cannot_reach_b(
    api: Api, tenants: tuple[Tenant, Tenant], b_objects: dict[str, str]
):
    a, b = tenants
    zone = b.zone_ids[0]
    calls = [
        ("GET", f"/api/v1/products/{b.product_id}", None),
        ("PATCH", f"/api/v1/products/{b.product_id}", {"name": "Mine now"}),
        ("DELETE", f"/api/v1/products/{b.product_id}", None),
        (
            "POST",
            f"/api/v1/products/{b.product_id}/zones",
            {"name": "x", "geometry": {"xMm": 0, "yMm": 0, "widthMm": 10, "heightMm": 10}},
        ),
        ("PATCH", f"/api/v1/products/{b.product_id}/zones/{zone}", {"name": "x"}),
        ("DELETE", f"/api/v1/products/{b.product_id}/zones/{zone}", None),
        ("DELETE", f"/api/v1/fonts/{b.font_ids[0]}", None),
        ("POST", f"/api/v1/snapshots/{b_objects['snapshot']}/validate", None),
        ("POST", f"/api/v1/snapshots/{b_objects['snapshot']}/lock", None),
    ]
    for method, path, body in calls:
        for auth in (f"Bearer {a.token()}", f"Bearer {a.secret_key}"):
            r = api.call(method, path, json_body=body, headers={"Authorization": auth})
            assert r.status == 404, (method, path, auth[:10], r.body)
    listed = api.brand(a, "GET", "/api/v1/products").json()["items"]
    assert {p["id"] for p in listed} == {a.product_id}
    # and B's data is untouched
    assert (
        api.brand(b, "GET", f"/api/v1/products/{b.product_id}").json()["name"]
        == "Engraved oak plate"
    )
    keys = api.brand(a, "GET", "/api/v1/keys").json()["items"]
    assert all(k["id"] for k in keys) and not any("secret" in k for k in keys)


def test_keys_and_origins_are_checked(api: Api, tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    path = f"/api/v1/widget/config/{a.product_id}"
    assert api.call("GET", path).status == 401
    assert (
        api.call(
            "GET", path, headers={"X-Atelier-Key": "pk_" + "x" * 40, "Origin": a.origin}
        ).status
        == 401
    )
    wrong_origin = api.call(
        "GET", path, headers={"X-Atelier-Key": a.publishable_key, "Origin": b.origin}
    )
    assert wrong_origin.status == 403
    assert "Access-Control-Allow-Origin" not in wrong_origin.headers
    secret_as_widget = api.call(
        "GET", path, headers={"X-Atelier-Key": a.secret_key, "Origin": a.origin}
    )
    assert secret_as_widget.status == 401
    # a revoked key stops working at once
    key_id = next(
        k["id"]
        for k in api.brand(a, "GET", "/api/v1/keys").json()["items"]
        if k["kind"] == "publishable"
    )
    assert api.brand(a, "DELETE", f"/api/v1/keys/{key_id}").status == 204
    assert api.widget(a, "GET", path).status == 401


def test_cors_preflight_answers_only_known_origins(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    ok = api.call(
        "OPTIONS",
        "/api/v1/snapshots",
        headers={"Origin": a.origin, "Access-Control-Request-Method": "POST"},
    )
    assert ok.status == 204
    assert ok.headers["Access-Control-Allow-Origin"] == a.origin
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    assert "X-Atelier-Key" in ok.headers["Access-Control-Allow-Headers"]
    evil = api.call("OPTIONS", "/api/v1/snapshots", headers={"Origin": "https://evil.example"})
    assert evil.status == 403 and "Access-Control-Allow-Origin" not in evil.headers


def test_an_expired_key_is_unauthorized(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    created = api.brand(
        a, "POST", "/api/v1/keys", json_body={"name": "old", "expiresAt": "2020-01-01T00:00:00Z"}
    )
    assert created.status == 201
    r = api.call(
        "GET",
        f"/api/v1/widget/config/{a.product_id}",
        headers={"X-Atelier-Key": created.json()["secret"], "Origin": a.origin},
    )
    assert r.status == 401 and r.json()["type"] == "urn:atelier:problem:unauthorized"
