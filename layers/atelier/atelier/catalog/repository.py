"""Reading a brand's catalogue as the domain sees it (`ProductConfig`), in one place.

Every query names the brand explicitly as well as running under row-level security: two
walls, so a bug in one still cannot leak another brand's product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.catalog.config import FontRef, ProductConfig, TextOptions, ZoneConfig, ZoneKind
from atelier.db.models import ClientSettings, CustomizationZone, Font, Product, ProductStatus
from atelier.errors import NotFound


@dataclass(frozen=True)
class Catalogue:
    product: ProductConfig
    fonts: dict[str, Font]
    image_variants: list[dict[str, Any]] = field(default_factory=list)
    """The stored web variants of the product's image (`atelier.catalog.image_variants`)."""

    def font_refs(self) -> dict[str, FontRef]:
        return {
            f.id: FontRef(
                id=f.id, family=f.family, style=f.style, storage_key=f.storage_key, sha256=f.sha256
            )
            for f in self.fonts.values()
        }


def zone_config(zone: CustomizationZone) -> ZoneConfig:
    return ZoneConfig(
        id=zone.id,
        name=zone.name,
        kind=ZoneKind(zone.type.value),
        geometry=zone.geometry,  # JSON validated by ZoneConfig
        rules=zone.rules or {},
        text=TextOptions.model_validate(zone.text_options) if zone.text_options else None,
        sort_order=zone.sort_order,
    )


def product_config(
    product: Product, zones: Sequence[CustomizationZone], blocked: list[str]
) -> ProductConfig:
    return ProductConfig(
        id=product.id,
        brand_id=product.brand_id,
        name=product.name,
        width_mm=product.width_mm,
        height_mm=product.height_mm,
        price_cents=product.price_cents,
        currency=product.currency,
        template_3d=product.template_3d,
        print_dpi=product.print_dpi,
        zones=[zone_config(z) for z in zones],
        blocked_words=blocked,
    )


def get_product(session: Session, brand_id: str, product_id: str) -> Product:
    product = session.scalars(
        select(Product).where(Product.id == product_id, Product.brand_id == brand_id)
    ).first()
    if product is None:
        raise NotFound(f"No product {product_id}.")
    return product


def load_catalogue(
    session: Session, brand_id: str, product_id: str, *, published_only: bool = True
) -> Catalogue:
    """A product with its active zones, the fonts they offer and the brand's blocked words.

    With `published_only`, a draft, archived or inactive product is as absent as an
    unknown one (the widget must not reveal unpublished products)."""
    product = get_product(session, brand_id, product_id)
    if published_only and (
        not product.is_active
        or product.status is not ProductStatus.ACTIVE
        or not product.customization_enabled
    ):
        raise NotFound(f"No product {product_id}.")
    zones = session.scalars(
        select(CustomizationZone)
        .where(
            CustomizationZone.product_id == product.id,
            CustomizationZone.brand_id == brand_id,
            CustomizationZone.is_active.is_(True),
        )
        .order_by(CustomizationZone.sort_order, CustomizationZone.id)
    ).all()
    blocked = session.scalars(
        select(ClientSettings.blocked_words).where(ClientSettings.brand_id == brand_id)
    ).first()
    config = product_config(product, zones, list(blocked or []))
    font_ids = {fid for z in config.zones if z.text for fid in z.text.font_ids}
    fonts = {
        f.id: f
        for f in session.scalars(
            select(Font).where(Font.brand_id == brand_id, Font.id.in_(font_ids))
        )
    }
    return Catalogue(product=config, fonts=fonts, image_variants=list(product.image_variants))
