"""The widget flow of seeds 002 §5.1 through the local gateway: config, live validation,
spec, snapshot — with real fonts, a real PostgreSQL and row-level security on."""

from __future__ import annotations

from typing import Any

import pytest

from atelier.auth.principal import Role

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


def design(t: Tenant, name: str = "Zoé & Martin", **zone: Any) -> dict[str, Any]:
    return {"productId": t.product_id, "zones": {t.zone_ids[0]: {"text": name, **zone}}}


def test_config_is_cacheable_with_etag(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    r = api.widget(a, "GET", f"/api/v1/widget/config/{a.product_id}")
    assert r.status == 200, r.body
    body = r.json()
    assert body["product"]["priceCents"] == 2990 and body["units"] == "mm"
    assert [z["id"] for z in body["zones"]] == a.zone_ids
    assert body["zones"][0]["geometry"] == {
        "xMm": 10.0,
        "yMm": 8.0,
        "widthMm": 100.0,
        "heightMm": 28.0,
        "rotationDeg": 0.0,
    }
    assert {f["id"] for f in body["fonts"]} == set(a.font_ids)
    assert r.headers["Cache-Control"] == "public, max-age=3600"
    assert r.headers["Access-Control-Allow-Origin"] == a.origin
    again = api.widget(
        a,
        "GET",
        f"/api/v1/widget/config/{a.product_id}",
        headers={"If-None-Match": r.headers["ETag"]},
    )
    assert again.status == 304 and again.body == b""


def test_validate_reports_every_issue_with_stable_codes(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    name_zone, date_zone = a.zone_ids
    r = api.widget(
        a,
        "POST",
        "/api/v1/personalization/validate",
        json_body={
            "productId": a.product_id,
            "zones": {
                name_zone: {"text": "Mérde 名\u202e", "color": "#123456"},
                date_zone: {"text": "12/05/2024!"},
                "nope": {"text": "x"},
            },
        },
    )
    assert r.status == 200, r.body
    body = r.json()
    assert body["valid"] is False
    codes = {(i["zoneId"], i["code"]) for i in body["issues"]}
    assert codes == {
        (name_zone, "bidi_control"),
        (name_zone, "blocked_word"),
        (name_zone, "glyph_missing"),
        (name_zone, "color_not_allowed"),
        (date_zone, "char_not_allowed"),
        ("nope", "unknown_zone"),
    }
    missing = next(i for i in body["issues"] if i["code"] == "glyph_missing")
    assert missing["details"]["characters"] == ["名"]

    ok = api.widget(a, "POST", "/api/v1/personalization/validate", json_body=design(a))
    assert ok.json()["valid"] is True and ok.json()["issues"] == []
    zone = ok.json()["zones"][name_zone]
    assert 4 <= zone["sizeMm"] <= 20 and zone["widthMm"] <= 100


def test_normalize_and_auto_fit(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    r = api.widget(
        a, "POST", "/api/v1/personalization/normalize", json_body={"text": " Zoe\u0301\u200b "}
    )
    assert r.json()["text"] == "Zoé" and r.json()["removed"] == ["ZERO WIDTH SPACE"]
    short = api.widget(
        a,
        "POST",
        "/api/v1/personalization/auto-fit",
        json_body={"productId": a.product_id, "zoneId": a.zone_ids[0], "text": "Zoé"},
    ).json()
    long = api.widget(
        a,
        "POST",
        "/api/v1/personalization/auto-fit",
        json_body={
            "productId": a.product_id,
            "zoneId": a.zone_ids[0],
            "text": "Zoé, Martin, Léa et Hugo",
        },
    ).json()
    assert short["fits"] and long["fits"]
    assert long["sizeMm"] < short["sizeMm"] <= 20
    assert long["widthMm"] <= 100 and long["heightMm"] <= 28


def test_spec_then_snapshot_are_content_addressed_and_idempotent(
    api: Api, tenants: tuple[Tenant, Tenant]
):
    a, _ = tenants
    first = api.widget(
        a, "POST", "/api/v1/specs", json_body=design(a, "Zoe\u0301", color="#1A1A1A")
    )
    assert first.status == 201, first.body
    same = api.widget(a, "POST", "/api/v1/specs", json_body=design(a, "Zoé", color="#1a1a1a"))
    assert same.status == 200 and same.json()["specHash"] == first.json()["specHash"]
    spec_hash = first.json()["specHash"]
    got = api.widget(a, "GET", f"/api/v1/specs/{spec_hash}")
    assert got.status == 200 and got.json()["spec"]["zones"][0]["text"] == "Zoé"
    assert got.json()["spec"]["zones"][0]["font"]["sha256"]

    snap = api.widget(
        a,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "specHash": spec_hash,
            "provenance": {"sessionId": "s1", "widgetVersion": "1.2.0"},
        },
        headers={"User-Agent": "pytest-widget"},
    )
    assert snap.status == 201, snap.body
    body = snap.json()
    assert body["specHash"] == spec_hash and body["isLocked"] is False
    assert (
        body["provenance"]["sessionId"] == "s1"
        and body["provenance"]["userAgent"] == "pytest-widget"
    )
    assert body["provenance"]["origin"] == a.origin
    again = api.widget(
        a, "POST", "/api/v1/snapshots", json_body={"design": design(a, "Zoé", color="#1a1a1a")}
    )
    assert again.status == 200 and again.json()["id"] == body["id"]
    assert api.widget(a, "GET", f"/api/v1/snapshots/{body['id']}").json()["id"] == body["id"]


def test_validate_and_lock_a_snapshot(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    snap = api.widget(a, "POST", "/api/v1/snapshots", json_body={"design": design(a)}).json()
    assert api.widget(a, "POST", f"/api/v1/snapshots/{snap['id']}/lock").status == 401, (
        "widgets cannot lock"
    )
    viewer = api.brand(a, "POST", f"/api/v1/snapshots/{snap['id']}/lock", role=Role.VIEWER)
    assert viewer.status == 403
    validated = api.brand(a, "POST", f"/api/v1/snapshots/{snap['id']}/validate", role=Role.EDITOR)
    assert validated.status == 200, validated.body
    assert validated.json()["isValidated"] is True
    locked = api.call(
        "POST",
        f"/api/v1/snapshots/{snap['id']}/lock",
        headers={"Authorization": f"Bearer {a.secret_key}"},
    )
    assert locked.status == 200 and locked.json()["isLocked"] is True
    twice = api.brand(a, "POST", f"/api/v1/snapshots/{snap['id']}/lock")
    assert twice.status == 200 and twice.json()["lockedAt"] == locked.json()["lockedAt"]


def test_invalid_designs_are_422_naming_zone_and_field(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    r = api.widget(a, "POST", "/api/v1/specs", json_body=design(a, "", sizeMm=50))
    assert r.status == 422
    problem = r.json()
    assert problem["type"] == "urn:atelier:problem:validation-error"
    fields = {(e["field"], e["code"]) for e in problem["errors"]}
    assert (f"zones.{a.zone_ids[0]}.text", "required") in fields
    assert (f"zones.{a.zone_ids[0]}.sizeMm", "size_out_of_range") in fields
    assert all(e["zoneId"] == a.zone_ids[0] for e in problem["errors"])


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"productId": "p", "zones": {"z": {"text": "x" * 100_000}}}, "zones.z.text", "too_long"),
        ({"productId": "p", "zones": {"z": {"text": 42}}}, "zones.z.text", "invalid_type"),
        ({"productId": "p", "zones": {"z": {"sizeMm": "big"}}}, "zones.z.sizeMm", "invalid_type"),
        ({"productId": "p", "zones": {}, "brandId": "other"}, "brandId", "unknown_field"),
        ({"zones": {}}, "productId", "required"),
    ],
)
def test_bad_input_names_the_field(
    api: Api, tenants: tuple[Tenant, Tenant], body: dict[str, Any], field: str, code: str
):
    a, _ = tenants
    r = api.widget(a, "POST", "/api/v1/specs", json_body=body)
    assert r.status == 422, r.body
    assert (field, code) in {(e["field"], e["code"]) for e in r.json()["errors"]}


def test_malformed_bodies(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    assert api.widget(a, "POST", "/api/v1/specs", body='{"productId": ').status == 400
    assert api.widget(a, "POST", "/api/v1/specs", body=b'{"productId": "\xff"}').status == 400
    assert api.widget(a, "GET", "/api/v1/widget/config/unknown").status == 404


def test_spec_validate_and_schema(api: Api, tenants: tuple[Tenant, Tenant]):
    a, _ = tenants
    spec = api.widget(a, "POST", "/api/v1/specs", json_body=design(a)).json()
    ok = api.widget(a, "POST", "/api/v1/specs/validate", json_body=spec["spec"])
    assert (
        ok.status == 200
        and ok.json()["valid"] is True
        and ok.json()["specHash"] == spec["specHash"]
    )
    forged = {**spec["spec"], "zones": [{**spec["spec"]["zones"][0], "sizeMm": 40}]}
    bad = api.widget(a, "POST", "/api/v1/specs/validate", json_body=forged).json()
    assert bad["valid"] is False and {i["code"] for i in bad["issues"]} == {"size_out_of_range"}
    schema = api.call("GET", "/api/v1/schemas/design-spec/1.0.0.json")
    assert schema.status == 200 and schema.json()["$id"].endswith("/design-spec/1.0.0.json")
    import jsonschema

    jsonschema.validate(spec["spec"], schema.json())
