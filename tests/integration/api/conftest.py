"""Two brands, each with a product, fonts and keys, served by the local gateway in-process
with the application role (row-level security on) — exactly as the Lambdas run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from atelier import bootstrap
from atelier.adapters.storage import LocalStorage
from atelier.auth.keys import KeyKind
from atelier.auth.principal import Role
from atelier.auth.tokens import issue_local_token
from atelier.local.gateway import GatewayResponse, LocalGateway
from atelier.local.seed import seed_into
from atelier.tenancy.admin import add_api_key

SIGNING_KEY = "test-signing-key-" + "x" * 32
BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Tenant:
    brand_id: str
    product_id: str
    zone_ids: list[str]
    font_ids: list[str]
    publishable_key: str
    secret_key: str
    origin: str

    def token(self, *roles: Role) -> str:
        return issue_local_token(
            brand_id=self.brand_id,
            subject=f"user-{self.brand_id[-4:]}",
            roles=list(roles or (Role.ADMIN,)),
            key=SIGNING_KEY,
        )


class Api:
    """A client for the local gateway that knows how each kind of caller authenticates."""

    def __init__(self, gateway: LocalGateway) -> None:
        self.gateway = gateway

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> GatewayResponse:
        import json

        payload = json.dumps(json_body) if json_body is not None else body
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        return self.gateway.invoke(method, path, headers=hdrs, body=payload)

    def widget(self, tenant: Tenant, method: str, path: str, **kw: Any) -> GatewayResponse:
        headers = {
            "X-Atelier-Key": tenant.publishable_key,
            "Origin": tenant.origin,
            **kw.pop("headers", {}),
        }
        return self.call(method, path, headers=headers, **kw)

    def brand(
        self, tenant: Tenant, method: str, path: str, *, role: Role = Role.ADMIN, **kw: Any
    ) -> GatewayResponse:
        headers = {"Authorization": f"Bearer {tenant.token(role)}", **kw.pop("headers", {})}
        return self.call(method, path, headers=headers, **kw)


def _tenant(session: Session, storage: LocalStorage, origin: str) -> Tenant:
    seeded = seed_into(session, storage, extra_origins=[origin])
    secret = add_api_key(session, brand_id=seeded.brand_id, kind=KeyKind.SECRET, name="erp")
    return Tenant(
        brand_id=seeded.brand_id,
        product_id=seeded.product_id,
        zone_ids=seeded.zone_ids,
        font_ids=seeded.font_ids,
        publishable_key=seeded.publishable_key,
        secret_key=secret.secret,
        origin=origin,
    )


@pytest.fixture
def tenants(
    database_url: str, app_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Tenant, Tenant]]:
    storage = LocalStorage(tmp_path / "storage", "storage-key", BASE_URL)
    # Each seeded brand keeps its plain demo key in its own ATELIER_HOME.
    monkeypatch.setenv("ATELIER_HOME", str(tmp_path / "a"))
    engine = create_engine(database_url)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        a = _tenant(session, storage, "https://shop-a.example")
    monkeypatch.setenv("ATELIER_HOME", str(tmp_path / "b"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        from atelier.local import seed

        monkeypatch.setattr(seed, "DEMO_SLUG", "other")
        b = _tenant(session, storage, "https://shop-b.example")
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", app_database_url)
    monkeypatch.setenv("ATELIER_STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("ATELIER_STORAGE_SIGNING_KEY", "storage-key")
    monkeypatch.setenv("ATELIER_JWT_SIGNING_KEY", SIGNING_KEY)
    monkeypatch.setenv("ATELIER_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.delenv("ATELIER_JWT_ISSUER", raising=False)
    bootstrap.reset()
    yield a, b
    bootstrap.reset()


@pytest.fixture
def api(tenants: tuple[Tenant, Tenant]) -> Api:
    return Api(LocalGateway())
