"""The models and the migrations describe the same schema: autogenerate finds nothing."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import ARRAY, Enum, create_engine, inspect, text

from atelier.db.models import Base

pytestmark = pytest.mark.integration


def test_autogenerate_compare_is_empty(database_url: str):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_every_model_table_exists(database_url: str):
    engine = create_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables


def model_enums() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table in Base.metadata.tables.values():
        for column in table.columns:
            type_ = column.type.item_type if isinstance(column.type, ARRAY) else column.type
            if isinstance(type_, Enum) and type_.name:
                found[type_.name] = list(type_.enums)
    return found


def test_native_enums_have_the_models_labels_in_order(database_url: str):
    # Autogenerate compares column types but not an enum's labels: check them here.
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT t.typname, e.enumlabel FROM pg_type t"
                    " JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder"
                )
            ).all()
    finally:
        engine.dispose()
    in_database: dict[str, list[str]] = {}
    for name, label in rows:
        in_database.setdefault(name, []).append(label)
    assert in_database == model_enums()
