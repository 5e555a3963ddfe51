"""The schema as it stood before the seeds' migrations (seeds 000, "existing").

Orders still hold design_id and product_id NOT NULL; personalization zones are
the table `zones` (renamed customization_zones by 0005); webhooks are in their pre-001
shape.

Revision ID: 0000
Revises: None
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0000"
down_revision = None
branch_labels = None
depends_on = None

# ULID-shaped ids for rows created by SQL (backfills), matching atelier.db.ids.new_id:
# 10 base32 characters of millisecond time, then 16 of randomness (80 bits) taken from
# gen_random_uuid() (built in; pgcrypto is not available everywhere). Each character takes
# the low 5 bits of one byte; byte 6 of a v4 UUID carries the version nibble (its low 5
# bits are not all random), so that character comes from a second UUID instead.
NEW_ID_FUNCTION = """
CREATE OR REPLACE FUNCTION atelier_new_id() RETURNS varchar(26)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    alphabet text := '0123456789abcdefghjkmnpqrstvwxyz';
    ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
    rnd bytea := decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
                        'hex');
    result text := '';
BEGIN
    FOR i IN REVERSE 9..0 LOOP
        result := result || substr(alphabet, ((ms >> (i * 5)) & 31)::int + 1, 1);
    END LOOP;
    FOR i IN 0..15 LOOP
        result := result || substr(
            alphabet, (get_byte(rnd, CASE WHEN i = 6 THEN 16 ELSE i END) & 31) + 1, 1);
    END LOOP;
    RETURN result;
