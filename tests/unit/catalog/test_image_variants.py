"""The Pillow-free side of image variants: keys, the job, the clients' view; and the API
functions that queue or list variants never load a media library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from atelier import routes
from atelier.adapters.storage import LocalStorage
from atelier.catalog.image_variants import (
    QUEUE,
    conversion_job,
    variant_key,
    variants_out,
)

SOURCE = "products/b1/" + "a" * 64 + ".jpg"


def test_variant_keys_follow_from_the_content_addressed_source():
    assert variant_key(SOURCE, 640) == "products/b1/" + "a" * 64 + "/w640.webp"
    assert conversion_job(brand_id="b1", product_id="p1", key=SOURCE) == {
        "brandId": "b1",
        "productId": "p1",
        "key": SOURCE,
    }


def test_the_queue_has_a_media_worker_and_the_image_route_may_send_to_it():
    [worker] = [w for w in routes.WORKERS if w.queue == QUEUE]
    assert worker.handler == "functions.workers.asset_convert"
    assert routes.Layer.MEDIA in worker.layers
    [route] = [r for r in routes.ROUTES if r.handler == "functions.catalog.set_product_image"]
    assert route.sends_to == (QUEUE,) and routes.Layer.MEDIA not in route.layers


def test_clients_get_signed_urls_narrowest_first(tmp_path: Path):
    storage = LocalStorage(tmp_path, "k", "http://127.0.0.1:8000")
    stored = [
        {"width": 640, "height": 320, "format": "webp", "key": variant_key(SOURCE, 640)},
        {"width": 320, "height": 160, "format": "webp", "key": variant_key(SOURCE, 320)},
    ]
    out = variants_out(stored, storage)
    assert [(v.width, v.height, v.format) for v in out] == [(320, 160, "webp"), (640, 320, "webp")]
    assert out[0].url.startswith(f"http://127.0.0.1:8000/files/{variant_key(SOURCE, 320)}?")
    assert out[0].model_dump(by_alias=True).keys() == {"width", "height", "format", "url"}
    assert variants_out([], storage) == [] and variants_out(None, storage) == []


def test_api_functions_showing_or_queueing_variants_do_not_import_pillow():
    modules = [
        "functions.catalog.set_product_image",
        "functions.catalog.get_product",
        "functions.catalog.list_products",
        "functions.widget.config",
    ]
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
