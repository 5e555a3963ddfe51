"""The application's own needs: API key kinds, brand fonts, idempotency records, the
local queue, inbound-event de-duplication; and the database's two walls — row-level
security for the application role and the trigger that makes locked snapshots immutable.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401 - used by generated column types
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

APP_ROLE = "atelier_app"
TENANT_SETTING = "atelier.brand_id"

API_KEY_KIND = postgresql.ENUM("publishable", "secret", name="api_key_kind", create_type=False)

# Every table whose rows belong to one brand. Row-level security shows the application
# role only the rows of the brand its transaction names.
TENANT_TABLES = (
    "users",
    "api_keys",
    "client_settings",
    "products",
    "customization_zones",
    "fonts",
    "templates",
    "design_specs",
    "snapshots",
    "designs",
    "customizations",
    "render_results",
    "assets",
    "generations",
    "orders",
    "order_items",
    "quotes",
    "integrations",
    "product_mappings",
    "invoices",
    "usage_records",
    "artisans",
    "work_orders",
    "sla_records",
    "webhooks",
    "webhook_logs",
    "analytics_events",
    "audit_logs",
)

# Roles are cluster-wide: another database on the same server (a parallel test run, a
# second stage) may create it at the same moment, so losing that race is not an error.
CREATE_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        BEGIN
            CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$
"""

GRANTS = f"""
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
GRANT EXECUTE ON FUNCTION atelier_new_id() TO {APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE};
"""

# Skipped when someone already dropped the role (REVOKE would fail on an unknown role).
REVOKES = f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM {APP_ROLE};
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE};
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE};
        REVOKE EXECUTE ON FUNCTION atelier_new_id() FROM {APP_ROLE};
        REVOKE USAGE ON SCHEMA public FROM {APP_ROLE};
    END IF;
