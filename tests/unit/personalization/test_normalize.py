"""Unicode hygiene: graphemes, Trojan-Source controls, invisibles, surrogates, colours."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.personalization.normalize import grapheme_count, normalize_color, normalize_text

FAMILY = "👨‍👩‍👧‍👦"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def codes(raw: str, multiline: bool = False) -> list[str]:
    return [code for code, _, _ in normalize_text(raw, multiline=multiline).issues]


def test_graphemes_count_what_people_see():
    assert grapheme_count(FAMILY) == 1
    assert grapheme_count("e\u0301") == grapheme_count("é") == 1
    assert grapheme_count("🇫🇷 Zoé") == 5
    assert grapheme_count("") == 0


def test_composed_and_decomposed_text_normalize_to_the_same():
    assert normalize_text("Zoe\u0301", multiline=False).text == "Zoé"
    assert normalize_text("Zoé", multiline=False).text == "Zoé"


@pytest.mark.parametrize(
    "trojan",
    [
        "admin\u202e\u2066txt.exe",  # RLO + LRI: the classic file-name spoof
        "a\u2067b\u2069",  # RLI ... PDI
        "Zoé\u202dx",  # LRO
        "\u202a\u202cabc",  # LRE ... PDF
        "access\u2068level\u2069",  # FSI ... PDI
    ],
)
def test_trojan_source_controls_are_rejected(trojan: str):
    result = normalize_text(trojan, multiline=False)
    assert codes(trojan) == ["bidi_control"]
    assert result.issues[0][2]["characters"]
    assert not any(c in result.text for c in BIDI)


def test_invisibles_are_removed_but_joiners_kept():
    result = normalize_text("\ufeffZo\u200bé\u00ad\u2060  ", multiline=False)
    assert result.text == "Zoé"
    assert result.removed == [
        "ZERO WIDTH NO-BREAK SPACE",
        "ZERO WIDTH SPACE",
        "SOFT HYPHEN",
        "WORD JOINER",
    ]
    assert result.issues == []
    assert normalize_text(FAMILY, multiline=False).text == FAMILY  # ZWJ stays
    assert normalize_text("می\u200cخواهم", multiline=False).text == "می\u200cخواهم"  # ZWNJ stays
    assert normalize_text("a\u3164b", multiline=False).text == "ab"  # Hangul filler


def test_controls_and_line_breaks():
    assert normalize_text("a\r\nb\rc\tc", multiline=True).text == "a\nb\nc c"
    assert normalize_text("a\nb", multiline=False).text == "a b"
    assert normalize_text("a\u2028b", multiline=True).text == "a\nb"
    assert normalize_text("a\x00b\x1b\x7f\x9bc", multiline=False).text == "abc"
    assert normalize_text("  line one  \n  line two ", multiline=True).text == "line one\nline two"


def test_lone_surrogates_are_rejected():
    result = normalize_text("Zo\ud800é", multiline=False)
    assert codes("Zo\ud800é") == ["invalid_unicode"]
    assert result.text == "Zoé"


def test_subdivision_flags_keep_their_tags():
    scotland = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert normalize_text(scotland, multiline=False).text == scotland
    assert normalize_text("a\U000e0067b", multiline=False).text == "ab"  # stray tag removed


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_normalization_is_idempotent_nfc_and_clean(text: str, multiline: bool):
    once = normalize_text(text, multiline=multiline)
    twice = normalize_text(once.text, multiline=multiline)
    assert twice.text == once.text and twice.removed == [] and twice.issues == []
    assert unicodedata.is_normalized("NFC", once.text)
    assert once.text == once.text.strip()
    assert not any(c in once.text for c in BIDI)
    assert multiline or "\n" not in once.text


def test_colours():
    assert normalize_color("#ABC") == "#aabbcc"
    assert normalize_color(" #8B5A2B ") == "#8b5a2b"
    assert normalize_color("#fff") == "#ffffff"
    for bad in ("red", "#abcd", "fff", "#ggg", ""):
        assert normalize_color(bad) is None
