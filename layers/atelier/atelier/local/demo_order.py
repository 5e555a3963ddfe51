"""`atelier demo-order`: a correctly signed Shopify orders/paid for a snapshot, sent to the
running local gateway, so the whole journey widget → snapshot → paid order → bundle runs
offline. The demo brand gets a Shopify integration with a local secret on first use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.request
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from atelier import sealing
from atelier.db.models import Integration, Snapshot
from atelier.errors import NotFound
from atelier.local.runtime import local_secrets
from atelier.local.seed import DEMO_SLUG
from atelier.tenancy.admin import find_brand

DEMO_SHOP = "atelier-demo.myshopify.com"


def ensure_integration(admin_url: str) -> tuple[str, str]:
    """(brand id, webhook secret) of the demo brand's Shopify integration."""
    secret = local_secrets()["shopify_webhook_secret"]
    engine = create_engine(admin_url)
    try:
        with Session(engine) as session, session.begin():
            brand = find_brand(session, DEMO_SLUG)
            row = session.scalars(
                select(Integration).where(
                    Integration.provider == "shopify", Integration.external_account == DEMO_SHOP
                )
            ).first()
            if row is None:
                session.add(
                    Integration(
                        brand_id=brand.id,
                        provider="shopify",
                        external_account=DEMO_SHOP,
                        webhook_secret=sealing.seal(
                            secret, context=sealing.integration_context(brand.id)
                        ),
                    )
                )
            return brand.id, secret
    finally:
        engine.dispose()


def latest_snapshot(admin_url: str, brand_id: str) -> str:
    engine = create_engine(admin_url)
    try:
        with Session(engine) as session:
            snapshot = session.scalars(
                select(Snapshot.id)
                .where(Snapshot.brand_id == brand_id, Snapshot.is_locked.is_(False))
                .order_by(Snapshot.id.desc())
            ).first()
    finally:
        engine.dispose()
    if snapshot is None:
        raise NotFound(
            "No unlocked snapshot of the demo brand: create one with the widget "
            "or POST /api/v1/snapshots."
        )
    return snapshot


def send_order(
    base_url: str, secret: str, snapshot_id: str, *, quantity: int = 1, price: str = "29.90"
) -> dict[str, Any]:
    event_id = secrets.token_hex(8)
    body = json.dumps(
        {
            "id": int(secrets.token_hex(6), 16),
            "name": f"#D{event_id[:6].upper()}",
            "email": "demo@example.com",
            "currency": "EUR",
            "customer": {
                "first_name": "Demo",
                "last_name": "Customer",
                "email": "demo@example.com",
            },
            "line_items": [
                {
                    "id": 1,
                    "quantity": quantity,
                    "price": price,
                    "properties": [{"name": "_atelier_snapshot", "value": snapshot_id}],
                }
            ],
        }
    ).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    request = urllib.request.Request(  # noqa: S310 - the local gateway's own URL
        f"{base_url.rstrip('/')}/api/v1/webhooks/shopify/orders/paid",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Shop-Domain": DEMO_SHOP,
            "X-Shopify-Topic": "orders/paid",
            "X-Shopify-Event-Id": event_id,
            "X-Shopify-Webhook-Id": f"demo-{event_id}",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return dict(json.loads(response.read()))
