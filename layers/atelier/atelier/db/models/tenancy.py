"""Tenants and who acts for them: brands, their users, API keys and SaaS settings."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Boolean, DateTime, Enum, ForeignKey, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from atelier.db.base import (
    EMPTY_VARCHAR_ARRAY,
    Base,
    brand_id_column,
    created_at_column,
    id_column,
    updated_at_column,
)


class SubscriptionPlan(enum.StrEnum):
    FREE = "FREE"
    STARTER = "STARTER"
    PROFESSIONAL = "PROFESSIONAL"
    ENTERPRISE = "ENTERPRISE"


class SubscriptionStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    PAST_DUE = "PAST_DUE"
    CANCELED = "CANCELED"
    TRIALING = "TRIALING"


class ApiKeyKind(enum.StrEnum):
    PUBLISHABLE = "publishable"
    SECRET = "secret"  # noqa: S105 - a key kind, not a password


def pg_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A native PostgreSQL enum storing the members' values."""
    return Enum(
        enum_cls, name=name, values_callable=lambda e: [m.value for m in e], validate_strings=True
    )


class Brand(Base):
    __tablename__ = "brands"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    locale: Mapped[str] = mapped_column(String(10), server_default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # Seeds 001: nine SaaS fields.
    subscription_plan: Mapped[SubscriptionPlan] = mapped_column(
        pg_enum(SubscriptionPlan, "subscription_plan"), server_default=SubscriptionPlan.FREE.value
    )
    subscription_status: Mapped[SubscriptionStatus] = mapped_column(
        pg_enum(SubscriptionStatus, "subscription_status"),
        server_default=SubscriptionStatus.TRIALING.value,
    )
    trial_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stripe_customer_id: Mapped[str | None] = mapped_column(String(100))
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(100))
    website_url: Mapped[str | None] = mapped_column(Text)
    logo_url: Mapped[str | None] = mapped_column(Text)
    primary_color: Mapped[str | None] = mapped_column(String(7))
    support_email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), server_default="viewer")
    cognito_sub: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()


class ApiKey(Base):
    """Only the SHA-256 of a key is stored; `prefix` lets a user recognise it."""

    __tablename__ = "api_keys"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = brand_id_column()
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ApiKeyKind] = mapped_column(
        pg_enum(ApiKeyKind, "api_key_kind"), server_default=ApiKeyKind.PUBLISHABLE.value
    )
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class ClientSettings(Base):
    """Seeds 001: one row per brand — plan limits, and what the widget may do and where."""

    __tablename__ = "client_settings"

    id: Mapped[str] = id_column()
    brand_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("brands.id", ondelete="CASCADE"), unique=True
    )
    plan: Mapped[SubscriptionPlan] = mapped_column(
        pg_enum(SubscriptionPlan, "subscription_plan"), server_default=SubscriptionPlan.FREE.value
    )
    status: Mapped[SubscriptionStatus] = mapped_column(
        pg_enum(SubscriptionStatus, "subscription_status"),
        server_default=SubscriptionStatus.TRIALING.value,
    )
    monthly_generation_limit: Mapped[int] = mapped_column(Integer, server_default="100")
    monthly_render_limit: Mapped[int] = mapped_column(Integer, server_default="1000")
    allowed_origins: Mapped[list[str]] = mapped_column(
        ARRAY(String(255)), server_default=EMPTY_VARCHAR_ARRAY
    )
    blocked_words: Mapped[list[str]] = mapped_column(
        ARRAY(String(100)), server_default=EMPTY_VARCHAR_ARRAY
    )
    widget_theme: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ar_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
