"""Production: artisans (workshops), work orders and their service-level records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ARRAY, Boolean, DateTime, ForeignKey, Integer, String, Text, text
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


class Artisan(Base):
    __tablename__ = "artisans"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    user_id: Mapped[str | None] = fk_column("users.id", ondelete="SET NULL")
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    skills: Mapped[list[str]] = mapped_column(ARRAY(String(50)), server_default=EMPTY_VARCHAR_ARRAY)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class WorkOrder(Base):
    __tablename__ = "work_orders"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    # One work order per order (the seeds' `Order.workOrder WorkOrder?`).
    order_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("orders.id", ondelete="CASCADE"), unique=True
    )
    artisan_id: Mapped[str] = fk_column("artisans.id", ondelete="RESTRICT", nullable=False)
    quote_id: Mapped[str | None] = fk_column("quotes.id", ondelete="SET NULL", index=False)
    snapshot_id: Mapped[str | None] = fk_column("snapshots.id", ondelete="SET NULL")
    status: Mapped[str] = mapped_column(String(20), server_default="pending", index=True)
    sla_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    payout_status: Mapped[str] = mapped_column(String(20), server_default="unpaid", index=True)
    payout_cents: Mapped[int | None] = mapped_column(Integer)
    export_status: Mapped[str | None] = mapped_column(String(20))
    export_error: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class SLARecord(Base):
    __tablename__ = "sla_records"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    work_order_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("work_orders.id", ondelete="CASCADE"), unique=True
    )
    target_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    met: Mapped[bool | None] = mapped_column(Boolean)
    breached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
