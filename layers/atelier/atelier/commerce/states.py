"""The order state machine. Events arrive late, twice or out of order (Shopify and Stripe
retry for hours); a transition that would move an order backwards is ignored, never applied."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAYMENT_FAILED = "payment_failed"
    PAID = "paid"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    REFUNDED = "refunded"
    CANCELED = "canceled"


_NEXT: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset(
        {OrderStatus.PAID, OrderStatus.PAYMENT_FAILED, OrderStatus.CANCELED}
    ),
    OrderStatus.PAYMENT_FAILED: frozenset({OrderStatus.PAID, OrderStatus.CANCELED}),
    OrderStatus.PAID: frozenset(
        {OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.REFUNDED}
    ),
    OrderStatus.IN_PRODUCTION: frozenset({OrderStatus.SHIPPED, OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.REFUNDED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.REFUNDED: frozenset(),
    OrderStatus.CANCELED: frozenset(),
}


def can_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in _NEXT[current]


def allowed_next(current: OrderStatus) -> list[OrderStatus]:
    return sorted(_NEXT[current])
