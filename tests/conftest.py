"""Shared fixtures: a real PostgreSQL for every test that touches data.

One embedded server per test process (or the server in ATELIER_TEST_DATABASE_URL). The
schema is migrated once into a template database; each test gets its own database cloned
from it (CREATE DATABASE … TEMPLATE), so tests are isolated and can run in parallel.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from atelier.db import migrate

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "atelier")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Atelier")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
# Stored signing secrets are sealed with the data key (`atelier.sealing`): one per test run.
os.environ.setdefault("ATELIER_DATA_KEY", secrets.token_urlsafe(32))


class DatabaseServer:
    """Creates and drops databases on one PostgreSQL server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def url_for(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.url_for(name)

    def drop(self, name: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def db_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseServer]:
    external = os.environ.get("ATELIER_TEST_DATABASE_URL")
    if external:
        yield DatabaseServer(external)
        return
    from atelier.local.postgres import start_embedded_postgres

    pg = start_embedded_postgres(Path(tmp_path_factory.mktemp("pg")) / "data")
    try:
        yield DatabaseServer(pg.url())
    finally:
        pg.stop()


@pytest.fixture(scope="session")
def template_database(db_server: DatabaseServer) -> Iterator[str]:
    """A database migrated to head; tests clone it instead of migrating again."""
    name = f"atelier_tpl_{secrets.token_hex(4)}"
    url = db_server.create(name)
    migrate.upgrade(url, "head")
    create_engine(url).dispose()
    yield name
    db_server.drop(name)


@pytest.fixture
def database_url(db_server: DatabaseServer, template_database: str) -> Iterator[str]:
    """A fresh database at the head revision, private to this test."""
    name = f"atelier_t_{secrets.token_hex(6)}"
    url = db_server.create(name, template=template_database)
    yield url
    from atelier.db import session

    session.reset()  # pooled connections would hold the database open
    db_server.drop(name)


@pytest.fixture
def app_database_url(database_url: str) -> str:
    """The same database as the application role: owns nothing, subject to RLS."""
    from atelier.local.runtime import app_url_for

    return app_url_for(database_url)


@pytest.fixture
def empty_database_url(db_server: DatabaseServer) -> Iterator[str]:
    """A fresh, empty database (no schema at all)."""
    name = f"atelier_e_{secrets.token_hex(6)}"
    yield db_server.create(name)
    db_server.drop(name)
