"""Auto-fit: the largest size at which the text, shaped with the real font, fits the zone.

Advances scale linearly with size, so each line is shaped once (in font units) and its
width at any size is a multiplication; only line breaking depends on the size. A binary
search over [min, max] at 0.01 mm then costs a few dozen multiplications.
"""

from __future__ import annotations

from dataclasses import dataclass

from atelier.typography.fonts import LoadedFont
from atelier.typography.layout import block_height_mm
from atelier.typography.shaping import advance_units

PRECISION_MM = 0.01


@dataclass(frozen=True)
class FitResult:
    size_mm: float
    lines: list[str]
    width_mm: float
    height_mm: float
    fits: bool


def _width_mm(font: LoadedFont, text: str, size_mm: float) -> float:
    return advance_units(font, text) * size_mm / font.units_per_em


def wrap_lines(
    font: LoadedFont, text: str, size_mm: float, box_width_mm: float, max_lines: int
) -> list[str] | None:
    """Greedy breaking at spaces within explicit lines; None if it needs too many lines.
    A single word wider than the box stays whole (the caller's size search shrinks it)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        current = words[0]
        for word in words[1:]:
            candidate = f"{current} {word}"
            if _width_mm(font, candidate, size_mm) <= box_width_mm:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
        if len(lines) > max_lines:
            return None
    return lines


def _fit_at(
    font: LoadedFont, text: str, size: float, w: float, h: float, max_lines: int, spacing: float
) -> tuple[bool, list[str], float, float]:
    lines = (
        wrap_lines(font, text, size, w, max_lines) if max_lines > 1 else [text.replace("\n", " ")]
    )
    if lines is None:
        return False, [], 0.0, 0.0
    width = max(_width_mm(font, line, size) for line in lines)
    height = block_height_mm(font, size, len(lines), spacing)
    return width <= w + 1e-9 and height <= h + 1e-9, lines, width, height


def auto_fit(
    font: LoadedFont,
    text: str,
    *,
    box_width_mm: float,
    box_height_mm: float,
    max_lines: int,
    min_size_mm: float,
    max_size_mm: float,
    line_spacing: float,
) -> FitResult:
    args = (box_width_mm, box_height_mm, max_lines, line_spacing)
    ok, lines, width, height = _fit_at(font, text, max_size_mm, *args)
    if ok:
        return FitResult(max_size_mm, lines, width, height, True)
    ok, lines, width, height = _fit_at(font, text, min_size_mm, *args)
    if not ok:
        fallback = lines or [text]
        return FitResult(min_size_mm, fallback, width, height, False)
    low, high = min_size_mm, max_size_mm  # fits at low, not at high
    best = (lines, width, height)
    while high - low > PRECISION_MM:
        mid = (low + high) / 2
        ok, lines, width, height = _fit_at(font, text, mid, *args)
        if ok:
            low, best = mid, (lines, width, height)
        else:
            high = mid
    size = max(min_size_mm, int(low / PRECISION_MM) * PRECISION_MM)  # round down: still fits
    ok, lines, width, height = _fit_at(font, text, size, *args)
    if not ok:  # pragma: no cover - rounding down can only shrink the text
        lines, width, height = best
        size = low
    return FitResult(round(size, 2), lines, width, height, True)
