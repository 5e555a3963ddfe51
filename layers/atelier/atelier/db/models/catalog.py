"""What brands sell and how it may be personalized: products, zones, fonts, AI templates."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from atelier.db.base import (
    EMPTY_VARCHAR_ARRAY,
    Base,
    brand_id_column,
    created_at_column,
    fk_column,
    id_column,
    updated_at_column,
)
from atelier.db.models.tenancy import pg_enum


class ProductStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class CustomizationType(enum.StrEnum):
    TEXT = "TEXT"
    IMAGE = "IMAGE"
    COLOR = "COLOR"
    PATTERN = "PATTERN"
    FONT = "FONT"
    SIZE = "SIZE"
    POSITION = "POSITION"


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("brand_id", "slug"),
        Index(None, "brand_id", "is_active"),
    )

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # Kept a decimal for display (seeds 002 §2.3); all arithmetic uses `price_cents`.
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"), index=True)
    is_public: Mapped[bool] = mapped_column(Boolean, server_default=text("false"), index=True)
    image_url: Mapped[str | None] = mapped_column(Text)
    # Web derivatives of `image_url` (atelier.catalog.image_variants): written by the
    # asset-convert worker, emptied when the image changes.
    image_variants: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )
    width_mm: Mapped[float] = mapped_column(Float)
    height_mm: Mapped[float] = mapped_column(Float)
    # Seeds 001: eighteen catalogue fields.
    slug: Mapped[str] = mapped_column(String(120))
    status: Mapped[ProductStatus] = mapped_column(
        pg_enum(ProductStatus, "product_status"), server_default=ProductStatus.DRAFT.value
    )
    sku: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(100))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), server_default=EMPTY_VARCHAR_ARRAY)
    material: Mapped[str | None] = mapped_column(String(100))
    template_3d: Mapped[str | None] = mapped_column(String(20))
    model_3d_url: Mapped[str | None] = mapped_column(Text)
    ar_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    customization_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    print_dpi: Mapped[int] = mapped_column(Integer, server_default="300")
    min_quantity: Mapped[int] = mapped_column(Integer, server_default="1")
    max_quantity: Mapped[int | None] = mapped_column(Integer)
    production_days: Mapped[int | None] = mapped_column(Integer)
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    seo_title: Mapped[str | None] = mapped_column(String(200))
    seo_description: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    @property
    def price_cents(self) -> int:
        return int((self.price * 100).to_integral_value())


class CustomizationZone(Base):
    """A personalizable area of a product (the seeds' Zone, grown by 001).

    `geometry`, `rules` and `text_options` are validated by `atelier.catalog.config`.
    """

    __tablename__ = "customization_zones"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    product_id: Mapped[str] = fk_column("products.id", ondelete="CASCADE", nullable=False)
    name: Mapped[str] = mapped_column(String(100))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSONB)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    sort_order: Mapped[int] = mapped_column(Integer, server_default="0")
    type: Mapped[CustomizationType] = mapped_column(
        pg_enum(CustomizationType, "customization_type"),
        server_default=CustomizationType.TEXT.value,
    )
    text_options: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Font(Base):
    """A brand's font file: bytes in storage under a content-addressed key."""

    __tablename__ = "fonts"
    __table_args__ = (UniqueConstraint("brand_id", "sha256"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    family: Mapped[str] = mapped_column(String(200))
    style: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(10))
    storage_key: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    units_per_em: Mapped[int] = mapped_column(Integer)
    glyph_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()


class Template(Base):
    """Seeds 001: a prompt template for AI generation."""

    __tablename__ = "templates"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    name: Mapped[str] = mapped_column(String(200))
    prompt_template: Mapped[str] = mapped_column(Text)
    negative_prompt: Mapped[str | None] = mapped_column(Text)
    style: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
