"""Small statistics helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: Sequence[float]) -> str:
    """p50/p95 of samples given in seconds, in milliseconds."""
    p50, p95 = percentile(samples, 50) * 1000, percentile(samples, 95) * 1000
    mean = statistics.fmean(samples) * 1000
    return f"p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   mean {mean:8.2f} ms   n={len(samples)}"
