"""Outbound webhooks announce orders, snapshots and bundles too: three more webhook_event
values (seeds 001's four stay).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW = ("ORDER_PAID", "SNAPSHOT_CREATED", "BUNDLE_READY")
OLD = ("GENERATION_STARTED", "GENERATION_COMPLETED", "GENERATION_FAILED", "AR_VIEW")


def upgrade() -> None:
    for value in NEW:
        op.execute(f"ALTER TYPE webhook_event ADD VALUE IF NOT EXISTS '{value}'")


def downgrade() -> None:
    # PostgreSQL cannot drop enum values: rebuild the type without them, dropping the new
    # events from subscriptions first.
    old = ", ".join(f"'{v}'" for v in OLD)
    op.execute(
        "UPDATE webhooks SET events = ARRAY(SELECT e FROM unnest(events) AS e "
        f"WHERE e::text IN ({old}))::webhook_event[]"
    )
    op.execute("ALTER TABLE webhooks ALTER COLUMN events DROP DEFAULT")
    op.execute("ALTER TYPE webhook_event RENAME TO webhook_event_old")
    op.execute(f"CREATE TYPE webhook_event AS ENUM ({old})")
    op.execute(
        "ALTER TABLE webhooks ALTER COLUMN events TYPE webhook_event[] "
        "USING events::text[]::webhook_event[]"
    )
    op.execute("ALTER TABLE webhooks ALTER COLUMN events SET DEFAULT '{}'")
    op.execute("DROP TYPE webhook_event_old")
