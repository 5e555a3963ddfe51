"""Render benchmarks: a 1024 px, three-zone preview (ours vs ImageMagick drawing the same
text at the same size in the same run), and GLB/USDZ build time and size."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from atelier.local.seed import demo_font_files
from atelier.rendering.model3d import build_glb, mesh_for
from atelier.rendering.raster import encode, render
from atelier.rendering.usdz import build_usdz
from atelier.specs.canonical import parse_spec
from atelier.typography.fonts import load_font
from bench.stats import percentile, summary_ms

RUNS = int(os.environ.get("BENCH_RENDER_RUNS", "40"))
WIDTH_MM, HEIGHT_MM, LONG_SIDE = 120, 60, 1024
PX_PER_MM = LONG_SIDE / WIDTH_MM

ZONES = [  # text, x, y, w, h, size (mm)
    ("Zoé & Martin", 10, 8, 100, 28, 14.0),
    ("12.05.2026", 20, 40, 80, 12, 7.0),
    ("Pour toujours", 5, 50, 40, 8, 4.0),
]


def _spec(sha: str) -> dict:
    return {
        "specVersion": "1.0.0",
        "productId": "bench",
        "canvas": {"widthMm": WIDTH_MM, "heightMm": HEIGHT_MM},
        "zones": [
            {
                "zoneId": f"z{i}",
                "geometry": {"xMm": x, "yMm": y, "widthMm": w, "heightMm": h},
                "text": text,
                "lines": [text],
                "font": {"id": "f", "family": "Roboto", "sha256": sha},
                "color": "#1a1a1a",
                "sizeMm": size,
            }
            for i, (text, x, y, w, h, size) in enumerate(ZONES)
        ],
    }


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _imagemagick(font_path: Path, out: Path) -> list[str] | None:
    binary = shutil.which("magick") or shutil.which("convert")
    if binary is None:
        return None
    probe = subprocess.run([binary, "-version"], capture_output=True, text=True, check=False)
    if "ImageMagick" not in probe.stdout:
        return None
    cmd = [
        binary,
        "-size",
        f"{LONG_SIDE}x{round(HEIGHT_MM * PX_PER_MM)}",
        "xc:#dec4a0",
        "-font",
        str(font_path),
        "-fill",
        "#1a1a1a",
    ]
    for text, x, y, _w, h, size in ZONES:
        # -pointsize is in points at 72 dpi: one point per pixel here, the em size in px
        cmd += [
            "-pointsize",
            f"{size * PX_PER_MM:.2f}",
            "-annotate",
            f"+{x * PX_PER_MM:.0f}+{(y + h * 0.75) * PX_PER_MM:.0f}",
            text,
        ]
    return [*cmd, str(out)]


def run() -> None:
    font_path = next(p for p in demo_font_files() if p.name.startswith("Roboto"))
    font = load_font(font_path.read_bytes())
    spec = parse_spec(_spec(font.sha256))
    fonts = {font.sha256: font}
    print(f"\n== 2D preview: {LONG_SIDE} px, three zones ({RUNS} runs) ==")
    drawn = _time(lambda: render(spec, fonts, px_per_mm=PX_PER_MM), RUNS)
    print(f"{'atelier render (outlines, 3x AA)':38s} {summary_ms(drawn)}")
    image = render(spec, fonts, px_per_mm=PX_PER_MM)
    encoded = _time(lambda: encode(image), max(5, RUNS // 4))
    print(f"{'encode PNG + WebP + thumbnail':38s} {summary_ms(encoded)}")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = _imagemagick(font_path, Path(tmp) / "im.png")
        if cmd is None:
            print("ImageMagick not installed (apt-get install imagemagick): no comparison")
        else:
            im = _time(
                lambda: subprocess.run(cmd, check=True, capture_output=True), max(5, RUNS // 2)
            )
            print(f"{'ImageMagick, same text and sizes':38s} {summary_ms(im)}")
            ratio = percentile(drawn, 50) / percentile(im, 50)
            note = "ImageMagick's figure includes its process start"
            print(f"ratio atelier/ImageMagick (p50): {ratio:.2f}  ({note})")
    png = encode(image).png
    print("\n== 3D and AR previews ==")
    for template in ("plate", "cylinder", "disc"):
        mesh = mesh_for(template, WIDTH_MM, HEIGHT_MM)
        glb_t = _time(partial(build_glb, mesh, png), 20)
        usdz_t = _time(partial(build_usdz, mesh, png), 20)
        glb_kb, usdz_kb = len(build_glb(mesh, png)) / 1024, len(build_usdz(mesh, png)) / 1024
        glb_ms, usdz_ms = percentile(glb_t, 50) * 1000, percentile(usdz_t, 50) * 1000
        glb, usdz = (
            f"GLB {glb_ms:6.2f} ms {glb_kb:7.1f} kB",
            f"USDZ {usdz_ms:6.2f} ms {usdz_kb:7.1f} kB",
        )
        print(f"{template:9s} {glb}   {usdz}")
