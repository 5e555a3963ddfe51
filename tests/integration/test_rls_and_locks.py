"""The database's own walls: row-level security for the application role, and locked
snapshots that no SQL can change."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from atelier.auth.keys import KeyKind, generate_key
from atelier.db.ids import is_valid_id, new_id
from atelier.db.models import Base

pytestmark = pytest.mark.integration


def seed_brand(conn: Connection, slug: str) -> dict[str, str]:
    ids = {k: new_id() for k in ("brand", "product", "spec", "snapshot", "key")}
    conn.execute(
        text("INSERT INTO brands (id, name, slug) VALUES (:brand, :slug, :slug)"),
        {**ids, "slug": slug},
    )
    conn.execute(
        text(
            "INSERT INTO client_settings (id, brand_id, allowed_origins)"
            " VALUES (:spec, :brand, ARRAY['https://' || :slug || '.example'])"
        ),
        {**ids, "slug": slug},
    )
    conn.execute(
        text(
            "INSERT INTO products (id, brand_id, name, slug, price, width_mm, height_mm)"
            " VALUES (:product, :brand, 'Plate', 'plate', 25, 80, 40)"
        ),
        ids,
    )
    conn.execute(
        text(
            "INSERT INTO design_specs (id, brand_id, spec_hash, spec, product_id, zone_inputs)"
            " VALUES (:spec, :brand, :hash, '{}', :product, '{}')"
        ),
        {**ids, "hash": "h" + ids["spec"]},
    )
    conn.execute(
        text(
            "INSERT INTO snapshots (id, brand_id, product_id, spec_id, spec_hash, spec)"
            " VALUES (:snapshot, :brand, :product, :spec, :hash, '{\"a\": 1}')"
        ),
        {**ids, "hash": "h" + ids["spec"]},
    )
    conn.execute(
        text(
            "INSERT INTO integrations (id, brand_id, provider, external_account, webhook_secret)"
            " VALUES (:id, :brand, 'shopify', :slug || '.myshopify.com', 'shpss_' || :slug)"
        ),
        {**ids, "id": new_id(), "slug": slug},
    )
    key = generate_key(KeyKind.PUBLISHABLE)
    conn.execute(
        text(
            "INSERT INTO api_keys (id, brand_id, name, kind, prefix, key_hash)"
            " VALUES (:key, :brand, 'widget', 'publishable', :prefix, :hash)"
        ),
        {**ids, "prefix": key.prefix, "hash": key.key_hash},
    )
    return {**ids, "key_hash": key.key_hash}


@pytest.fixture
def brands(database_url: str) -> dict[str, dict[str, str]]:
    engine = create_engine(database_url)
    with engine.begin() as conn:
        seeded = {"a": seed_brand(conn, "alpha"), "b": seed_brand(conn, "beta")}
    engine.dispose()
    return seeded


@pytest.fixture
def app(app_database_url: str) -> Iterator[Connection]:
    engine = create_engine(app_database_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def as_brand(conn: Connection, brand_id: str) -> None:
    conn.execute(text("SELECT set_config('atelier.brand_id', :b, true)"), {"b": brand_id})


TENANT_TABLES = ("brands", "products", "design_specs", "snapshots", "api_keys", "client_settings")


def test_app_role_owns_nothing_and_cannot_bypass_rls(app: Connection):
    role = app.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    assert tuple(role) == (False, False)
    owned = app.execute(
        text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user"
        )
    ).scalar()
    assert owned == 0


def test_a_brand_sees_only_its_own_rows(app: Connection, brands: dict[str, dict[str, str]]):
    with app.begin():
        as_brand(app, brands["a"]["brand"])
        for table in TENANT_TABLES:
            column = "id" if table == "brands" else "brand_id"
            seen = {r[0] for r in app.execute(text(f"SELECT {column} FROM {table}"))}
            assert seen == {brands["a"]["brand"]}, table
        # Asking for B's snapshot by id finds nothing, exactly like an unknown id.
        found = app.execute(
            text("SELECT id FROM snapshots WHERE id = :id"), {"id": brands["b"]["snapshot"]}
        ).first()
        assert found is None


def test_without_a_tenant_nothing_tenant_owned_is_visible(
    app: Connection, brands: dict[str, dict[str, str]]
):
    with app.begin():
        for table in TENANT_TABLES:
            assert app.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table


def test_writing_into_another_brand_is_refused(app: Connection, brands: dict[str, dict[str, str]]):
    with pytest.raises(ProgrammingError, match="row-level security"), app.begin():
        as_brand(app, brands["a"]["brand"])
        app.execute(
            text(
                "INSERT INTO products (id, brand_id, name, slug, price, width_mm, height_mm)"
                " VALUES (:id, :b, 'Stolen', 'stolen', 1, 1, 1)"
            ),
            {"id": new_id(), "b": brands["b"]["brand"]},
        )
    with app.begin():
        as_brand(app, brands["a"]["brand"])
        moved = app.execute(
            text("UPDATE products SET name = 'x' WHERE id = :id"), {"id": brands["b"]["product"]}
        )
        assert moved.rowcount == 0


def test_key_resolution_works_before_any_tenant_is_known(
    app: Connection, brands: dict[str, dict[str, str]]
):
    with app.begin():
        row = (
            app.execute(
                text("SELECT * FROM atelier_resolve_api_key(:h)"), {"h": brands["b"]["key_hash"]}
            )
            .mappings()
            .one()
        )
        assert row["brand_id"] == brands["b"]["brand"]
        assert row["kind"] == "publishable"
        assert row["allowed_origins"] == ["https://beta.example"]
        assert app.execute(text("SELECT atelier_origin_allowed('https://BETA.example')")).scalar()
        assert not app.execute(
            text("SELECT atelier_origin_allowed('https://evil.example')")
        ).scalar()
        assert app.execute(text("SELECT * FROM atelier_resolve_api_key('nope')")).first() is None


def lock(conn: Connection, snapshot_id: str) -> None:
    conn.execute(
        text("UPDATE snapshots SET is_locked = true, locked_at = now() WHERE id = :id"),
        {"id": snapshot_id},
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE snapshots SET spec = '{\"a\": 2}' WHERE id = :id",
        "UPDATE snapshots SET is_locked = false WHERE id = :id",
        'UPDATE snapshots SET provenance = \'{"source": "forged"}\' WHERE id = :id',
        "DELETE FROM snapshots WHERE id = :id",
    ],
    ids=["spec", "unlock", "provenance", "delete"],
)
def test_a_locked_snapshot_rejects_any_change(
    database_url: str, brands: dict[str, dict[str, str]], statement: str
):
    # As the owner, not just the app role: the trigger binds everyone.
    engine = create_engine(database_url)
    snapshot_id = brands["a"]["snapshot"]
    with engine.begin() as conn:
        lock(conn, snapshot_id)
    with pytest.raises(DBAPIError) as raised, engine.begin() as conn:
        conn.execute(text(statement), {"id": snapshot_id})
    assert "AT423" in str(raised.value)
    assert "snapshot is locked" in str(raised.value)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT spec, is_locked FROM snapshots WHERE id = :id"), {"id": snapshot_id}
        ).one()
    assert tuple(row) == ({"a": 1}, True)
    engine.dispose()


def test_outputs_may_still_be_attached_to_a_locked_snapshot(
    database_url: str, brands: dict[str, dict[str, str]]
):
    engine = create_engine(database_url)
    snapshot_id = brands["a"]["snapshot"]
    with engine.begin() as conn:
        lock(conn, snapshot_id)
        conn.execute(
            text("UPDATE snapshots SET production_bundle_url = 'bundles/x.zip' WHERE id = :id"),
            {"id": snapshot_id},
        )
    engine.dispose()


def test_an_unlocked_snapshot_keeps_its_content_but_can_be_validated(
    database_url: str, brands: dict[str, dict[str, str]]
):
    engine = create_engine(database_url)
    snapshot_id = brands["a"]["snapshot"]
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE snapshots SET is_validated = true, validated_at = now() WHERE id = :id"),
            {"id": snapshot_id},
        )
    with pytest.raises(DBAPIError, match="AT423"), engine.begin() as conn:
        conn.execute(
            text("UPDATE snapshots SET spec_hash = 'other' WHERE id = :id"), {"id": snapshot_id}
        )
    engine.dispose()


# Tables that belong to no brand: written before a tenant is known (webhook de-duplication,
# idempotency, the local queue), so row-level security cannot apply to them.
PLATFORM_TABLES = {"idempotency_records", "queue_messages", "inbound_events"}


def test_every_brand_owned_table_has_a_tenant_policy(database_url: str):
    owned = {
        name
        for name, table in Base.metadata.tables.items()
        if "brand_id" in table.columns and name not in PLATFORM_TABLES
    }
    engine = create_engine(database_url)
    with engine.connect() as conn:
        secured = {
            name: enabled
            for name, enabled in conn.execute(
                text(
                    "SELECT relname, relrowsecurity FROM pg_class"
                    " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                )
            )
        }
        policies = dict(
            conn.execute(
                text("SELECT tablename, qual FROM pg_policies WHERE schemaname = 'public'")
            ).all()
        )
    engine.dispose()
    assert {t for t in owned if not secured[t]} == set(), "RLS enabled on every tenant table"
    assert {t for t in owned if "brand_id" not in policies.get(t, "")} == set()
    assert "atelier.brand_id" in policies["brands"]
    assert not any(secured[t] for t in (*PLATFORM_TABLES, "alembic_version"))


def test_app_role_may_use_every_table_but_not_move_the_schema_version(app: Connection):
    missing = app.execute(
        text(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r'"
            " AND c.relnamespace = 'public'::regnamespace AND c.relname <> 'alembic_version'"
            " AND NOT has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')"
        )
    ).all()
    assert missing == []
    assert app.execute(text("SELECT has_table_privilege('alembic_version', 'SELECT')")).scalar()
    assert not app.execute(text("SELECT has_table_privilege('alembic_version', 'UPDATE')")).scalar()


def test_integration_resolution_works_before_any_tenant_is_known(
    app: Connection, brands: dict[str, dict[str, str]]
):
    with app.begin():
        row = (
            app.execute(
                text("SELECT * FROM atelier_resolve_integration('shopify', 'beta.myshopify.com')")
            )
            .mappings()
            .one()
        )
        assert row["brand_id"] == brands["b"]["brand"]
        assert row["webhook_secret"] == "shpss_beta"
        unknown = app.execute(
            text("SELECT * FROM atelier_resolve_integration('shopify', 'gamma.myshopify.com')")
        ).first()
        assert unknown is None
        # The resolver answers one question; the table itself stays closed without a tenant.
        assert app.execute(text("SELECT count(*) FROM integrations")).scalar() == 0


def test_the_app_role_takes_a_snapshot_through_its_life_and_then_is_refused(
    app: Connection, brands: dict[str, dict[str, str]]
):
    snapshot_id = brands["a"]["snapshot"]
    with app.begin():
        as_brand(app, brands["a"]["brand"])
        app.execute(
            text("UPDATE snapshots SET preview_url = 'previews/p.png' WHERE id = :id"),
            {"id": snapshot_id},
        )
        lock(app, snapshot_id)
        app.execute(
            text("UPDATE snapshots SET gltf_model_url = 'models/m.glb' WHERE id = :id"),
            {"id": snapshot_id},
        )
    with pytest.raises(DBAPIError, match="snapshot is locked"), app.begin():
        as_brand(app, brands["a"]["brand"])
        app.execute(text("UPDATE snapshots SET spec = '{}' WHERE id = :id"), {"id": snapshot_id})
    with app.begin():
        as_brand(app, brands["a"]["brand"])
        row = app.execute(
            text(
                "SELECT spec, is_locked, preview_url, gltf_model_url FROM snapshots WHERE id = :id"
            ),
            {"id": snapshot_id},
        ).one()
    assert tuple(row) == ({"a": 1}, True, "previews/p.png", "models/m.glb")


def test_sql_generated_ids_look_like_application_ids(database_url: str):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        ids = [
            r[0] for r in conn.execute(text("SELECT atelier_new_id() FROM generate_series(1, 200)"))
        ]
    engine.dispose()
    assert all(is_valid_id(i) for i in ids)
    assert len(set(ids)) == len(ids)
    # The first ten characters are the millisecond clock, as in new_id(): ids sort by time.
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    for value in ids:
        ms = 0
        for char in value[:10]:
            ms = ms * 32 + alphabet.index(char)
        assert abs(ms - time.time() * 1000) < 60_000