END
$$
"""

TENANT = f"current_setting('{TENANT_SETTING}', true)"

# Before any tenant is known, the widget authorizer must find a key's brand, and the
# webhook receivers an integration's. These functions run as their owner and return
# exactly that, nothing more.
RESOLVERS = f"""
CREATE FUNCTION atelier_resolve_api_key(p_key_hash text)
RETURNS TABLE (api_key_id varchar, brand_id varchar, kind text, allowed_origins varchar[],
               revoked_at timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT k.id, k.brand_id, k.kind::text, coalesce(s.allowed_origins, '{{}}'),
           k.revoked_at, k.expires_at
    FROM api_keys k
    JOIN brands b ON b.id = k.brand_id AND b.is_active
    LEFT JOIN client_settings s ON s.brand_id = k.brand_id
    WHERE k.key_hash = p_key_hash
$$;

CREATE FUNCTION atelier_resolve_integration(p_provider text, p_external_account text)
RETURNS TABLE (integration_id varchar, brand_id varchar, webhook_secret text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT i.id, i.brand_id, i.webhook_secret
    FROM integrations i
    WHERE i.provider = p_provider AND i.external_account = p_external_account AND i.is_active
$$;

CREATE FUNCTION atelier_origin_allowed(p_origin text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM client_settings s JOIN brands b ON b.id = s.brand_id AND b.is_active
        WHERE lower(p_origin) = ANY (SELECT lower(o) FROM unnest(s.allowed_origins) AS o)
    )
$$;

REVOKE ALL ON FUNCTION atelier_resolve_api_key(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION atelier_resolve_integration(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION atelier_origin_allowed(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION atelier_resolve_api_key(text) TO {APP_ROLE};
GRANT EXECUTE ON FUNCTION atelier_resolve_integration(text, text) TO {APP_ROLE};
GRANT EXECUTE ON FUNCTION atelier_origin_allowed(text) TO {APP_ROLE};
"""

DROP_RESOLVERS = """
DROP FUNCTION IF EXISTS atelier_resolve_api_key(text);
DROP FUNCTION IF EXISTS atelier_resolve_integration(text, text);
DROP FUNCTION IF EXISTS atelier_origin_allowed(text);
"""

# A snapshot's content never changes (it is addressed by its spec hash), and once locked
# (paid for) nothing about it changes except the outputs produced from it afterwards.
# SQLSTATE AT423 lets the application tell this refusal from other errors.
SNAPSHOT_GUARD = """
CREATE FUNCTION atelier_snapshot_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    outputs text[] := ARRAY['preview_url', 'preview3d_url', 'thumbnail_url',
                            'production_bundle_url', 'ar_model_url', 'gltf_model_url',
                            'asset_versions', 'updated_at'];
    content text[] := ARRAY['id', 'brand_id', 'product_id', 'spec_id', 'spec_hash', 'spec',
                            'created_by', 'provenance', 'created_at'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.is_locked THEN
            RAISE EXCEPTION 'snapshot is locked: % cannot be deleted', OLD.id
                USING ERRCODE = 'AT423';
        END IF;
        RETURN OLD;
    END IF;
    -- Locked: everything but the outputs is frozen, is_locked included (no unlocking).
    IF OLD.is_locked AND (to_jsonb(NEW) - outputs) IS DISTINCT FROM (to_jsonb(OLD) - outputs) THEN
        RAISE EXCEPTION 'snapshot is locked: % accepts only new outputs', OLD.id
            USING ERRCODE = 'AT423';
    END IF;
    -- Unlocked: it may be validated, locked and given outputs, but its content is fixed.
    IF (SELECT jsonb_object_agg(key, value) FROM jsonb_each(to_jsonb(NEW)) WHERE key = ANY(content))
       IS DISTINCT FROM
       (SELECT jsonb_object_agg(key, value) FROM jsonb_each(to_jsonb(OLD)) WHERE key = ANY(content))
    THEN
        RAISE EXCEPTION 'snapshot content is immutable: % keeps its spec', OLD.id
            USING ERRCODE = 'AT423';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER snapshots_immutable
BEFORE UPDATE OR DELETE ON snapshots
FOR EACH ROW EXECUTE FUNCTION atelier_snapshot_guard();
"""

DROP_SNAPSHOT_GUARD = """
DROP TRIGGER IF EXISTS snapshots_immutable ON snapshots;
DROP FUNCTION IF EXISTS atelier_snapshot_guard();
"""


def _enable_rls() -> None:
    op.execute("ALTER TABLE brands ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON brands USING (id = {TENANT}) WITH CHECK (id = {TENANT})"
    )
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (brand_id = {TENANT}) WITH CHECK (brand_id = {TENANT})"
        )


def _disable_rls() -> None:
    for table in ("brands", *TENANT_TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def upgrade() -> None:
    API_KEY_KIND.create(op.get_bind(), checkfirst=True)
    op.add_column(
        "api_keys",
        sa.Column("kind", API_KEY_KIND, server_default="publishable", nullable=False),
    )
    op.add_column("api_keys", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "fonts",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("brand_id", sa.String(length=26), nullable=False),
        sa.Column("family", sa.String(length=200), nullable=False),
        sa.Column("style", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("units_per_em", sa.Integer(), nullable=False),
        sa.Column("glyph_count", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_fonts_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fonts")),
        sa.UniqueConstraint("brand_id", "sha256", name=op.f("uq_fonts_brand_id_sha256")),
    )
    op.create_index(op.f("ix_fonts_brand_id"), "fonts", ["brand_id"], unique=False)
    op.create_table(
        "idempotency_records",
        sa.Column("idempotency_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("expiry_timestamp", sa.BigInteger(), nullable=False),
        sa.Column("in_progress_expiry_timestamp", sa.BigInteger(), nullable=True),
        sa.Column("response_data", sa.Text(), nullable=True),
        sa.Column("payload_hash", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_idempotency_records")),
    )
    op.create_index(
        op.f("ix_idempotency_records_expiry_timestamp"),
        "idempotency_records",
        ["expiry_timestamp"],
        unique=False,
    )
    op.create_table(
        "queue_messages",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "available_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("receive_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("max_receives", sa.Integer(), server_default="5", nullable=False),
        sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_messages")),
    )
    op.create_index(
        "ix_queue_messages_due",
        "queue_messages",
        ["queue", "available_at"],
        unique=False,
        postgresql_where=sa.text("dead_at IS NULL"),
    )
    op.create_table(
        "inbound_events",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("delivery_id", sa.String(length=255), nullable=True),
        sa.Column("brand_id", sa.String(length=26), nullable=True),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_events")),
        sa.UniqueConstraint(
            "provider", "topic", "event_id", name=op.f("uq_inbound_events_provider_topic_event_id")
        ),
    )

    op.execute(SNAPSHOT_GUARD)
    op.execute(CREATE_ROLE)
    op.execute(GRANTS)
    op.execute(RESOLVERS)
    _enable_rls()


def downgrade() -> None:
    _disable_rls()
    op.execute(DROP_RESOLVERS)
    # The role is cluster-wide and other databases may still use it: revoke, keep it.
    op.execute(REVOKES)
    op.execute(DROP_SNAPSHOT_GUARD)
    op.drop_table("inbound_events")
    op.drop_table("queue_messages")
    op.drop_table("idempotency_records")
    op.drop_table("fonts")
    op.drop_column("api_keys", "expires_at")
    op.drop_column("api_keys", "kind")
    API_KEY_KIND.drop(op.get_bind(), checkfirst=True)