END
$$
"""


def upgrade() -> None:
    op.execute(NEW_ID_FUNCTION)
    op.create_table(
        "brands",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("locale", sa.String(length=10), server_default="en", nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brands")),
        sa.UniqueConstraint("slug", name=op.f("uq_brands_slug")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), server_default="viewer", nullable=False),
        sa.Column("cognito_sub", sa.String(length=64), nullable=True),
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
            ["brand_id"], ["brands.id"], name=op.f("fk_users_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("cognito_sub", name=op.f("uq_users_cognito_sub")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_brand_id"), "users", ["brand_id"], unique=False)
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_api_keys_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_api_keys_brand_id"), "api_keys", ["brand_id"], unique=False)
    op.create_table(
        "products",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("is_public", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("width_mm", sa.Float(), nullable=False),
        sa.Column("height_mm", sa.Float(), nullable=False),
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
            name=op.f("fk_products_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    op.create_index(op.f("ix_products_brand_id"), "products", ["brand_id"], unique=False)
    op.create_index(op.f("ix_products_is_active"), "products", ["is_active"], unique=False)
    op.create_index(op.f("ix_products_is_public"), "products", ["is_public"], unique=False)
    op.create_table(
        "zones",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("geometry", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column(
            "rules",
            postgresql.JSONB(astext_type=Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
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
            ["brand_id"], ["brands.id"], name=op.f("fk_zones_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_zones_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zones")),
    )
    op.create_index(op.f("ix_zones_brand_id"), "zones", ["brand_id"], unique=False)
    op.create_index(op.f("ix_zones_product_id"), "zones", ["product_id"], unique=False)
    op.create_table(
        "integrations",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("external_account", sa.String(length=255), nullable=False),
        sa.Column("webhook_secret", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=Text()), nullable=True),
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
            name=op.f("fk_integrations_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrations")),
        sa.UniqueConstraint(
            "provider", "external_account", name=op.f("uq_integrations_provider_external_account")
        ),
    )
    op.create_index(op.f("ix_integrations_brand_id"), "integrations", ["brand_id"], unique=False)
    op.create_table(
        "product_mappings",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("integration_id", sa.String(length=26), nullable=False),
        sa.Column("external_product_id", sa.String(length=100), nullable=False),
        sa.Column("external_variant_id", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=True),
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
            name=op.f("fk_product_mappings_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integrations.id"],
            name=op.f("fk_product_mappings_integration_id_integrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_mappings_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_mappings")),
        sa.UniqueConstraint(
            "integration_id",
            "external_product_id",
            name=op.f("uq_product_mappings_integration_id_external_product_id"),
        ),
    )
    op.create_index(
        op.f("ix_product_mappings_brand_id"), "product_mappings", ["brand_id"], unique=False
    )
    op.create_index(
        op.f("ix_product_mappings_external_product_id_integration_id"),
        "product_mappings",
        ["external_product_id", "integration_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_product_mappings_integration_id"),
        "product_mappings",
        ["integration_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_product_mappings_product_id"), "product_mappings", ["product_id"], unique=False
    )
    op.create_table(
        "artisans",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column(
            "skills",
            sa.ARRAY(sa.String(length=50)),
            server_default=sa.text("'{}'::varchar[]"),
            nullable=False,
        ),
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
            name=op.f("fk_artisans_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_artisans_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artisans")),
    )
    op.create_index(op.f("ix_artisans_brand_id"), "artisans", ["brand_id"], unique=False)
    op.create_index(op.f("ix_artisans_user_id"), "artisans", ["user_id"], unique=False)
    op.create_table(
        "designs",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=True),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="draft", nullable=False),
        sa.Column("prompt", sa.Text(), nullable=True),
        sa.Column("prompt_hash", sa.String(length=64), nullable=True),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=Text()), nullable=True),
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
            ["brand_id"], ["brands.id"], name=op.f("fk_designs_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_designs_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_designs_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designs")),
    )
    op.create_index(op.f("ix_designs_brand_id"), "designs", ["brand_id"], unique=False)
    op.create_index(op.f("ix_designs_created_at"), "designs", ["created_at"], unique=False)
    op.create_index(op.f("ix_designs_product_id"), "designs", ["product_id"], unique=False)
    op.create_index(op.f("ix_designs_prompt_hash"), "designs", ["prompt_hash"], unique=False)
    op.create_index(op.f("ix_designs_status"), "designs", ["status"], unique=False)
    op.create_index(op.f("ix_designs_user_id"), "designs", ["user_id"], unique=False)
    op.create_table(
        "assets",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("design_id", sa.String(length=26), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_assets_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["design_id"],
            ["designs.id"],
            name=op.f("fk_assets_design_id_designs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
    )
    op.create_index(op.f("ix_assets_brand_id"), "assets", ["brand_id"], unique=False)
    op.create_index(op.f("ix_assets_design_id"), "assets", ["design_id"], unique=False)
    op.create_index(op.f("ix_assets_sha256"), "assets", ["sha256"], unique=False)
    op.create_table(
        "orders",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=True),
        sa.Column("design_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("order_number", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("subtotal_cents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("tax_cents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("shipping_cents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("discount_cents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("total_cents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("customer_email", sa.String(length=320), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("shipping_address", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column("source", sa.String(length=20), server_default="api", nullable=False),
        sa.Column("external_order_id", sa.String(length=100), nullable=True),
        sa.Column("stripe_payment_intent_id", sa.String(length=100), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("carrier", sa.String(length=50), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("tracking_url", sa.Text(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=Text()), nullable=True),
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
            ["brand_id"], ["brands.id"], name=op.f("fk_orders_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["design_id"],
            ["designs.id"],
            name=op.f("fk_orders_design_id_designs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_orders_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_orders_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint(
            "brand_id", "order_number", name=op.f("uq_orders_brand_id_order_number")
        ),
    )
    op.create_index(op.f("ix_orders_brand_id"), "orders", ["brand_id"], unique=False)
    op.create_index(op.f("ix_orders_created_at"), "orders", ["created_at"], unique=False)
    op.create_index(op.f("ix_orders_design_id"), "orders", ["design_id"], unique=False)
    op.create_index(op.f("ix_orders_order_number"), "orders", ["order_number"], unique=False)
    op.create_index(op.f("ix_orders_product_id"), "orders", ["product_id"], unique=False)
    op.create_index(op.f("ix_orders_status"), "orders", ["status"], unique=False)
    op.create_index(op.f("ix_orders_user_id"), "orders", ["user_id"], unique=False)
    op.create_table(
        "customizations",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=True),
        sa.Column("zone_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=True),
        sa.Column("design_id", sa.String(length=26), nullable=True),
        sa.Column("order_id", sa.String(length=26), nullable=True),
        sa.Column("value", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=True),
        sa.Column("job_id", sa.String(length=64), nullable=True),
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
            name=op.f("fk_customizations_brand_id_brands"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["design_id"],
            ["designs.id"],
            name=op.f("fk_customizations_design_id_designs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_customizations_order_id_orders"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_customizations_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_customizations_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zones.id"],
            name=op.f("fk_customizations_zone_id_zones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customizations")),
    )
    op.create_index(
        op.f("ix_customizations_brand_id"), "customizations", ["brand_id"], unique=False
    )
    op.create_index(
        op.f("ix_customizations_created_at"), "customizations", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_customizations_design_id"), "customizations", ["design_id"], unique=False
    )
    op.create_index(op.f("ix_customizations_job_id"), "customizations", ["job_id"], unique=False)
    op.create_index(
        op.f("ix_customizations_order_id"), "customizations", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_customizations_product_id"), "customizations", ["product_id"], unique=False
    )
    op.create_index(
        op.f("ix_customizations_prompt_hash"), "customizations", ["prompt_hash"], unique=False
    )
    op.create_index(op.f("ix_customizations_status"), "customizations", ["status"], unique=False)
    op.create_index(op.f("ix_customizations_user_id"), "customizations", ["user_id"], unique=False)
    op.create_index(op.f("ix_customizations_zone_id"), "customizations", ["zone_id"], unique=False)
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("order_id", sa.String(length=26), nullable=False),
        sa.Column("artisan_id", sa.String(length=26), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
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
            ["artisan_id"],
            ["artisans.id"],
            name=op.f("fk_quotes_artisan_id_artisans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_quotes_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_quotes_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    op.create_index(op.f("ix_quotes_artisan_id"), "quotes", ["artisan_id"], unique=False)
    op.create_index(op.f("ix_quotes_brand_id"), "quotes", ["brand_id"], unique=False)
    op.create_index(op.f("ix_quotes_order_id"), "quotes", ["order_id"], unique=False)
    op.create_table(
        "render_results",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("render_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("thumbnail_url", sa.Text(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_render_results_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_render_results")),
    )
    op.create_index(
        op.f("ix_render_results_brand_id"), "render_results", ["brand_id"], unique=False
    )
    op.create_index(
        op.f("ix_render_results_render_id"), "render_results", ["render_id"], unique=True
    )
    op.create_index(op.f("ix_render_results_status"), "render_results", ["status"], unique=False)
    op.create_index(op.f("ix_render_results_type"), "render_results", ["type"], unique=False)
    op.create_table(
        "work_orders",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("order_id", sa.String(length=26), nullable=False),
        sa.Column("artisan_id", sa.String(length=26), nullable=False),
        sa.Column("quote_id", sa.String(length=26), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("sla_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payout_status", sa.String(length=20), server_default="unpaid", nullable=False),
        sa.Column("payout_cents", sa.Integer(), nullable=True),
        sa.Column("export_status", sa.String(length=20), nullable=True),
        sa.Column("export_error", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
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
            ["artisan_id"],
            ["artisans.id"],
            name=op.f("fk_work_orders_artisan_id_artisans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_work_orders_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_work_orders_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_work_orders_quote_id_quotes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("order_id", name=op.f("uq_work_orders_order_id")),
    )
    op.create_index(op.f("ix_work_orders_artisan_id"), "work_orders", ["artisan_id"], unique=False)
    op.create_index(op.f("ix_work_orders_brand_id"), "work_orders", ["brand_id"], unique=False)
    op.create_index(
        op.f("ix_work_orders_payout_status"), "work_orders", ["payout_status"], unique=False
    )
    op.create_index(
        op.f("ix_work_orders_sla_deadline"), "work_orders", ["sla_deadline"], unique=False
    )
    op.create_index(op.f("ix_work_orders_status"), "work_orders", ["status"], unique=False)
    op.create_table(
        "sla_records",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("work_order_id", sa.String(length=26), nullable=False),
        sa.Column("target_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_sla_records_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_sla_records_work_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_records")),
        sa.UniqueConstraint("work_order_id", name=op.f("uq_sla_records_work_order_id")),
    )
    op.create_index(op.f("ix_sla_records_brand_id"), "sla_records", ["brand_id"], unique=False)
    op.create_table(
        "analytics_events",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("event", sa.String(length=50), nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=True),
        sa.Column("product_id", sa.String(length=26), nullable=True),
        sa.Column("properties", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_analytics_events_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_analytics_events_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_events")),
    )
    op.create_index(
        op.f("ix_analytics_events_brand_id"), "analytics_events", ["brand_id"], unique=False
    )
    op.create_index(
        op.f("ix_analytics_events_brand_id_event_occurred_at"),
        "analytics_events",
        ["brand_id", "event", "occurred_at"],
        unique=False,
    )
    op.create_table(
        "audit_logs",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_audit_logs_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_logs")),
    )
    op.create_index(
        op.f("ix_audit_logs_brand_id_created_at"),
        "audit_logs",
        ["brand_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_audit_logs_entity_type_entity_id"),
        "audit_logs",
        ["entity_type", "entity_id"],
        unique=False,
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column(
            "events",
            sa.ARRAY(sa.String(length=50)),
            server_default=sa.text("'{}'::varchar[]"),
            nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_webhooks_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_index(op.f("ix_webhooks_brand_id"), "webhooks", ["brand_id"], unique=False)
    op.create_table(
        "webhook_logs",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("webhook_id", sa.String(length=26), nullable=False),
        sa.Column("event", sa.String(length=50), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("success", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("attempt", sa.Integer(), server_default="1", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_webhook_logs_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_logs_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_logs")),
    )
    op.create_index(op.f("ix_webhook_logs_brand_id"), "webhook_logs", ["brand_id"], unique=False)
    op.create_index(
        op.f("ix_webhook_logs_webhook_id_created_at"),
        "webhook_logs",
        ["webhook_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("webhook_logs")
    op.drop_table("webhooks")
    op.drop_table("audit_logs")
    op.drop_table("analytics_events")
    op.drop_table("sla_records")
    op.drop_table("work_orders")
    op.drop_table("render_results")
    op.drop_table("quotes")
    op.drop_table("customizations")
    op.drop_table("orders")
    op.drop_table("assets")
    op.drop_table("designs")
    op.drop_table("artisans")
    op.drop_table("product_mappings")
    op.drop_table("integrations")
    op.drop_table("zones")
    op.drop_table("products")
    op.drop_table("api_keys")
    op.drop_table("users")
    op.drop_table("brands")
    op.execute("DROP FUNCTION IF EXISTS atelier_new_id()")
