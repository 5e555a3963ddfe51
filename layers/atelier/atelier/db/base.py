"""Declarative base shared by every model, with deterministic constraint names.

The naming convention makes the names Alembic autogenerate and the names our hand-written
migrations use identical, so `compare_metadata` between models and migrations is empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, MetaData, String, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from atelier.db.ids import ID_LENGTH, new_id

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


EMPTY_VARCHAR_ARRAY = text("'{}'::varchar[]")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def id_column() -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


def updated_at_column() -> Mapped[datetime]:
    return mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )


def brand_id_column(*, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[str]:
    """The tenant column: every tenant-owned row names its brand (row-level security
    filters on it), and deleting a brand deletes what it owns."""
    return mapped_column(
        String(ID_LENGTH), ForeignKey("brands.id", ondelete=ondelete), nullable=nullable, index=True
    )


def fk_column(
    target: str, *, ondelete: str, nullable: bool = True, index: bool = True
) -> Mapped[Any]:
    return mapped_column(
        String(ID_LENGTH), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
    )
