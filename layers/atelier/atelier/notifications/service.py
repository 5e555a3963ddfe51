"""Which email goes to whom, queued after the transaction that caused it; sent once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.commerce.inbound import first_time
from atelier.db.models import Brand, Order, OrderItem, Snapshot
from atelier.db.session import unit_of_work
from atelier.notifications.email import Mailer, render_email

EMAIL_QUEUE = "email"


def _money(cents: int, currency: str) -> str:
    return f"{cents / 100:.2f} {currency}"


def order_email(session: Session, order: Order, template: str) -> dict[str, Any] | None:
    """The queue message for a customer email about this order (None without an address)."""
    if not order.customer_email:
        return None
    brand = session.get_one(Brand, order.brand_id)
    items = []
    for item in session.scalars(select(OrderItem).where(OrderItem.order_id == order.id)):
        snapshot = session.get(Snapshot, item.snapshot_id) if item.snapshot_id else None
        texts = [z.get("text", "") for z in (snapshot.spec.get("zones", []) if snapshot else [])]
        items.append({"quantity": item.quantity, "text": " / ".join(t for t in texts if t) or "—"})
    context = {
        "brand_name": brand.name,
        "customer_name": order.customer_name,
        "order_number": order.order_number,
        "items": items,
        "total": _money(order.total_cents, order.currency),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "tracking_url": order.tracking_url,
    }
    return {
        "key": f"{template}:{order.id}",
        "template": template,
        "to": order.customer_email,
        "locale": brand.locale,
        "context": context,
    }


def brand_email(
    session: Session, brand_id: str, template: str, key: str, context: dict[str, Any]
) -> dict[str, Any] | None:
    brand = session.get_one(Brand, brand_id)
    if not brand.support_email:
        return None
    return {
        "key": f"{template}:{key}",
        "template": template,
        "to": brand.support_email,
        "locale": brand.locale,
        "context": {"brand_name": brand.name, **context},
    }


def process_email(message: dict[str, Any], mailer: Mailer, sender: str) -> bool:
    """Send unless this message key was already sent; True when sent now."""
    rendered = render_email(
        message["template"], message.get("locale", "en"), message["to"], message["context"]
    )
    with unit_of_work() as session:
        if not first_time(
            session,
            provider="email",
            topic=message["template"],
            event_id=message["key"],
            delivery_id=None,
            brand_id=None,
        ):
            return False
        mailer.send(rendered, sender)  # a failure rolls the record back: the queue retries
        return True
