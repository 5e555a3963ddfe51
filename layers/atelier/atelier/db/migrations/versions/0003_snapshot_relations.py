"""Seeds 000, migration 3: the snapshot relations on designs, customizations, render
results and work orders.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (table, column, referenced table) — every new reference is ON DELETE SET NULL.
REFERENCES = (
    ("designs", "spec_id", "design_specs"),
    ("customizations", "snapshot_id", "snapshots"),
    ("render_results", "snapshot_id", "snapshots"),
    ("render_results", "design_id", "designs"),
    ("render_results", "customization_id", "customizations"),
    ("work_orders", "snapshot_id", "snapshots"),
)


def upgrade() -> None:
    for table, column, target in REFERENCES:
        op.add_column(table, sa.Column(column, sa.String(length=26), nullable=True))
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
        op.create_foreign_key(
            op.f(f"fk_{table}_{column}_{target}"),
            table,
            target,
            [column],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(
        op.f("ix_render_results_type_status"), "render_results", ["type", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_render_results_type_status"), table_name="render_results")
    for table, column, target in reversed(REFERENCES):
        op.drop_constraint(op.f(f"fk_{table}_{column}_{target}"), table, type_="foreignkey")
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_column(table, column)
