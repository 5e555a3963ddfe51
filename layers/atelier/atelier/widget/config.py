"""What the widget loads first: a published product, its zones (geometry in mm, rules,
choices) and fonts, and the price — cacheable by ETag."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.catalog.config import Geometry, TextOptions, ZoneKind, ZoneRules
from atelier.catalog.image_variants import ImageVariant, variants_out
from atelier.catalog.repository import load_catalogue
from atelier.personalization.inputs import ApiModel

FONT_URL_TTL_S = 2 * 24 * 3600


class WidgetFont(ApiModel):
    id: str
    family: str
    style: str
    sha256: str
    url: str = Field(description="Where the widget downloads the font to draw previews")


class WidgetZone(ApiModel):
    id: str
    name: str
    kind: ZoneKind
    geometry: Geometry
    rules: ZoneRules
    text: TextOptions | None


class WidgetProduct(ApiModel):
    id: str
    name: str
    width_mm: float
    height_mm: float
    price_cents: int
    currency: str
    template_3d: str | None = Field(alias="template3d")
    image_variants: list[ImageVariant] = Field(
        description="The product's image for the page, in WebP at several widths (for "
        "srcset); empty while there is no image or it is still being converted"
    )


class WidgetConfig(ApiModel):
    product: WidgetProduct
    zones: list[WidgetZone]
    fonts: list[WidgetFont]
    units: str = "mm"


def widget_config(
    session: Session, storage: ObjectStorage, *, brand_id: str, product_id: str
) -> WidgetConfig:
    catalogue = load_catalogue(session, brand_id, product_id)
    product = catalogue.product
    return WidgetConfig(
        product=WidgetProduct(
            id=product.id,
            name=product.name,
            width_mm=product.width_mm,
            height_mm=product.height_mm,
            price_cents=product.price_cents,
            currency=product.currency,
            template_3d=product.template_3d,
            image_variants=variants_out(catalogue.image_variants, storage),
        ),
        zones=[
            WidgetZone(
                id=z.id, name=z.name, kind=z.kind, geometry=z.geometry, rules=z.rules, text=z.text
            )
            for z in product.zones
        ],
        fonts=[
            WidgetFont(
                id=f.id,
                family=f.family,
                style=f.style,
                sha256=f.sha256,
                url=storage.signed_url(f.storage_key, FONT_URL_TTL_S),
            )
            for f in sorted(catalogue.fonts.values(), key=lambda f: f.id)
        ],
    )
