"""Font files: checked on upload, loaded once per process, asked which characters they lack.

A `LoadedFont` wraps the same bytes twice: a HarfBuzz face for shaping and, lazily, a
fontTools `TTFont` for metrics and outlines. Fonts are cached by SHA-256, so a warm
Lambda shapes without touching storage or parsing again.
"""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import uharfbuzz as hb
from fontTools.ttLib import TTFont, TTLibError

MAX_FONT_BYTES = 20 * 1024 * 1024
_SIGNATURES = {
    b"\x00\x01\x00\x00": "ttf",
    b"true": "ttf",
    b"OTTO": "otf",
    b"wOFF": "woff",
    b"wOF2": "woff2",
}
ACCEPTED_FORMATS = ("ttf", "otf")


class FontError(ValueError):
    """The bytes are not a font we can shape and outline; `reasons` says why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class FontInfo:
    family: str
    style: str
    format: str
    units_per_em: int
    glyph_count: int
    sha256: str
    size_bytes: int


def _name(font: TTFont, name_id: int) -> str | None:
    table = font["name"]
    record = table.getName(name_id, 3, 1, 0x409) or table.getName(name_id, 1, 0, 0)
    if record is None:
        for candidate in table.names:
            if candidate.nameID == name_id:
                record = candidate
                break
    return record.toUnicode().strip() if record is not None else None


def inspect_font(data: bytes) -> FontInfo:
    """Check an uploaded font file; raise `FontError` with every reason it is unusable."""
    if len(data) > MAX_FONT_BYTES:
        raise FontError([f"the file is {len(data)} bytes; the limit is {MAX_FONT_BYTES}"])
    fmt = _SIGNATURES.get(data[:4])
    if fmt is None:
        raise FontError(["not a TrueType or OpenType font file"])
    if fmt not in ACCEPTED_FORMATS:
        raise FontError([f"{fmt.upper()} is a web format; upload the TTF or OTF font"])
    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        reasons = []
        for table in ("cmap", "head", "hhea", "hmtx", "name", "maxp"):
            if table not in font:
                reasons.append(f"missing the {table!r} table")
        if "glyf" not in font and "CFF " not in font and "CFF2" not in font:
            reasons.append("no outlines (bitmap-only fonts cannot be engraved or cut)")
        if reasons:
            raise FontError(reasons)
        cmap = font.getBestCmap()
        if not cmap:
            raise FontError(["no Unicode character map"])
        units = int(font["head"].unitsPerEm)
        glyphs = int(font["maxp"].numGlyphs)
        family = _name(font, 16) or _name(font, 1) or "Unknown"
        style = _name(font, 17) or _name(font, 2) or "Regular"
    except FontError:
        raise
    except (TTLibError, KeyError, AssertionError, ValueError, IndexError, OSError) as exc:
        raise FontError([f"the font file is damaged ({exc.__class__.__name__})"]) from exc
    try:
        hb.Face(data)
    except Exception as exc:  # HarfBuzz raises its own types
        raise FontError(["HarfBuzz cannot read this font"]) from exc
    return FontInfo(
        family=family,
        style=style,
        format=fmt,
        units_per_em=units,
        glyph_count=glyphs,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
    )


# Characters that are formatting, not ink: they need no glyph of their own.
_NO_GLYPH_NEEDED = frozenset("\n\u200c\u200d\ufe0e\ufe0f")


class LoadedFont:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.face = hb.Face(data)
        self.hb_font = hb.Font(self.face)
        self.units_per_em = self.face.upem
        self.hb_font.scale = (self.units_per_em, self.units_per_em)

    @cached_property
    def ttfont(self) -> TTFont:
        return TTFont(io.BytesIO(self.data), lazy=True)

    @cached_property
    def cmap(self) -> dict[int, str]:
        return dict(self.ttfont.getBestCmap() or {})

    @cached_property
    def metrics(self) -> tuple[int, int, int]:
        """(ascender, descender, line gap) in font units; OS/2 typographic when the font
        asks for them (USE_TYPO_METRICS), else hhea, as browsers do."""
        tt = self.ttfont
        os2 = tt.get("OS/2")
        if os2 is not None and getattr(os2, "fsSelection", 0) & (1 << 7):
            return int(os2.sTypoAscender), int(os2.sTypoDescender), int(os2.sTypoLineGap)
        hhea = tt["hhea"]
        return int(hhea.ascent), int(hhea.descent), int(hhea.lineGap)

    @cached_property
    def names(self) -> tuple[str, str]:
        return (
            _name(self.ttfont, 16) or _name(self.ttfont, 1) or "Unknown",
            _name(self.ttfont, 17) or _name(self.ttfont, 2) or "Regular",
        )

    def missing_chars(self, text: str) -> list[str]:
        """Characters of `text` with no glyph in this font, in order, without repeats."""
        cmap = self.cmap
        missing: list[str] = []
        for char in text:
            if char in _NO_GLYPH_NEEDED or char in missing:
                continue
            if ord(char) in cmap:
                continue
            # Spaces of any width render as advance only; combining marks may be composed.
            if unicodedata.category(char) == "Zs" and 0x20 in cmap:
                continue
            missing.append(char)
        return missing


_cache: dict[str, LoadedFont] = {}
_lock = threading.Lock()
MAX_CACHED_FONTS = 64


def load_font(data: bytes, sha256: str | None = None) -> LoadedFont:
    key = sha256 or hashlib.sha256(data).hexdigest()
    with _lock:
        font = _cache.get(key)
        if font is None:
            if len(_cache) >= MAX_CACHED_FONTS:
                _cache.pop(next(iter(_cache)))
            font = _cache[key] = LoadedFont(data)
    return font


def cached_font(sha256: str) -> LoadedFont | None:
    return _cache.get(sha256)
