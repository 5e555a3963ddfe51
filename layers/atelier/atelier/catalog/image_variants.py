"""Web derivatives of a product's base image: the job, where they are stored, how clients
see them. Pillow-free, so API functions can queue jobs and list variants; the conversion
itself is `atelier.catalog.image_convert` and runs only in the asset-convert worker
(`atelier.catalog.image_worker`).

Variants are keyed by the source image's key, which is content-addressed
(`products/<brand>/<sha256>.png` → `products/<brand>/<sha256>/w640.webp`), so a replayed
job writes the very same objects and they can be cached forever.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, text

from atelier.adapters.queue import JobQueue
from atelier.adapters.storage import ObjectStorage
from atelier.personalization.inputs import ApiModel

QUEUE = "asset-convert"
WIDTHS = (320, 640, 1280)
"""Target widths; an image is never upscaled (see `image_convert.target_widths`)."""
URL_TTL_S = 2 * 24 * 3600
"""Outlives the widget config's one-hour cache, as fonts' URLs do."""
SETTLE = timedelta(hours=1)
RETRY_WINDOW = timedelta(days=1)
"""An image still without variants an hour after its upload (its job was lost, or failed)
is asked for again by the hourly schedule, for a day; a file that never converts is then
left alone."""

UNCONVERTED = text(
    """
    SELECT id, brand_id, image_url FROM products
    WHERE image_url IS NOT NULL AND image_variants = '[]'::jsonb
      AND updated_at < :settled AND updated_at >= :since
    ORDER BY updated_at
    LIMIT 500
    """
)


class StoredVariant(BaseModel):
    """One entry of `products.image_variants`."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    width: int
    height: int
    format: Literal["webp"] = "webp"
    key: str


class ImageVariant(ApiModel):
    width: int = Field(description="Pixels")
    height: int = Field(description="Pixels; the original's aspect ratio")
    format: Literal["webp"]
    url: str = Field(description="Expiring URL of the image (EXIF and other metadata removed)")


def variant_prefix(source_key: str) -> str:
    """`products/<brand>/<sha>.jpg` → `products/<brand>/<sha>/`: where its variants live."""
    return f"{source_key.rsplit('.', 1)[0]}/"


def variant_key(source_key: str, width: int) -> str:
    """`products/<brand>/<sha>.jpg` → `products/<brand>/<sha>/w<width>.webp`."""
    return f"{variant_prefix(source_key)}w{width}.webp"


def conversion_job(*, brand_id: str, product_id: str, key: str) -> dict[str, str]:
    return {"brandId": brand_id, "productId": product_id, "key": key}


def request_conversion(queue: JobQueue, *, brand_id: str, product_id: str, key: str) -> None:
    """Queue the conversion of a product's image (after the image's transaction committed:
    the worker must find the product pointing at `key`)."""
    queue.send(QUEUE, conversion_job(brand_id=brand_id, product_id=product_id, key=key))


def request_missing_conversions(
    engine: Engine, queue: JobQueue, *, now: datetime | None = None
) -> int:
    """Queue again the conversions that should be done by now and are not (across brands:
    run as the owner). Duplicates are harmless: the worker is idempotent."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        rows = conn.execute(
            UNCONVERTED, {"settled": now - SETTLE, "since": now - RETRY_WINDOW}
        ).all()
    for row in rows:
        request_conversion(queue, brand_id=row.brand_id, product_id=row.id, key=row.image_url)
    return len(rows)


def stored_variants(raw: Sequence[Mapping[str, Any]] | None) -> list[StoredVariant]:
    return [StoredVariant.model_validate(v) for v in raw or ()]


def variants_out(
    raw: Sequence[Mapping[str, Any]] | None, storage: ObjectStorage
) -> list[ImageVariant]:
    """What clients get: the stored variants with URLs, narrowest first; empty until the
    worker has converted the current image."""
    return [
        ImageVariant(
            width=v.width,
            height=v.height,
            format=v.format,
            url=storage.signed_url(v.key, URL_TTL_S),
        )
        for v in sorted(stored_variants(raw), key=lambda v: v.width)
    ]
