"""The production bundle: every file the workshop needs, in one ZIP with a manifest.

The same snapshot always gives the same bytes: files are generated deterministically,
entries are sorted, timestamps and permissions fixed, and the manifest carries no time.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import ImageCms

from atelier import __version__
from atelier.manufacturing.vector import dxf, layer_name, operation, pdf, svg
from atelier.rendering.raster import render
from atelier.specs.canonical import spec_hash
from atelier.specs.model import DesignSpec
from atelier.typography.fonts import LoadedFont

GENERATOR = f"atelier-manufacturing/{__version__}"
MM_PER_INCH = 25.4
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FORMATS = {
    "svg": "image/svg+xml",
    "dxf": "application/dxf",
    "pdf": "application/pdf",
    "png": "image/png",
}


@dataclass(frozen=True)
class BundleContext:
    snapshot_id: str
    order_id: str | None = None
    work_order_id: str | None = None
    dpi: int = 300


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """LittleCMS's sRGB profile with its creation date zeroed (ICC header bytes 24–35),
    so the print file does not change with the clock."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = bytes(12)
    return bytes(profile)


def print_png(spec: DesignSpec, fonts: Mapping[str, LoadedFont], dpi: int) -> bytes:
    """The print file: the design at `dpi` on the product's physical size, sRGB tagged."""
    image = render(spec, fonts, px_per_mm=dpi / MM_PER_INCH)
    profile = srgb_profile()
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), icc_profile=profile)
    return out.getvalue()


def build_bundle(
    spec: DesignSpec, fonts: Mapping[str, LoadedFont], context: BundleContext
) -> tuple[bytes, dict[str, Any]]:
    files = {
        "design.svg": svg(spec, fonts),
        "design.dxf": dxf(spec, fonts),
        "design.pdf": pdf(spec, fonts),
        "print.png": print_png(spec, fonts, context.dpi),
    }
    manifest: dict[str, Any] = {
        "generator": GENERATOR,
        "specHash": spec_hash(spec),
        "specVersion": spec.spec_version,
        "snapshotId": context.snapshot_id,
        "orderId": context.order_id,
        "workOrderId": context.work_order_id,
        "productId": spec.product_id,
        "units": "mm",
        "canvas": {"widthMm": spec.canvas.width_mm, "heightMm": spec.canvas.height_mm},
        "printDpi": context.dpi,
        "zones": [
            {
                "zoneId": z.zone_id,
                "layer": layer_name(z),
                "operation": operation(z),
                "text": z.text,
                "font": {"family": z.font.family, "style": z.font.style, "sha256": z.font.sha256},
                "sizeMm": z.size_mm,
                "geometry": z.geometry.model_dump(by_alias=True),
            }
            for z in spec.zones
        ],
        "files": [
            {
                "name": name,
                "format": name.rsplit(".", 1)[1],
                "mediaType": FORMATS[name.rsplit(".", 1)[1]],
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in sorted(files.items())
        ],
    }
    files["manifest.json"] = (
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix: the same header whichever OS builds it
            archive.writestr(info, files[name])
    return out.getvalue(), manifest
