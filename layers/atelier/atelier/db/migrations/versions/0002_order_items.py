"""Seeds 000, migration 2: OrderItem, one item per existing order that has a product,
and orders.design_id / product_id made nullable.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


BACKFILL = """
INSERT INTO order_items (id, brand_id, order_id, product_id, design_id, quantity,
                         price_cents, total_cents, created_at, updated_at)
SELECT atelier_new_id(), o.brand_id, o.id, o.product_id, o.design_id, 1,
       o.subtotal_cents, o.subtotal_cents, o.created_at, o.updated_at
FROM orders o
WHERE o.product_id IS NOT NULL
"""

# Downgrading gives orders created after the upgrade (items only) their first item's
# product and design back, then drops the items as the seeds' rollback does. NOT NULL is
# restored only when no row would violate it; otherwise the columns stay nullable (with a
# notice) instead of the downgrade failing or deleting orders.
RESTORE_ORDER_COLUMNS = """
UPDATE orders o
SET product_id = COALESCE(o.product_id, first_item.product_id),
    design_id = COALESCE(o.design_id, first_item.design_id)
FROM (
    SELECT DISTINCT ON (order_id) order_id, product_id, design_id
    FROM order_items
    ORDER BY order_id, created_at, id
) AS first_item
WHERE first_item.order_id = o.id AND (o.product_id IS NULL OR o.design_id IS NULL)
"""

RESTORE_NOT_NULL = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM orders WHERE product_id IS NULL) THEN
        RAISE NOTICE 'orders.product_id keeps NULLs: left nullable';
    ELSE
        ALTER TABLE orders ALTER COLUMN product_id SET NOT NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM orders WHERE design_id IS NULL) THEN
        RAISE NOTICE 'orders.design_id keeps NULLs: left nullable';
    ELSE
        ALTER TABLE orders ALTER COLUMN design_id SET NOT NULL;
    END IF;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "order_items",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("order_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("design_id", sa.String(length=26), nullable=True),
        sa.Column("snapshot_id", sa.String(length=26), nullable=True),
        sa.Column("quantity", sa.Integer(), server_default="1", nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
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
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_order_items_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["design_id"],
            ["designs.id"],
            name=op.f("fk_order_items_design_id_designs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_items_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_order_items_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_order_items_snapshot_id_snapshots"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
    )
    op.create_index(op.f("ix_order_items_brand_id"), "order_items", ["brand_id"], unique=False)
    op.create_index(op.f("ix_order_items_design_id"), "order_items", ["design_id"], unique=False)
    op.create_index(op.f("ix_order_items_order_id"), "order_items", ["order_id"], unique=False)
    op.create_index(
        op.f("ix_order_items_order_id_product_id"),
        "order_items",
        ["order_id", "product_id"],
        unique=False,
    )
    op.create_index(op.f("ix_order_items_product_id"), "order_items", ["product_id"], unique=False)
    op.create_index(
        op.f("ix_order_items_snapshot_id"), "order_items", ["snapshot_id"], unique=False
    )
    op.execute(BACKFILL)
    op.alter_column("orders", "design_id", existing_type=sa.String(length=26), nullable=True)
    op.alter_column("orders", "product_id", existing_type=sa.String(length=26), nullable=True)


def downgrade() -> None:
    op.execute(RESTORE_ORDER_COLUMNS)
    op.execute("DELETE FROM order_items")
    op.drop_table("order_items")
    op.execute(RESTORE_NOT_NULL)
