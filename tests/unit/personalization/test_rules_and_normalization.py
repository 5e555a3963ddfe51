"""Normalization, grapheme-counted rules, blocked words, glyph coverage, auto-fit."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.catalog.config import CaseTransform, ProductConfig, ZoneConfig, ZoneRules
from atelier.personalization.autofit import auto_fit
from atelier.personalization.engine import validate_design
from atelier.personalization.inputs import DesignInput
from atelier.personalization.normalize import grapheme_count, normalize_color, normalize_text
from atelier.personalization.rules import apply_case, blocked_words_in, check_text
from tests.unit.fontfiles import font

FAMILY = "👨‍👩‍👧‍👦"


def test_graphemes_count_what_people_see():
    assert grapheme_count(FAMILY) == 1
    assert grapheme_count("e\u0301") == grapheme_count("é") == 1
    assert grapheme_count("🇫🇷 Zoé") == 5


@pytest.mark.parametrize(
    "trojan",
    ["admin\u202e\u2066txt.exe", "a\u2067b\u2069", "Zoé\u202dx"],
)
def test_trojan_source_controls_are_rejected(trojan: str):
    result = normalize_text(trojan, multiline=False)
    assert [code for code, _, _ in result.issues] == ["bidi_control"]
    assert not any(
        c in result.text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


def test_invisibles_are_removed_but_joiners_kept():
    result = normalize_text("\ufeffZo\u200bé\u00ad  ", multiline=False)
    assert result.text == "Zoé" and result.removed == [
        "ZERO WIDTH NO-BREAK SPACE",
        "ZERO WIDTH SPACE",
        "SOFT HYPHEN",
    ]
    assert normalize_text(FAMILY, multiline=False).text == FAMILY  # ZWJ stays
    assert normalize_text("a\r\nb\tc", multiline=True).text == "a\nb c"
    assert normalize_text("a\nb", multiline=False).text == "a b"


def test_lone_surrogates_are_rejected():
    result = normalize_text("Zo\ud800é", multiline=False)
    assert [code for code, _, _ in result.issues] == ["invalid_unicode"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalization_is_idempotent_and_nfc(text: str):
    once = normalize_text(text, multiline=True).text
    assert normalize_text(once, multiline=True).text == once
    assert unicodedata.is_normalized("NFC", once)


def test_blocked_words_ignore_case_and_accents_but_need_whole_words():
    assert blocked_words_in("Quelle MÉRDE alors", ["merde"]) == ["merde"]
    assert blocked_words_in("emmerdeur", ["merde"]) == []
    assert blocked_words_in("son of a gun", ["Son of"]) == ["Son of"]


def test_each_rule_has_its_code():
    rules = ZoneRules(
        max_length=5, min_length=2, max_lines=1, allowed_chars="abc\n ", pattern="a.*"
    )
    codes = {i.code for i in check_text("z", "abcd\nbb", rules)}
    assert codes == {"too_long", "too_many_lines", "char_not_allowed", "pattern_mismatch"}
    assert {i.code for i in check_text("z", "", ZoneRules(required=True))} == {"required"}
    assert {i.code for i in check_text("z", "Zoé שלום", ZoneRules(allowed_scripts=["Latin"]))} == {
        "script_not_allowed"
    }
    assert check_text("z", "Zoé 12", ZoneRules(allowed_scripts=["Latin"])) == []


def test_case_transform_and_colours():
    assert apply_case("straße", CaseTransform.UPPER) == "STRASSE"
    assert apply_case("zoé de la tour", CaseTransform.TITLE) == "Zoé De La Tour"
    assert normalize_color("#ABC") == "#aabbcc" and normalize_color("red") is None


def test_auto_fit_is_monotonic_and_fits():
    f = font("Roboto")
    args = {
        "box_width_mm": 80,
        "box_height_mm": 20,
        "max_lines": 2,
        "min_size_mm": 2,
        "max_size_mm": 18,
        "line_spacing": 1.2,
    }
    sizes = []
    for text in [
        "Zoé",
        "Zoé Martin",
        "Zoé et Martin Dupont",
        "Zoé, Martin, Léa, Hugo et Camille Dupont",
    ]:
        fit = auto_fit(f, text, **args)
        assert fit.fits and fit.width_mm <= 80 and fit.height_mm <= 20 and len(fit.lines) <= 2
        bigger = auto_fit(
            f,
            text,
            **{**args, "min_size_mm": fit.size_mm + 0.05, "max_size_mm": fit.size_mm + 0.05},
        )
        assert fit.size_mm == 18 or not bigger.fits
        sizes.append(fit.size_mm)
    assert sizes == sorted(sizes, reverse=True)
    assert not auto_fit(f, "x" * 400, **args).fits


def product(zone: dict) -> ProductConfig:
    return ProductConfig(
        id="p",
        brand_id="b",
        name="Plate",
        width_mm=120,
        height_mm=60,
        price_cents=100,
        zones=[ZoneConfig.model_validate(zone)],
        blocked_words=["merde"],
    )


ZONE = {
    "id": "z",
    "name": "Name",
    "geometry": {"xMm": 0, "yMm": 0, "widthMm": 100, "heightMm": 25},
    "rules": {"required": True, "maxLength": 20, "maxLines": 2},
    "text": {"fontIds": ["roboto"], "colors": ["#000", "#8B5A2B"], "minSizeMm": 3, "maxSizeMm": 20},
}


def test_every_issue_of_every_zone_at_once():
    report = validate_design(
        product(ZONE),
        DesignInput.model_validate(
            {
                "productId": "p",
                "zones": {
                    "z": {
                        "text": "Merde 名 " + "x" * 30,
                        "color": "#fff",
                        "fontId": "other",
                        "sizeMm": 99,
                    },
                    "ghost": {},
                },
            }
        ),
        {"roboto": font("Roboto")},
    )
    assert not report.valid
    assert {(i.zone_id, i.code) for i in report.issues} == {
        ("ghost", "unknown_zone"),
        ("z", "too_long"),
        ("z", "blocked_word"),
        ("z", "color_not_allowed"),
        ("z", "font_not_allowed"),
        ("z", "size_out_of_range"),
    }


def test_glyph_coverage_names_the_missing_characters():
    report = validate_design(
        product(ZONE),
        DesignInput.model_validate({"productId": "p", "zones": {"z": {"text": "Zoé 名字"}}}),
        {"roboto": font("Roboto")},
    )
    [issue] = report.issues
    assert issue.code == "glyph_missing" and issue.extra["characters"] == ["名", "字"]


def test_defaults_are_resolved():
    report = validate_design(
        product(ZONE),
        DesignInput.model_validate({"productId": "p", "zones": {"z": {"text": "Zoe\u0301"}}}),
        {"roboto": font("Roboto")},
    )
    assert report.valid
    zone = report.zones["z"]
    assert (zone.text, zone.font_id, zone.color) == ("Zoé", "roboto", "#000000")
    assert zone.size_mm == 20 or zone.width_mm > 99


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_validation_never_raises(text: str):
    validate_design(
        product(ZONE),
        DesignInput.model_validate({"productId": "p", "zones": {"z": {"text": text}}}),
        {"roboto": font("Roboto")},
    )
