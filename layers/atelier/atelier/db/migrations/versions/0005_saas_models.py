"""Seeds 001 (the SaaS personalization models): six enums; client_settings, templates,
generations, invoices and usage_records; zones become customization_zones with 001's
fields; brands gain nine fields, products eighteen (slug backfilled); webhooks are
restructured and webhook_logs simplified.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ENUMS = {
    "subscription_plan": postgresql.ENUM(
        "FREE", "STARTER", "PROFESSIONAL", "ENTERPRISE", name="subscription_plan", create_type=False
    ),
    "subscription_status": postgresql.ENUM(
        "ACTIVE", "PAST_DUE", "CANCELED", "TRIALING", name="subscription_status", create_type=False
    ),
    "generation_status": postgresql.ENUM(
        "PENDING",
        "PROCESSING",
        "COMPLETED",
        "FAILED",
        "EXPIRED",
        name="generation_status",
        create_type=False,
    ),
    "customization_type": postgresql.ENUM(
        "TEXT",
        "IMAGE",
        "COLOR",
        "PATTERN",
        "FONT",
        "SIZE",
        "POSITION",
        name="customization_type",
        create_type=False,
    ),
    "product_status": postgresql.ENUM(
        "DRAFT", "ACTIVE", "ARCHIVED", name="product_status", create_type=False
    ),
    "webhook_event": postgresql.ENUM(
        "GENERATION_STARTED",
        "GENERATION_COMPLETED",
        "GENERATION_FAILED",
        "AR_VIEW",
        name="webhook_event",
        create_type=False,
    ),
}

EMPTY_VARCHAR_ARRAY = sa.text("'{}'::varchar[]")


def brand_columns() -> tuple[sa.Column[Any], ...]:
    return (
        sa.Column(
            "subscription_plan", ENUMS["subscription_plan"], server_default="FREE", nullable=False
        ),
        sa.Column(
            "subscription_status",
            ENUMS["subscription_status"],
            server_default="TRIALING",
            nullable=False,
        ),
        sa.Column("trial_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stripe_customer_id", sa.String(length=100), nullable=True),
        sa.Column("stripe_subscription_id", sa.String(length=100), nullable=True),
        sa.Column("website_url", sa.Text(), nullable=True),
        sa.Column("logo_url", sa.Text(), nullable=True),
        sa.Column("primary_color", sa.String(length=7), nullable=True),
        sa.Column("support_email", sa.String(length=320), nullable=True),
    )


def product_columns() -> tuple[sa.Column[Any], ...]:
    return (
        sa.Column("slug", sa.String(length=120), nullable=True),  # NOT NULL once backfilled
        sa.Column("status", ENUMS["product_status"], server_default="DRAFT", nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column(
            "tags",
            sa.ARRAY(sa.String(length=50)),
            server_default=EMPTY_VARCHAR_ARRAY,
            nullable=False,
        ),
        sa.Column("material", sa.String(length=100), nullable=True),
        sa.Column("template_3d", sa.String(length=20), nullable=True),
        sa.Column("model_3d_url", sa.Text(), nullable=True),
        sa.Column("ar_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "customization_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.Column("print_dpi", sa.Integer(), server_default="300", nullable=False),
        sa.Column("min_quantity", sa.Integer(), server_default="1", nullable=False),
        sa.Column("max_quantity", sa.Integer(), nullable=True),
        sa.Column("production_days", sa.Integer(), nullable=True),
        sa.Column("weight_grams", sa.Integer(), nullable=True),
        sa.Column("seo_title", sa.String(length=200), nullable=True),
        sa.Column("seo_description", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )


def zone_columns() -> tuple[sa.Column[Any], ...]:
    return (
        sa.Column("type", ENUMS["customization_type"], server_default="TEXT", nullable=False),
        sa.Column("text_options", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
    )


# Existing products get a slug from their name, unique within their brand: lower-case
# ASCII words joined by dashes, suffixed with -2, -3… where names collide.
SLUG_BACKFILL = """
WITH base AS (
    SELECT id, brand_id,
           coalesce(nullif(trim(both '-' from
               regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), ''), 'product') AS slug
    FROM products
), numbered AS (
    SELECT id, slug,
           row_number() OVER (PARTITION BY brand_id, slug ORDER BY id) AS n
    FROM base
)
UPDATE products p
SET slug = left(CASE WHEN numbered.n = 1 THEN numbered.slug
                     ELSE numbered.slug || '-' || numbered.n END, 120)
