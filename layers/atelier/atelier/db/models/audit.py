"""What happened: widget analytics events and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from atelier.db.base import Base, brand_id_column, created_at_column, fk_column, id_column


class AnalyticsEvent(Base):
    __tablename__ = "analytics_events"
    __table_args__ = (Index(None, "brand_id", "event", "occurred_at"),)

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    event: Mapped[str] = mapped_column(String(50))
    session_id: Mapped[str | None] = mapped_column(String(100))
    product_id: Mapped[str | None] = fk_column("products.id", ondelete="SET NULL", index=False)
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class AuditLog(Base):
    __tablename__ = "audit_logs"
    __table_args__ = (
        Index(None, "brand_id", "created_at"),
        Index(None, "entity_type", "entity_id"),
    )

    id: Mapped[str] = id_column()
    brand_id: Mapped[str | None] = fk_column("brands.id", ondelete="CASCADE", index=False)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = created_at_column()
