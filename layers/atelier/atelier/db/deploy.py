"""Schema deployment, as the owner: migrations to head, then the application role's password.

Runs at every deploy (the CloudFormation custom resource) and on an operator's request.
An advisory lock serialises concurrent runs on one database (two stacks' deploys, a
deploy and an operator): the second waits, then finds nothing left to do.

The application role (`atelier_app`, created by migration 0006 with LOGIN and no password)
gets the password from the secret that RDS Proxy logs in with. DDL takes no bind
parameters, so the statement carries a SCRAM-SHA-256 verifier computed here (what psql's
`\\password` sends), never the password itself: the cleartext cannot end up in the server's
statement log, and the verifier's alphabet needs no escaping (it is quoted anyway).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from atelier.db import migrate
from atelier.observability import logger

# The key of the session-level advisory lock held while migrating (any fixed bigint; these
# are the ASCII bytes of "atlschma"). Advisory locks are scoped to one database.
SCHEMA_LOCK_ID = 0x61746C7363686D61

SCRAM_ITERATIONS = 4096  # PostgreSQL's default (scram_iterations)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_VERIFIER = re.compile(r"^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$")


@dataclass(frozen=True, slots=True)
class RoleCredentials:
    """A login role and its password (never in a repr, a log line or an error)."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class DeployResult:
    revision: str | None
    app_role: str | None
    """The role whose password was set, when a secret was given."""


def deploy_schema(
    engine: Engine, *, app_role: RoleCredentials | None = None, revision: str = "head"
) -> DeployResult:
    """Upgrade to `revision` under the schema lock, then set the application role's password."""
    with engine.connect() as conn, schema_lock(conn):
        migrate.upgrade(conn, revision)
        conn.commit()
        if app_role is not None:
            set_role_password(conn, app_role)
            conn.commit()
        reached = migrate.current_revision(conn)
        conn.commit()
    logger.info("schema deployed", extra={"revision": reached, "app_role": _name(app_role)})
    return DeployResult(revision=reached, app_role=_name(app_role))


def _name(role: RoleCredentials | None) -> str | None:
    return role.username if role else None


@contextmanager
def schema_lock(conn: Connection) -> Iterator[None]:
    """Hold the session-level schema lock on `conn` (waiting for it) while the block runs.

    Session-level, not transaction-level: each migration commits on its own.
    """
    conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": SCHEMA_LOCK_ID})
    conn.commit()
    try:
        yield
    finally:
        try:
            if conn.in_transaction():
                conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": SCHEMA_LOCK_ID})
            conn.commit()
        except Exception:
            # The connection is broken; closing it (not pooling it) releases the lock.
            logger.warning("schema lock not released; dropping the connection")
            conn.invalidate()


def set_role_password(conn: Connection, role: RoleCredentials) -> None:
    if not _ROLE_NAME.match(role.username):
        raise ValueError(f"Unexpected role name {role.username!r} in the application secret.")
    exists = conn.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": role.username}
    ).scalar()
    if not exists:
        raise ValueError(f"Role {role.username!r} does not exist (migrations create atelier_app).")
    verifier = scram_sha256_verifier(role.password)
    assert _VERIFIER.match(verifier)
    statement = f"ALTER ROLE {quote_ident(role.username)} PASSWORD {quote_literal(verifier)}"
    try:
        # exec_driver_sql: `text()` would read the verifier's ':' as bind parameters.
        conn.exec_driver_sql(statement)
    except DBAPIError as exc:
        # SQLAlchemy's message would quote the statement, verifier included.
        raise RuntimeError(
            f"Could not set the password of role {role.username!r}: {exc.orig}"
        ) from None


def scram_sha256_verifier(
    password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS
) -> str:
    """PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802, RFC 7677).

    PostgreSQL SASLprep-normalises passwords first; for ASCII (what Secrets Manager
    generates) that is the identity, so other passwords are refused rather than guessed at.
    """
    if not password.isascii():
        raise ValueError("The application role's password must be ASCII.")
    salt = os.urandom(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """A standard SQL string literal (standard_conforming_strings is on since PostgreSQL 9.1).

    Backslashes and NUL are refused rather than trusted to that setting.
    """
    if "\\" in value or "\x00" in value:
        raise ValueError("Refusing to quote a backslash or NUL into DDL.")
    return "'" + value.replace("'", "''") + "'"
