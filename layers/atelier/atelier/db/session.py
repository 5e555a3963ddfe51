"""Engines and transactions.

One engine per URL and execution environment, created on first use and reused across
invocations (Lambda keeps the process warm). Behind RDS Proxy the pool stays small: the
proxy does the pooling. Every unit of work is one transaction; the tenant is set with
`set_config(..., true)` (transaction-local) so row-level security follows the brand even
when the proxy hands the connection to another client afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from atelier.errors import ServiceUnavailable
from atelier.settings import get_settings

TENANT_SETTING = "atelier.brand_id"


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    if not url:
        raise ServiceUnavailable("No database is configured (set DATABASE_URL).")
    return create_engine(
        url,
        pool_size=2,
        max_overflow=2,
        pool_pre_ping=True,
        pool_recycle=300,
    )


@lru_cache(maxsize=8)
def _session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


def reset() -> None:
    """Forget engines and sessions (settings changed: tests, the local runtime)."""
    _session_factory.cache_clear()
    get_engine.cache_clear()


def is_connection_error(exc: BaseException) -> bool:
    """True when the database cannot be reached (as opposed to a bad statement)."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, ConnectionError | TimeoutError)


@contextmanager
def unit_of_work(brand_id: str | None = None, *, url: str | None = None) -> Iterator[Session]:
    """One transaction: committed when the block succeeds, rolled back otherwise.

    With `brand_id`, the transaction is scoped to that tenant for row-level security.
    """
    url = url or get_settings().database_url
    if not url:
        raise ServiceUnavailable("No database is configured (set DATABASE_URL).")
    try:
        session = _session_factory(url)()
        if brand_id is not None:
            session.execute(
                text("SELECT set_config(:name, :value, true)"),
                {"name": TENANT_SETTING, "value": brand_id},
            )
    except Exception as exc:
        if is_connection_error(exc):
            raise ServiceUnavailable("The database is unavailable.") from exc
        raise
    try:
        yield session
        session.commit()
    except Exception as exc:
        session.rollback()
        if is_connection_error(exc):
            raise ServiceUnavailable("The database is unavailable.") from exc
        raise
    finally:
        session.close()
