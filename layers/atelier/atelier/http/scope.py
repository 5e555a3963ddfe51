"""The one way a handler opens a transaction: as its caller's brand, with a role check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from atelier.auth.principal import Principal, Role
from atelier.db.session import unit_of_work


@contextmanager
def brand_session(principal: Principal, role: Role | None = None) -> Iterator[Session]:
    """A unit of work under row-level security for the principal's brand."""
    if role is not None:
        principal.require(role)
    with unit_of_work(principal.brand_id) as session:
        yield session
