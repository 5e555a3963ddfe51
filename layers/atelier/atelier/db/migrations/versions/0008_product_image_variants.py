"""Web-optimised derivatives of a product's base image (the asset-convert worker's output):
one JSONB list on `products`, empty until the worker has converted the current image.

A new column of an existing table: the table's row-level security policy and the
application role's table grants (0006) cover it as they are.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "products",
        sa.Column(
            "image_variants",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("products", "image_variants")
