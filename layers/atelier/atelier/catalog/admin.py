"""Brand back-office for the catalogue: products and their personalization zones.

Request models refuse unknown fields, so a client can never set a brand, an id or a
timestamp; every lookup is scoped to the caller's brand (another brand's product is a
404, exactly like a missing one).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.catalog.config import Geometry, TextOptions, ZoneKind, ZoneRules
from atelier.catalog.image_variants import ImageVariant, variants_out
from atelier.catalog.repository import get_product
from atelier.db.models import (
    CustomizationType,
    CustomizationZone,
    Font,
    Product,
    ProductStatus,
)
from atelier.errors import Conflict, FieldError, NotFound, ValidationFailed
from atelier.personalization.inputs import ApiModel
from atelier.tenancy.admin import slugify

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Template3d = Literal["plate", "cylinder", "disc"]
Mm = Annotated[float, Field(gt=0, le=5000)]


class ProductIn(ApiModel):
    name: Name
    slug: Slug | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    price_cents: Annotated[int, Field(ge=0, le=100_000_000)]
    currency: Currency = "EUR"
    width_mm: Mm
    height_mm: Mm
    template_3d: Template3d | None = Field(default=None, alias="template3d")
    print_dpi: Annotated[int, Field(ge=72, le=2400)] = 300
    status: ProductStatus = ProductStatus.DRAFT
    customization_enabled: bool = True


class ProductPatch(ApiModel):
    name: Name | None = None
    slug: Slug | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    price_cents: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    currency: Currency | None = None
    width_mm: Mm | None = None
    height_mm: Mm | None = None
    template_3d: Template3d | None = Field(default=None, alias="template3d")
    print_dpi: Annotated[int, Field(ge=72, le=2400)] | None = None
    status: ProductStatus | None = None
    customization_enabled: bool | None = None


class ZoneIn(ApiModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    kind: ZoneKind = ZoneKind.TEXT
    geometry: Geometry
    rules: ZoneRules = Field(default_factory=ZoneRules)
    text: TextOptions | None = None
    sort_order: Annotated[int, Field(ge=0, le=1000)] = 0


class ZonePatch(ApiModel):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = None
    geometry: Geometry | None = None
    rules: ZoneRules | None = None
    text: TextOptions | None = None
    sort_order: Annotated[int, Field(ge=0, le=1000)] | None = None


class ZoneOut(ApiModel):
    id: str
    name: str
    kind: ZoneKind
    geometry: Geometry
    rules: ZoneRules
    text: TextOptions | None
    sort_order: int


class ProductOut(ApiModel):
    id: str
    name: str
    slug: str
    description: str | None
    price_cents: int
    currency: str
    width_mm: float
    height_mm: float
    template_3d: str | None = Field(alias="template3d")
    print_dpi: int
    status: ProductStatus
    customization_enabled: bool
    zones: list[ZoneOut]
    image_variants: list[ImageVariant] = Field(
        description="Web versions of the product's image (WebP); empty while there is no "
        "image or the asset-convert worker has not converted it yet"
    )
    created_at: datetime
    updated_at: datetime


class ProductPage(ApiModel):
    items: list[ProductOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= to get the next page")


def _zones(session: Session, product: Product) -> list[CustomizationZone]:
    return list(
        session.scalars(
            select(CustomizationZone)
            .where(
                CustomizationZone.product_id == product.id, CustomizationZone.is_active.is_(True)
            )
            .order_by(CustomizationZone.sort_order, CustomizationZone.id)
        )
    )


def zone_out(zone: CustomizationZone) -> ZoneOut:
    return ZoneOut(
        id=zone.id,
        name=zone.name,
        kind=ZoneKind(zone.type.value),
        geometry=Geometry.model_validate(zone.geometry),
        rules=ZoneRules.model_validate(zone.rules or {}),
        text=TextOptions.model_validate(zone.text_options) if zone.text_options else None,
        sort_order=zone.sort_order,
    )


def product_out(session: Session, storage: ObjectStorage, product: Product) -> ProductOut:
    return ProductOut(
        id=product.id,
        name=product.name,
        slug=product.slug,
        description=product.description,
        price_cents=product.price_cents,
        currency=product.currency,
        width_mm=product.width_mm,
        height_mm=product.height_mm,
        template_3d=product.template_3d,
        print_dpi=product.print_dpi,
        status=product.status,
        customization_enabled=product.customization_enabled,
        zones=[zone_out(z) for z in _zones(session, product)],
        image_variants=variants_out(product.image_variants, storage),
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def _price(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _flush_unique(session: Session, field: str) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"Another product already uses this {field}.",
            errors=[FieldError(field, "already_exists", f"This {field} is taken.")],
        ) from exc


def create_product(session: Session, brand_id: str, data: ProductIn) -> Product:
    product = Product(
        brand_id=brand_id,
        name=data.name,
        slug=data.slug or slugify(data.name),
        description=data.description,
        price=_price(data.price_cents),
        currency=data.currency,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        template_3d=data.template_3d,
        print_dpi=data.print_dpi,
        status=data.status,
        is_active=data.status is not ProductStatus.ARCHIVED,
        customization_enabled=data.customization_enabled,
    )
    session.add(product)
    _flush_unique(session, "slug")
    session.refresh(product)
    return product


def update_product(session: Session, brand_id: str, product_id: str, data: ProductPatch) -> Product:
    product = get_product(session, brand_id, product_id)
    changes = data.model_dump(exclude_unset=True)
    if "price_cents" in changes:
        product.price = _price(changes.pop("price_cents"))
    for key, value in changes.items():
        if value is None and key in (
            "name",
            "slug",
            "currency",
            "width_mm",
            "height_mm",
            "print_dpi",
            "status",
            "customization_enabled",
        ):
            raise ValidationFailed(
                errors=[FieldError(key, "required", "This field cannot be null.")]
            )
        setattr(product, key, value)
    if "status" in changes:
        product.is_active = product.status is not ProductStatus.ARCHIVED
    _flush_unique(session, "slug")
    session.refresh(product)
    return product


def archive_product(session: Session, brand_id: str, product_id: str) -> None:
    """Products are archived, not deleted: orders and snapshots keep referring to them."""
    product = get_product(session, brand_id, product_id)
    product.status = ProductStatus.ARCHIVED
    product.is_active = False
    session.flush()


def list_products(
    session: Session,
    storage: ObjectStorage,
    brand_id: str,
    *,
    cursor: str | None,
    limit: int,
    status: ProductStatus | None,
) -> ProductPage:
    """Keyset pagination on the (time-sortable) id: stable under concurrent inserts."""
    query = select(Product).where(Product.brand_id == brand_id)
    if status is not None:
        query = query.where(Product.status == status)
    if cursor:
        query = query.where(Product.id < cursor)
    rows = list(session.scalars(query.order_by(Product.id.desc()).limit(limit + 1)))
    page = rows[:limit]
    return ProductPage(
        items=[product_out(session, storage, p) for p in page],
        next_cursor=page[-1].id if len(rows) > limit else None,
    )


def _check_zone(session: Session, brand_id: str, product: Product, zone: ZoneOut | ZoneIn) -> None:
    errors = []
    g = zone.geometry
    if (
        g.x_mm + g.width_mm > product.width_mm + 1e-9
        or g.y_mm + g.height_mm > product.height_mm + 1e-9
    ):
        errors.append(
            FieldError("geometry", "outside_product", "The zone must lie within the product.")
        )
    if zone.kind is ZoneKind.TEXT and zone.text is None:
        errors.append(FieldError("text", "required", "Text zones need text options (fontIds)."))
    if zone.text is not None:
        known = set(
            session.scalars(
                select(Font.id).where(Font.brand_id == brand_id, Font.id.in_(zone.text.font_ids))
            )
        )
        unknown = [f for f in zone.text.font_ids if f not in known]
        if unknown:
            errors.append(
                FieldError(
                    "text.fontIds",
                    "unknown_font",
                    "Upload these fonts first.",
                    {"fontIds": unknown},
                )
            )
        if zone.text.max_size_mm > g.height_mm:
            errors.append(
                FieldError(
                    "text.maxSizeMm", "out_of_range", "The largest size exceeds the zone's height."
                )
            )
    if errors:
        raise ValidationFailed("The zone is not valid for this product.", errors=errors)


def _zone(session: Session, brand_id: str, product_id: str, zone_id: str) -> CustomizationZone:
    zone = session.scalars(
        select(CustomizationZone).where(
            CustomizationZone.id == zone_id,
            CustomizationZone.product_id == product_id,
            CustomizationZone.brand_id == brand_id,
            CustomizationZone.is_active.is_(True),
        )
    ).first()
    if zone is None:
        raise NotFound(f"No zone {zone_id} on product {product_id}.")
    return zone


def create_zone(
    session: Session, brand_id: str, product_id: str, data: ZoneIn
) -> CustomizationZone:
    product = get_product(session, brand_id, product_id)
    _check_zone(session, brand_id, product, data)
    count = session.scalar(
        select(func.count()).where(
            CustomizationZone.product_id == product.id, CustomizationZone.is_active.is_(True)
        )
    )
    if (count or 0) >= 50:
        raise Conflict("A product has at most 50 zones.")
    zone = CustomizationZone(
        brand_id=brand_id,
        product_id=product.id,
        name=data.name,
        type=CustomizationType(data.kind.value),
        geometry=data.geometry.model_dump(mode="json"),
        rules=data.rules.model_dump(mode="json"),
        text_options=data.text.model_dump(mode="json") if data.text else None,
        sort_order=data.sort_order,
    )
    session.add(zone)
    session.flush()
    return zone


def update_zone(
    session: Session, brand_id: str, product_id: str, zone_id: str, data: ZonePatch
) -> CustomizationZone:
    product = get_product(session, brand_id, product_id)
    zone = _zone(session, brand_id, product.id, zone_id)
    merged = zone_out(zone).model_copy(
        update=data.model_dump(exclude_unset=True, exclude_none=True)
    )
    _check_zone(session, brand_id, product, merged)
    zone.name = merged.name
    zone.geometry = merged.geometry.model_dump(mode="json")
    zone.rules = merged.rules.model_dump(mode="json")
    zone.text_options = merged.text.model_dump(mode="json") if merged.text else None
    zone.sort_order = merged.sort_order
    session.flush()
    return zone


def delete_zone(session: Session, brand_id: str, product_id: str, zone_id: str) -> None:
    """Soft delete: existing customizations keep pointing at the zone."""
    zone = _zone(session, brand_id, product_id, zone_id)
    zone.is_active = False
    session.flush()
