"""The asset-convert worker's use case: a product image's key in, its web variants stored
and recorded on the product.

Idempotent: the variants' keys follow from the source key, so a replayed or duplicated
job writes the same objects and records the same list (a job whose variants are already
recorded stops early). A stale job — the product's image changed since it was queued — and
a job for a product that no longer exists do nothing. An image that cannot be decoded is a
permanent failure: logged and dropped, never retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectNotFound, ObjectStorage
from atelier.catalog.image_convert import ConversionFailed, derive
from atelier.catalog.image_variants import (
    StoredVariant,
    stored_variants,
    variant_key,
    variant_prefix,
)
from atelier.db.models import Product
from atelier.db.session import unit_of_work
from atelier.observability import logger


def _current(
    session: Session, brand_id: str, product_id: str, key: str, *, lock: bool = False
) -> Product | None:
    """The product if it still shows the image `key`; None for a stale job or a product
    that is gone. With `lock`, an upload of a new image waits for this transaction."""
    query = select(Product).where(Product.id == product_id, Product.brand_id == brand_id)
    product = session.scalars(query.with_for_update() if lock else query).first()
    if product is None or product.image_url != key:
        return None
    return product


def _converted(product: Product, key: str) -> bool:
    variants = stored_variants(product.image_variants)
    return bool(variants) and all(v.key.startswith(variant_prefix(key)) for v in variants)


def convert_product_image(message: Mapping[str, Any], *, storage: ObjectStorage) -> None:
    """Process one asset-convert job `{brandId, productId, key}`."""
    try:
        brand_id, product_id, key = (str(message[k]) for k in ("brandId", "productId", "key"))
    except (KeyError, TypeError, IndexError):
        logger.error("malformed asset-convert job dropped", extra={"job": repr(message)[:500]})
        return
    context = {"brandId": brand_id, "productId": product_id, "key": key}
    with unit_of_work(brand_id) as session:
        product = _current(session, brand_id, product_id, key)
        if product is None:
            logger.info("image conversion skipped: stale or product gone", extra=context)
            return
        if _converted(product, key):
            return  # a duplicate delivery: already done
    try:
        derivatives = derive(storage.get(key))
    except (ConversionFailed, ObjectNotFound) as exc:
        logger.warning("image conversion failed permanently", extra={**context, "reason": str(exc)})
        return
    variants = [
        StoredVariant(width=d.width, height=d.height, key=variant_key(key, d.width))
        for d in derivatives
    ]
    for variant, derivative in zip(variants, derivatives, strict=True):
        storage.put(variant.key, derivative.data, "image/webp", immutable=True)
    with unit_of_work(brand_id) as session:
        product = _current(session, brand_id, product_id, key, lock=True)
        if product is None:
            logger.info("image changed during conversion; variants not recorded", extra=context)
            return
        product.image_variants = [v.model_dump(mode="json") for v in variants]
    logger.info("image converted", extra={**context, "widths": [v.width for v in variants]})
