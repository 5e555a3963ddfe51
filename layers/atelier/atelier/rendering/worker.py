"""The render worker's use case: one job message in, stored images out (Pillow: workers only).

Idempotent: a finished render is never redone; outputs are stored under the hash of their
bytes, so a retry that renders again writes the very same objects. On the queue's last
delivery a failure is recorded on the render (the API shows it) before the message goes
to the dead-letter queue.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from atelier.adapters.storage import ObjectStorage
from atelier.db.models import Font, Order, RenderResult, Snapshot, WebhookEvent, WorkOrder
from atelier.db.session import unit_of_work
from atelier.observability import logger
from atelier.rendering.jobs import RenderKind, RenderStatus
from atelier.rendering.model3d import build_glb, mesh_for
from atelier.rendering.raster import encode, render
from atelier.rendering.usdz import build_usdz
from atelier.specs.canonical import parse_spec
from atelier.typography.fonts import LoadedFont, cached_font, load_font

MM_PER_INCH = 25.4


class RenderFailed(Exception):
    """A job that cannot succeed however often it is retried."""


def _key(data: bytes, ext: str) -> str:
    return f"renders/{hashlib.sha256(data).hexdigest()}.{ext}"


def _fonts(storage: ObjectStorage, rows: list[Font]) -> dict[str, LoadedFont]:
    out = {}
    for row in rows:
        out[row.sha256] = cached_font(row.sha256) or load_font(
            storage.get(row.storage_key), row.sha256
        )
    return out


def process_render(
    message: dict[str, Any], *, receive_count: int, max_receives: int, storage: ObjectStorage
) -> None:
    render_id, brand_id = str(message["renderId"]), str(message["brandId"])
    try:
        _process(render_id, brand_id, storage)
    except Exception as exc:
        last = receive_count >= max_receives or isinstance(exc, RenderFailed)
        logger.warning(
            "render failed", extra={"renderId": render_id, "attempt": receive_count, "final": last}
        )
        if last:
            email = _mark_failed(render_id, brand_id, f"{exc.__class__.__name__}: {exc}"[:500])
            if email is not None:
                from atelier.commerce.dispatch import dispatch

                dispatch(emails=(email,))
        if not isinstance(exc, RenderFailed):
            raise  # the queue retries (later), then dead-letters


def _process(render_id: str, brand_id: str, storage: ObjectStorage) -> None:
    with unit_of_work(brand_id) as session:
        row = session.scalars(
            select(RenderResult).where(
                RenderResult.render_id == render_id, RenderResult.brand_id == brand_id
            )
        ).first()
        if row is None:
            raise RenderFailed("the render no longer exists")
        if row.status == RenderStatus.SUCCESS.value:
            return  # a duplicate delivery: already done
        snapshot = session.get(Snapshot, row.snapshot_id) if row.snapshot_id else None
        if snapshot is None:
            raise RenderFailed("the snapshot no longer exists")
        spec = parse_spec(snapshot.spec)
        fonts = list(
            session.scalars(
                select(Font).where(
                    Font.brand_id == brand_id, Font.sha256.in_({z.font.sha256 for z in spec.zones})
                )
            )
        )
        kind = RenderKind(row.type)
        options = dict((row.meta or {}).get("options", {}))
        row.status = RenderStatus.PROCESSING.value
        snapshot_id = snapshot.id
    loaded = _fonts(storage, fonts)
    missing = {z.font.sha256 for z in spec.zones} - set(loaded)
    if missing:
        raise RenderFailed("a font of the design is no longer available")
    if kind is RenderKind.MANUFACTURING:
        _export(render_id, brand_id, spec, loaded, options, snapshot_id, storage)
        return
    if kind is RenderKind.PREVIEW:
        long_side = int(options.get("longSidePx", 1024))
        px_per_mm = long_side / max(spec.canvas.width_mm, spec.canvas.height_mm)
        dpi = px_per_mm * MM_PER_INCH
    else:
        dpi = float(options.get("dpi", 300))
        px_per_mm = dpi / MM_PER_INCH
    base_key = options.get("baseImage")
    base = storage.get(base_key) if base_key else None
    raster = encode(render(spec, loaded, px_per_mm=px_per_mm, base_image=base), dpi=dpi)
    formats = {
        "png": _key(raster.png, "png"),
        "webp": _key(raster.webp, "webp"),
        "thumbnail": _key(raster.thumbnail_webp, "webp"),
    }
    storage.put(formats["png"], raster.png, "image/png")
    storage.put(formats["webp"], raster.webp, "image/webp")
    storage.put(formats["thumbnail"], raster.thumbnail_webp, "image/webp")
    if kind is RenderKind.PREVIEW:
        # 3D and AR previews: the product's template textured with this very render.
        mesh = mesh_for(options.get("template3d"), spec.canvas.width_mm, spec.canvas.height_mm)
        glb, usdz = build_glb(mesh, raster.png), build_usdz(mesh, raster.png)
        formats["glb"], formats["usdz"] = _key(glb, "glb"), _key(usdz, "usdz")
        storage.put(formats["glb"], glb, "model/gltf-binary")
        storage.put(formats["usdz"], usdz, "model/vnd.usdz+zip")
    with unit_of_work(brand_id) as session:
        row = session.scalars(
            select(RenderResult).where(RenderResult.render_id == render_id).with_for_update()
        ).one()
        row.status = RenderStatus.SUCCESS.value
        row.url = formats["png"]
        row.thumbnail_url = formats["thumbnail"]
        row.meta = {
            **(row.meta or {}),
            "formats": formats,
            "widthPx": raster.width_px,
            "heightPx": raster.height_px,
            "error": None,
        }
        if kind is RenderKind.PREVIEW:
            snapshot = session.get(Snapshot, snapshot_id)
            if snapshot is not None and snapshot.preview_url is None:
                # Outputs may be attached even to a locked snapshot (the trigger allows it).
                snapshot.preview_url = formats["webp"]
                snapshot.thumbnail_url = formats["thumbnail"]
                snapshot.gltf_model_url = formats["glb"]
                snapshot.ar_model_url = formats["usdz"]
        ready = None
        if kind is RenderKind.FINAL:
            # Final renders are slow and asked for by the brand's back-office: tell it.
            from atelier.notifications.service import brand_email

            ready = brand_email(
                session,
                brand_id,
                "render_ready",
                render_id,
                {
                    "kind": kind.value,
                    "snapshot_id": snapshot_id,
                    "width_px": raster.width_px,
                    "height_px": raster.height_px,
                },
            )
    if ready is not None:
        from atelier.commerce.dispatch import dispatch

        dispatch(emails=(ready,))


def _export(
    render_id: str,
    brand_id: str,
    spec: Any,
    fonts: dict[str, LoadedFont],
    options: dict[str, Any],
    snapshot_id: str,
    storage: ObjectStorage,
) -> None:
    from atelier.manufacturing.bundle import BundleContext, build_bundle  # ezdxf, reportlab

    context = BundleContext(
        snapshot_id=snapshot_id,
        order_id=options.get("orderId"),
        work_order_id=options.get("workOrderId"),
        dpi=int(options.get("dpi") or 300),
    )
    data, manifest = build_bundle(spec, fonts, context)
    key = _key(data, "zip").replace("renders/", "bundles/", 1)
    storage.put(key, data, "application/zip", immutable=True)
    with unit_of_work(brand_id) as session:
        row = session.scalars(
            select(RenderResult).where(RenderResult.render_id == render_id).with_for_update()
        ).one()
        row.status = RenderStatus.SUCCESS.value
        row.url = key
        row.meta = {
            **(row.meta or {}),
            "formats": {"zip": key},
            "files": manifest["files"],
            "error": None,
        }
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is not None:
            snapshot.production_bundle_url = key  # allowed on a locked snapshot: an output
        if context.work_order_id:
            work_order = session.get(WorkOrder, context.work_order_id)
            if work_order is not None:
                work_order.export_status, work_order.export_error = "success", None
        from atelier.notifications.webhooks import announce

        hooks = announce(
            session,
            brand_id,
            WebhookEvent.BUNDLE_READY,
            {
                "snapshotId": snapshot_id,
                "orderId": context.order_id,
                "workOrderId": context.work_order_id,
                "sha256": manifest["files"][0]["sha256"] if manifest["files"] else None,
            },
        )
    from atelier.commerce.dispatch import dispatch

    dispatch(webhooks=hooks)


def _mark_failed(render_id: str, brand_id: str, reason: str) -> dict[str, Any] | None:
    """Record the failure; for a work order's export, the production-error email to send."""
    from atelier.notifications.service import brand_email

    email = None
    with unit_of_work(brand_id) as session:
        row = session.scalars(
            select(RenderResult).where(
                RenderResult.render_id == render_id, RenderResult.brand_id == brand_id
            )
        ).first()
        if row is not None and row.status != RenderStatus.SUCCESS.value:
            row.status = RenderStatus.FAILED.value
            row.meta = {**(row.meta or {}), "error": reason}
            work_order_id = (row.meta.get("options") or {}).get("workOrderId")
            work_order = session.get(WorkOrder, work_order_id) if work_order_id else None
            if work_order is not None:
                # The failure is visible on the work order, with its reason.
                work_order.export_status, work_order.export_error = "failed", reason
                order_number = session.scalar(
                    select(Order.order_number).where(Order.id == work_order.order_id)
                )
                email = brand_email(
                    session,
                    brand_id,
                    "production_error",
                    work_order.id,
                    {
                        "work_order_id": work_order.id,
                        "order_number": order_number,
                        "reason": reason,
                    },
                )
    return email
