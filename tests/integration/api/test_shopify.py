"""Shopify webhooks: signatures on the raw body, orders from paid checkouts, each event once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from atelier import routes, sealing
from atelier.db.ids import new_id
from atelier.db.session import get_engine
from atelier.local.gateway import LocalGateway
from atelier.local.queue_runner import QueueRunner

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration

SHOP = "maison-a.myshopify.com"
SECRET = "shpss_" + "s" * 32


@pytest.fixture
def shop(tenants: tuple[Tenant, Tenant], database_url: str) -> str:
    a, _ = tenants
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO integrations (id, brand_id, provider, external_account, webhook_secret) VALUES (:id, :b, 'shopify', :shop, :s)"
            ),
            # Stored sealed, as every stored signing secret is.
            {
                "id": new_id(),
                "b": a.brand_id,
                "shop": SHOP,
                "s": sealing.seal(SECRET, context=sealing.integration_context(a.brand_id)),
            },
        )
    engine.dispose()
    return SHOP


def signed(body: bytes, topic: str, event_id: str, secret: str = SECRET) -> dict[str, str]:
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": digest,
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Topic": topic,
        "X-Shopify-Event-Id": event_id,
        "X-Shopify-Webhook-Id": "delivery-" + event_id,
    }


def paid_order(snapshot_id: str) -> dict[str, Any]:
    return {
        "id": 820982911946154508,
        "name": "#1001",
        "email": "zoe@example.com",
        "currency": "EUR",
        "customer": {"first_name": "Zoé", "last_name": "Martin", "email": "zoe@example.com"},
        "shipping_address": {"address1": "1 rue de la Paix", "city": "Paris"},
        "line_items": [
            {
                "id": 1,
                "product_id": 42,
                "variant_id": 7,
                "quantity": 2,
                "price": "29.90",
                "properties": [
                    {"name": "_atelier_snapshot", "value": snapshot_id},
                    {"name": "Gravure", "value": "Zoé"},
                ],
            },
            {"id": 2, "product_id": 43, "quantity": 1, "price": "5.00", "properties": []},
        ],
    }


@pytest.fixture
def snapshot_id(api: Api, tenants: tuple[Tenant, Tenant]) -> str:
    a, _ = tenants
    return str(
        api.widget(
            a,
            "POST",
            "/api/v1/snapshots",
            json_body={
                "design": {"productId": a.product_id, "zones": {a.zone_ids[0]: {"text": "Zoé"}}}
            },
        ).json()["id"]
    )


def count(database_url: str, sql: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    return int(value or 0)


def test_orders_paid_creates_the_order_locks_the_snapshot_and_starts_production(
    api: Api, tenants: tuple[Tenant, Tenant], shop: str, snapshot_id: str, database_url: str
):
    a, _ = tenants
    body = json.dumps(paid_order(snapshot_id)).encode()
    r = api.call(
        "POST",
        "/api/v1/webhooks/shopify/orders/paid",
        body=body,
        headers=signed(body, "orders/paid", "ev-1"),
    )
    assert r.status == 200, r.body
    order_id = r.json()["orderId"]
    order = api.brand(a, "GET", f"/api/v1/orders/{order_id}").json()
    assert (order["orderNumber"], order["status"], order["subtotalCents"]) == (
        "#1001",
        "paid",
        5980,
    )
    [item] = order["items"]
    assert (item["productId"], item["snapshotId"], item["quantity"], item["priceCents"]) == (
        a.product_id,
        snapshot_id,
        2,
        2990,
    )
    assert api.widget(a, "GET", f"/api/v1/snapshots/{snapshot_id}").json()["isLocked"] is True
    QueueRunner(get_engine(), routes.WORKERS).drain()
    [bundle] = api.brand(a, "GET", f"/api/v1/manufacturing/bundles/{order_id}").json()["bundles"]
    assert bundle["status"] == "success" and bundle["url"]


def test_the_same_delivery_twenty_times_at_once_makes_one_order(
    tenants: tuple[Tenant, Tenant], shop: str, snapshot_id: str, database_url: str
):
    body = json.dumps(paid_order(snapshot_id)).encode()
    headers = signed(body, "orders/paid", "ev-dup")

    def deliver(_: int) -> int:
        return (
            LocalGateway()
            .invoke("POST", "/api/v1/webhooks/shopify/orders/paid", headers=headers, body=body)
            .status
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(deliver, range(20)))
    assert statuses == [200] * 20
    assert count(database_url, "SELECT count(*) FROM orders") == 1
    assert count(database_url, "SELECT count(*) FROM work_orders") == 1
    assert count(database_url, "SELECT count(*) FROM inbound_events") == 1


@pytest.mark.parametrize("tamper", ["signature", "body", "missing", "shop"])
def test_bad_signatures_are_401_and_write_nothing(
    api: Api, shop: str, snapshot_id: str, database_url: str, tamper: str
):
    body = json.dumps(paid_order(snapshot_id)).encode()
    headers = signed(body, "orders/paid", "ev-bad")
    if tamper == "signature":
        headers = signed(body, "orders/paid", "ev-bad", secret="wrong")
    elif tamper == "body":
        body = body.replace(b'"29.90"', b'"0.01"')
    elif tamper == "missing":
        del headers["X-Shopify-Hmac-Sha256"]
    else:
        headers["X-Shopify-Shop-Domain"] = "someone-else.myshopify.com"
    r = api.call("POST", "/api/v1/webhooks/shopify/orders/paid", body=body, headers=headers)
    assert r.status == 401 and r.json()["type"] == "urn:atelier:problem:unauthorized"
    assert count(database_url, "SELECT count(*) FROM orders") == 0
    assert count(database_url, "SELECT count(*) FROM inbound_events") == 0


def test_a_forged_snapshot_property_cannot_reach_another_brand(
    api: Api, tenants: tuple[Tenant, Tenant], shop: str, database_url: str
):
    _, b = tenants
    foreign = api.widget(
        b,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {"productId": b.product_id, "zones": {b.zone_ids[0]: {"text": "Bea"}}}
        },
    ).json()["id"]
    body = json.dumps(paid_order(foreign)).encode()
    r = api.call(
        "POST",
        "/api/v1/webhooks/shopify/orders/paid",
        body=body,
        headers=signed(body, "orders/paid", "ev-foreign"),
    )
    assert r.status == 422
    assert count(database_url, "SELECT count(*) FROM orders") == 0
    assert api.widget(b, "GET", f"/api/v1/snapshots/{foreign}").json()["isLocked"] is False


def test_privacy_webhooks_redact_people_but_keep_the_money(
    api: Api, tenants: tuple[Tenant, Tenant], shop: str, snapshot_id: str
):
    a, _ = tenants
    body = json.dumps(paid_order(snapshot_id)).encode()
    order_id = api.call(
        "POST",
        "/api/v1/webhooks/shopify/orders/paid",
        body=body,
        headers=signed(body, "orders/paid", "ev-p1"),
    ).json()["orderId"]
    request = json.dumps(
        {
            "shop_domain": SHOP,
            "customer": {"email": "zoe@example.com"},
            "orders_requested": ["820982911946154508"],
        }
    ).encode()
    assert (
        api.call(
            "POST",
            "/api/v1/webhooks/shopify/customers/data_request",
            body=request,
            headers=signed(request, "customers/data_request", "ev-p2"),
        ).status
        == 200
    )
    redact = json.dumps(
        {
            "shop_domain": SHOP,
            "customer": {"email": "zoe@example.com"},
            "orders_to_redact": ["820982911946154508"],
        }
    ).encode()
    assert (
        api.call(
            "POST",
            "/api/v1/webhooks/shopify/customers/redact",
            body=redact,
            headers=signed(redact, "customers/redact", "ev-p3"),
        ).status
        == 200
    )
    order = api.brand(a, "GET", f"/api/v1/orders/{order_id}").json()
    assert order["customerEmail"] is None and order["totalCents"] == 5980


def test_order_status_follows_the_state_machine(
    api: Api, tenants: tuple[Tenant, Tenant], shop: str, snapshot_id: str
):
    a, _ = tenants
    body = json.dumps(paid_order(snapshot_id)).encode()
    order_id = api.call(
        "POST",
        "/api/v1/webhooks/shopify/orders/paid",
        body=body,
        headers=signed(body, "orders/paid", "ev-s1"),
    ).json()["orderId"]
    no_tracking = api.brand(
        a, "POST", f"/api/v1/orders/{order_id}/status", json_body={"status": "shipped"}
    )
    assert no_tracking.status == 422
    shipped = api.brand(
        a,
        "POST",
        f"/api/v1/orders/{order_id}/status",
        json_body={"status": "shipped", "carrier": "colissimo", "trackingNumber": "6A123"},
    )
    assert (
        shipped.status == 200
        and shipped.json()["status"] == "shipped"
        and shipped.json()["shippedAt"]
    )
    backwards = api.brand(
        a, "POST", f"/api/v1/orders/{order_id}/status", json_body={"status": "paid"}
    )
    assert backwards.status == 409 and backwards.json()["errors"][0]["code"] == "invalid_transition"
    listed = api.brand(a, "GET", "/api/v1/orders?status=shipped&limit=5").json()
    assert [o["id"] for o in listed["items"]] == [order_id]


def test_the_customer_is_emailed_once_when_paid_and_when_shipped(
    api: Api, tenants: tuple[Tenant, Tenant], shop: str, snapshot_id: str, tmp_path
):
    from email import message_from_bytes

    a, _ = tenants
    body = json.dumps(paid_order(snapshot_id)).encode()
    headers = signed(body, "orders/paid", "ev-mail")
    order_id = api.call(
        "POST", "/api/v1/webhooks/shopify/orders/paid", body=body, headers=headers
    ).json()["orderId"]
    api.call("POST", "/api/v1/webhooks/shopify/orders/paid", body=body, headers=headers)  # a retry
    api.brand(
        a,
        "POST",
        f"/api/v1/orders/{order_id}/status",
        json_body={"status": "shipped", "trackingNumber": "6A1"},
    )
    QueueRunner(get_engine(), routes.WORKERS).drain()
    messages = [
        message_from_bytes(p.read_bytes()) for p in sorted((tmp_path / "outbox").glob("*.eml"))
    ]
    subjects = sorted(m["Subject"] for m in messages)
    assert subjects == ["Your order #1001 is confirmed", "Your order #1001 is on its way"]
    assert {m["To"] for m in messages} == {"zoe@example.com"}