FROM numbered
WHERE numbered.id = p.id
"""

# (old name, new name) of every constraint and index that carries the zones table's name.
ZONE_RENAMES = (
    ("pk_zones", "pk_customization_zones"),
    ("fk_zones_brand_id_brands", "fk_customization_zones_brand_id_brands"),
    ("fk_zones_product_id_products", "fk_customization_zones_product_id_products"),
)
ZONE_INDEX_RENAMES = (
    ("ix_zones_brand_id", "ix_customization_zones_brand_id"),
    ("ix_zones_product_id", "ix_customization_zones_product_id"),
)


def _rename_zones(old_table: str, new_table: str, forward: bool) -> None:
    op.rename_table(old_table, new_table)
    for old, new in ZONE_RENAMES:
        src, dst = (old, new) if forward else (new, old)
        op.execute(f'ALTER TABLE {new_table} RENAME CONSTRAINT "{src}" TO "{dst}"')
    for old, new in ZONE_INDEX_RENAMES:
        src, dst = (old, new) if forward else (new, old)
        op.execute(f'ALTER INDEX "{src}" RENAME TO "{dst}"')
    src, dst = (
        ("fk_customizations_zone_id_zones", "fk_customizations_zone_id_customization_zones")
        if forward
        else ("fk_customizations_zone_id_customization_zones", "fk_customizations_zone_id_zones")
    )
    op.execute(f'ALTER TABLE customizations RENAME CONSTRAINT "{src}" TO "{dst}"')


def upgrade() -> None:
    bind = op.get_bind()
    for enum in ENUMS.values():
        enum.create(bind, checkfirst=True)

    for column in brand_columns():
        op.add_column("brands", column)

    for column in product_columns():
        op.add_column("products", column)
    op.execute(SLUG_BACKFILL)
    op.alter_column("products", "slug", existing_type=sa.String(length=120), nullable=False)
    op.create_unique_constraint(op.f("uq_products_brand_id_slug"), "products", ["brand_id", "slug"])

    _rename_zones("zones", "customization_zones", forward=True)
    for column in zone_columns():
        op.add_column("customization_zones", column)

    op.create_table(
        "client_settings",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("plan", ENUMS["subscription_plan"], server_default="FREE", nullable=False),
        sa.Column(
            "status", ENUMS["subscription_status"], server_default="TRIALING", nullable=False
        ),
        sa.Column("monthly_generation_limit", sa.Integer(), server_default="100", nullable=False),
        sa.Column("monthly_render_limit", sa.Integer(), server_default="1000", nullable=False),
        sa.Column(
            "allowed_origins",
            sa.ARRAY(sa.String(length=255)),
            server_default=sa.text("'{}'::varchar[]"),
            nullable=False,
        ),
        sa.Column(
            "blocked_words",
            sa.ARRAY(sa.String(length=100)),
            server_default=sa.text("'{}'::varchar[]"),
            nullable=False,
        ),
        sa.Column("widget_theme", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column("ar_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_client_settings_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_settings")),
        sa.UniqueConstraint("brand_id", name=op.f("uq_client_settings_brand_id")),
    )
    op.create_table(
        "templates",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prompt_template", sa.Text(), nullable=False),
        sa.Column("negative_prompt", sa.Text(), nullable=True),
        sa.Column("style", sa.String(length=100), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_templates_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
    )
    op.create_index(op.f("ix_templates_brand_id"), "templates", ["brand_id"], unique=False)
    op.create_table(
        "generations",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=True),
        sa.Column("template_id", sa.String(length=26), nullable=True),
        sa.Column("zone_id", sa.String(length=26), nullable=True),
        sa.Column("status", ENUMS["generation_status"], server_default="PENDING", nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("result_url", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("session_id", sa.String(length=100), nullable=True),
        sa.Column("cost_cents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_generations_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_generations_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            name=op.f("fk_generations_template_id_templates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["customization_zones.id"],
            name=op.f("fk_generations_zone_id_customization_zones"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generations")),
    )
    op.create_index(op.f("ix_generations_brand_id"), "generations", ["brand_id"], unique=False)
    op.create_index(
        op.f("ix_generations_brand_id_status"), "generations", ["brand_id", "status"], unique=False
    )
    op.create_index(op.f("ix_generations_product_id"), "generations", ["product_id"], unique=False)
    op.create_index(
        op.f("ix_generations_template_id"), "generations", ["template_id"], unique=False
    )
    op.create_index(op.f("ix_generations_zone_id"), "generations", ["zone_id"], unique=False)
    op.create_table(
        "invoices",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="draft", nullable=False),
        sa.Column("stripe_invoice_id", sa.String(length=100), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_invoices_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
    )
    op.create_index(op.f("ix_invoices_brand_id"), "invoices", ["brand_id"], unique=False)
    op.create_table(
        "usage_records",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("metric", sa.String(length=50), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_usage_records_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_records")),
    )
    op.create_index(op.f("ix_usage_records_brand_id"), "usage_records", ["brand_id"], unique=False)
    op.create_index(
        op.f("ix_usage_records_brand_id_metric_recorded_at"),
        "usage_records",
        ["brand_id", "metric", "recorded_at"],
        unique=False,
    )

    # Webhooks: a name, a signing secret and updated_at (existing rows get defaults, a
    # fresh random secret each), events typed by the webhook_event enum.
    op.add_column(
        "webhooks",
        sa.Column("name", sa.String(length=100), server_default="Default", nullable=False),
    )
    op.add_column("webhooks", sa.Column("secret", sa.Text(), nullable=True))
    op.execute("UPDATE webhooks SET secret = 'whsec_' || replace(gen_random_uuid()::text, '-', '')")
    op.alter_column("webhooks", "secret", existing_type=sa.Text(), nullable=False)
    op.add_column(
        "webhooks", sa.Column("failure_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("webhooks", sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "webhooks",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )
    op.execute("ALTER TABLE webhooks ALTER COLUMN events DROP DEFAULT")
    # Events that 001's enum does not know are dropped rather than failing the migration.
    op.execute(
        "UPDATE webhooks SET events = ARRAY(SELECT e FROM unnest(events) AS e WHERE e IN "
        "('GENERATION_STARTED', 'GENERATION_COMPLETED', 'GENERATION_FAILED', 'AR_VIEW'))"
    )
    op.execute(
        "ALTER TABLE webhooks ALTER COLUMN events TYPE webhook_event[] "
        "USING events::text[]::webhook_event[]"
    )
    op.execute("ALTER TABLE webhooks ALTER COLUMN events SET DEFAULT '{}'")

    # Webhook logs: the response body and duration are no longer kept.
    op.drop_column("webhook_logs", "response_body")
    op.drop_column("webhook_logs", "duration_ms")


def downgrade() -> None:
    op.add_column("webhook_logs", sa.Column("duration_ms", sa.Integer(), nullable=True))
    op.add_column("webhook_logs", sa.Column("response_body", sa.Text(), nullable=True))

    op.execute("ALTER TABLE webhooks ALTER COLUMN events DROP DEFAULT")
    op.execute(
        "ALTER TABLE webhooks ALTER COLUMN events TYPE varchar(50)[] USING events::varchar(50)[]"
    )
    op.execute("ALTER TABLE webhooks ALTER COLUMN events SET DEFAULT '{}'::varchar[]")
    for column in ("updated_at", "disabled_at", "failure_count", "secret", "name"):
        op.drop_column("webhooks", column)

    op.drop_table("usage_records")
    op.drop_table("invoices")
    op.drop_table("generations")
    op.drop_table("templates")
    op.drop_table("client_settings")

    for column in reversed(zone_columns()):
        op.drop_column("customization_zones", column.name)
    _rename_zones("customization_zones", "zones", forward=False)

    op.drop_constraint(op.f("uq_products_brand_id_slug"), "products", type_="unique")
    for column in reversed(product_columns()):
        op.drop_column("products", column.name)
    for column in reversed(brand_columns()):
        op.drop_column("brands", column.name)

    bind = op.get_bind()
    for enum in reversed(list(ENUMS.values())):
        enum.drop(bind, checkfirst=True)
