"""Orders: creation from paid checkouts, the brand's listing (keyset pages), status changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.commerce.states import OrderStatus, allowed_next, can_move
from atelier.db.models import Artisan, Order, OrderItem, Snapshot, WorkOrder
from atelier.errors import Conflict, FieldError, NotFound, ValidationFailed
from atelier.personalization.inputs import ApiModel
from atelier.snapshots.service import lock_snapshot


class OrderItemView(ApiModel):
    id: str
    product_id: str
    snapshot_id: str | None
    quantity: int
    price_cents: int
    total_cents: int


class OrderView(ApiModel):
    id: str
    order_number: str
    status: OrderStatus
    currency: str
    subtotal_cents: int
    total_cents: int
    source: str
    customer_email: str | None
    paid_at: datetime | None
    shipped_at: datetime | None
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    created_at: datetime
    items: list[OrderItemView] = Field(default_factory=list)
    next_statuses: list[OrderStatus] = Field(default_factory=list)


class OrderPage(ApiModel):
    items: list[OrderView]
    next_cursor: str | None


class StatusChange(ApiModel):
    status: OrderStatus
    carrier: Annotated[str, Field(max_length=50)] | None = None
    tracking_number: Annotated[str, Field(max_length=100)] | None = None
    tracking_url: Annotated[str, Field(max_length=500, pattern=r"^https://")] | None = None

    @model_validator(mode="after")
    def _tracking_when_shipped(self) -> StatusChange:
        if self.status is OrderStatus.SHIPPED and not self.tracking_number:
            raise ValueError("a shipped order needs its trackingNumber")
        return self


def view(session: Session, order: Order, *, with_items: bool = True) -> OrderView:
    items = (
        session.scalars(
            select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)
        ).all()
        if with_items
        else []
    )
    status = OrderStatus(order.status)
    return OrderView(
        id=order.id,
        order_number=order.order_number,
        status=status,
        currency=order.currency,
        subtotal_cents=order.subtotal_cents,
        total_cents=order.total_cents,
        source=order.source,
        customer_email=order.customer_email,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        carrier=order.carrier,
        tracking_number=order.tracking_number,
        tracking_url=order.tracking_url,
        created_at=order.created_at,
        items=[
            OrderItemView(
                id=i.id,
                product_id=i.product_id,
                snapshot_id=i.snapshot_id,
                quantity=i.quantity,
                price_cents=i.price_cents,
                total_cents=i.total_cents,
            )
            for i in items
        ],
        next_statuses=allowed_next(status),
    )


def get_order(session: Session, brand_id: str, order_id: str, *, for_update: bool = False) -> Order:
    query = select(Order).where(Order.id == order_id, Order.brand_id == brand_id)
    if for_update:
        query = query.with_for_update()
    order = session.scalars(query).first()
    if order is None:
        raise NotFound(f"No order {order_id}.")
    return order


def list_orders(
    session: Session,
    brand_id: str,
    *,
    cursor: str | None,
    limit: int,
    status: OrderStatus | None,
    created_from: datetime | None,
    created_to: datetime | None,
) -> OrderPage:
    """Newest first, keyset-paginated on the time-sortable id (index (brand_id, created_at))."""
    query = select(Order).where(Order.brand_id == brand_id)
    if status is not None:
        query = query.where(Order.status == status.value)
    if created_from is not None:
        query = query.where(Order.created_at >= created_from)
    if created_to is not None:
        query = query.where(Order.created_at < created_to)
    if cursor:
        query = query.where(Order.id < cursor)
    rows = list(session.scalars(query.order_by(Order.id.desc()).limit(limit + 1)))
    page = rows[:limit]
    return OrderPage(
        items=[view(session, o, with_items=False) for o in page],
        next_cursor=page[-1].id if len(rows) > limit else None,
    )


def move(order: Order, target: OrderStatus, *, at: datetime | None = None) -> bool:
    """Apply a transition if the state machine allows it; False (and nothing changed) if not."""
    current = OrderStatus(order.status)
    if current == target or not can_move(current, target):
        return False
    order.status = target.value
    now = at or datetime.now(UTC)
    if target is OrderStatus.PAID:
        order.paid_at = order.paid_at or now
    if target is OrderStatus.SHIPPED:
        order.shipped_at = now
    return True


def change_status(session: Session, brand_id: str, order_id: str, change: StatusChange) -> Order:
    order = get_order(session, brand_id, order_id, for_update=True)
    current = OrderStatus(order.status)
    if not move(order, change.status):
        raise Conflict(
            f"An order that is {current.value} cannot become {change.status.value}.",
            errors=[
                FieldError(
                    "status",
                    "invalid_transition",
                    f"Allowed next: {', '.join(s.value for s in allowed_next(current)) or 'none'}.",
                )
            ],
        )
    if change.status is OrderStatus.SHIPPED:
        order.carrier, order.tracking_number, order.tracking_url = (
            change.carrier,
            change.tracking_number,
            change.tracking_url,
        )
    session.flush()
    return order


@dataclass(frozen=True)
class PaidLine:
    snapshot_id: str
    quantity: int
    price_cents: int
    external: dict[str, Any]


def default_artisan(session: Session, brand_id: str) -> Artisan:
    """Work goes to the brand's first active workshop; a brand without one gets its own
    in-house workshop so a paid order is never left without a work order."""
    artisan = session.scalars(
        select(Artisan)
        .where(Artisan.brand_id == brand_id, Artisan.is_active.is_(True))
        .order_by(Artisan.created_at, Artisan.id)
    ).first()
    if artisan is None:
        artisan = Artisan(brand_id=brand_id, name="In-house workshop")
        session.add(artisan)
        session.flush()
    return artisan


def create_paid_order(
    session: Session,
    *,
    brand_id: str,
    order_number: str,
    currency: str,
    lines: list[PaidLine],
    source: str,
    external_order_id: str | None,
    customer_email: str | None,
    customer_name: str | None,
    shipping_address: dict[str, Any] | None,
) -> tuple[Order, list[WorkOrder]]:
    """An order paid elsewhere: its items point at our snapshots (which get locked), and
    each personalized item becomes a work order for production."""
    snapshots: dict[str, Snapshot] = {}
    for line in lines:
        snapshot = session.scalars(
            select(Snapshot).where(Snapshot.id == line.snapshot_id, Snapshot.brand_id == brand_id)
        ).first()
        if snapshot is None:
            raise ValidationFailed(
                errors=[
                    FieldError("line_items", "unknown_snapshot", f"No snapshot {line.snapshot_id}.")
                ]
            )
        snapshots[line.snapshot_id] = snapshot
    subtotal = sum(line.price_cents * line.quantity for line in lines)
    order = Order(
        brand_id=brand_id,
        order_number=order_number,
        status=OrderStatus.PAID.value,
        currency=currency,
        subtotal_cents=subtotal,
        total_cents=subtotal,
        source=source,
        external_order_id=external_order_id,
        customer_email=customer_email,
        customer_name=customer_name,
        shipping_address=shipping_address,
        paid_at=datetime.now(UTC),
    )
    session.add(order)
    session.flush()
    artisan = default_artisan(session, brand_id)
    work_orders = []
    for line in lines:
        snapshot = snapshots[line.snapshot_id]
        session.add(
            OrderItem(
                brand_id=brand_id,
                order_id=order.id,
                product_id=snapshot.product_id,  # from our snapshot, never from the cart
                snapshot_id=snapshot.id,
                quantity=line.quantity,
                price_cents=line.price_cents,
                total_cents=line.price_cents * line.quantity,
                meta=line.external,
            )
        )
        lock_snapshot(session, brand_id, snapshot.id)
    # One work order per order (the data model's Order.workOrder), for its first design.
    first = snapshots[lines[0].snapshot_id] if lines else None
    if first is not None:
        work = WorkOrder(
            brand_id=brand_id, order_id=order.id, artisan_id=artisan.id, snapshot_id=first.id
        )
        session.add(work)
        work_orders.append(work)
    session.flush()
    return order, work_orders
