"""Seeds 000, migration 1: DesignSpec and Snapshot.

Revision ID: 0001
Revises: 0000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = "0000"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "design_specs",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("spec_version", sa.String(length=20), server_default="1.0.0", nullable=False),
        sa.Column("spec_hash", sa.String(length=64), nullable=False),
        sa.Column("spec", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("zone_inputs", postgresql.JSONB(astext_type=Text()), nullable=False),
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
            name=op.f("fk_design_specs_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_design_specs_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design_specs")),
    )
    op.create_index(op.f("ix_design_specs_brand_id"), "design_specs", ["brand_id"], unique=False)
    op.create_index(
        op.f("ix_design_specs_created_at"), "design_specs", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_design_specs_product_id"), "design_specs", ["product_id"], unique=False
    )
    op.create_index(
        op.f("ix_design_specs_product_id_spec_hash"),
        "design_specs",
        ["product_id", "spec_hash"],
        unique=False,
    )
    op.create_index(op.f("ix_design_specs_spec_hash"), "design_specs", ["spec_hash"], unique=True)
    op.create_index(
        op.f("ix_design_specs_spec_version"), "design_specs", ["spec_version"], unique=False
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("product_id", sa.String(length=26), nullable=False),
        sa.Column("spec_id", sa.String(length=26), nullable=False),
        sa.Column("spec_hash", sa.String(length=64), nullable=False),
        sa.Column("spec", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("preview_url", sa.Text(), nullable=True),
        sa.Column("preview3d_url", sa.Text(), nullable=True),
        sa.Column("thumbnail_url", sa.Text(), nullable=True),
        sa.Column("production_bundle_url", sa.Text(), nullable=True),
        sa.Column("ar_model_url", sa.Text(), nullable=True),
        sa.Column("gltf_model_url", sa.Text(), nullable=True),
        sa.Column("asset_versions", postgresql.JSONB(astext_type=Text()), nullable=True),
        sa.Column("is_validated", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("validated_by", sa.String(length=64), nullable=True),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_locked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("provenance", postgresql.JSONB(astext_type=Text()), nullable=True),
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
            name=op.f("fk_snapshots_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_snapshots_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spec_id"],
            ["design_specs.id"],
            name=op.f("fk_snapshots_spec_id_design_specs"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
        sa.UniqueConstraint(
            "spec_hash", "validated_at", name=op.f("uq_snapshots_spec_hash_validated_at")
        ),
        sa.UniqueConstraint("spec_hash", name=op.f("uq_snapshots_spec_hash")),
    )
    op.create_index(op.f("ix_snapshots_brand_id"), "snapshots", ["brand_id"], unique=False)
    op.create_index(op.f("ix_snapshots_created_at"), "snapshots", ["created_at"], unique=False)
    op.create_index(op.f("ix_snapshots_is_locked"), "snapshots", ["is_locked"], unique=False)
    op.create_index(op.f("ix_snapshots_is_validated"), "snapshots", ["is_validated"], unique=False)
    op.create_index(op.f("ix_snapshots_product_id"), "snapshots", ["product_id"], unique=False)
    op.create_index(op.f("ix_snapshots_spec_hash"), "snapshots", ["spec_hash"], unique=False)
    op.create_index(
        op.f("ix_snapshots_spec_hash_is_validated"),
        "snapshots",
        ["spec_hash", "is_validated"],
        unique=False,
    )
    op.create_index(op.f("ix_snapshots_spec_id"), "snapshots", ["spec_id"], unique=False)
    op.create_index(op.f("ix_snapshots_validated_at"), "snapshots", ["validated_at"], unique=False)


def downgrade() -> None:
    op.drop_table("snapshots")
    op.drop_table("design_specs")
