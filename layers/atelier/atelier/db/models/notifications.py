"""Outbound webhooks to brands (seeds 001 restructured them) and their delivery log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Boolean, DateTime, Index, Integer, String, Text, text
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


class WebhookEvent(enum.StrEnum):
    GENERATION_STARTED = "GENERATION_STARTED"
    GENERATION_COMPLETED = "GENERATION_COMPLETED"
    GENERATION_FAILED = "GENERATION_FAILED"
    AR_VIEW = "AR_VIEW"
    ORDER_PAID = "ORDER_PAID"
    SNAPSHOT_CREATED = "SNAPSHOT_CREATED"
    BUNDLE_READY = "BUNDLE_READY"


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    name: Mapped[str] = mapped_column(String(100), server_default="Default")
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(Text)
    events: Mapped[list[WebhookEvent]] = mapped_column(
        ARRAY(pg_enum(WebhookEvent, "webhook_event")), server_default=text("'{}'")
    )
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    failure_count: Mapped[int] = mapped_column(Integer, server_default="0")
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class WebhookLog(Base):
    __tablename__ = "webhook_logs"
    __table_args__ = (Index(None, "webhook_id", "created_at"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    webhook_id: Mapped[str] = fk_column(
        "webhooks.id", ondelete="CASCADE", nullable=False, index=False
    )
    event: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status_code: Mapped[int | None] = mapped_column(Integer)
    success: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    attempt: Mapped[int] = mapped_column(Integer, server_default="1")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
