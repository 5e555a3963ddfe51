"""Renders compared with reference images within a perceptual tolerance.

The references were produced by this renderer and checked by eye; a change that moves ink
(layout, shaping, effects) breaks the comparison, antialiasing noise does not. To accept
a deliberate change, delete the reference and run the test once: it writes a new one and
fails, asking for a look.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter

from atelier.rendering.raster import render
from atelier.specs.canonical import parse_spec
from tests.unit.fontfiles import font

REFERENCE = Path(__file__).with_name("reference")


def spec(font_sha: str, zones: list[tuple[str, str, str]]) -> object:
    return parse_spec(
        {
            "specVersion": "1.0.0",
            "productId": "visual",
            "canvas": {"widthMm": 120, "heightMm": 60},
            "zones": [
                {
                    "zoneId": f"z{i}",
                    "geometry": {"xMm": 10, "yMm": 5 + 18 * i, "widthMm": 100, "heightMm": 16},
                    "text": text,
                    "lines": [text],
                    "font": {"id": "f", "family": "F", "sha256": font_sha},
                    "color": color,
                    "sizeMm": 10,
                    "effect": effect,
                }
                for i, (text, color, effect) in enumerate(zones)
            ],
        }
    )


CASES = {
    "latin": (
        "Roboto",
        [
            ("Zoé & Martin", "#1a1a1a", "engraved"),
            ("Œuvre officielle", "#8b5a2b", "none"),
            ("12.05.2026", "#1a1a1a", "outline"),
        ],
    ),
    "rtl": (
        "DejaVuSans",
        [("سلام عليكم", "#1a1a1a", "none"), ("שלום עולם", "#8b5a2b", "embossed")],
    ),
}


TOLERATED_PIXELS = 10


def perceptual_difference(a: Image.Image, b: Image.Image) -> int:
    """Pixels that differ visibly once antialiasing noise is blurred away (a 1 px blur, then
    a difference above 40 of 255): zero for a faithful render, dozens for a moved accent."""
    blur = ImageFilter.GaussianBlur(1)
    diff = ImageChops.difference(a.convert("L").filter(blur), b.convert("L").filter(blur))
    return sum(diff.point(lambda v: 255 if v > 40 else 0).histogram()[255:])


@pytest.mark.parametrize("case", sorted(CASES))
def test_render_matches_reference(case: str):
    font_name, zones = CASES[case]
    f = font(font_name)
    image = render(spec(f.sha256, zones), {f.sha256: f}, px_per_mm=4)  # type: ignore[arg-type]
    path = REFERENCE / f"{case}.png"
    if not path.exists():
        image.save(path)
        pytest.fail(f"wrote a new reference {path}: look at it, then commit it")
    reference = Image.open(path)
    assert reference.size == image.size
    assert perceptual_difference(image, reference) <= TOLERATED_PIXELS


def test_the_comparison_notices_a_real_change():
    f = font("Roboto")
    zones = CASES["latin"][1]
    base = render(spec(f.sha256, zones), {f.sha256: f}, px_per_mm=4)  # type: ignore[arg-type]
    moved = render(
        spec(f.sha256, [("Zoe & Martin", *zones[0][1:]), *zones[1:]]), {f.sha256: f}, px_per_mm=4
    )  # type: ignore[arg-type]
    assert perceptual_difference(base, moved) > TOLERATED_PIXELS
