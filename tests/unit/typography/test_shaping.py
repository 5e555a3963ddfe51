"""HarfBuzz shaping and the mm layout with real fonts."""

from __future__ import annotations

import uharfbuzz as hb

from atelier.catalog.config import Alignment
from atelier.typography.layout import block_height_mm, layout_text, measure_line_mm
from atelier.typography.shaping import direction_runs, shape_line
from tests.unit.fontfiles import font


def hb_order(f, text: str) -> list[int]:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(f.hb_font, buf, {"kern": True, "liga": True})
    return [i.codepoint for i in buf.glyph_infos]


def test_arabic_is_right_to_left_and_joined():
    f = font("DejaVuSans")
    glyphs = shape_line(f, "سلام")
    assert [g.glyph_id for g in glyphs] == hb_order(f, "سلام")
    assert glyphs[0].cluster == max(g.cluster for g in glyphs), "visual order starts at the end"
    isolated = [shape_line(f, c)[0].glyph_id for c in "سلام"]
    assert [g.glyph_id for g in glyphs] != list(reversed(isolated)), "letters take joined forms"


def test_hebrew_and_latin_mix_keeps_each_run_in_its_direction():
    f = font("DejaVuSans")
    paragraph, runs = direction_runs("Zoé שלום")
    assert paragraph == "ltr" and [d for d, _, _ in runs] == ["ltr", "rtl"]
    glyphs = shape_line(f, "Zoé שלום")
    clusters = [g.cluster for g in glyphs]
    assert clusters[:3] == [0, 1, 2] and clusters[-4:] == [7, 6, 5, 4]


def test_kerning_and_ligatures_apply():
    f = font("Roboto")
    assert measure_line_mm(f, "AV", 10) < measure_line_mm(f, "A", 10) + measure_line_mm(f, "V", 10)


def test_layout_aligns_lines_in_the_box():
    f = font("Roboto")
    layout = layout_text(
        f, ["Zoé", "et Martin"], 10, alignment=Alignment.CENTER, line_spacing=1.2, box_width_mm=80
    )
    first_x = layout.glyphs[0].x_mm
    assert abs(first_x - (80 - layout.line_widths_mm[0]) / 2) < 1e-6
    assert layout.height_mm == block_height_mm(f, 10, 2, 1.2)
    baselines = sorted({round(g.y_mm, 6) for g in layout.glyphs})
    assert len(baselines) == 2 and abs(baselines[1] - baselines[0] - 12) < 1e-6
    right = layout_text(
        f, ["Zoé"], 10, alignment=Alignment.RIGHT, line_spacing=1.2, box_width_mm=80
    )
    assert abs(right.glyphs[0].x_mm - (80 - right.line_widths_mm[0])) < 1e-6


def test_advances_scale_linearly_with_size():
    f = font("Lato")
    assert abs(measure_line_mm(f, "Hello", 20) - 2 * measure_line_mm(f, "Hello", 10)) < 1e-9


def test_latin_name_order_matches_harfbuzz():
    f = font("Roboto")
    name = "Zoé Œuvre officielle"
    glyphs = shape_line(f, name)
    assert [g.glyph_id for g in glyphs] == hb_order(f, name)
    clusters = [g.cluster for g in glyphs]
    assert clusters == sorted(clusters), "left to right"


def test_text_on_an_arc_is_symmetric_and_bulges_upwards():
    from atelier.typography.layout import arc_placements

    f = font("Roboto")
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
    assert abs(placed[0].angle + placed[-1].angle) < 0.1, "the text's centre is the arc's top"
    middle = min(placed, key=lambda p: abs(p.angle))
    assert middle.y_mm < placed[0].y_mm and middle.y_mm < placed[-1].y_mm
