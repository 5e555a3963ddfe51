"""Render jobs: deterministic ids, one job per identical request, results stored by hash.

The render id is derived from (spec hash, kind, options, renderer version): asking again
for a rendered spec finds the finished result at once (a cache hit), and concurrent
identical requests insert one `render_results` row and enqueue one job. Bumping
`RENDERER_VERSION` (when the drawing changes) gives every spec fresh renders.

This module is imported by API functions: no Pillow here (see `atelier.rendering.worker`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from atelier.adapters.queue import JobQueue
from atelier.db.models import Product, RenderResult, Snapshot
from atelier.errors import NotFound
from atelier.personalization.inputs import ApiModel

RENDERER_VERSION = "2d-1"
PREVIEW_LONG_SIDE_PX = 1024


class RenderKind(StrEnum):
    PREVIEW = "preview"
    FINAL = "final"
    MANUFACTURING = "manufacturing"  # the production bundle (seeds: RenderResult.type)


class RenderStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    SUCCESS = "success"
    FAILED = "failed"


QUEUES = {
    RenderKind.PREVIEW: "render-preview",
    RenderKind.FINAL: "render-final",
    RenderKind.MANUFACTURING: "export-manufacturing",
}


class RenderOptions(ApiModel):
    long_side_px: Annotated[int, Field(ge=64, le=4096)] = PREVIEW_LONG_SIDE_PX
    dpi: Annotated[int, Field(ge=72, le=1200)] = 300


class RenderRequest(ApiModel):
    snapshot_id: Annotated[str, Field(min_length=1, max_length=64)]
    options: RenderOptions = Field(default_factory=RenderOptions)


class RenderView(ApiModel):
    render_id: str
    kind: RenderKind
    status: RenderStatus
    snapshot_id: str | None
    error: str | None = None
    formats: dict[str, str] = Field(default_factory=dict, description="format → storage key")
    width_px: int | None = None
    height_px: int | None = None
    created_at: datetime

    @classmethod
    def of(cls, row: RenderResult) -> RenderView:
        meta: dict[str, Any] = row.meta or {}
        return cls(
            render_id=row.render_id,
            kind=RenderKind(row.type),
            status=RenderStatus(row.status),
            snapshot_id=row.snapshot_id,
            error=meta.get("error"),
            formats=meta.get("formats", {}),
            width_px=meta.get("widthPx"),
            height_px=meta.get("heightPx"),
            created_at=row.created_at,
        )


def relevant_options(
    kind: RenderKind, options: RenderOptions, template_3d: str | None, base_image: str | None
) -> dict[str, Any]:
    """Only what changes the output takes part in the render id: the product's base image
    (content-addressed key) and, for previews, its 3D template (the GLB and USDZ shape)."""
    if kind is RenderKind.PREVIEW:
        chosen: dict[str, Any] = {
            "longSidePx": options.long_side_px,
            "template3d": template_3d or "plate",
        }
    else:
        chosen = {"dpi": options.dpi}
    return {**chosen, "baseImage": base_image}


def render_id(spec_hash: str, kind: RenderKind, options: dict[str, Any]) -> str:
    material = json.dumps(
        {"spec": spec_hash, "kind": kind.value, "options": options, "renderer": RENDERER_VERSION},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode()).hexdigest()[:40]


STALE_PENDING = timedelta(minutes=5)


@dataclass(frozen=True)
class RenderTicket:
    row: RenderResult
    created: bool
    job: dict[str, str] | None
    """The message to enqueue once the transaction has committed (None: nothing to do)."""


def request_render(
    session: Session, *, brand_id: str, kind: RenderKind, request: RenderRequest
) -> RenderTicket:
    """The render for this snapshot and options; a job is due only when it is new, failed,
    or pending for so long that its message must have been lost."""
    snapshot = session.scalars(
        select(Snapshot).where(Snapshot.id == request.snapshot_id, Snapshot.brand_id == brand_id)
    ).first()
    if snapshot is None:
        raise NotFound(f"No snapshot {request.snapshot_id}.")
    product = session.execute(
        select(Product.template_3d, Product.image_url, Product.print_dpi).where(
            Product.id == snapshot.product_id
        )
    ).one()
    wanted = request.options
    if "dpi" not in wanted.model_fields_set:
        # Final renders default to the product's own print resolution.
        wanted = wanted.model_copy(update={"dpi": product.print_dpi})
    options = relevant_options(kind, wanted, product.template_3d, product.image_url)
    return upsert_job(session, brand_id=brand_id, kind=kind, snapshot=snapshot, options=options)


def upsert_job(
    session: Session,
    *,
    brand_id: str,
    kind: RenderKind,
    snapshot: Snapshot,
    options: dict[str, Any],
) -> RenderTicket:
    """Insert the job's row once (its id is derived from what it makes) and say whether a
    message is due: new, failed before, or pending so long its message must have been lost."""
    rid = render_id(snapshot.spec_hash, kind, options)
    inserted = session.execute(
        insert(RenderResult)
        .values(
            brand_id=brand_id,
            render_id=rid,
            type=kind.value,
            status=RenderStatus.PENDING.value,
            snapshot_id=snapshot.id,
            meta={"options": options},
        )
        .on_conflict_do_nothing(index_elements=["render_id"])
        .returning(RenderResult.id)
    ).scalar()
    retry = False
    if inserted is None:
        retry = (
            session.execute(
                update(RenderResult)
                .where(
                    RenderResult.render_id == rid,
                    RenderResult.status == RenderStatus.FAILED.value,
                )
                .values(status=RenderStatus.PENDING.value, meta={"options": options})
                .returning(RenderResult.id)
            ).scalar()
            is not None
        )
    row = get_render(session, brand_id, rid)
    stale = row.status == RenderStatus.PENDING.value and (
        datetime.now(UTC) - row.created_at > STALE_PENDING
    )
    due = inserted is not None or retry or stale
    job = {"renderId": rid, "brandId": brand_id, "kind": kind.value} if due else None
    return RenderTicket(row=row, created=inserted is not None, job=job)


def enqueue(queue: JobQueue, ticket: RenderTicket) -> None:
    if ticket.job is not None:
        queue.send(QUEUES[RenderKind(ticket.job["kind"])], ticket.job)


def get_render(session: Session, brand_id: str, rid: str) -> RenderResult:
    row = session.scalars(
        select(RenderResult).where(RenderResult.render_id == rid, RenderResult.brand_id == brand_id)
    ).first()
    if row is None:
        raise NotFound(f"No render {rid}.")
    return row
