"""Cold-start proxy: the import time of each API function module, in a fresh interpreter,
against a bare interpreter start. Heavy media libraries must stay out of these."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from atelier import routes
from bench.stats import percentile

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "5"))
MEDIA = ("PIL", "ezdxf", "reportlab", "pygltflib", "pxr")


def _time(code: str) -> float:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'atelier'}"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def run() -> None:
    bare = percentile([_time("pass") for _ in range(RUNS)], 50)
    print(f"\n== import time (median of {RUNS} fresh interpreters) ==")
    print(f"{'bare python':45s} {bare * 1000:8.1f} ms")
    modules = sorted({r.handler for r in routes.ROUTES} | set(routes.AUTHORIZERS.values()))
    for module in modules:
        check = (
            f"import sys, {module}; "
            f"bad = [m for m in {MEDIA!r} if m in sys.modules]; assert not bad, bad"
        )
        took = percentile([_time(check) for _ in range(RUNS)], 50)
        print(f"{module:45s} {took * 1000:8.1f} ms   {took / bare:5.1f}x bare")
