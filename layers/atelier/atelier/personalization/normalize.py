"""Unicode hygiene for shopper text: what reaches a workshop is NFC, visible, and cannot
reorder itself (no Trojan-Source bidi controls).

- Lone surrogates (invalid UTF-16 smuggled through JSON `\\ud800` escapes) → rejected.
- Bidi embeddings/overrides/isolates (U+202A–202E, U+2066–2069) → rejected: they make the
  displayed order differ from the stored one.
- Other invisible format characters (zero-width space, word joiner, BOM, soft hyphen…) and
  control characters → removed. ZWJ and ZWNJ stay: emoji sequences and Arabic, Persian and
  Indic spelling need them.
- CRLF/CR (and LS, PS, NEL, VT, FF) → LF, kept only for multi-line zones (a space
  otherwise); tabs → spaces; each line trimmed; then NFC.
- Hangul fillers, the braille blank and similar invisible "letters" are removed too;
  emoji tag sequences (subdivision flags) keep their tag characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import regex

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
KEEP_FORMAT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
# Invisible letters/spaces that are not Cf but are used to fake "empty" or spoof names.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u180e\u2800")
LINE_BREAKS = frozenset("\n\u2028\u2029\x85\x0b\x0c")  # LF, LS, PS, NEL, VT, FF
TAG_BLACK_FLAG = "\U0001f3f4"  # subdivision flags: 🏴 + tag letters + cancel tag
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True)
class NormalizedText:
    """The cleaned text, the names of removed characters, and (code, message, extra)
    issues for what cannot be silently cleaned (bidi controls, invalid Unicode)."""

    text: str
    removed: list[str] = field(default_factory=list)
    issues: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def _name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}")


def _is_tag(char: str) -> bool:
    return 0xE0020 <= ord(char) <= 0xE007F


def normalize_text(raw: str, *, multiline: bool) -> NormalizedText:
    """Clean shopper text (see the module docstring). Idempotent; never raises."""
    issues: list[tuple[str, str, dict[str, Any]]] = []
    if any(0xD800 <= ord(c) <= 0xDFFF for c in raw):
        issues.append(
            ("invalid_unicode", "The text contains invalid Unicode (lone surrogates).", {})
        )
        raw = "".join(c for c in raw if not 0xD800 <= ord(c) <= 0xDFFF)
    bidi = sorted({c for c in raw if c in BIDI_CONTROLS})
    if bidi:
        issues.append(
            (
                "bidi_control",
                "Bidirectional control characters are not allowed.",
                {"characters": [f"U+{ord(c):04X}" for c in bidi]},
            )
        )
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept: list[str] = []
    removed: list[str] = []
    for char in text:
        if char in BIDI_CONTROLS:
            continue
        if char in LINE_BREAKS:
            # One line-break form downstream; single-line zones get a space instead.
            kept.append("\n" if multiline else " ")
            continue
        if _is_tag(char) and kept and (kept[-1] == TAG_BLACK_FLAG or _is_tag(kept[-1])):
            kept.append(char)  # part of an emoji flag such as Scotland's: meaningful
            continue
        category = unicodedata.category(char)
        if (category == "Cf" and char not in KEEP_FORMAT) or category == "Cc" or char in INVISIBLE:
            removed.append(_name(char))
            continue
        kept.append(char)
    lines = "".join(kept).split("\n")
    cleaned = "\n".join(line.strip() for line in lines).strip()
    return NormalizedText(
        text=unicodedata.normalize("NFC", cleaned), removed=removed, issues=issues
    )


def grapheme_count(text: str) -> int:
    """User-perceived characters: a family emoji is one, "é" is one however it is encoded."""
    return len(_GRAPHEME.findall(unicodedata.normalize("NFC", text)))


def normalize_color(value: str) -> str | None:
    """`#FFF`, `#ffffff`, `#FFFFFF` → `#ffffff`; None when it is not a hex colour."""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        return None
    digits = value.strip()[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits
