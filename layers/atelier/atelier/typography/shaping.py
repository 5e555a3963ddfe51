"""HarfBuzz shaping of one line, right-to-left scripts included.

A line is split into directional runs by a compact form of the Unicode bidi algorithm
(UAX #9 without explicit embeddings, which normalization rejects anyway): strong
characters decide, European/Arabic numbers stay left-to-right inside right-to-left text,
neutrals between two runs of the same direction join them and otherwise take the
paragraph direction, and the paragraph direction comes from the first strong character.
Each run is shaped by HarfBuzz with its own script and direction, and the runs are put in
visual order (rule L2). Arabic comes out joined and right-to-left, Hebrew right-to-left,
Latin kerned and ligated, marks positioned.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

import uharfbuzz as hb

from atelier.typography.fonts import LoadedFont

FEATURES = {"kern": True, "liga": True, "calt": True}
CACHE_SIZE = 8192

_RTL = frozenset({"R", "AL"})
_NUMBER = frozenset({"EN", "AN"})
_NUMBER_SEPARATORS = frozenset({"ES", "CS"})


@dataclass(frozen=True)
class ShapedGlyph:
    """One glyph in visual order; advances and offsets in font units."""

    glyph_id: int
    cluster: int
    x_advance: float
    x_offset: float
    y_offset: float


def _classes(text: str, sos: str) -> list[str]:
    """Resolved bidi class per character: "L", "R", "N" (a number, left-to-right inside
    right-to-left text) or "" for a neutral still to resolve. W1-W7 in their simple forms;
    `sos` is the paragraph's own direction ("L" or "R"), which W7 starts from."""
    raw = [unicodedata.bidirectional(c) or "L" for c in text]
    out: list[str] = []
    last_strong = sos
    for i, kind in enumerate(raw):
        if kind == "NSM":  # W1: a mark takes the class of what it sits on
            out.append(out[-1] if out else "")
            continue
        if kind == "L":
            last_strong = "L"
            out.append("L")
        elif kind in _RTL:
            last_strong = "R"
            out.append("R")
        elif kind in _NUMBER:
            # W7: digits after Latin (or at the start of a LTR line) are plain Latin.
            out.append("L" if kind == "EN" and last_strong == "L" else "N")
        elif (
            kind in _NUMBER_SEPARATORS
            and 0 < i < len(raw) - 1
            and raw[i - 1] in _NUMBER
            and raw[i + 1] in _NUMBER
        ):
            out.append(out[-1])  # W4: "1,5" and "12.50" stay one number
        elif kind == "ET" and (
            (i > 0 and raw[i - 1] in _NUMBER) or (i < len(raw) - 1 and raw[i + 1] in _NUMBER)
        ):
            # W5: "€", "%" and "#" next to a number belong to it.
            out.append("L" if last_strong == "L" else "N")
        else:
            out.append("")
    return out


def paragraph_direction(text: str) -> str:
    """ "rtl" if the first strong character is right-to-left, else "ltr"."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in _RTL:
            return "rtl"
    return "ltr"


def bidi_levels(text: str) -> tuple[str, list[int]]:
    """Paragraph direction and the embedding level of every character (even = LTR)."""
    paragraph = paragraph_direction(text)
    base = 1 if paragraph == "rtl" else 0
    sos = "R" if base else "L"
    classes = _classes(text, sos)
    n = len(classes)
    i = 0
    while i < n:  # N1/N2: neutrals between like directions join them, else paragraph's
        if classes[i]:
            i += 1
            continue
        j = i
        while j < n and not classes[j]:
            j += 1
        before = sos if i == 0 else ("L" if classes[i - 1] == "L" else "R")
        after = sos if j == n else ("L" if classes[j] == "L" else "R")
        fill = before if before == after else sos
        classes[i:j] = [fill] * (j - i)
        i = j
    table = {"L": 2, "R": 1, "N": 2} if base else {"L": 0, "R": 1, "N": 2}  # I1/I2
    return paragraph, [table[kind] for kind in classes]


def _level_runs(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    paragraph, levels = bidi_levels(text)
    runs: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start]:
            runs.append((levels[start], start, i))
            start = i
    return paragraph, runs


def direction_runs(text: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Paragraph direction and (direction, start, end) runs in logical order."""
    paragraph, runs = _level_runs(text)
    return paragraph, [("rtl" if level % 2 else "ltr", a, b) for level, a, b in runs]


def _visual_order(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Rule L2 on whole runs: from the highest level down to the lowest odd one, reverse
    every maximal sequence at that level or above. HarfBuzz already reverses the glyphs
    inside each right-to-left run, so only the runs themselves move here."""
    order = list(runs)
    if not order:
        return order
    highest = max(r[0] for r in order)
    lowest_odd = min((r[0] for r in order if r[0] % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i][0] < level:
                i += 1
                continue
            j = i
            while j < len(order) and order[j][0] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return order


def _shape_run(font: LoadedFont, text: str, offset: int, direction: str) -> list[ShapedGlyph]:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()  # script and language from the run's own letters
    buf.direction = direction
    hb.shape(font.hb_font, buf, FEATURES)
    return [
        ShapedGlyph(
            glyph_id=info.codepoint,
            cluster=info.cluster + offset,  # uharfbuzz clusters are code point indices
            x_advance=pos.x_advance,
            x_offset=pos.x_offset,
            y_offset=pos.y_offset,
        )
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    ]


def _shape_uncached(font: LoadedFont, text: str) -> tuple[ShapedGlyph, ...]:
    _, runs = _level_runs(text)
    glyphs: list[ShapedGlyph] = []
    for level, a, b in _visual_order(runs):
        glyphs.extend(_shape_run(font, text[a:b], a, "rtl" if level % 2 else "ltr"))
    return tuple(glyphs)


# Keyed by the font's SHA-256 (not the object) so reloading the same bytes reuses shapes;
# the size is not part of the key because advances scale linearly with it.
_cache: OrderedDict[tuple[str, str], tuple[ShapedGlyph, ...]] = OrderedDict()
_lock = threading.Lock()


def _shape_cached(font: LoadedFont, text: str) -> tuple[ShapedGlyph, ...]:
    key = (font.sha256, text)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    glyphs = _shape_uncached(font, text)
    with _lock:
        _cache[key] = glyphs
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return glyphs


def shape_line(font: LoadedFont, text: str) -> list[ShapedGlyph]:
    """Glyphs of one line in visual (left-to-right drawing) order, in font units."""
    return list(_shape_cached(font, text))


def advance_units(font: LoadedFont, text: str) -> float:
    """The line's total advance in font units (multiply by size / upem for mm)."""
    return float(sum(g.x_advance for g in _shape_cached(font, text)))
