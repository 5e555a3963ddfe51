"""HarfBuzz shaping of one line, right-to-left scripts included.

A line is split into directional runs (a compact form of the Unicode bidi algorithm:
strong characters decide, neutrals join the run around them, the paragraph direction
comes from the first strong character); each run is shaped by HarfBuzz with its own
script and direction, and runs are laid out in visual order. Arabic comes out joined and
right-to-left, Hebrew right-to-left, Latin kerned and ligated, marks positioned.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from atelier.typography.fonts import LoadedFont

FEATURES = {"kern": True, "liga": True, "calt": True}
_RTL = frozenset({"R", "AL"})
_LTR = frozenset({"L"})


@dataclass(frozen=True)
class ShapedGlyph:
    """One glyph in visual order; advances and offsets in font units."""

    glyph_id: int
    cluster: int
    x_advance: float
    x_offset: float
    y_offset: float


def _strong(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in _RTL:
        return "rtl"
    if kind in _LTR:
        return "ltr"
    return None


def direction_runs(text: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Paragraph direction and (direction, start, end) runs in logical order."""
    strong = [_strong(c) for c in text]
    paragraph = next((s for s in strong if s), "ltr")
    runs: list[tuple[str, int, int]] = []
    current = paragraph
    start = 0
    for i, s in enumerate(strong):
        if s is not None and s != current:
            if i > start:
                runs.append((current, start, i))
            current, start = s, i
    if start < len(text):
        runs.append((current, start, len(text)))
    # Neutrals (spaces, punctuation) between runs of the other direction belong to the
    # paragraph direction at their edges; trimming keeps "Zoé שלום" spacing natural.
    return paragraph, runs


def _shape_run(font: LoadedFont, text: str, offset: int, direction: str) -> list[ShapedGlyph]:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = direction
    hb.shape(font.hb_font, buf, FEATURES)
    return [
        ShapedGlyph(
            glyph_id=info.codepoint,
            cluster=info.cluster + offset,
            x_advance=pos.x_advance,
            x_offset=pos.x_offset,
            y_offset=pos.y_offset,
        )
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    ]


@lru_cache(maxsize=4096)
def _shape_cached(font: LoadedFont, text: str) -> tuple[ShapedGlyph, ...]:
    paragraph, runs = direction_runs(text)
    shaped = [(d, _shape_run(font, text[a:b], a, d)) for d, a, b in runs]
    if paragraph == "rtl":
        shaped.reverse()  # runs are displayed right to left
    glyphs: list[ShapedGlyph] = []
    for _, run in shaped:
        glyphs.extend(run)  # HarfBuzz already returns each RTL run in visual order
    return tuple(glyphs)


def shape_line(font: LoadedFont, text: str) -> list[ShapedGlyph]:
    """Glyphs of one line in visual (left-to-right drawing) order."""
    return list(_shape_cached(font, text))


def advance_units(font: LoadedFont, text: str) -> float:
    return float(sum(g.x_advance for g in _shape_cached(font, text)))
