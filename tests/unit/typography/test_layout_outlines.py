"""Layout in millimetres and glyph outlines, with real fonts."""

from __future__ import annotations

import re

import pytest

from atelier.catalog.config import Alignment
from atelier.typography.layout import (
    arc_placements,
    block_height_mm,
    layout_text,
    line_height_mm,
    measure_line_mm,
)
from atelier.typography.outlines import glyph_path_mm, layout_svg_path
from tests.unit.fontpaths import real_font


def test_block_height_follows_the_one_convention():
    f = real_font("roboto")
    ascender, descender, _ = f.metrics
    first = (ascender - descender) * 10 / f.units_per_em
    assert block_height_mm(f, 10, 1, 1.2) == pytest.approx(first)
    assert block_height_mm(f, 10, 3, 1.2) == pytest.approx(first + 2 * 12)
    assert line_height_mm(f, 10, 1.2) == pytest.approx(12)
    assert block_height_mm(f, 10, 0, 1.2) == 0


def test_layout_aligns_lines_in_the_box():
    f = real_font("roboto")
    layout = layout_text(
        f, ["Zoé", "et Martin"], 10, alignment=Alignment.CENTER, line_spacing=1.2, box_width_mm=80
    )
    assert layout.glyphs[0].x_mm == pytest.approx((80 - layout.line_widths_mm[0]) / 2)
    assert layout.height_mm == block_height_mm(f, 10, 2, 1.2)
    assert layout.width_mm == pytest.approx(max(layout.line_widths_mm))
    baselines = sorted({round(g.y_mm, 6) for g in layout.glyphs})
    assert len(baselines) == 2 and baselines[1] - baselines[0] == pytest.approx(12)
    right = layout_text(
        f, ["Zoé"], 10, alignment=Alignment.RIGHT, line_spacing=1.2, box_width_mm=80
    )
    assert right.glyphs[0].x_mm == pytest.approx(80 - right.line_widths_mm[0])
    left = layout_text(f, ["Zoé", "et Martin"], 10, alignment=Alignment.LEFT, line_spacing=1.2)
    assert left.glyphs[0].x_mm == pytest.approx(0, abs=1e-9)


def test_without_a_box_lines_align_within_the_widest():
    f = real_font("roboto")
    layout = layout_text(f, ["a", "wide line"], 10, alignment=Alignment.RIGHT, line_spacing=1.2)
    first_line_end = layout.glyphs[0].x_mm + measure_line_mm(f, "a", 10)
    assert first_line_end == pytest.approx(layout.width_mm)


def test_advances_scale_linearly_with_size():
    f = real_font("lato")
    assert measure_line_mm(f, "Hello", 20) == pytest.approx(2 * measure_line_mm(f, "Hello", 10))


def test_glyph_outline_is_placed_in_mm_y_down():
    f = real_font("roboto")
    [glyph] = layout_text(f, ["H"], 10, alignment=Alignment.LEFT, line_spacing=1.2).glyphs
    path = glyph_path_mm(f, glyph.glyph_id, 10, glyph.x_mm, glyph.y_mm)
    assert path[0][0] == "M" and path[-1][0] == "Z"
    ys = [c for _, coords in path for c in coords[1::2]]
    # Cap height is above the baseline, i.e. smaller y; nothing of "H" below it.
    assert min(ys) < glyph.y_mm - 6 and max(ys) <= glyph.y_mm + 1e-6


def test_curves_stay_beziers():
    f = real_font("roboto")
    [glyph] = layout_text(f, ["o"], 10, alignment=Alignment.LEFT, line_spacing=1.2).glyphs
    ops = {op for op, _ in glyph_path_mm(f, glyph.glyph_id, 10, 0, 0)}
    assert "Q" in ops


def test_layout_svg_path_is_a_valid_path_string():
    f = real_font("roboto")
    layout = layout_text(f, ["Zoé 8"], 10, alignment=Alignment.CENTER, line_spacing=1.2)
    d = layout_svg_path(f, layout)
    assert d.startswith("M")
    assert re.fullmatch(r"([MLQCZ](-?\d+(\.\d+)?( -?\d+(\.\d+)?)*)? ?)+", d)
    assert d.count("M") >= 4  # Z, o, é (two contours + accent), 8 (three contours)


def test_text_on_an_arc_is_symmetric_and_bulges_upwards():
    f = real_font("roboto")
    layout = layout_text(
        f,
        ["Joyeux anniversaire"],
        9,
        alignment=Alignment.CENTER,
        line_spacing=1.2,
        box_width_mm=100,
    )
    placed = arc_placements(layout)
    assert placed[0].angle < 0 < placed[-1].angle
    assert abs(placed[0].angle + placed[-1].angle) < 0.1
    middle = min(placed, key=lambda p: abs(p.angle))
    assert middle.y_mm < placed[0].y_mm and middle.y_mm < placed[-1].y_mm
