"""Brand administration that happens outside any tenant's request: creating brands and
their keys from the CLI, the seed or an operator (the `migrate` function's actions). Runs
as the owner role (no RLS): from a URL, or on the caller's engine (IAM-authenticated)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, or_, select
from sqlalchemy.orm import Session

from atelier.auth.keys import KeyKind, generate_key
from atelier.db.models import ApiKey, ApiKeyKind, Brand, ClientSettings
from atelier.errors import Conflict, NotFound


@dataclass(frozen=True)
class CreatedKey:
    id: str
    brand_id: str
    kind: KeyKind
    secret: str


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "brand"


def find_brand(session: Session, brand: str) -> Brand:
    found = session.scalars(
        select(Brand).where(or_(Brand.id == brand, Brand.slug == brand))
    ).first()
    if found is None:
        raise NotFound(f"No brand {brand!r}.")
    return found


def add_brand(session: Session, *, name: str, origins: list[str], slug: str | None = None) -> Brand:
    slug = slug or slugify(name)
    if session.scalars(select(Brand).where(Brand.slug == slug)).first() is not None:
        raise Conflict(f"A brand with slug {slug!r} exists.")
    brand = Brand(name=name, slug=slug)
    session.add(brand)
    session.flush()
    session.add(ClientSettings(brand_id=brand.id, allowed_origins=[o.rstrip("/") for o in origins]))
    session.flush()
    return brand


def add_api_key(session: Session, *, brand_id: str, kind: KeyKind, name: str) -> CreatedKey:
    key = generate_key(kind)
    row = ApiKey(
        brand_id=brand_id,
        name=name,
        kind=ApiKeyKind(kind.value),
        prefix=key.prefix,
        key_hash=key.key_hash,
    )
    session.add(row)
    session.flush()
    return CreatedKey(id=row.id, brand_id=brand_id, kind=kind, secret=key.secret)


@contextmanager
def _owner(admin: str | Engine) -> Iterator[Engine]:
    """The owner's engine: the caller's, or one made (and disposed of) for a URL."""
    if isinstance(admin, Engine):
        yield admin
        return
    engine = create_engine(admin)
    try:
        yield engine
    finally:
        engine.dispose()


def create_brand(admin: str | Engine, *, name: str, origins: list[str]) -> Brand:
    with (
        _owner(admin) as engine,
        Session(engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        return add_brand(session, name=name, origins=origins)


def create_api_key(admin: str | Engine, *, brand: str, kind: str, name: str) -> CreatedKey:
    with _owner(admin) as engine, Session(engine) as session, session.begin():
        found = find_brand(session, brand)
        return add_api_key(session, brand_id=found.id, kind=KeyKind(kind), name=name)
