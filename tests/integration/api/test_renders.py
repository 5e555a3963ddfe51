"""Render jobs end to end: enqueue, the local SQS-like queue, the worker, stored images."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import create_engine, text

from atelier import bootstrap, routes
from atelier.db.session import get_engine
from atelier.local.gateway import LocalGateway
from atelier.local.queue_runner import QueueRunner
from atelier.rendering.jobs import RenderKind, render_id

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


@pytest.fixture
def snapshot_id(api: Api, tenants: tuple[Tenant, Tenant]) -> str:
    a, _ = tenants
    r = api.widget(
        a,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {
                "productId": a.product_id,
                "zones": {
                    a.zone_ids[0]: {"text": "Zoé & Martin", "effect": "engraved"},
                    a.zone_ids[1]: {"text": "12.05.2026"},
                },
            }
        },
    )
    assert r.status == 201, r.body
    return str(r.json()["id"])


def runner() -> QueueRunner:
    return QueueRunner(get_engine(), routes.WORKERS)


def fetch_image(api: Api, tenant: Tenant, rid: str, fmt: str) -> Image.Image:
    r = api.widget(tenant, "GET", f"/api/v1/renders/{rid}/preview?format={fmt}")
    assert r.status == 302, r.body
    parts = urlsplit(r.headers["Location"])
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    key = parts.path.removeprefix("/files/")
    storage = bootstrap.storage()
    assert storage.verify(key, query["expires"], query["sig"])  # type: ignore[attr-defined]
    return Image.open(io.BytesIO(storage.get(key)))


def test_preview_is_rendered_by_the_worker_and_cached(
    api: Api, tenants: tuple[Tenant, Tenant], snapshot_id: str
):
    a, _ = tenants
    first = api.widget(a, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snapshot_id})
    assert first.status == 202, first.body
    rid = first.json()["renderId"]
    assert first.json()["status"] == "pending"
    assert api.widget(a, "GET", f"/api/v1/renders/{rid}/preview").status == 409

    runner().drain()
    status = api.widget(a, "GET", f"/api/v1/renders/{rid}/status").json()
    assert status["status"] == "success", status
    assert (status["widthPx"], status["heightPx"]) == (1024, 512)

    png = fetch_image(api, a, rid, "png")
    assert png.format == "PNG" and png.size == (1024, 512)
    # ink where the name zone is, bare material elsewhere
    gray = png.convert("L")
    assert gray.crop((100, 80, 924, 300)).getextrema()[0] < 80
    low, high = gray.crop((0, 0, 60, 60)).getextrema()
    assert high - low <= 2 and low > 150, "the corner is bare, uniform material"
    assert fetch_image(api, a, rid, "thumbnail").size == (200, 200)
    assert fetch_image(api, a, rid, "webp").format == "WEBP"
    assert set(status["formats"]) == {"png", "webp", "thumbnail", "glb", "usdz"}
    storage = bootstrap.storage()
    assert storage.get(status["formats"]["glb"])[:4] == b"glTF"
    assert storage.get(status["formats"]["usdz"])[:2] == b"PK"

    again = api.widget(a, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snapshot_id})
    assert again.status == 200 and again.json()["renderId"] == rid, "a rendered spec is a cache hit"
    snap = api.widget(a, "GET", f"/api/v1/snapshots/{snapshot_id}").json()
    assert snap["previewUrl"] and snap["thumbnailUrl"]


def test_render_ids_are_deterministic():
    a = render_id("h" * 64, RenderKind.PREVIEW, {"longSidePx": 1024})
    assert a == render_id("h" * 64, RenderKind.PREVIEW, {"longSidePx": 1024})
    assert a != render_id("h" * 64, RenderKind.PREVIEW, {"longSidePx": 1024, "template3d": "disc"})
    assert a != render_id("h" * 64, RenderKind.PREVIEW, {"longSidePx": 512})
    assert a != render_id("h" * 64, RenderKind.FINAL, {"longSidePx": 1024})


def test_concurrent_identical_requests_make_one_job(
    api: Api, tenants: tuple[Tenant, Tenant], snapshot_id: str, database_url: str
):
    a, _ = tenants

    def ask(_: int) -> str:
        r = Api(LocalGateway()).widget(
            a,
            "POST",
            "/api/v1/renders/final",
            json_body={"snapshotId": snapshot_id, "options": {"dpi": 100}},
        )
        assert r.status in (200, 202), r.body
        return str(r.json()["renderId"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(ask, range(20)))
    assert len(ids) == 1
    engine = create_engine(database_url)
    with engine.connect() as conn:
        jobs = conn.execute(
            text("SELECT count(*) FROM queue_messages WHERE queue = 'render-final'")
        ).scalar()
        rows = conn.execute(
            text("SELECT count(*) FROM render_results WHERE type = 'final'")
        ).scalar()
    engine.dispose()
    assert (jobs, rows) == (1, 1)
    runner().drain()
    final = api.widget(a, "GET", f"/api/v1/renders/{ids.pop()}/status").json()
    assert final["status"] == "success" and final["widthPx"] == round(120 / 25.4 * 100)


def test_a_job_that_keeps_failing_is_dead_lettered_with_its_reason(
    api: Api, tenants: tuple[Tenant, Tenant], snapshot_id: str, database_url: str
):
    a, _ = tenants
    rid = api.widget(
        a, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snapshot_id}
    ).json()["renderId"]
    engine = create_engine(database_url)
    with engine.begin() as conn:  # the fonts' files vanish from storage
        keys = [r[0] for r in conn.execute(text("SELECT storage_key FROM fonts"))]
    for key in keys:
        bootstrap.storage().delete(key)
    from atelier.typography import fonts as font_cache

    font_cache._cache.clear()
    queue_runner = runner()
    for _ in range(3):
        queue_runner.run_once(next(w for w in routes.WORKERS if w.queue == "render-preview"))
        with engine.begin() as conn:  # skip the backoff wait
            conn.execute(
                text("UPDATE queue_messages SET available_at = now() WHERE dead_at IS NULL")
            )
    with engine.connect() as conn:
        dead = conn.execute(
            text("SELECT receive_count, dead_at IS NOT NULL FROM queue_messages")
        ).one()
    engine.dispose()
    assert tuple(dead) == (3, True)
    status = api.widget(a, "GET", f"/api/v1/renders/{rid}/status").json()
    assert status["status"] == "failed" and "ObjectNotFound" in status["error"]


def test_renders_are_tenant_scoped(api: Api, tenants: tuple[Tenant, Tenant], snapshot_id: str):
    a, b = tenants
    rid = api.widget(
        a, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snapshot_id}
    ).json()["renderId"]
    assert api.widget(b, "GET", f"/api/v1/renders/{rid}/status").status == 404
    assert api.widget(b, "GET", f"/api/v1/renders/{rid}/preview").status == 404
    assert (
        api.widget(
            b, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snapshot_id}
        ).status
        == 404
    )


def test_previews_are_drawn_on_the_products_base_image(
    api: Api, tenants: tuple[Tenant, Tenant], snapshot_id: str
):
    import base64

    a, _ = tenants
    photo = io.BytesIO()
    Image.new("RGB", (600, 300), (30, 60, 200)).save(photo, "JPEG", quality=95)
    r = api.brand(
        a,
        "PUT",
        f"/api/v1/products/{a.product_id}/image",
        json_body={"data": base64.b64encode(photo.getvalue()).decode()},
    )
    assert r.status == 200, r.body
    assert (r.json()["format"], r.json()["widthPx"], r.json()["heightPx"]) == ("jpeg", 600, 300)
    rid = api.widget(
        a, "POST", "/api/v1/renders/preview", json_body={"snapshotId": snapshot_id}
    ).json()["renderId"]
    runner().drain()
    png = fetch_image(api, a, rid, "png").convert("RGB")
    red, _, blue = png.getpixel((5, 5))
    assert blue > 150 and red < 80, "the corner shows the base image, not bare material"

    bad = api.brand(
        a,
        "PUT",
        f"/api/v1/products/{a.product_id}/image",
        json_body={"data": base64.b64encode(b"GIF89a" + b"\0" * 40).decode()},
    )
    assert bad.status == 422 and bad.json()["errors"][0]["code"] == "invalid_image"


def test_final_renders_use_the_products_print_resolution(
    api: Api, tenants: tuple[Tenant, Tenant], snapshot_id: str, database_url: str, tmp_path
):
    a, _ = tenants
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE brands SET support_email = 'studio@maison-a.example' WHERE id = :b"),
            {"b": a.brand_id},
        )
    engine.dispose()
    assert (
        api.brand(
            a, "PATCH", f"/api/v1/products/{a.product_id}", json_body={"printDpi": 150}
        ).status
        == 200
    )
    rid = api.widget(
        a, "POST", "/api/v1/renders/final", json_body={"snapshotId": snapshot_id}
    ).json()["renderId"]
    runner().drain()
    status = api.widget(a, "GET", f"/api/v1/renders/{rid}/status").json()
    assert (status["widthPx"], status["heightPx"]) == (
        round(120 / 25.4 * 150),
        round(60 / 25.4 * 150),
    )
    png = fetch_image(api, a, rid, "png")
    assert round(png.info["dpi"][0]) == 150
    runner().drain()  # the "render ready" email the worker queued
    [mail] = (tmp_path / "outbox").glob("*.eml")
    assert (
        b"studio@maison-a.example" in mail.read_bytes()
        and b"Your render is ready" in mail.read_bytes()
    )
