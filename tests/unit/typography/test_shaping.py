"""HarfBuzz shaping with real fonts: RTL order, Arabic joining, bidi runs, kerning, speed."""

from __future__ import annotations

import time

import uharfbuzz as hb

from atelier.typography.fonts import LoadedFont
from atelier.typography.layout import measure_line_mm
from atelier.typography.shaping import direction_runs, shape_line
from tests.unit.fontpaths import real_font


def hb_shape(f: LoadedFont, text: str) -> list[tuple[int, int]]:
    """HarfBuzz's own output for the whole string: (glyph id, cluster) in visual order."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(f.hb_font, buf, {"kern": True, "liga": True})
    return [(i.codepoint, i.cluster) for i in buf.glyph_infos]


def ids(f: LoadedFont, text: str) -> list[int]:
    return [g.glyph_id for g in shape_line(f, text)]


def test_arabic_is_right_to_left_and_joined():
    f = real_font("dejavusans")
    word = "سلام"
    glyphs = shape_line(f, word)
    assert [(g.glyph_id, g.cluster) for g in glyphs] == hb_shape(f, word)
    assert glyphs[0].cluster == len(word) - 1, "visual order starts with the last letter"
    isolated = [ids(f, c)[0] for c in word]
    assert ids(f, word) != list(reversed(isolated)), "letters take their joined forms"


def test_hebrew_is_right_to_left_like_harfbuzz():
    f = real_font("dejavusans")
    word = "שלום"
    glyphs = shape_line(f, word)
    assert [(g.glyph_id, g.cluster) for g in glyphs] == hb_shape(f, word)
    assert [g.cluster for g in glyphs] == [3, 2, 1, 0]


def test_mixed_latin_and_hebrew_keep_each_run_in_its_direction():
    f = real_font("dejavusans")
    paragraph, runs = direction_runs("Zoé שלום")
    assert paragraph == "ltr" and [d for d, _, _ in runs] == ["ltr", "rtl"]
    clusters = [g.cluster for g in shape_line(f, "Zoé שלום")]
    assert clusters == [0, 1, 2, 3, 7, 6, 5, 4]


def test_rtl_paragraph_puts_latin_and_numbers_left_to_right_inside():
    f = real_font("dejavusans")
    paragraph, _ = direction_runs("שלום Zoé")
    assert paragraph == "rtl"
    # The Latin word reads left to right, on the left of the Hebrew.
    assert [g.cluster for g in shape_line(f, "שלום Zoé")] == [5, 6, 7, 4, 3, 2, 1, 0]
    # A year inside Hebrew must not come out as "4202".
    clusters = [g.cluster for g in shape_line(f, "שלום 2024")]
    assert clusters[:4] == [5, 6, 7, 8] and clusters[4:] == [4, 3, 2, 1, 0]


def test_arabic_with_digits_keeps_the_number_readable():
    f = real_font("dejavusans")
    text = "عيد 25"
    clusters = [g.cluster for g in shape_line(f, text)]
    digits = [c for c in clusters if text[c].isdigit()]
    assert digits == [4, 5], "digits stay in logical order, left to right"
    assert clusters.index(4) < clusters.index(0), "the number sits left of the word"


def test_latin_names_match_harfbuzz_with_ligatures():
    f = real_font("roboto")
    name = "Zoé Œuvre officielle"
    assert [(g.glyph_id, g.cluster) for g in shape_line(f, name)] == hb_shape(f, name)
    clusters = [g.cluster for g in shape_line(f, name)]
    assert clusters == sorted(clusters)


def test_kerning_makes_av_narrower_than_its_letters():
    f = real_font("roboto")
    av = measure_line_mm(f, "AV", 10)
    assert av < measure_line_mm(f, "A", 10) + measure_line_mm(f, "V", 10)


def test_combining_marks_are_positioned_not_advanced():
    f = real_font("dejavusans")
    decomposed = shape_line(f, "e\u0301")
    assert sum(g.x_advance for g in decomposed) == sum(g.x_advance for g in shape_line(f, "e"))


def test_empty_and_blank_lines_shape():
    f = real_font("roboto")
    assert shape_line(f, "") == []
    assert len(shape_line(f, "  ")) == 2


def test_shaping_a_name_is_well_under_a_millisecond():
    f = real_font("roboto")
    shape_line(f, "warm-up")
    start = time.perf_counter()
    for i in range(200):
        shape_line(f, f"Zoé Martin {i}")  # distinct texts: no cache hits
    per_call_ms = (time.perf_counter() - start) * 1000 / 200
    assert per_call_ms < 0.5, per_call_ms
