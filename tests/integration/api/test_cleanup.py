"""The scheduled cleanup removes what nothing references, and never what something does."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from atelier import bootstrap, routes
from atelier.db.session import get_engine
from atelier.errors import ServiceUnavailable
from atelier.local.queue_runner import QueueRunner
from atelier.rendering.cleanup import GRACE, RETENTION, cleanup

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


def render(api: Api, tenant: Tenant, name: str) -> tuple[str, dict[str, str]]:
    snap = api.widget(
        tenant,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {
                "productId": tenant.product_id,
                "zones": {tenant.zone_ids[0]: {"text": name}},
            }
        },
    ).json()
    rid = api.widget(
        tenant, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snap["id"]}
    ).json()["renderId"]
    QueueRunner(get_engine(), routes.WORKERS).drain()
    return snap["id"], api.widget(tenant, "GET", f"/api/v1/renders/{rid}/status").json()["formats"]


def test_cleanup_keeps_referenced_outputs(
    api: Api, tenants: tuple[Tenant, Tenant], database_url: str
):
    a, _ = tenants
    locked_snapshot, locked_files = render(api, a, "Locked")
    assert api.brand(a, "POST", f"/api/v1/snapshots/{locked_snapshot}/lock").status == 200
    _, old_files = render(api, a, "Forgotten")
    storage = bootstrap.storage()
    # an orphan object nobody recorded, old enough to be past the grace period
    storage.put("renders/orphan.png", b"x", "image/png")
    past = time.time() - 2 * GRACE.total_seconds()
    os.utime(storage.root / "renders/orphan.png", (past, past))  # type: ignore[attr-defined]

    engine = create_engine(database_url)  # the owner: cleanup works across brands
    later = datetime.now(UTC) + RETENTION + timedelta(days=1)
    report = cleanup(engine, storage, now=later)
    with engine.connect() as conn:
        kinds = dict(
            conn.execute(
                text(
                    "SELECT s.is_locked, count(r.id) FROM render_results r JOIN snapshots s ON s.id = r.snapshot_id GROUP BY s.is_locked"
                )
            ).all()
        )
    engine.dispose()

    assert kinds == {True: 1}, "the locked snapshot's render stays, the forgotten one goes"
    assert report.renders_deleted == 1
    for key in locked_files.values():
        assert storage.exists(key)
    # the forgotten snapshot's preview, thumbnail and models stay: the snapshot points at them
    for fmt in ("webp", "thumbnail", "glb", "usdz"):
        assert storage.exists(old_files[fmt]), fmt
    assert not storage.exists(old_files["png"]), "only the render row referred to the PNG"
    assert not storage.exists("renders/orphan.png")


def test_fresh_unrecorded_objects_survive_the_grace_period(
    api: Api, tenants: tuple[Tenant, Tenant], database_url: str
):
    storage = bootstrap.storage()
    storage.put("renders/just-written.png", b"x", "image/png")
    engine = create_engine(database_url)
    cleanup(engine, storage)
    engine.dispose()
    assert storage.exists("renders/just-written.png")


def test_the_scheduled_function_counts_references_as_the_owner(
    api: Api, tenants: tuple[Tenant, Tenant], database_url: str, monkeypatch: pytest.MonkeyPatch
):
    from functions.workers.cleanup import handler

    a, _ = tenants
    _, files = render(api, a, "Kept")
    storage = bootstrap.storage()
    storage.put("renders/orphan.png", b"x", "image/png")
    past = time.time() - 2 * GRACE.total_seconds()
    for key in [*files.values(), "renders/orphan.png"]:
        os.utime(storage.root / key, (past, past))  # type: ignore[attr-defined]

    # The application role sees no brand's rows outside a tenant: every object would look
    # like an orphan. Without owner access configured the function refuses to run.
    monkeypatch.delenv("ATELIER_ADMIN_DATABASE_URL", raising=False)
    bootstrap.reset()
    with pytest.raises(ServiceUnavailable):
        handler({}, None)
    assert storage.exists("renders/orphan.png")

    monkeypatch.setenv("ATELIER_ADMIN_DATABASE_URL", database_url)
    bootstrap.reset()
    report = handler({}, None)
    assert report["objects_deleted"] == 1 and not storage.exists("renders/orphan.png")
    for key in files.values():
        assert storage.exists(key), key
