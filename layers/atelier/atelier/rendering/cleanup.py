"""Scheduled cleanup of render outputs and product images nobody needs any more.

A render is kept while its snapshot is locked or ordered, and for `RETENTION` after it was
made (a shopper may come back to it); older ones go. Stored objects under `renders/` go
when no remaining render and no snapshot refers to them; under `products/` (base images
and their web variants) when no product shows them and no remaining render was or will be
drawn on them. Either only once older than `GRACE`, so a worker or an upload that has just
written its files and not yet recorded them never loses them. Referenced objects are
never removed.

It works across brands, so it runs with the owner's connection (no row-level security).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from atelier.adapters.storage import ObjectStorage

RETENTION = timedelta(days=7)
GRACE = timedelta(hours=1)
PREFIX = "renders/"
PRODUCTS_PREFIX = "products/"

DELETE_STALE_RENDERS = text(
    """
    DELETE FROM render_results r
    WHERE r.created_at < :cutoff
      AND r.status IN ('success', 'failed')
      AND NOT EXISTS (
          SELECT 1 FROM snapshots s
          WHERE s.id = r.snapshot_id
            AND (s.is_locked OR EXISTS (SELECT 1 FROM order_items i WHERE i.snapshot_id = s.id))
      )
    RETURNING r.render_id
    """
)

REFERENCED_KEYS = text(
    """
    SELECT jsonb_each_text.value FROM render_results, jsonb_each_text(
        coalesce(render_results.metadata -> 'formats', '{}'::jsonb))
    UNION SELECT url FROM render_results WHERE url IS NOT NULL
    UNION SELECT thumbnail_url FROM render_results WHERE thumbnail_url IS NOT NULL
    UNION SELECT unnest(ARRAY[preview_url, preview3d_url, thumbnail_url, production_bundle_url,
                              ar_model_url, gltf_model_url]) FROM snapshots
    """
)


REFERENCED_PRODUCT_KEYS = text(
    """
    SELECT image_url FROM products WHERE image_url IS NOT NULL
    UNION SELECT variant ->> 'key' FROM products, jsonb_array_elements(products.image_variants)
        AS variant
    UNION SELECT metadata -> 'options' ->> 'baseImage' FROM render_results
        WHERE metadata -> 'options' ->> 'baseImage' IS NOT NULL
    """
)


@dataclass(frozen=True)
class CleanupReport:
    renders_deleted: int
    objects_deleted: int
    objects_kept: int


def cleanup(
    engine: Engine, storage: ObjectStorage, *, now: datetime | None = None
) -> CleanupReport:
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        deleted = conn.execute(DELETE_STALE_RENDERS, {"cutoff": now - RETENTION}).all()
        referenced = {row[0] for row in conn.execute(REFERENCED_KEYS) if row[0]}
        referenced |= {row[0] for row in conn.execute(REFERENCED_PRODUCT_KEYS) if row[0]}
    removed = kept = 0
    for prefix in (PREFIX, PRODUCTS_PREFIX):
        for key, modified in storage.objects(prefix):
            if key in referenced or modified > now - GRACE:
                kept += 1
                continue
            storage.delete(key)
            removed += 1
    return CleanupReport(renders_deleted=len(deleted), objects_deleted=removed, objects_kept=kept)
