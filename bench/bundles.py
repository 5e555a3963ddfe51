"""Production bundle for a three-zone design (SVG, DXF, PDF, 300 DPI PNG, ZIP), against
Inkscape's command line converting the same SVG to PDF and DXF in the same run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from atelier.manufacturing.bundle import BundleContext, build_bundle
from atelier.manufacturing.vector import svg
from atelier.specs.canonical import parse_spec
from bench.renders import _spec, _time
from bench.stats import percentile, summary_ms

RUNS = int(os.environ.get("BENCH_BUNDLE_RUNS", "10"))


def run() -> None:
    from atelier.local.seed import demo_font_files
    from atelier.typography.fonts import load_font

    font_path = next(p for p in demo_font_files() if p.name.startswith("Roboto"))
    font = load_font(font_path.read_bytes())
    spec = parse_spec(_spec(font.sha256))
    fonts = {font.sha256: font}
    context = BundleContext(snapshot_id="bench", dpi=300)
    print(f"\n== production bundle, three zones, 300 DPI ({RUNS} runs) ==")
    ours = _time(lambda: build_bundle(spec, fonts, context), RUNS)
    print(f"{'atelier bundle (SVG+DXF+PDF+PNG+ZIP)':38s} {summary_ms(ours)}")
    inkscape = shutil.which("inkscape")
    if inkscape is None:
        print("Inkscape not installed (apt-get install inkscape): no comparison")
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "design.svg"
        source.write_bytes(svg(spec, fonts))
        candidates = {
            "PDF": [inkscape, str(source), "--export-type=pdf", f"--export-filename={tmp}/d.pdf"],
            "DXF": [inkscape, str(source), "--export-type=dxf", f"--export-filename={tmp}/d.dxf"],
        }
        env = {**os.environ, "HOME": tmp}
        commands = []
        for name, command in candidates.items():
            # Inkscape's DXF export is a Python extension that needs a display on some
            # installs: compare with what works here, and say what did not.
            done = subprocess.run(command, capture_output=True, env=env, check=False)
            if done.returncode == 0:
                commands.append(command)
            else:
                print(f"Inkscape's {name} export fails on this machine: left out of the ratio")
        if not commands:
            return

        def convert() -> None:
            for command in commands:
                subprocess.run(command, check=True, capture_output=True, env=env)

        theirs = _time(convert, max(3, RUNS // 2))
        print(f"{'Inkscape CLI on the same SVG':38s} {summary_ms(theirs)}")
        ratio = percentile(ours, 50) / percentile(theirs, 50)
        print(f"ratio atelier/Inkscape (p50): {ratio:.2f}  (Inkscape does less: no PNG, no ZIP)")
