"""Glyph outlines from fontTools, placed in millimetres (y down) where the layout put them.

Curves stay Béziers here (quadratic for TrueType, cubic for CFF): the vector exporters keep
them; the raster renderer flattens them at its own resolution.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

from fontTools.pens.basePen import BasePen

from atelier.typography.fonts import LoadedFont
from atelier.typography.layout import TextLayout

Command = tuple[str, tuple[float, ...]]  # ("M"|"L"|"Q"|"C"|"Z", coordinates)


class _RecordingPen(BasePen):
    """Records a glyph in font units, decomposing TrueType implied points into plain
    quadratic segments (BasePen does that for us)."""

    def __init__(self, glyph_set: object) -> None:
        super().__init__(glyph_set)
        self.commands: list[Command] = []

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.commands.append(("M", pt))

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.commands.append(("L", pt))

    def _qCurveToOne(self, pt1: tuple[float, float], pt2: tuple[float, float]) -> None:
        self.commands.append(("Q", (*pt1, *pt2)))

    def _curveToOne(
        self, pt1: tuple[float, float], pt2: tuple[float, float], pt3: tuple[float, float]
    ) -> None:
        self.commands.append(("C", (*pt1, *pt2, *pt3)))

    def _closePath(self) -> None:
        self.commands.append(("Z", ()))

    def _endPath(self) -> None:
        self.commands.append(("Z", ()))


@lru_cache(maxsize=8192)
def glyph_commands(font: LoadedFont, glyph_id: int) -> tuple[Command, ...]:
    """A glyph's outline in font units, y up."""
    glyph_set = font.ttfont.getGlyphSet()
    name = font.ttfont.getGlyphName(glyph_id)
    pen = _RecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return tuple(pen.commands)


def glyph_path_mm(
    font: LoadedFont, glyph_id: int, size_mm: float, x_mm: float, y_mm: float
) -> list[Command]:
    """The outline scaled to `size_mm`, origin at (x_mm, y_mm) on the baseline, y down."""
    scale = size_mm / font.units_per_em
    out: list[Command] = []
    for op, coords in glyph_commands(font, glyph_id):
        placed = tuple(
            x_mm + c * scale if i % 2 == 0 else y_mm - c * scale for i, c in enumerate(coords)
        )
        out.append((op, placed))
    return out


def layout_paths(font: LoadedFont, layout: TextLayout) -> Iterator[list[Command]]:
    """Every glyph's outline (mm, y down) where the layout placed it, in visual order."""
    for glyph in layout.glyphs:
        yield glyph_path_mm(font, glyph.glyph_id, layout.size_mm, glyph.x_mm, glyph.y_mm)


def layout_svg_path(font: LoadedFont, layout: TextLayout, *, decimals: int = 3) -> str:
    """The whole layout as one SVG path `d` string in mm (y down), Béziers kept.

    Three decimals are micrometres: finer than any engraver or cutter resolves, and it
    keeps the string short enough for a JSON response or an SVG file.
    """
    parts: list[str] = []
    for path in layout_paths(font, layout):
        for op, coords in path:
            parts.append(op + " ".join(_num(c, decimals) for c in coords) if coords else op)
    return " ".join(parts)


def _num(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def flatten(path: list[Command], tolerance: float) -> list[list[tuple[float, float]]]:
    """Contours as polylines: Béziers subdivided until within `tolerance` (same units)."""
    contours: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for op, c in path:
        if op == "M":
            if len(current) > 2:
                contours.append(current)
            current = [(c[0], c[1])]
        elif op == "L":
            current.append((c[0], c[1]))
        elif op == "Q":
            p0 = current[-1]
            steps = _steps(p0, (c[0], c[1]), (c[2], c[3]), tolerance)
            for i in range(1, steps + 1):
                t = i / steps
                u = 1 - t
                current.append(
                    (
                        u * u * p0[0] + 2 * u * t * c[0] + t * t * c[2],
                        u * u * p0[1] + 2 * u * t * c[1] + t * t * c[3],
                    )
                )
        elif op == "C":
            p0 = current[-1]
            steps = _steps(p0, (c[0], c[1]), (c[4], c[5]), tolerance, (c[2], c[3]))
            for i in range(1, steps + 1):
                t = i / steps
                u = 1 - t
                current.append(
                    (
                        u**3 * p0[0] + 3 * u * u * t * c[0] + 3 * u * t * t * c[2] + t**3 * c[4],
                        u**3 * p0[1] + 3 * u * u * t * c[1] + 3 * u * t * t * c[3] + t**3 * c[5],
                    )
                )
        elif op == "Z" and len(current) > 2:
            contours.append(current)
            current = []
    if len(current) > 2:
        contours.append(current)
    return contours


def _steps(
    p0: tuple[float, float],
    p1: tuple[float, float],
    p2: tuple[float, float],
    tolerance: float,
    p3: tuple[float, float] | None = None,
) -> int:
    # The control polygon's length bounds the curve; segments of √(8·tol·len)… keep it simple:
    # enough segments that each is short relative to the tolerance.
    pts = [p0, p1, p2] if p3 is None else [p0, p1, p3, p2]
    length = sum(((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in pairwise(pts))
    return max(1, min(64, int((length / max(tolerance, 1e-6)) ** 0.5) + 1))


def signed_area(contour: list[tuple[float, float]]) -> float:
    """Shoelace area of a closed polyline; the sign gives the winding direction."""
    area = 0.0
    for (x0, y0), (x1, y1) in zip(contour, contour[1:] + contour[:1], strict=True):
        area += x0 * y1 - x1 * y0
    return area / 2
