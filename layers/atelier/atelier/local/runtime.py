"""The local runtime's environment: where its data lives and which database it talks to.

Everything is kept under one project-local folder (`var/` by default, `ATELIER_HOME` to
move it), so stopping the runtime keeps the data and starting it again reuses it:
`var/postgres` (the embedded cluster), `var/storage` (objects), `var/outbox` (emails),
`var/secrets.json` (local signing keys generated at first run, never committed).

Two database roles, as in AWS: the owner (migrations, seeding, CLI administration) and the
application role `atelier_app`, which owns nothing and is subject to row-level security;
API handlers only ever get the latter.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from atelier.adapters.storage import LocalStorage
from atelier.local.postgres import LocalPostgres, start_embedded_postgres

APP_ROLE = "atelier_app"
DATABASE_NAME = "atelier"


def project_root() -> Path:
    """The checkout holding `functions/` (the Lambda code root), for importing handlers."""
    for candidate in (Path(__file__).resolve().parents[3], Path.cwd()):
        if (candidate / "functions" / "__init__.py").is_file():
            return candidate
    raise RuntimeError("Run atelier from the project checkout (no functions/ package found).")


def home() -> Path:
    return Path(os.environ.get("ATELIER_HOME", "var")).resolve()


@dataclass
class LocalDatabase:
    admin_url: str
    app_url: str
    server: LocalPostgres | None = None

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def app_url_for(admin_url: str) -> str:
    """The same database reached as the application role (trust auth on the local socket)."""
    url = make_url(admin_url).set(username=APP_ROLE, password=None)
    return url.render_as_string(hide_password=False)


def _ensure_database(server_url: str, name: str) -> None:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def open_database() -> LocalDatabase:
    """`DATABASE_URL` (+ `ATELIER_ADMIN_DATABASE_URL`) when set, else the embedded server."""
    admin = os.environ.get("ATELIER_ADMIN_DATABASE_URL")
    app = os.environ.get("DATABASE_URL")
    if admin or app:
        admin = admin or str(app)
        return LocalDatabase(admin_url=admin, app_url=app or app_url_for(admin))
    server = start_embedded_postgres(home() / "postgres")
    _ensure_database(server.url(), DATABASE_NAME)
    admin = server.url(DATABASE_NAME)
    return LocalDatabase(admin_url=admin, app_url=app_url_for(admin), server=server)


def local_secrets() -> dict[str, str]:
    """Signing keys for the local runtime, generated once and kept in `var/secrets.json`."""
    path = home() / "secrets.json"
    values: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    wanted = (
        "storage_signing_key",
        "jwt_signing_key",
        "shopify_webhook_secret",
        "stripe_webhook_secret",
        "data_key",
    )
    missing = [k for k in wanted if k not in values]
    if missing:
        for key in missing:
            values[key] = secrets.token_urlsafe(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))
        path.chmod(0o600)
    return values


def use_local_data_key() -> None:
    """Seal and open stored secrets with the local data key (unless one is set already)."""
    from atelier.settings import get_settings

    os.environ.setdefault("ATELIER_DATA_KEY", local_secrets()["data_key"])
    get_settings.cache_clear()


def seal_legacy_secrets(admin_url: str) -> int:
    """Seal stored secrets written in clear (before sealing existed), as the owner."""
    from atelier.sealing import seal_legacy_secrets as seal_all

    engine = create_engine(admin_url)
    try:
        return seal_all(engine)
    finally:
        engine.dispose()


DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def local_storage(base_url: str = DEFAULT_BASE_URL) -> LocalStorage:
    return LocalStorage(home() / "storage", local_secrets()["storage_signing_key"], base_url)
