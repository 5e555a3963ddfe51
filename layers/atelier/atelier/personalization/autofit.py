"""Auto-fit: the largest size at which the text, shaped with the real font, fits the zone.

Advances scale linearly with size, so shaping happens once in font units and a width at
any size is a multiplication. Line breaking does depend on the size, but only through
arithmetic: every word is shaped once, and a candidate line's width is the sum of its
words and spaces (kerning across a space is negligible and the chosen lines are then
measured exactly, so the fit check never lies). The binary search runs over the 0.01 mm
grid between the bounds: about a dozen steps for a 2–20 mm range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from atelier.typography.fonts import LoadedFont
from atelier.typography.layout import block_height_mm
from atelier.typography.shaping import advance_units

PRECISION_MM = 0.01
_STEPS_PER_MM = 100  # the 0.01 mm grid as integers, so sizes never drift (2.9999999…)
_EPSILON = 1e-9
_BREAK = re.compile(r" +")  # only ordinary spaces break; a no-break space never does


@dataclass(frozen=True)
class FitResult:
    """Outcome of `auto_fit`: the chosen size, its lines and the block's size in mm."""

    size_mm: float
    lines: list[str]
    width_mm: float
    height_mm: float
    fits: bool


@dataclass(frozen=True)
class _Paragraph:
    text: str
    units: float  # the whole paragraph shaped as one line
    words: tuple[str, ...]
    word_units: tuple[float, ...]
    space_units: float


@lru_cache(maxsize=2048)
def _measure(font: LoadedFont, text: str) -> tuple[_Paragraph, ...]:
    """Each explicit line of `text` measured once, in font units."""
    space = advance_units(font, " ")
    out = []
    for paragraph in text.split("\n"):
        words = tuple(w for w in _BREAK.split(paragraph) if w)
        out.append(
            _Paragraph(
                text=paragraph,
                units=advance_units(font, paragraph),
                words=words,
                word_units=tuple(advance_units(font, w) for w in words),
                space_units=space,
            )
        )
    return tuple(out)


def _wrap_paragraph(p: _Paragraph, limit_units: float) -> list[str]:
    if p.units <= limit_units + _EPSILON or len(p.words) <= 1:
        return [p.text]  # fits as typed (or one word too wide: the size search shrinks it)
    lines: list[str] = []
    current = [p.words[0]]
    width = p.word_units[0]
    for word, units in zip(p.words[1:], p.word_units[1:], strict=True):
        candidate = width + p.space_units + units
        if candidate <= limit_units + _EPSILON:
            current.append(word)
            width = candidate
        else:
            lines.append(" ".join(current))
            current, width = [word], units
    lines.append(" ".join(current))
    return lines


def wrap_lines(
    font: LoadedFont, text: str, size_mm: float, box_width_mm: float, max_lines: int
) -> list[str] | None:
    """Greedy breaking at spaces within the explicit lines of `text`; None if that needs
    more than `max_lines` lines. A single word wider than the box stays whole."""
    limit = box_width_mm * font.units_per_em / size_mm
    lines: list[str] = []
    for paragraph in _measure(font, text):
        lines.extend(_wrap_paragraph(paragraph, limit))
        if len(lines) > max_lines:
            return None
    return lines


def _block(font: LoadedFont, lines: list[str], size: float, spacing: float) -> tuple[float, float]:
    scale = size / font.units_per_em
    width = max((advance_units(font, line) for line in lines), default=0.0) * scale
    return width, block_height_mm(font, size, len(lines), spacing)


def _fit_at(
    font: LoadedFont, text: str, size: float, w: float, h: float, max_lines: int, spacing: float
) -> tuple[bool, list[str], float, float]:
    lines = wrap_lines(font, text, size, w, max_lines)
    if lines is None:
        return False, [], 0.0, 0.0
    width, height = _block(font, lines, size, spacing)  # exact: the lines as shaped
    return width <= w + _EPSILON and height <= h + _EPSILON, lines, width, height


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
    """The largest size in [min, max] (on the 0.01 mm grid, or max itself) at which the
    text, wrapped greedily at spaces into at most `max_lines` lines (explicit line breaks
    kept), fits the box. If nothing fits: `fits=False` at the minimum size, with the text
    wrapped as well as it can be (possibly more lines than allowed)."""
    if not text:
        return FitResult(max_size_mm, [], 0.0, 0.0, True)
    args = (box_width_mm, box_height_mm, max_lines, line_spacing)
    ok, lines, width, height = _fit_at(font, text, max_size_mm, *args)
    if ok:
        return FitResult(max_size_mm, lines, width, height, True)
    ok, lines, width, height = _fit_at(font, text, min_size_mm, *args)
    if not ok:
        fallback = wrap_lines(font, text, min_size_mm, box_width_mm, 10_000) or [text]
        width, height = _block(font, fallback, min_size_mm, line_spacing)
        return FitResult(min_size_mm, fallback, width, height, False)
    best = (min_size_mm, lines, width, height)
    # Invariant: fits at the grid step below `low` (or at min), not at `high` (or at max).
    low = math.floor(min_size_mm * _STEPS_PER_MM + _EPSILON) + 1
    high = math.ceil(max_size_mm * _STEPS_PER_MM - _EPSILON) - 1
    while low <= high:
        mid = (low + high) // 2
        size = mid / _STEPS_PER_MM
        ok, lines, width, height = _fit_at(font, text, size, *args)
        if ok:
            best = (size, lines, width, height)
            low = mid + 1
        else:
            high = mid - 1
    size, lines, width, height = best
    return FitResult(round(size, 2), lines, width, height, True)
