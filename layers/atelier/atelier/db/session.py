"""Engines and transactions.

One engine per URL (locally) or per proxy login (AWS: RDS Proxy, IAM auth, see
`atelier.db.aws_auth`) and execution environment, created on first use and reused across
invocations (Lambda keeps the process warm). Behind RDS Proxy the pool stays small: the
proxy does the pooling. Every unit of work is one transaction; the tenant is set with
`set_config(..., true)` (transaction-local) so row-level security follows the brand even
when the proxy hands the connection to another client afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from atelier.db.aws_auth import IamTarget, iam_engine
from atelier.errors import ServiceUnavailable
from atelier.settings import Settings, get_settings

TENANT_SETTING = "atelier.brand_id"

_POOL: dict[str, Any] = {
    "pool_size": 2,
    "max_overflow": 2,
    "pool_pre_ping": True,
    "pool_recycle": 300,
}


def get_engine(url: str | None = None) -> Engine:
    """The application role's engine: `url`, else `DATABASE_URL`, else RDS Proxy with IAM auth."""
    if url:
        return _url_engine(url)
    settings = get_settings()
    if settings.database_url:
        return _url_engine(settings.database_url)
    if settings.database_host:
        return _iam_engine(_iam_target(settings, settings.database_user))
    raise ServiceUnavailable(
        "No database is configured (set DATABASE_URL, or ATELIER_DATABASE_HOST in AWS)."
    )


def get_admin_engine() -> Engine:
    """The owner's engine (migrations, cross-tenant maintenance; no row-level security):
    `ATELIER_ADMIN_DATABASE_URL` locally, RDS Proxy with IAM auth as
    `ATELIER_ADMIN_DATABASE_USER` in AWS.

    Never falls back to the application role: under row-level security a cross-tenant job
    would see no rows at all, and e.g. the cleanup would take every object for an orphan.
    """
    settings = get_settings()
    if settings.admin_database_url:
        return _url_engine(settings.admin_database_url)
    if settings.database_host and settings.admin_database_user:
        return _iam_engine(_iam_target(settings, settings.admin_database_user))
    raise ServiceUnavailable(
        "No owner database access is configured (set ATELIER_ADMIN_DATABASE_URL, or "
        "ATELIER_DATABASE_HOST and ATELIER_ADMIN_DATABASE_USER in AWS)."
    )


def _iam_target(settings: Settings, user: str) -> IamTarget:
    assert settings.database_host
    if not settings.database_iam_auth:
        raise ServiceUnavailable(
            "ATELIER_DATABASE_HOST is set without ATELIER_DATABASE_IAM_AUTH=true; "
            "IAM authentication is the only way to log in there."
        )
    return IamTarget(
        host=settings.database_host,
        port=settings.database_port,
        database=settings.database_name,
        user=user,
    )


@lru_cache(maxsize=8)
def _url_engine(url: str) -> Engine:
    return create_engine(url, **_POOL)


@lru_cache(maxsize=4)
def _iam_engine(target: IamTarget) -> Engine:
    return iam_engine(target, **_POOL)


@lru_cache(maxsize=8)
def _session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def reset() -> None:
    """Forget engines and sessions (settings changed: tests, the local runtime)."""
    _session_factory.cache_clear()
    _url_engine.cache_clear()
    _iam_engine.cache_clear()


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
    try:
        session = _session_factory(get_engine(url))()
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
