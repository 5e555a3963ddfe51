"""A spec zone's glyph outlines in canvas millimetres: the one geometry previews, print
files and cutting files are all drawn from.

The text block is laid out by `layout_text`, centred vertically in the zone box, bent onto
an arc for the `arc` effect and turned by the zone's rotation around the box centre. Every
step is an affine map per glyph, so Bézier control points are transformed exactly: curves
stay curves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from atelier.catalog.config import Effect
from atelier.specs.model import TextZone
from atelier.typography.fonts import LoadedFont
from atelier.typography.layout import ArcPlacement, arc_placements, layout_text, place_on_arc
from atelier.typography.outlines import Command, layout_paths

Point = tuple[float, float]


def _map(path: list[Command], f: Callable[[Point], Point]) -> list[Command]:
    out: list[Command] = []
    for op, coords in path:
        mapped: list[float] = []
        for i in range(0, len(coords), 2):
            mapped.extend(f((coords[i], coords[i + 1])))
        out.append((op, tuple(mapped)))
    return out


def _on_arc(p: Point, *, origin: Point, placement: ArcPlacement) -> Point:
    return place_on_arc(p, origin, placement)


def zone_glyph_paths(zone: TextZone, font: LoadedFont) -> list[list[Command]]:
    g = zone.geometry
    layout = layout_text(
        font,
        zone.lines or [zone.text],
        zone.size_mm,
        alignment=zone.alignment,
        line_spacing=zone.line_spacing,
        box_width_mm=g.width_mm,
    )
    origin_x = g.x_mm
    origin_y = g.y_mm + (g.height_mm - layout.height_mm) / 2
    cx, cy = g.x_mm + g.width_mm / 2, g.y_mm + g.height_mm / 2
    angle = math.radians(g.rotation_deg)
    cos, sin = math.cos(angle), math.sin(angle)

    def to_canvas(p: Point) -> Point:
        x, y = p[0] + origin_x - cx, p[1] + origin_y - cy
        return x * cos - y * sin + cx, x * sin + y * cos + cy

    arcs = arc_placements(layout) if zone.effect is Effect.ARC else None
    paths = []
    for index, path in enumerate(layout_paths(font, layout)):
        if arcs is not None:
            glyph = layout.glyphs[index]
            origin = (glyph.x_mm, glyph.y_mm)
            placement = arcs[index]
            path = _map(path, partial(_on_arc, origin=origin, placement=placement))
        paths.append(_map(path, to_canvas))
    return paths
