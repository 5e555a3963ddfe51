"""Fifty identical snapshot requests at once make one row; Idempotency-Key replays."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from atelier.local.gateway import LocalGateway

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


def test_fifty_concurrent_identical_snapshots_make_one_row(
    api: Api, tenants: tuple[Tenant, Tenant], database_url: str
):
    a, _ = tenants
    body = {"design": {"productId": a.product_id, "zones": {a.zone_ids[0]: {"text": "Concurrent"}}}}

    def create(_: int) -> tuple[int, str]:
        r = Api(LocalGateway()).widget(a, "POST", "/api/v1/snapshots", json_body=body)
        return r.status, r.json().get("id", r.body.decode())

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(create, range(50)))
    statuses = sorted(s for s, _ in results)
    assert statuses.count(201) == 1 and statuses.count(200) == 49, results[:3]
    assert len({i for _, i in results}) == 1
    engine = create_engine(database_url)
    with engine.connect() as conn:
        counts = conn.execute(
            text("SELECT (SELECT count(*) FROM snapshots), (SELECT count(*) FROM design_specs)")
        ).one()
    engine.dispose()
    assert tuple(counts) == (1, 1)


def test_idempotency_key_replays_the_first_response(
    api: Api, tenants: tuple[Tenant, Tenant], database_url: str
):
    a, _ = tenants
    body = {"name": "Walnut coaster", "priceCents": 1500, "widthMm": 90, "heightMm": 90}
    headers = {"Idempotency-Key": "create-coaster-1"}
    first = api.brand(a, "POST", "/api/v1/products", json_body=body, headers=headers)
    again = api.brand(a, "POST", "/api/v1/products", json_body=body, headers=headers)
    assert first.status == again.status == 201
    assert first.json()["id"] == again.json()["id"]
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM products WHERE name = 'Walnut coaster'")
            ).scalar()
            == 1
        )
    engine.dispose()
    other = api.brand(
        a, "POST", "/api/v1/products", json_body={**body, "priceCents": 1}, headers=headers
    )
    assert other.status == 422
    assert other.json()["type"] == "urn:atelier:problem:idempotency-key-reused"


def test_idempotency_keys_are_scoped_per_brand(api: Api, tenants: tuple[Tenant, Tenant]):
    a, b = tenants
    body = {"name": "Same key", "priceCents": 100, "widthMm": 10, "heightMm": 10}
    ra = api.brand(a, "POST", "/api/v1/products", json_body=body, headers={"Idempotency-Key": "k"})
    rb = api.brand(b, "POST", "/api/v1/products", json_body=body, headers={"Idempotency-Key": "k"})
    assert ra.status == rb.status == 201 and ra.json()["id"] != rb.json()["id"]
