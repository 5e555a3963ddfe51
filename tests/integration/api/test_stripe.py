"""Stripe with the real SDK: PaymentIntents against a local stand-in of the Stripe API, and
webhooks with real signatures verified by `stripe.Webhook.construct_event`."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from atelier import bootstrap, routes
from atelier.db.session import get_engine
from atelier.local.queue_runner import QueueRunner

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration

WEBHOOK_SECRET = "whsec_" + "w" * 32


class StripeStandIn(BaseHTTPRequestHandler):
    """Just enough of api.stripe.com: POST /v1/payment_intents, idempotency keys honoured."""

    intents: dict[str, dict[str, Any]] = {}
    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        key = self.headers.get("Idempotency-Key", "")
        self.requests.append(
            {"path": self.path, "form": form, "key": key, "auth": self.headers.get("Authorization")}
        )
        if key not in self.intents:
            n = len(self.intents) + 1
            self.intents[key] = {
                "id": f"pi_test_{n}",
                "object": "payment_intent",
                "amount": int(form["amount"]),
                "currency": form["currency"],
                "client_secret": f"pi_test_{n}_secret_abc",
                "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                "status": "requires_payment_method",
            }
        body = json.dumps(self.intents[key]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stripe_api(
    monkeypatch: pytest.MonkeyPatch, tenants: tuple[Tenant, Tenant]
) -> Iterator[type[StripeStandIn]]:
    StripeStandIn.intents, StripeStandIn.requests = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StripeStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ATELIER_STRIPE_SECRET_KEY", "sk_test_" + "k" * 24)
    monkeypatch.setenv("ATELIER_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("ATELIER_STRIPE_API_BASE", f"http://127.0.0.1:{server.server_address[1]}")
    bootstrap.reset()
    yield StripeStandIn
    server.shutdown()
    import stripe

    stripe.api_base = "https://api.stripe.com"


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(kind: str, obj: dict[str, Any], event_id: str) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "data": {"object": obj},
            "api_version": "2024-06-20",
        }
    ).encode()


@pytest.fixture
def order(
    api: Api, tenants: tuple[Tenant, Tenant], stripe_api: type[StripeStandIn]
) -> dict[str, Any]:
    a, _ = tenants
    snap = api.widget(
        a,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {"productId": a.product_id, "zones": {a.zone_ids[0]: {"text": "Zoé"}}}
        },
    ).json()["id"]
    created = api.brand(
        a, "POST", "/api/v1/orders", json_body={"items": [{"snapshotId": snap, "quantity": 3}]}
    )
    assert created.status == 201, created.body
    return created.json()


def test_the_amount_is_computed_server_side_with_one_intent_per_order(
    api: Api, tenants: tuple[Tenant, Tenant], order: dict[str, Any], stripe_api: type[StripeStandIn]
):
    a, _ = tenants
    assert order["status"] == "pending" and order["subtotalCents"] == 3 * 2990
    first = api.brand(
        a, "POST", "/api/v1/billing/payment-intents", json_body={"orderId": order["id"]}
    )
    again = api.brand(
        a, "POST", "/api/v1/billing/payment-intents", json_body={"orderId": order["id"]}
    )
    assert first.status == 201, first.body
    assert first.json()["amountCents"] == 8970 and first.json()["clientSecret"].startswith(
        "pi_test_1"
    )
    assert again.json()["paymentIntentId"] == first.json()["paymentIntentId"]
    sent = stripe_api.requests[0]
    assert sent["path"] == "/v1/payment_intents" and sent["form"]["amount"] == "8970"
    assert sent["form"]["metadata[order_id]"] == order["id"] and sent["key"].startswith(
        f"atelier-order-{order['id']}"
    )
    forged = api.brand(
        a,
        "POST",
        "/api/v1/billing/payment-intents",
        json_body={"orderId": order["id"], "amount": 1},
    )
    assert forged.status == 422


def test_signed_events_move_the_order_once_and_never_backwards(
    api: Api, tenants: tuple[Tenant, Tenant], order: dict[str, Any]
):
    a, _ = tenants
    pi = api.brand(
        a, "POST", "/api/v1/billing/payment-intents", json_body={"orderId": order["id"]}
    ).json()
    meta = {"order_id": order["id"], "brand_id": a.brand_id}
    succeeded = event(
        "payment_intent.succeeded",
        {"id": pi["paymentIntentId"], "object": "payment_intent", "metadata": meta},
        "evt_1",
    )
    r = api.call(
        "POST",
        "/api/v1/webhooks/stripe",
        body=succeeded,
        headers={"Stripe-Signature": sign(succeeded)},
    )
    assert r.status == 200 and r.json() == {"received": True, "duplicate": False, "applied": True}
    replay = api.call(
        "POST",
        "/api/v1/webhooks/stripe",
        body=succeeded,
        headers={"Stripe-Signature": sign(succeeded)},
    )
    assert replay.json()["duplicate"] is True
    late_failure = event(
        "payment_intent.payment_failed",
        {"id": pi["paymentIntentId"], "object": "payment_intent", "metadata": meta},
        "evt_0",
    )
    late = api.call(
        "POST",
        "/api/v1/webhooks/stripe",
        body=late_failure,
        headers={"Stripe-Signature": sign(late_failure)},
    )
    assert late.json()["applied"] is False, "a failure arriving after success changes nothing"
    current = api.brand(a, "GET", f"/api/v1/orders/{order['id']}").json()
    assert current["status"] == "paid" and current["paidAt"]
    QueueRunner(get_engine(), routes.WORKERS).drain()
    [bundle] = api.brand(a, "GET", f"/api/v1/manufacturing/bundles/{order['id']}").json()["bundles"]
    assert bundle["status"] == "success"
    refund = event(
        "charge.refunded",
        {
            "id": "ch_1",
            "object": "charge",
            "payment_intent": pi["paymentIntentId"],
            "metadata": meta,
        },
        "evt_2",
    )
    assert (
        api.call(
            "POST",
            "/api/v1/webhooks/stripe",
            body=refund,
            headers={"Stripe-Signature": sign(refund)},
        ).json()["applied"]
        is True
    )
    assert api.brand(a, "GET", f"/api/v1/orders/{order['id']}").json()["status"] == "refunded"


@pytest.mark.parametrize("case", ["wrong-secret", "too-old", "tampered", "missing"])
def test_bad_stripe_signatures_are_401(
    api: Api, tenants: tuple[Tenant, Tenant], order: dict[str, Any], case: str
):
    a, _ = tenants
    body = event(
        "payment_intent.succeeded",
        {
            "id": "pi_x",
            "object": "payment_intent",
            "metadata": {"order_id": order["id"], "brand_id": a.brand_id},
        },
        "evt_bad",
    )
    headers = {"Stripe-Signature": sign(body)}
    if case == "wrong-secret":
        headers = {"Stripe-Signature": sign(body, secret="whsec_other")}
    elif case == "too-old":
        headers = {"Stripe-Signature": sign(body, at=int(time.time()) - 301)}
    elif case == "tampered":
        body = body.replace(b"evt_bad", b"evt_bad2")
    else:
        headers = {}
    r = api.call("POST", "/api/v1/webhooks/stripe", body=body, headers=headers)
    assert r.status == 401
    assert api.brand(a, "GET", f"/api/v1/orders/{order['id']}").json()["status"] == "pending"
