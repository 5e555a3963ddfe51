"""Snapshots: immutable, point-in-time copies of a spec — created once per spec hash,
validated by a brand user, locked when paid for (after which the database itself refuses
any change)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from atelier.db.models import DesignSpec as DesignSpecRow
from atelier.db.models import Snapshot
from atelier.errors import Conflict, NotFound
from atelier.personalization.inputs import ApiModel

LOCKED_SQLSTATE = "AT423"


class SnapshotView(ApiModel):
    id: str
    spec_hash: str
    spec_version: str
    product_id: str
    spec: dict[str, Any]
    preview_url: str | None = None
    thumbnail_url: str | None = None
    is_validated: bool
    validated_at: datetime | None
    is_locked: bool
    locked_at: datetime | None
    provenance: dict[str, Any] | None = Field(default=None)
    created_at: datetime

    @classmethod
    def of(cls, row: Snapshot) -> SnapshotView:
        return cls(
            id=row.id,
            spec_hash=row.spec_hash,
            spec_version=str(row.spec.get("specVersion", "")),
            product_id=row.product_id,
            spec=row.spec,
            preview_url=row.preview_url,
            thumbnail_url=row.thumbnail_url,
            is_validated=row.is_validated,
            validated_at=row.validated_at,
            is_locked=row.is_locked,
            locked_at=row.locked_at,
            provenance=row.provenance,
            created_at=row.created_at,
        )


def create_snapshot(
    session: Session,
    *,
    brand_id: str,
    spec_row: DesignSpecRow,
    provenance: dict[str, Any],
    created_by: str,
) -> tuple[Snapshot, bool]:
    """One snapshot per spec hash: a repeat (or fifty concurrent ones) returns the first."""
    inserted = session.execute(
        insert(Snapshot)
        .values(
            brand_id=brand_id,
            product_id=spec_row.product_id,
            spec_id=spec_row.id,
            spec_hash=spec_row.spec_hash,
            spec=spec_row.spec,
            provenance=provenance,
            created_by=created_by,
        )
        .on_conflict_do_nothing(index_elements=["spec_hash"])
        .returning(Snapshot.id)
    ).scalar()
    row = session.scalars(
        select(Snapshot).where(
            Snapshot.spec_hash == spec_row.spec_hash, Snapshot.brand_id == brand_id
        )
    ).one()
    return row, inserted is not None


def get_snapshot(
    session: Session, brand_id: str, snapshot_id: str, *, for_update: bool = False
) -> Snapshot:
    query = select(Snapshot).where(Snapshot.id == snapshot_id, Snapshot.brand_id == brand_id)
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"No snapshot {snapshot_id}.")
    return row


def _refused(exc: DBAPIError) -> bool:
    return LOCKED_SQLSTATE in str(exc.orig)


def lock_snapshot(session: Session, brand_id: str, snapshot_id: str) -> Snapshot:
    """Lock (idempotent: locking a locked snapshot changes nothing)."""
    row = get_snapshot(session, brand_id, snapshot_id, for_update=True)
    if row.is_locked:
        return row
    row.is_locked = True
    row.locked_at = datetime.now().astimezone()
    try:
        session.flush()
    except DBAPIError as exc:
        if _refused(exc):
            raise Conflict("This snapshot is locked.") from exc
        raise
    return row


def mark_validated(session: Session, row: Snapshot, validated_by: str) -> Snapshot:
    if row.is_validated:
        return row
    if row.is_locked:
        raise Conflict("A locked snapshot cannot be validated again.")
    row.is_validated = True
    row.validated_by = validated_by[:64]
    row.validated_at = datetime.now().astimezone()
    session.flush()
    return row
