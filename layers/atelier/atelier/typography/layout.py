"""Text layout in millimetres: the single geometry that auto-fit, previews and
manufacturing files share.

Conventions (one place, used everywhere): the font size is the em size in mm; a block's
first line is (ascender − descender) tall; each further line adds size × line_spacing;
the first baseline sits at the ascender. x grows right, y grows down, origin at the
block's top-left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from atelier.catalog.config import Alignment
from atelier.typography.fonts import LoadedFont
from atelier.typography.shaping import advance_units, shape_line


@dataclass(frozen=True)
class PlacedGlyph:
    """A glyph's baseline origin in mm, y down, relative to the block's top-left."""

    glyph_id: int
    x_mm: float
    y_mm: float


@dataclass(frozen=True)
class TextLayout:
    """A laid-out text block. `width_mm` is the widest line; glyph x positions already
    include the alignment offset within the box (or within the widest line)."""

    glyphs: list[PlacedGlyph]
    line_widths_mm: list[float]
    width_mm: float
    height_mm: float
    size_mm: float


def _scale(font: LoadedFont, size_mm: float) -> float:
    return size_mm / font.units_per_em


def ascender_mm(font: LoadedFont, size_mm: float) -> float:
    """Distance from the block's top to the first baseline."""
    return font.metrics[0] * _scale(font, size_mm)


def line_height_mm(font: LoadedFont, size_mm: float, line_spacing: float) -> float:
    """Baseline-to-baseline distance: the em size times the zone's line spacing (the
    font's own line gap is deliberately ignored so every font spaces lines alike)."""
    return size_mm * line_spacing


def block_height_mm(font: LoadedFont, size_mm: float, n_lines: int, line_spacing: float) -> float:
    """Height of `n_lines` lines: (ascender − descender) for the first, plus one
    `line_height_mm` for each further line. Zero lines are zero tall."""
    if n_lines <= 0:
        return 0.0
    ascender, descender, _ = font.metrics
    first = (ascender - descender) * _scale(font, size_mm)
    return first + (n_lines - 1) * line_height_mm(font, size_mm, line_spacing)


def measure_line_mm(font: LoadedFont, text: str, size_mm: float) -> float:
    """Shaped advance width of one line in mm (kerning and ligatures included)."""
    return advance_units(font, text) * _scale(font, size_mm)


def layout_text(
    font: LoadedFont,
    lines: list[str],
    size_mm: float,
    *,
    alignment: Alignment,
    line_spacing: float,
    box_width_mm: float | None = None,
) -> TextLayout:
    """Shape and place `lines` at `size_mm`, each aligned within `box_width_mm` (or within
    the widest line when no box is given); baselines `line_height_mm` apart."""
    scale = _scale(font, size_mm)
    widths = [measure_line_mm(font, line, size_mm) for line in lines]
    width = box_width_mm if box_width_mm is not None else max(widths, default=0.0)
    baseline = ascender_mm(font, size_mm)
    placed: list[PlacedGlyph] = []
    for line, line_width in zip(lines, widths, strict=True):
        if alignment is Alignment.LEFT:
            x = 0.0
        elif alignment is Alignment.RIGHT:
            x = width - line_width
        else:
            x = (width - line_width) / 2
        for glyph in shape_line(font, line):
            placed.append(
                PlacedGlyph(
                    glyph_id=glyph.glyph_id,
                    x_mm=x + glyph.x_offset * scale,
                    y_mm=baseline - glyph.y_offset * scale,
                )
            )
            x += glyph.x_advance * scale
        baseline += line_height_mm(font, size_mm, line_spacing)
    return TextLayout(
        glyphs=placed,
        line_widths_mm=widths,
        width_mm=max(widths, default=0.0),
        height_mm=block_height_mm(font, size_mm, len(lines), line_spacing),
        size_mm=size_mm,
    )


@dataclass(frozen=True)
class ArcPlacement:
    """Where a glyph sits on an arc: its origin and the angle (radians, clockwise) it turns."""

    x_mm: float
    y_mm: float
    angle: float


def arc_placements(layout: TextLayout, *, bend: float = 1.0) -> list[ArcPlacement]:
    """Text on an arc: each glyph's baseline origin moved onto a circle bulging upwards,
    turned to follow it. The radius is the block's width divided by `bend`, so the text
    spans about `bend` radians whatever its length. One place for renders and exporters."""
    radius = max(layout.width_mm, 1e-6) / bend
    left = min((g.x_mm for g in layout.glyphs), default=0.0)
    cx = left + layout.width_mm / 2  # the text's own centre, wherever alignment put it
    out = []
    for glyph in layout.glyphs:
        theta = (glyph.x_mm - cx) / radius
        centre_y = glyph.y_mm + radius
        out.append(
            ArcPlacement(
                x_mm=cx + radius * math.sin(theta),
                y_mm=centre_y - radius * math.cos(theta),
                angle=theta,
            )
        )
    return out


def place_on_arc(
    point: tuple[float, float], origin: tuple[float, float], placement: ArcPlacement
) -> tuple[float, float]:
    """A point of a glyph drawn at `origin`, moved to its place on the arc."""
    dx, dy = point[0] - origin[0], point[1] - origin[1]
    cos, sin = math.cos(placement.angle), math.sin(placement.angle)
    return placement.x_mm + dx * cos - dy * sin, placement.y_mm + dx * sin + dy * cos
