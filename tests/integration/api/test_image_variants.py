"""Product image variants end to end: the image route queues an asset-convert job, the
worker (fed by the local SQS-like queue) stores upright, metadata-free WebP versions and
records them on the product, and the widget config and the brand's product view list them
— idempotently, never for a stale image, never for another brand."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import ExifTags, Image
from sqlalchemy import Engine, create_engine, text

from atelier import bootstrap, routes
from atelier.catalog.image_variants import QUEUE, variant_prefix
from atelier.catalog.image_worker import convert_product_image
from atelier.db.session import get_engine
from atelier.local.queue_runner import QueueRunner

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration

WORKER = next(w for w in routes.WORKERS if w.queue == QUEUE)


@pytest.fixture
def owner(database_url: str) -> Iterator[Engine]:
    """The owner's connection, outside row-level security: to look at what really is there."""
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def photo(size: tuple[int, int] = (1600, 1200), colour: tuple[int, int, int] = (200, 30, 30)):
    """A camera JPEG, stored sideways (orientation 6: shown 1200 x 1600), with GPS."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "AtelierCam"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def upload(api: Api, tenant: Tenant, data: bytes, product_id: str | None = None) -> Any:
    return api.brand(
        tenant,
        "PUT",
        f"/api/v1/products/{product_id or tenant.product_id}/image",
        json_body={"data": base64.b64encode(data).decode()},
    )


def jobs(owner: Engine) -> list[dict[str, Any]]:
    with owner.connect() as conn:
        rows = conn.execute(
            text("SELECT body FROM queue_messages WHERE queue = :q ORDER BY created_at, id"),
            {"q": QUEUE},
        ).all()
    return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in rows]


def run_worker() -> int:
    return QueueRunner(get_engine(), routes.WORKERS).run_once(WORKER)


def product_row(owner: Engine, product_id: str) -> tuple[Any, ...]:
    with owner.connect() as conn:
        return tuple(
            conn.execute(
                text("SELECT image_url, image_variants, updated_at FROM products WHERE id = :p"),
                {"p": product_id},
            ).one()
        )


def stored_objects() -> dict[str, bytes]:
    storage = bootstrap.storage()
    return {key: storage.get(key) for key in storage.keys("products/")}


def fetch(url: str) -> Image.Image:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    key = parts.path.removeprefix("/files/")
    storage = bootstrap.storage()
    assert storage.verify(key, query["expires"], query["sig"])  # type: ignore[attr-defined]
    return Image.open(io.BytesIO(storage.get(key)))


def config(api: Api, tenant: Tenant, product_id: str | None = None) -> Any:
    return api.widget(tenant, "GET", f"/api/v1/widget/config/{product_id or tenant.product_id}")


def test_an_uploaded_image_is_converted_and_listed(
    api: Api, tenants: tuple[Tenant, Tenant], owner: Engine
):
    a, _ = tenants
    r = upload(api, a, photo())
    assert r.status == 200, r.body
    key = r.json()["key"]
    assert jobs(owner) == [{"brandId": a.brand_id, "productId": a.product_id, "key": key}]
    before = config(api, a)
    assert before.status == 200 and before.json()["product"]["imageVariants"] == []
    view = api.brand(a, "GET", f"/api/v1/products/{a.product_id}")
    assert view.json()["imageVariants"] == []

    assert run_worker() == 1
    assert jobs(owner) == [], "done: the message is deleted"
    listed = config(api, a).json()["product"]["imageVariants"]
    # Upright 1200 x 1600: 320 and 640 wide; 1280 would be an upscale.
    assert [(v["width"], v["height"], v["format"]) for v in listed] == [
        (320, 427, "webp"),
        (640, 853, "webp"),
    ]
    for variant in listed:
        image = fetch(variant["url"])
        assert image.format == "WEBP" and image.size == (variant["width"], variant["height"])
        assert len(image.getexif()) == 0 and "exif" not in image.info
    assert sorted(stored_objects()) == sorted(
        [key, f"{variant_prefix(key)}w320.webp", f"{variant_prefix(key)}w640.webp"]
    )
    view = api.brand(a, "GET", f"/api/v1/products/{a.product_id}").json()
    assert [v["width"] for v in view["imageVariants"]] == [320, 640]
    page = api.brand(a, "GET", "/api/v1/products").json()
    [item] = [p for p in page["items"] if p["id"] == a.product_id]
    assert [v["width"] for v in item["imageVariants"]] == [320, 640]

    # The same image again: same key, the variants stay, the (duplicate) job is a no-op.
    again = upload(api, a, photo())
    assert again.json()["key"] == key
    assert len(config(api, a).json()["product"]["imageVariants"]) == 2
    assert run_worker() == 1 and jobs(owner) == []


def test_a_replayed_job_changes_nothing(api: Api, tenants: tuple[Tenant, Tenant], owner: Engine):
    a, _ = tenants
    upload(api, a, photo())
    [job] = jobs(owner)
    run_worker()
    row, objects = product_row(owner, a.product_id), stored_objects()
    assert len(row[1]) == 2

    bootstrap.queue().send(QUEUE, job)  # SQS delivers at least once
    bootstrap.queue().send(QUEUE, job)
    assert run_worker() == 2 and jobs(owner) == []
    assert product_row(owner, a.product_id) == row, "same variants, not even updated_at moved"
    assert stored_objects() == objects

    # Even a delivery that misses the shortcut (variants not yet recorded, e.g. two
    # deliveries converting at the same time) writes the same keys and the same list.
    with owner.begin() as conn:
        conn.execute(
            text("UPDATE products SET image_variants = '[]' WHERE id = :p"), {"p": a.product_id}
        )
    convert_product_image(job, storage=bootstrap.storage())
    assert product_row(owner, a.product_id)[1] == row[1]
    assert stored_objects() == objects


def test_a_stale_job_does_nothing(api: Api, tenants: tuple[Tenant, Tenant], owner: Engine):
    a, _ = tenants
    first = upload(api, a, photo(colour=(200, 30, 30))).json()["key"]
    second = upload(api, a, photo((2000, 1000), colour=(30, 30, 200))).json()["key"]
    assert first != second and [j["key"] for j in jobs(owner)] == [first, second]
    assert run_worker() == 2 and jobs(owner) == []
    keys = set(stored_objects())
    assert not any(k.startswith(variant_prefix(first)) for k in keys), "nothing for the old one"
    url, variants, _ = product_row(owner, a.product_id)
    assert url == second
    assert [v["width"] for v in variants] == [320, 640]  # upright 1000 x 2000
    assert all(v["key"].startswith(variant_prefix(second)) for v in variants)

    # A new image empties the list until its own job has run.
    third = upload(api, a, photo((700, 700))).json()["key"]
    assert config(api, a).json()["product"]["imageVariants"] == []
    run_worker()
    assert product_row(owner, a.product_id)[0] == third
    assert [v["width"] for v in config(api, a).json()["product"]["imageVariants"]] == [320, 640]


def test_a_job_for_a_deleted_product_is_done_and_writes_nothing(
    api: Api, tenants: tuple[Tenant, Tenant], owner: Engine
):
    a, _ = tenants
    created = api.brand(
        a,
        "POST",
        "/api/v1/products",
        json_body={"name": "Gone soon", "priceCents": 100, "widthMm": 50, "heightMm": 20},
    ).json()
    key = upload(api, a, photo(), product_id=created["id"]).json()["key"]
    with owner.begin() as conn:
        conn.execute(text("DELETE FROM products WHERE id = :p"), {"p": created["id"]})
    assert run_worker() == 1 and jobs(owner) == []
    assert not any(k.startswith(variant_prefix(key)) for k in stored_objects())


def test_an_undecodable_image_is_dropped_not_retried(
    api: Api, tenants: tuple[Tenant, Tenant], owner: Engine
):
    a, _ = tenants
    broken = photo()[:400]  # a sound JPEG header (the API's check passes), then nothing
    r = upload(api, a, broken)
    assert r.status == 200, r.body
    assert run_worker() == 1
    assert jobs(owner) == [], "a permanent failure: neither retried nor dead-lettered"
    assert product_row(owner, a.product_id)[1] == []
    assert list(stored_objects()) == [r.json()["key"]]


def test_another_brand_sees_nothing_and_cannot_convert(
    api: Api, tenants: tuple[Tenant, Tenant], owner: Engine
):
    a, b = tenants
    key = upload(api, a, photo()).json()["key"]
    run_worker()
    assert config(api, b, a.product_id).status == 404
    assert api.brand(b, "GET", f"/api/v1/products/{a.product_id}").status == 404
    assert upload(api, b, photo((900, 900)), product_id=a.product_id).status == 404
    assert jobs(owner) == [], "no job for a product that is not yours"
    page = api.brand(b, "GET", "/api/v1/products").json()
    assert all(p["imageVariants"] == [] for p in page["items"])

    # A forged job naming brand b and a's product: row-level security and the brand
    # filter find no product, so nothing is written.
    row = product_row(owner, a.product_id)
    with owner.begin() as conn:
        conn.execute(
            text("UPDATE products SET image_variants = '[]' WHERE id = :p"), {"p": a.product_id}
        )
    convert_product_image(
        {"brandId": b.brand_id, "productId": a.product_id, "key": key},
        storage=bootstrap.storage(),
    )
    assert product_row(owner, a.product_id)[1] == []
    assert row[1], "a's own job had recorded them"


def test_cleanup_removes_replaced_images_and_keeps_what_products_and_renders_use(
    api: Api, tenants: tuple[Tenant, Tenant], owner: Engine
):
    import os
    import time
    from datetime import UTC, datetime

    from atelier.rendering.cleanup import GRACE, cleanup

    a, _ = tenants
    old_key = upload(api, a, photo(colour=(10, 10, 10))).json()["key"]
    run_worker()
    new_key = upload(api, a, photo(colour=(240, 240, 240))).json()["key"]
    run_worker()
    # A render still pending with the old image as its base keeps that image alive.
    with owner.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO render_results (id, brand_id, render_id, type, status, metadata)"
                " VALUES (atelier_new_id(), :b, 'r-pending', 'preview', 'pending', CAST(:meta AS jsonb))"
            ),
            {"b": a.brand_id, "meta": json.dumps({"options": {"baseImage": old_key}})},
        )
    storage = bootstrap.storage()
    past = time.time() - 2 * GRACE.total_seconds()
    for key in storage.keys("products/"):
        os.utime(storage.root / key, (past, past))  # type: ignore[attr-defined]
    old_variants = [k for k in storage.keys(variant_prefix(old_key))]
    assert old_variants, "the replaced image had variants"

    cleanup(owner, storage, now=datetime.now(UTC))

    current = [new_key, *storage.keys(variant_prefix(new_key))]
    assert all(storage.exists(k) for k in current), "what the product shows stays"
    assert len(current) == 3
    assert not any(storage.exists(k) for k in old_variants), "replaced variants go"
    assert storage.exists(old_key), "a pending render's base image stays"
    with owner.begin() as conn:
        conn.execute(text("DELETE FROM render_results WHERE render_id = 'r-pending'"))
    cleanup(owner, storage, now=datetime.now(UTC))
    assert not storage.exists(old_key), "then nothing uses it any more"
    assert all(storage.exists(k) for k in current)


def test_the_schedule_asks_again_for_conversions_that_were_lost(
    api: Api, tenants: tuple[Tenant, Tenant], owner: Engine
):
    from datetime import UTC, datetime, timedelta

    from atelier.catalog.image_variants import RETRY_WINDOW, SETTLE, request_missing_conversions

    a, _ = tenants
    key = upload(api, a, photo()).json()["key"]
    with owner.begin() as conn:  # the job was lost (say the queue was down after the commit)
        conn.execute(text("DELETE FROM queue_messages WHERE queue = :q"), {"q": QUEUE})
    queue = bootstrap.queue()
    now = datetime.now(UTC)
    assert request_missing_conversions(owner, queue, now=now) == 0, "too early: still settling"
    later = now + SETTLE + timedelta(minutes=1)
    assert request_missing_conversions(owner, queue, now=later) == 1
    assert jobs(owner) == [{"brandId": a.brand_id, "productId": a.product_id, "key": key}]
    assert run_worker() == 1
    assert len(config(api, a).json()["product"]["imageVariants"]) == 2
    assert request_missing_conversions(owner, queue, now=later) == 0, "converted: nothing to ask"
    # An image that never converts is given up on after the retry window.
    with owner.begin() as conn:
        conn.execute(text("UPDATE products SET image_variants = '[]'::jsonb"))
    assert request_missing_conversions(owner, queue, now=now + RETRY_WINDOW + SETTLE) == 0
