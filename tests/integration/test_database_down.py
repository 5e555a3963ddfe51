"""With the database unreachable, the API answers 503 problems, never a 500 or a trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier import bootstrap
from atelier.local.gateway import LocalGateway

pytestmark = pytest.mark.integration


@pytest.fixture
def no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(
        "DATABASE_URL", f"postgresql+pg8000://nobody@/nowhere?unix_sock={tmp_path}/.s.PGSQL.5432"
    )
    bootstrap.reset()
    yield
    bootstrap.reset()


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/api/v1/health", {}),
        (
            "GET",
            "/api/v1/widget/config/p1",
            {"X-Atelier-Key": "pk_" + "a" * 43, "Origin": "https://x.example"},
        ),
        ("OPTIONS", "/api/v1/snapshots", {"Origin": "https://x.example"}),
    ],
)
def test_database_down_is_503(no_database: None, method: str, path: str, headers: dict[str, str]):
    r = LocalGateway().invoke(method, path, headers=headers)
    assert r.status == 503, r.body
    problem = r.json()
    assert problem["type"] == "urn:atelier:problem:service-unavailable"
    assert "Traceback" not in r.body.decode() and "unix_sock" not in r.body.decode()
