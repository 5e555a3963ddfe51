"""Shopify webhooks: orders/paid, products/update and the mandatory privacy topics.

Shopify waits 5 s and retries 8 times over 4 hours: the handlers write what they must and
leave the heavy work (bundles) to the export queue. Line-item properties are editable by
the buyer: only the opaque snapshot id is trusted, product and design come from our
snapshot; price and quantity come from Shopify's line item.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.commerce.inbound import (
    Integration,
    first_time,
    resolve_integration,
    verify_shopify_hmac,
)
from atelier.commerce.orders import PaidLine, create_paid_order
from atelier.db.models import Order, ProductMapping, WebhookEvent
from atelier.db.session import unit_of_work
from atelier.errors import FieldError, MalformedRequest, Unauthorized, ValidationFailed
from atelier.manufacturing.service import export_job_for
from atelier.notifications.service import order_email
from atelier.notifications.webhooks import announce, order_event
from atelier.rendering.jobs import RenderTicket

SNAPSHOT_PROPERTY = "_atelier_snapshot"
REDACTED = "[redacted]"


@dataclass(frozen=True)
class ShopifyDelivery:
    topic: str
    shop: str
    event_id: str
    webhook_id: str | None
    integration: Integration
    payload: dict[str, Any]


def _header(headers: dict[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def verify(headers: dict[str, Any], raw: bytes, expected_topic: str) -> ShopifyDelivery:
    """Who sent it and whether they signed it — before the body is parsed at all."""
    shop = _header(headers, "x-shopify-shop-domain")
    integration = resolve_integration("shopify", shop) if shop else None
    if integration is None:
        raise Unauthorized("Unknown shop.")
    verify_shopify_hmac(raw, integration.secret, _header(headers, "x-shopify-hmac-sha256"))
    topic = _header(headers, "x-shopify-topic") or expected_topic
    event_id = _header(headers, "x-shopify-event-id") or _header(headers, "x-shopify-webhook-id")
    if topic != expected_topic or not event_id:
        raise MalformedRequest("Topic or event id missing or wrong for this endpoint.")
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedRequest("The body is not valid JSON.") from exc
    if not isinstance(payload, dict):
        raise MalformedRequest("The body must be a JSON object.")
    return ShopifyDelivery(
        topic, str(shop), event_id, _header(headers, "x-shopify-webhook-id"), integration, payload
    )


def _cents(value: Any) -> int:
    try:
        return int((Decimal(str(value)) * 100).to_integral_value())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(
            errors=[FieldError("line_items.price", "invalid", "Not a price.")]
        ) from exc


def paid_lines(payload: dict[str, Any]) -> list[PaidLine]:
    lines = []
    for item in payload.get("line_items") or []:
        props = {
            p.get("name"): p.get("value")
            for p in item.get("properties") or []
            if isinstance(p, dict)
        }
        snapshot_id = props.get(SNAPSHOT_PROPERTY)
        if not snapshot_id:
            continue  # not a personalized item: not ours to produce
        lines.append(
            PaidLine(
                snapshot_id=str(snapshot_id)[:64],
                quantity=max(1, int(item.get("quantity") or 1)),
                price_cents=_cents(item.get("price", "0")),
                external={"shopifyLineItemId": item.get("id"), "variantId": item.get("variant_id")},
            )
        )
    return lines


@dataclass(frozen=True)
class Outcome:
    duplicate: bool
    order_id: str | None = None
    jobs: tuple[RenderTicket, ...] = ()
    emails: tuple[dict[str, Any] | None, ...] = ()
    webhooks: tuple[dict[str, Any], ...] = ()


def orders_paid(session: Session, delivery: ShopifyDelivery, storage: ObjectStorage) -> Outcome:
    brand_id = delivery.integration.brand_id
    payload = delivery.payload
    lines = paid_lines(payload)
    if not lines:
        return Outcome(duplicate=False)
    customer = payload.get("customer") or {}
    name = " ".join(filter(None, [customer.get("first_name"), customer.get("last_name")])) or None
    order, work_orders = create_paid_order(
        session,
        brand_id=brand_id,
        order_number=str(payload.get("name") or payload.get("order_number") or payload.get("id")),
        currency=str(payload.get("currency") or "EUR")[:3],
        lines=lines,
        source="shopify",
        external_order_id=str(payload.get("id")),
        customer_email=payload.get("email"),
        customer_name=name,
        shipping_address=payload.get("shipping_address"),
    )
    jobs = tuple(export_job_for(session, brand_id, work) for work in work_orders)
    confirmation = order_email(session, order, "order_confirmation")
    hooks = tuple(announce(session, brand_id, WebhookEvent.ORDER_PAID, order_event(order)))
    return Outcome(
        duplicate=False, order_id=order.id, jobs=jobs, emails=(confirmation,), webhooks=hooks
    )


def products_update(session: Session, delivery: ShopifyDelivery, storage: ObjectStorage) -> Outcome:
    session.execute(
        update(ProductMapping)
        .where(
            ProductMapping.integration_id == delivery.integration.id,
            ProductMapping.external_product_id == str(delivery.payload.get("id")),
        )
        .values(title=str(delivery.payload.get("title") or "")[:255] or None)
    )
    return Outcome(duplicate=False)


def _customer_orders(session: Session, brand_id: str, payload: dict[str, Any]) -> list[Order]:
    email = (payload.get("customer") or {}).get("email")
    ids = [str(i) for i in payload.get("orders_to_redact") or payload.get("orders_requested") or []]
    conditions = []
    if email:
        conditions.append(Order.customer_email == email)
    if ids:
        conditions.append(Order.external_order_id.in_(ids))
    if not conditions:
        return []
    query = select(Order).where(Order.brand_id == brand_id, Order.source == "shopify")
    return list(session.scalars(query.where(or_(*conditions))))


def customers_data_request(
    session: Session, delivery: ShopifyDelivery, storage: ObjectStorage
) -> Outcome:
    """Everything we hold about the customer, written where the brand can fetch it."""
    brand_id = delivery.integration.brand_id
    orders = _customer_orders(session, brand_id, delivery.payload)
    export = {
        "customer": delivery.payload.get("customer"),
        "orders": [
            {
                "orderNumber": o.order_number,
                "email": o.customer_email,
                "name": o.customer_name,
                "shippingAddress": o.shipping_address,
                "totalCents": o.total_cents,
                "currency": o.currency,
            }
            for o in orders
        ],
    }
    storage.put(
        f"privacy/{brand_id}/{delivery.event_id}.json",
        json.dumps(export, sort_keys=True).encode(),
        "application/json",
        immutable=False,
    )
    return Outcome(duplicate=False)


def _redact(order: Order) -> None:
    # Financial records stay (amounts, dates, items); the person goes.
    order.customer_email = None
    order.customer_name = REDACTED
    order.shipping_address = None


def customers_redact(
    session: Session, delivery: ShopifyDelivery, storage: ObjectStorage
) -> Outcome:
    for order in _customer_orders(session, delivery.integration.brand_id, delivery.payload):
        _redact(order)
    return Outcome(duplicate=False)


def shop_redact(session: Session, delivery: ShopifyDelivery, storage: ObjectStorage) -> Outcome:
    """The shop uninstalled us 48 h ago: erase its customers' personal data."""
    brand_id = delivery.integration.brand_id
    for order in session.scalars(
        select(Order).where(Order.brand_id == brand_id, Order.source == "shopify")
    ):
        _redact(order)
    return Outcome(duplicate=False)


Effect = Callable[[Session, ShopifyDelivery, ObjectStorage], Outcome]
TOPICS: dict[str, Effect] = {
    "orders/paid": orders_paid,
    "products/update": products_update,
    "customers/data_request": customers_data_request,
    "customers/redact": customers_redact,
    "shop/redact": shop_redact,
}


def receive(delivery: ShopifyDelivery, storage: ObjectStorage) -> Outcome:
    """Apply a verified delivery once: the de-duplication row and the effect share one
    transaction, so a retried or concurrent copy changes nothing."""
    brand_id = delivery.integration.brand_id
    with unit_of_work(brand_id) as session:
        if not first_time(
            session,
            provider="shopify",
            topic=delivery.topic,
            event_id=delivery.event_id,
            delivery_id=delivery.webhook_id,
            brand_id=brand_id,
        ):
            return Outcome(duplicate=True)
        return TOPICS[delivery.topic](session, delivery, storage)
