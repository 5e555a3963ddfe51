"""Designs and what is derived from them: specs, immutable snapshots, customizations,
renders, assets and AI generations."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint, text
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
from atelier.db.models.tenancy import pg_enum


class GenerationStatus(enum.StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"


class DesignSpec(Base):
    """A canonical, versioned design; `spec_hash` is the SHA-256 of its RFC 8785 form."""

    __tablename__ = "design_specs"
    __table_args__ = (Index(None, "product_id", "spec_hash"), Index(None, "created_at"))

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    spec_version: Mapped[str] = mapped_column(String(20), server_default="1.0.0", index=True)
    # Unique (the spec names its product, so hashes never collide across brands); the
    # seeds also index it on its own, kept for parity with their plan.
    spec_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSONB)
    product_id: Mapped[str] = fk_column("products.id", ondelete="CASCADE", nullable=False)
    zone_inputs: Mapped[dict[str, Any]] = mapped_column(JSONB)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONB)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Snapshot(Base):
    """A point-in-time copy of a spec. Once locked, the database refuses any change to it."""

    __tablename__ = "snapshots"
    __table_args__ = (
        UniqueConstraint("spec_hash", "validated_at"),
        UniqueConstraint("spec_hash"),
        Index(None, "spec_hash", "is_validated"),
        Index(None, "created_at"),
        Index(None, "validated_at"),
    )

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    product_id: Mapped[str] = fk_column("products.id", ondelete="CASCADE", nullable=False)
    spec_id: Mapped[str] = fk_column("design_specs.id", ondelete="RESTRICT", nullable=False)
    spec_hash: Mapped[str] = mapped_column(String(64), index=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSONB)
    preview_url: Mapped[str | None] = mapped_column(Text)
    preview3d_url: Mapped[str | None] = mapped_column(Text)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    production_bundle_url: Mapped[str | None] = mapped_column(Text)
    ar_model_url: Mapped[str | None] = mapped_column(Text)
    gltf_model_url: Mapped[str | None] = mapped_column(Text)
    asset_versions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    is_validated: Mapped[bool] = mapped_column(Boolean, server_default=text("false"), index=True)
    validated_by: Mapped[str | None] = mapped_column(String(64))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_locked: Mapped[bool] = mapped_column(Boolean, server_default=text("false"), index=True)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(64))
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Design(Base):
    __tablename__ = "designs"
    __table_args__ = (Index(None, "brand_id", "status"), Index(None, "created_at"))

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    user_id: Mapped[str | None] = fk_column("users.id", ondelete="SET NULL")
    product_id: Mapped[str] = fk_column("products.id", ondelete="CASCADE", nullable=False)
    spec_id: Mapped[str | None] = fk_column("design_specs.id", ondelete="SET NULL")
    name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), server_default="draft", index=True)
    prompt: Mapped[str | None] = mapped_column(Text)
    prompt_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    image_url: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONB)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class Customization(Base):
    __tablename__ = "customizations"
    __table_args__ = (Index(None, "created_at"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str | None] = fk_column("brands.id", ondelete="SET NULL")
    zone_id: Mapped[str] = fk_column("customization_zones.id", ondelete="CASCADE", nullable=False)
    product_id: Mapped[str] = fk_column("products.id", ondelete="CASCADE", nullable=False)
    user_id: Mapped[str | None] = fk_column("users.id", ondelete="SET NULL")
    design_id: Mapped[str | None] = fk_column("designs.id", ondelete="SET NULL")
    order_id: Mapped[str | None] = fk_column("orders.id", ondelete="SET NULL")
    snapshot_id: Mapped[str | None] = fk_column("snapshots.id", ondelete="SET NULL")
    value: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20), server_default="pending", index=True)
    prompt_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    job_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class RenderResult(Base):
    """One render job's outcome; `render_id` is derived from (spec hash, kind, options,
    renderer version), so an identical request finds the finished result."""

    __tablename__ = "render_results"
    __table_args__ = (Index(None, "type", "status"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    render_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONB)
    snapshot_id: Mapped[str | None] = fk_column("snapshots.id", ondelete="SET NULL")
    design_id: Mapped[str | None] = fk_column("designs.id", ondelete="SET NULL")
    customization_id: Mapped[str | None] = fk_column("customizations.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = created_at_column()


class Asset(Base):
    __tablename__ = "assets"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    design_id: Mapped[str | None] = fk_column("designs.id", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(20))
    storage_key: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = created_at_column()


class Generation(Base):
    """Seeds 001: an AI image generation requested from the widget."""

    __tablename__ = "generations"
    __table_args__ = (Index(None, "brand_id", "status"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    product_id: Mapped[str | None] = fk_column("products.id", ondelete="SET NULL")
    template_id: Mapped[str | None] = fk_column("templates.id", ondelete="SET NULL")
    zone_id: Mapped[str | None] = fk_column("customization_zones.id", ondelete="SET NULL")
    status: Mapped[GenerationStatus] = mapped_column(
        pg_enum(GenerationStatus, "generation_status"),
        server_default=GenerationStatus.PENDING.value,
    )
    prompt: Mapped[str] = mapped_column(Text)
    result_url: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[str | None] = mapped_column(String(100))
    cost_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
