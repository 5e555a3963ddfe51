"""Alembic, driven from code: the CLI, the local runtime, the tests and the deploy-time
migration function all call these.

Each takes a URL or an open `Connection`. A connection is how an engine that needs more
than a URL (IAM tokens, TLS) reaches Alembic: `env.py` takes it from `Config.attributes`,
and the caller keeps what it holds on it (an advisory lock) for the whole run.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(target: str | Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if isinstance(target, Connection):
        cfg.attributes["connection"] = target
    else:
        # ConfigParser interpolation would choke on '%' in URLs.
        cfg.set_main_option("sqlalchemy.url", target.replace("%", "%%"))
    return cfg


def upgrade(target: str | Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(target), revision)


def downgrade(target: str | Connection, revision: str) -> None:
    command.downgrade(alembic_config(target), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()


def current_revision(target: str | Connection) -> str | None:
    if isinstance(target, Connection):
        return MigrationContext.configure(target).get_current_revision()
    engine = create_engine(target, poolclass=None)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
