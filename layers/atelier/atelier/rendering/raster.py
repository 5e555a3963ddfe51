"""2D renders with Pillow, drawn from the same glyph outlines the manufacturing files use.

Text is not rasterized by a font engine of its own: each glyph's outline (HarfBuzz-shaped,
fontTools-outlined, placed by `atelier.typography.layout`) is filled as polygons at 3×
and downsampled, so the preview shows exactly the geometry the workshop will cut.
Contours wound against a glyph's main contour are holes (TrueType and CFF both wind
counters opposite to outer contours).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from atelier.catalog.config import Effect
from atelier.specs.model import DesignSpec, TextZone
from atelier.typography.fonts import LoadedFont
from atelier.typography.outlines import flatten, signed_area
from atelier.typography.placement import zone_glyph_paths

SUPERSAMPLE = 3
MATERIAL_RGB = (222, 196, 160)  # neutral light wood until products carry a base image
THUMBNAIL_PX = 200


@dataclass(frozen=True)
class Raster:
    png: bytes
    webp: bytes
    thumbnail_webp: bytes
    width_px: int
    height_px: int


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in rgb)  # type: ignore[return-value]


def _zone_mask(
    zone: TextZone, font: LoadedFont, size: tuple[int, int], px_per_mm: float
) -> Image.Image:
    """Coverage mask of one zone's text at the canvas resolution."""
    scale = px_per_mm * SUPERSAMPLE
    big = Image.new("L", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    tolerance = 0.25 / scale  # a quarter of a supersampled pixel, in mm
    for path in zone_glyph_paths(zone, font):
        contours = [c for c in flatten(path, tolerance) if len(c) > 2]
        if not contours:
            continue
        areas = [signed_area(c) for c in contours]
        main = max(range(len(contours)), key=lambda i: abs(areas[i]))
        outer_sign = math.copysign(1, areas[main])
        for want_fill in (True, False):  # fills first, then the counters punched out
            for contour, area in zip(contours, areas, strict=True):
                if (math.copysign(1, area) == outer_sign) == want_fill:
                    draw.polygon(
                        [(x * scale, y * scale) for x, y in contour], fill=255 if want_fill else 0
                    )
    return big.resize(size, Image.Resampling.BOX)


def _paint(canvas: Image.Image, mask: Image.Image, zone: TextZone, px_per_mm: float) -> None:
    rgb = _rgb(zone.color)
    offset = max(1, round(0.15 * px_per_mm))  # ~0.15 mm of relief
    if zone.effect is Effect.ENGRAVED:
        # A cut catches light on its lower edge and is darker inside.
        highlight = ImageChops.offset(mask, offset, offset)
        canvas.paste(_shade(MATERIAL_RGB, 1.12), (0, 0), highlight)
        canvas.paste(_shade(rgb, 0.85), (0, 0), mask)
    elif zone.effect is Effect.EMBOSSED:
        shadow = ImageChops.offset(mask, offset, offset)
        canvas.paste(_shade(MATERIAL_RGB, 0.7), (0, 0), shadow)
        canvas.paste(_shade(rgb, 1.1), (0, 0), mask)
    elif zone.effect is Effect.OUTLINE:
        grown = mask.filter(ImageFilter.MaxFilter(2 * offset + 1))
        canvas.paste(rgb, (0, 0), ImageChops.subtract(grown, mask))
    else:
        canvas.paste(rgb, (0, 0), mask)


def _background(base: bytes | None, size: tuple[int, int]) -> Image.Image:
    """The product's base image covering the canvas (cropped to its proportions), or the
    bare material colour."""
    if base is None:
        return Image.new("RGB", size, MATERIAL_RGB)
    with Image.open(io.BytesIO(base)) as source:
        return ImageOps.fit(source.convert("RGB"), size, Image.Resampling.LANCZOS)


def render(
    spec: DesignSpec,
    fonts: Mapping[str, LoadedFont],
    *,
    px_per_mm: float,
    base_image: bytes | None = None,
) -> Image.Image:
    width = max(1, round(spec.canvas.width_mm * px_per_mm))
    height = max(1, round(spec.canvas.height_mm * px_per_mm))
    canvas = _background(base_image, (width, height))
    for zone in spec.zones:
        mask = _zone_mask(zone, fonts[zone.font.sha256], (width, height), px_per_mm)
        _paint(canvas, mask, zone, px_per_mm)
    return canvas


def encode(image: Image.Image, *, dpi: float | None = None) -> Raster:
    png, webp, thumb = io.BytesIO(), io.BytesIO(), io.BytesIO()
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    image.save(png, "PNG", compress_level=6, **extra)
    image.save(webp, "WEBP", quality=90, method=4)
    small = image.copy()
    small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.LANCZOS)
    square = Image.new("RGB", (THUMBNAIL_PX, THUMBNAIL_PX), (255, 255, 255))
    square.paste(small, ((THUMBNAIL_PX - small.width) // 2, (THUMBNAIL_PX - small.height) // 2))
    square.save(thumb, "WEBP", quality=85)
    return Raster(png.getvalue(), webp.getvalue(), thumb.getvalue(), image.width, image.height)
