"""Orders and money (integer cents), external commerce integrations and SaaS billing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from atelier.db.base import (
    Base,
    brand_id_column,
    created_at_column,
    fk_column,
    id_column,
    updated_at_column,
)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("brand_id", "order_number"),
        Index(None, "brand_id", "status"),
        Index(None, "brand_id", "created_at"),
        Index(None, "created_at"),
    )

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    user_id: Mapped[str | None] = fk_column("users.id", ondelete="SET NULL")
    # Deprecated by order_items (seeds 000, migration 2); nullable since then.
    design_id: Mapped[str | None] = fk_column("designs.id", ondelete="CASCADE")
    product_id: Mapped[str | None] = fk_column("products.id", ondelete="CASCADE")
    order_number: Mapped[str] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(20), server_default="pending", index=True)
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    subtotal_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    tax_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    shipping_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    discount_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    total_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    customer_email: Mapped[str | None] = mapped_column(String(320))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    source: Mapped[str] = mapped_column(String(20), server_default="api")
    external_order_id: Mapped[str | None] = mapped_column(String(100))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(100))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    carrier: Mapped[str | None] = mapped_column(String(50))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    tracking_url: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONB)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (Index(None, "order_id", "product_id"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    order_id: Mapped[str] = fk_column("orders.id", ondelete="CASCADE", nullable=False)
    product_id: Mapped[str] = fk_column("products.id", ondelete="RESTRICT", nullable=False)
    design_id: Mapped[str | None] = fk_column("designs.id", ondelete="SET NULL")
    snapshot_id: Mapped[str | None] = fk_column("snapshots.id", ondelete="SET NULL")
    quantity: Mapped[int] = mapped_column(Integer, server_default="1")
    price_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONB)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Quote(Base):
    __tablename__ = "quotes"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    order_id: Mapped[str] = fk_column("orders.id", ondelete="CASCADE", nullable=False)
    artisan_id: Mapped[str | None] = fk_column("artisans.id", ondelete="SET NULL")
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    status: Mapped[str] = mapped_column(String(20), server_default="pending")
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Integration(Base):
    """A brand's connection to a commerce platform (a Shopify shop, a Stripe account)."""

    __tablename__ = "integrations"
    __table_args__ = (UniqueConstraint("provider", "external_account"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    provider: Mapped[str] = mapped_column(String(20))
    external_account: Mapped[str] = mapped_column(String(255))
    webhook_secret: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class ProductMapping(Base):
    """Which external product (e.g. a Shopify product) is which Atelier product."""

    __tablename__ = "product_mappings"
    __table_args__ = (
        UniqueConstraint("integration_id", "external_product_id"),
        Index(None, "external_product_id", "integration_id"),
    )

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    product_id: Mapped[str] = fk_column("products.id", ondelete="CASCADE", nullable=False)
    integration_id: Mapped[str] = fk_column("integrations.id", ondelete="CASCADE", nullable=False)
    external_product_id: Mapped[str] = mapped_column(String(100))
    external_variant_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Invoice(Base):
    """Seeds 001: what Atelier bills a brand."""

    __tablename__ = "invoices"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    number: Mapped[str] = mapped_column(String(50), unique=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    status: Mapped[str] = mapped_column(String(20), server_default="draft")
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(100))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class UsageRecord(Base):
    """Seeds 001: metered usage (renders, generations, exports) per brand."""

    __tablename__ = "usage_records"
    __table_args__ = (Index(None, "brand_id", "metric", "recorded_at"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    metric: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = created_at_column()
