"""Export packs end to end: work orders, the export worker, bundles behind expiring links,
artisans confined to their own work orders, failures shown on the work order."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import create_engine, text

from atelier import bootstrap, routes
from atelier.auth.principal import Role
from atelier.auth.tokens import issue_local_token
from atelier.db.ids import new_id
from atelier.db.session import get_engine
from atelier.local.queue_runner import QueueRunner

from .conftest import SIGNING_KEY, Api, Tenant

pytestmark = pytest.mark.integration


@pytest.fixture
def shop(api: Api, tenants: tuple[Tenant, Tenant], database_url: str) -> dict[str, str]:
    """An order of brand A with two work orders, each for its own artisan."""
    a, _ = tenants
    snapshot = api.widget(
        a,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {
                "productId": a.product_id,
                "zones": {a.zone_ids[0]: {"text": "Zoé & Martin"}},
            }
        },
    ).json()["id"]
    ids = {
        "order": new_id(),
        "artisan1": new_id(),
        "artisan2": new_id(),
        "wo1": new_id(),
        "wo2": new_id(),
        "order2": new_id(),
        "snapshot": snapshot,
    }
    engine = create_engine(database_url)
    with engine.begin() as conn:
        for order in ("order", "order2"):
            conn.execute(
                text(
                    "INSERT INTO orders (id, brand_id, order_number, subtotal_cents, total_cents) VALUES (:id, :b, :n, 2990, 2990)"
                ),
                {"id": ids[order], "b": a.brand_id, "n": order},
            )
        for n, user in (("artisan1", "artisan-user-1"), ("artisan2", "artisan-user-2")):
            conn.execute(
                text(
                    "INSERT INTO users (id, brand_id, email, role) VALUES (:u, :b, :e, 'artisan')"
                ),
                {"u": user, "b": a.brand_id, "e": f"{user}@workshop.example"},
            )
            conn.execute(
                text("INSERT INTO artisans (id, brand_id, user_id, name) VALUES (:id, :b, :u, :n)"),
                {"id": ids[n], "b": a.brand_id, "u": user, "n": n},
            )
        for wo, artisan, order in (("wo1", "artisan1", "order"), ("wo2", "artisan2", "order2")):
            conn.execute(
                text(
                    "INSERT INTO work_orders (id, brand_id, order_id, artisan_id, snapshot_id) VALUES (:id, :b, :o, :a, :s)"
                ),
                {"id": ids[wo], "b": a.brand_id, "o": ids[order], "a": ids[artisan], "s": snapshot},
            )
    engine.dispose()
    return ids


def artisan(tenant: Tenant, user: str) -> dict[str, str]:
    token = issue_local_token(
        brand_id=tenant.brand_id, subject=user, roles=[Role.ARTISAN], key=SIGNING_KEY
    )
    return {"Authorization": f"Bearer {token}"}


def drain() -> None:
    QueueRunner(get_engine(), routes.WORKERS).drain()


def test_export_pack_builds_the_bundle_once(
    api: Api, tenants: tuple[Tenant, Tenant], shop: dict[str, str]
):
    a, _ = tenants
    first = api.brand(
        a, "POST", "/api/v1/manufacturing/export-pack", json_body={"workOrderId": shop["wo1"]}
    )
    assert first.status == 202, first.body
    again = api.brand(
        a, "POST", "/api/v1/manufacturing/export-pack", json_body={"workOrderId": shop["wo1"]}
    )
    assert again.json()["renderId"] == first.json()["renderId"]
    drain()
    done = api.brand(
        a, "POST", "/api/v1/manufacturing/export-pack", json_body={"workOrderId": shop["wo1"]}
    )
    assert done.status == 200 and done.json()["status"] == "success"

    bundles = api.brand(a, "GET", f"/api/v1/manufacturing/bundles/{shop['order']}").json()
    [link] = bundles["bundles"]
    assert link["status"] == "success" and link["expiresInS"] == 900
    parts = urlsplit(link["url"])
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    key = parts.path.removeprefix("/files/")
    storage = bootstrap.storage()
    assert storage.verify(key, query["expires"], query["sig"])  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(storage.get(key))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert set(archive.namelist()) == {
            "design.svg",
            "design.dxf",
            "design.pdf",
            "print.png",
            "manifest.json",
        }
    assert (manifest["orderId"], manifest["workOrderId"], manifest["snapshotId"]) == (
        shop["order"],
        shop["wo1"],
        shop["snapshot"],
    )
    orders = api.brand(a, "GET", "/api/v1/manufacturing/work-orders").json()["items"]
    assert {w["id"]: w["exportStatus"] for w in orders}[shop["wo1"]] == "success"


def test_artisans_see_and_export_only_their_own_work_orders(
    api: Api, tenants: tuple[Tenant, Tenant], shop: dict[str, str]
):
    a, _ = tenants
    mine = api.call(
        "GET", "/api/v1/manufacturing/work-orders", headers=artisan(a, "artisan-user-1")
    ).json()["items"]
    assert [w["id"] for w in mine] == [shop["wo1"]]
    own = api.call(
        "POST",
        f"/api/v1/manufacturing/work-orders/{shop['wo1']}/export",
        headers=artisan(a, "artisan-user-1"),
    )
    assert own.status == 202, own.body
    other = api.call(
        "POST",
        f"/api/v1/manufacturing/work-orders/{shop['wo2']}/export",
        headers=artisan(a, "artisan-user-1"),
    )
    assert other.status == 404
    bundles = api.call(
        "GET",
        f"/api/v1/manufacturing/bundles/{shop['order']}",
        headers=artisan(a, "artisan-user-1"),
    )
    assert bundles.status == 403, "artisans get their files through their work orders, not orders"
    snapshot_export = api.call(
        "POST",
        "/api/v1/manufacturing/export-pack",
        json_body={"snapshotId": shop["snapshot"]},
        headers=artisan(a, "artisan-user-1"),
    )
    assert snapshot_export.status == 403


def test_other_brands_get_404(api: Api, tenants: tuple[Tenant, Tenant], shop: dict[str, str]):
    _, b = tenants
    assert api.brand(b, "GET", f"/api/v1/manufacturing/bundles/{shop['order']}").status == 404
    assert (
        api.brand(b, "POST", f"/api/v1/manufacturing/work-orders/{shop['wo1']}/export").status
        == 404
    )
    assert (
        api.brand(
            b,
            "POST",
            "/api/v1/manufacturing/export-pack",
            json_body={"snapshotId": shop["snapshot"]},
        ).status
        == 404
    )
    assert api.brand(b, "GET", "/api/v1/manufacturing/work-orders").json()["items"] == []


def test_a_failed_export_shows_on_the_work_order(
    api: Api, tenants: tuple[Tenant, Tenant], shop: dict[str, str], database_url: str
):
    a, _ = tenants
    engine = create_engine(database_url)
    with engine.begin() as conn:
        keys = [r[0] for r in conn.execute(text("SELECT storage_key FROM fonts"))]
    for key in keys:
        bootstrap.storage().delete(key)
    from atelier.typography import fonts as font_cache

    font_cache._cache.clear()
    assert (
        api.brand(a, "POST", f"/api/v1/manufacturing/work-orders/{shop['wo2']}/export").status
        == 202
    )
    worker = next(w for w in routes.WORKERS if w.queue == "export-manufacturing")
    runner = QueueRunner(get_engine(), routes.WORKERS)
    for _ in range(worker.max_receive_count):
        runner.run_once(worker)
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE queue_messages SET available_at = now() WHERE dead_at IS NULL")
            )
    engine.dispose()
    orders = api.brand(a, "GET", "/api/v1/manufacturing/work-orders").json()["items"]
    failed = {w["id"]: w for w in orders}[shop["wo2"]]
    assert failed["exportStatus"] == "failed" and "ObjectNotFound" in failed["exportError"]
