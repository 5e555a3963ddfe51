"""IAM database authentication through RDS Proxy: no database password anywhere in Lambda.

The function's role is allowed `rds-db:connect` as one database user at the proxy. Each new
connection presents a fresh auth token (valid 15 minutes, only for opening a connection) as
its password, over TLS, which the proxy requires for IAM auth. Tokens are signed locally
with the function's credentials: generating one makes no network call.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

TokenProvider = Callable[[str, int, str], str]
"""(host, port, user) → a password good for opening one connection now."""


@dataclass(frozen=True, slots=True)
class IamTarget:
    """Where and as whom to connect."""

    host: str
    port: int
    database: str
    user: str

    @property
    def url(self) -> URL:
        """The URL without any password (the token is added per connection)."""
        return URL.create(
            "postgresql+pg8000",
            username=self.user,
            host=self.host,
            port=self.port,
            database=self.database,
        )


@lru_cache(maxsize=1)
def _rds_client() -> Any:
    import boto3  # deferred: ~150 ms, and API import time matters

    return boto3.client("rds")


def rds_auth_token(host: str, port: int, user: str) -> str:
    """An IAM auth token for `user` at `host:port` (region from the environment)."""
    token = _rds_client().generate_db_auth_token(DBHostname=host, Port=port, DBUsername=user)
    return str(token)


def tls_connect_args() -> dict[str, Any]:
    """pg8000 arguments for a verified TLS connection (RDS Proxy's certificate is public)."""
    return {"ssl_context": ssl.create_default_context()}


def iam_engine(
    target: IamTarget, *, token_provider: TokenProvider = rds_auth_token, **engine_options: Any
) -> Engine:
    """An engine whose every new connection logs in with a fresh IAM token, over TLS."""
    engine = create_engine(target.url, connect_args=tls_connect_args(), **engine_options)

    @event.listens_for(engine, "do_connect")
    def _fresh_token(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["password"] = token_provider(target.host, target.port, target.user)

    return engine
