"""Export packs: the production bundle of a work order (or a snapshot), made once by the
export worker, fetched through expiring links. Artisans see only their own work orders.

API side only (no media libraries): the bundle itself is built in
`atelier.manufacturing.bundle`, by the worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.auth.principal import Principal, Role
from atelier.db.models import Artisan, Order, Product, Snapshot, WorkOrder
from atelier.errors import FieldError, NotFound, ValidationFailed
from atelier.personalization.inputs import ApiModel
from atelier.rendering.jobs import RenderKind, RenderTicket, RenderView, upsert_job

GENERATOR_OPTION = "bundle-1"
BUNDLE_URL_TTL_S = 15 * 60

Id = Annotated[str, Field(min_length=1, max_length=64)]


class ExportRequest(ApiModel):
    work_order_id: Id | None = None
    snapshot_id: Id | None = None

    @model_validator(mode="after")
    def _one_target(self) -> ExportRequest:
        if (self.work_order_id is None) == (self.snapshot_id is None):
            raise ValueError("send exactly one of workOrderId or snapshotId")
        return self


class WorkOrderView(ApiModel):
    id: str
    order_id: str
    artisan_id: str
    snapshot_id: str | None
    status: str
    export_status: str | None
    export_error: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: WorkOrder) -> WorkOrderView:
        return cls(
            id=row.id,
            order_id=row.order_id,
            artisan_id=row.artisan_id,
            snapshot_id=row.snapshot_id,
            status=row.status,
            export_status=row.export_status,
            export_error=row.export_error,
            created_at=row.created_at,
        )


class WorkOrderList(ApiModel):
    items: list[WorkOrderView]


class BundleLink(ApiModel):
    work_order_id: str
    snapshot_id: str | None
    status: str | None
    url: str | None = Field(description="Expiring link to the ZIP (null until it is ready)")
    expires_in_s: int | None


class OrderBundles(ApiModel):
    order_id: str
    bundles: list[BundleLink]


def _artisan_id(session: Session, principal: Principal) -> str | None:
    """The artisan this user is, when the caller is an artisan."""
    if Role.ARTISAN not in principal.roles or principal.has_role(Role.VIEWER):
        return None
    artisan = session.scalars(
        select(Artisan.id).where(
            Artisan.brand_id == principal.brand_id, Artisan.user_id == principal.subject
        )
    ).first()
    if artisan is None:
        raise NotFound("No artisan profile for this user.")
    return artisan


def get_work_order(session: Session, principal: Principal, work_order_id: str) -> WorkOrder:
    """Brand staff see every work order of the brand; an artisan only those assigned to it
    (any other is a 404, as for another brand's)."""
    query = select(WorkOrder).where(
        WorkOrder.id == work_order_id, WorkOrder.brand_id == principal.brand_id
    )
    artisan = _artisan_id(session, principal)
    if artisan is not None:
        query = query.where(WorkOrder.artisan_id == artisan)
    elif not principal.has_role(Role.VIEWER):
        raise NotFound(f"No work order {work_order_id}.")
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"No work order {work_order_id}.")
    return row


def list_work_orders(session: Session, principal: Principal) -> WorkOrderList:
    query = select(WorkOrder).where(WorkOrder.brand_id == principal.brand_id)
    artisan = _artisan_id(session, principal)
    if artisan is not None:
        query = query.where(WorkOrder.artisan_id == artisan)
    elif not principal.has_role(Role.VIEWER):
        principal.require(Role.VIEWER)
    rows = session.scalars(query.order_by(WorkOrder.id.desc()).limit(200))
    return WorkOrderList(items=[WorkOrderView.of(r) for r in rows])


def request_export(session: Session, principal: Principal, request: ExportRequest) -> RenderTicket:
    brand_id = principal.brand_id
    work_order: WorkOrder | None = None
    if request.work_order_id is not None:
        work_order = get_work_order(session, principal, request.work_order_id)
        if work_order.snapshot_id is None:
            raise ValidationFailed(
                errors=[
                    FieldError("workOrderId", "no_snapshot", "This work order has no design yet.")
                ]
            )
        snapshot_id = work_order.snapshot_id
    else:
        principal.require(Role.EDITOR)
        snapshot_id = str(request.snapshot_id)
    snapshot = session.scalars(
        select(Snapshot).where(Snapshot.id == snapshot_id, Snapshot.brand_id == brand_id)
    ).first()
    if snapshot is None:
        raise NotFound(f"No snapshot {snapshot_id}.")
    return _export_job(session, brand_id, snapshot, work_order)


def export_job_for(session: Session, brand_id: str, work_order: WorkOrder) -> RenderTicket:
    """The bundle job of a work order (used when a paid order creates the work order)."""
    snapshot = session.get_one(Snapshot, work_order.snapshot_id)
    return _export_job(session, brand_id, snapshot, work_order)


def _export_job(
    session: Session, brand_id: str, snapshot: Snapshot, work_order: WorkOrder | None
) -> RenderTicket:
    dpi = session.scalar(select(Product.print_dpi).where(Product.id == snapshot.product_id))
    options = {
        "dpi": dpi,
        "workOrderId": work_order.id if work_order else None,
        "orderId": work_order.order_id if work_order else None,
        "generator": GENERATOR_OPTION,
    }
    ticket = upsert_job(
        session,
        brand_id=brand_id,
        kind=RenderKind.MANUFACTURING,
        snapshot=snapshot,
        options=options,
    )
    if work_order is not None and ticket.job is not None:
        work_order.export_status, work_order.export_error = "pending", None
    return ticket


def export_view(ticket: RenderTicket) -> RenderView:
    return RenderView.of(ticket.row)


def order_bundles(
    session: Session, storage: ObjectStorage, principal: Principal, order_id: str
) -> OrderBundles:
    principal.require(Role.VIEWER)
    order = session.scalars(
        select(Order).where(Order.id == order_id, Order.brand_id == principal.brand_id)
    ).first()
    if order is None:
        raise NotFound(f"No order {order_id}.")
    links = []
    for work_order in session.scalars(select(WorkOrder).where(WorkOrder.order_id == order.id)):
        snapshot = session.get(Snapshot, work_order.snapshot_id) if work_order.snapshot_id else None
        key = snapshot.production_bundle_url if snapshot is not None else None
        ready = key is not None and work_order.export_status == "success"
        links.append(
            BundleLink(
                work_order_id=work_order.id,
                snapshot_id=work_order.snapshot_id,
                status=work_order.export_status,
                url=storage.signed_url(key, BUNDLE_URL_TTL_S) if ready and key else None,
                expires_in_s=BUNDLE_URL_TTL_S if ready else None,
            )
        )
    return OrderBundles(order_id=order.id, bundles=links)
