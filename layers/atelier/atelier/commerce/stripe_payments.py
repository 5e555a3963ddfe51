"""Stripe: PaymentIntents whose amount the server computes, and signed webhooks that move
orders through the state machine (never backwards), each event once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from atelier.commerce.inbound import first_time
from atelier.commerce.orders import default_artisan, get_order, move
from atelier.commerce.states import OrderStatus
from atelier.db.models import Order, OrderItem, Product, Snapshot, WebhookEvent, WorkOrder
from atelier.db.session import unit_of_work
from atelier.errors import (
    Conflict,
    FieldError,
    MalformedRequest,
    ServiceUnavailable,
    Unauthorized,
    ValidationFailed,
)
from atelier.manufacturing.service import export_job_for
from atelier.notifications.service import order_email
from atelier.notifications.webhooks import announce, order_event
from atelier.personalization.inputs import ApiModel
from atelier.rendering.jobs import RenderTicket
from atelier.settings import get_settings
from atelier.snapshots.service import lock_snapshot

TOLERANCE_S = 300


class OrderLineIn(ApiModel):
    snapshot_id: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Annotated[int, Field(ge=1, le=1000)] = 1


class OrderIn(ApiModel):
    items: Annotated[list[OrderLineIn], Field(min_length=1, max_length=100)]
    customer_email: Annotated[str, Field(max_length=320)] | None = None


class PaymentIntentIn(ApiModel):
    order_id: Annotated[str, Field(min_length=1, max_length=64)]


class PaymentIntentOut(ApiModel):
    order_id: str
    payment_intent_id: str
    client_secret: str
    amount_cents: int
    currency: str


def create_order(session: Session, brand_id: str, data: OrderIn) -> Order:
    """A pending order priced from our catalogue (never from the client)."""
    lines = []
    currency = None
    for line in data.items:
        snapshot = session.scalars(
            select(Snapshot).where(Snapshot.id == line.snapshot_id, Snapshot.brand_id == brand_id)
        ).first()
        if snapshot is None:
            raise ValidationFailed(
                errors=[FieldError("items", "unknown_snapshot", f"No snapshot {line.snapshot_id}.")]
            )
        product = session.get_one(Product, snapshot.product_id)
        if currency not in (None, product.currency):
            raise ValidationFailed(
                errors=[FieldError("items", "mixed_currencies", "One currency per order.")]
            )
        currency = product.currency
        lines.append((snapshot, product, line.quantity))
    number = (
        session.scalar(select(func.count()).select_from(Order).where(Order.brand_id == brand_id))
        or 0
    ) + 1
    subtotal = sum(p.price_cents * q for _, p, q in lines)
    order = Order(
        brand_id=brand_id,
        order_number=f"AT-{number:06d}",
        status=OrderStatus.PENDING.value,
        currency=currency or "EUR",
        subtotal_cents=subtotal,
        total_cents=subtotal,
        source="stripe",
        customer_email=data.customer_email,
    )
    session.add(order)
    session.flush()
    for snapshot, product, quantity in lines:
        session.add(
            OrderItem(
                brand_id=brand_id,
                order_id=order.id,
                product_id=product.id,
                snapshot_id=snapshot.id,
                quantity=quantity,
                price_cents=product.price_cents,
                total_cents=product.price_cents * quantity,
            )
        )
    session.flush()
    return order


def _stripe() -> Any:
    import stripe  # deferred: only payment functions pay for the SDK

    settings = get_settings()
    if not settings.stripe_secret_key:
        raise ServiceUnavailable("Stripe is not configured (ATELIER_STRIPE_SECRET_KEY).")
    if settings.stripe_api_base:
        stripe.api_base = settings.stripe_api_base
    return stripe


def create_payment_intent(session: Session, brand_id: str, order_id: str) -> PaymentIntentOut:
    order = get_order(session, brand_id, order_id, for_update=True)
    if OrderStatus(order.status) not in (OrderStatus.PENDING, OrderStatus.PAYMENT_FAILED):
        raise Conflict(f"The order is {order.status}: nothing to pay.")
    amount = (
        session.scalar(
            select(func.sum(OrderItem.total_cents)).where(OrderItem.order_id == order.id)
        )
        or 0
    )
    if amount <= 0:
        raise ValidationFailed(
            errors=[FieldError("orderId", "nothing_to_pay", "The order has no amount.")]
        )
    stripe = _stripe()
    intent = stripe.PaymentIntent.create(
        amount=int(amount),
        currency=order.currency.lower(),
        metadata={"order_id": order.id, "brand_id": brand_id},
        automatic_payment_methods={"enabled": True},
        api_key=get_settings().stripe_secret_key,
        # One intent per order and amount, however often this is called.
        idempotency_key=f"atelier-order-{order.id}-{amount}",
    )
    order.stripe_payment_intent_id = intent["id"]
    order.total_cents = int(amount)
    session.flush()
    return PaymentIntentOut(
        order_id=order.id,
        payment_intent_id=intent["id"],
        client_secret=intent["client_secret"],
        amount_cents=int(amount),
        currency=order.currency,
    )


@dataclass(frozen=True)
class StripeOutcome:
    duplicate: bool
    applied: bool
    jobs: tuple[RenderTicket, ...] = ()
    emails: tuple[dict[str, Any] | None, ...] = ()
    webhooks: tuple[dict[str, Any], ...] = ()


def verify_event(raw: bytes, signature: str | None) -> Any:
    import stripe

    secret = get_settings().stripe_webhook_secret
    if not secret:
        raise ServiceUnavailable(
            "Stripe webhooks are not configured (ATELIER_STRIPE_WEBHOOK_SECRET)."
        )
    try:
        stripe.Webhook.construct_event(raw, signature, secret, tolerance=TOLERANCE_S)
        # Verified: read the same bytes as plain JSON (the SDK's objects are not dicts).
        return json.loads(raw)
    except stripe.SignatureVerificationError as exc:
        raise Unauthorized("The Stripe signature does not match.") from exc
    except ValueError as exc:
        raise MalformedRequest("The body is not a Stripe event.") from exc


TARGETS = {
    "payment_intent.succeeded": OrderStatus.PAID,
    "payment_intent.payment_failed": OrderStatus.PAYMENT_FAILED,
    "charge.refunded": OrderStatus.REFUNDED,
}


def apply_event(event: Any) -> StripeOutcome:
    target = TARGETS.get(event["type"])
    obj = event["data"]["object"]
    metadata = obj.get("metadata") or {}
    brand_id = metadata.get("brand_id")
    order_id = metadata.get("order_id")
    if target is None or not brand_id:
        return StripeOutcome(duplicate=False, applied=False)  # not ours, or not an order's
    with unit_of_work(brand_id) as session:
        if not first_time(
            session,
            provider="stripe",
            topic=event["type"],
            event_id=event["id"],
            delivery_id=None,
            brand_id=brand_id,
        ):
            return StripeOutcome(duplicate=True, applied=False)
        if order_id is None and obj.get("payment_intent"):
            order_id = session.scalar(
                select(Order.id).where(Order.stripe_payment_intent_id == obj["payment_intent"])
            )
        if order_id is None:
            return StripeOutcome(duplicate=False, applied=False)
        order = get_order(session, brand_id, order_id, for_update=True)
        if not move(order, target):
            return StripeOutcome(duplicate=False, applied=False)  # late or out of order
        jobs: tuple[RenderTicket, ...] = ()
        emails: tuple[dict[str, Any] | None, ...] = ()
        hooks: tuple[dict[str, Any], ...] = ()
        if target is OrderStatus.PAID:
            jobs = _start_production(session, brand_id, order)
            emails = (order_email(session, order, "order_confirmation"),)
            hooks = tuple(announce(session, brand_id, WebhookEvent.ORDER_PAID, order_event(order)))
        return StripeOutcome(
            duplicate=False, applied=True, jobs=jobs, emails=emails, webhooks=hooks
        )


def _start_production(session: Session, brand_id: str, order: Order) -> tuple[RenderTicket, ...]:
    items = session.scalars(
        select(OrderItem).where(OrderItem.order_id == order.id, OrderItem.snapshot_id.is_not(None))
    ).all()
    for item in items:
        lock_snapshot(session, brand_id, str(item.snapshot_id))
    if not items or session.scalar(select(WorkOrder.id).where(WorkOrder.order_id == order.id)):
        return ()
    work = WorkOrder(
        brand_id=brand_id,
        order_id=order.id,
        artisan_id=default_artisan(session, brand_id).id,
        snapshot_id=items[0].snapshot_id,
    )
    session.add(work)
    session.flush()
    return (export_job_for(session, brand_id, work),)
