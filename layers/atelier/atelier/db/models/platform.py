"""Tables the platform itself needs: idempotency records, the local queue, inbound
webhook de-duplication. None of them is tenant-scoped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from atelier.db.base import Base, created_at_column, id_column


class IdempotencyRecord(Base):
    """Powertools Idempotency records (see `atelier.idempotency`)."""

    __tablename__ = "idempotency_records"

    idempotency_key: Mapped[str] = mapped_column(Text, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    expiry_timestamp: Mapped[int] = mapped_column(BigInteger, index=True)
    in_progress_expiry_timestamp: Mapped[int | None] = mapped_column(BigInteger)
    response_data: Mapped[str | None] = mapped_column(Text)
    payload_hash: Mapped[str | None] = mapped_column(Text)


class QueueMessage(Base):
    """The local runtime's queue, with SQS semantics (see `atelier.local.queue_runner`)."""

    __tablename__ = "queue_messages"
    __table_args__ = (
        Index(
            "ix_queue_messages_due",
            "queue",
            "available_at",
            postgresql_where=text("dead_at IS NULL"),
        ),
    )

    id: Mapped[str] = id_column()
    queue: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    available_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()")
    )
    receive_count: Mapped[int] = mapped_column(Integer, server_default="0")
    max_receives: Mapped[int] = mapped_column(Integer, server_default="5")
    dead_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class InboundEvent(Base):
    """One row per third-party event processed (Shopify, Stripe): the de-duplication key,
    written in the same transaction as the event's effect."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("provider", "topic", "event_id"),)

    id: Mapped[str] = id_column()
    provider: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(255))
    delivery_id: Mapped[str | None] = mapped_column(String(255))
    brand_id: Mapped[str | None] = mapped_column(String(26))
    received_at: Mapped[datetime] = created_at_column()
