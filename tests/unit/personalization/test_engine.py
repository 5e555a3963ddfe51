"""validate_design: every issue of every zone at once, defaults resolved, never raises."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.catalog.config import ProductConfig, ZoneConfig
from atelier.personalization.engine import ValidationReport, validate_design
from atelier.personalization.inputs import DesignInput, ZoneInput
from tests.unit.fontpaths import real_font

NAME_ZONE: dict[str, Any] = {
    "id": "name",
    "name": "Name",
    "geometry": {"xMm": 10, "yMm": 10, "widthMm": 100, "heightMm": 25},
    "rules": {"required": True, "maxLength": 20, "maxLines": 2},
    "text": {
        "fontIds": ["roboto", "lato"],
        "colors": ["#000", "#8B5A2B"],
        "effects": ["engraved", "embossed"],
        "minSizeMm": 3,
        "maxSizeMm": 20,
    },
}
DATE_ZONE: dict[str, Any] = {
    "id": "date",
    "name": "Date",
    "geometry": {"xMm": 10, "yMm": 40, "widthMm": 60, "heightMm": 10},
    "rules": {"maxLength": 10, "pattern": r"\d{2}/\d{2}/\d{4}"},
    "text": {"fontIds": ["lato"], "defaultSizeMm": 6, "minSizeMm": 2, "maxSizeMm": 8},
}
PHOTO_ZONE: dict[str, Any] = {
    "id": "photo",
    "name": "Photo",
    "kind": "IMAGE",
    "geometry": {"xMm": 0, "yMm": 0, "widthMm": 50, "heightMm": 50},
}


def product(*zones: dict[str, Any]) -> ProductConfig:
    return ProductConfig(
        id="p",
        brand_id="b",
        name="Plate",
        width_mm=120,
        height_mm=60,
        price_cents=100,
        zones=[ZoneConfig.model_validate(z) for z in zones],
        blocked_words=["merde", "gros mot"],
    )


def fonts() -> dict[str, Any]:
    return {"roboto": real_font("roboto"), "lato": real_font("lato")}


def validate(zones: dict[str, Any], *config: dict[str, Any]) -> ValidationReport:
    design = DesignInput.model_validate({"productId": "p", "zones": zones})
    return validate_design(product(*(config or (NAME_ZONE, DATE_ZONE))), design, fonts())


def test_every_issue_of_every_zone_at_once():
    report = validate(
        {
            "name": {
                "text": "Mérde 名 " + "x" * 30,
                "color": "#fff",
                "fontId": "comic",
                "sizeMm": 99,
                "effect": "arc",
            },
            "date": {"text": "1er mai", "color": "blue"},
            "ghost": {},
            "photo": {"text": "hi"},
        },
        NAME_ZONE,
        DATE_ZONE,
        PHOTO_ZONE,
    )
    assert not report.valid
    assert {(i.zone_id, i.field, i.code) for i in report.issues} == {
        ("ghost", "zone", "unknown_zone"),
        ("photo", "zone", "zone_not_text"),
        ("name", "text", "too_long"),
        ("name", "text", "blocked_word"),
        ("name", "text", "glyph_missing"),
        ("name", "fontId", "font_not_allowed"),
        ("name", "color", "color_not_allowed"),
        ("name", "effect", "effect_not_allowed"),
        ("name", "sizeMm", "size_out_of_range"),
        ("date", "text", "pattern_mismatch"),
        ("date", "color", "invalid_color"),
    }
    blocked = next(i for i in report.issues if i.code == "blocked_word")
    assert blocked.as_dict()["words"] == ["merde"]
    assert set(report.zones) == {"name", "date"}, "invalid zones are still resolved"


def test_glyph_coverage_names_the_missing_characters():
    report = validate({"name": {"text": "Zoé 名字"}})
    [issue] = report.issues
    assert issue.code == "glyph_missing" and issue.extra["characters"] == ["名", "字"]


def test_bidi_controls_and_surrogates_are_issues():
    # Pydantic's JSON parsing refuses lone surrogates; a model built in code does not.
    design = DesignInput.model_construct(
        product_id="p",
        zones={
            "name": ZoneInput(text="Zoé\u202eevil"),
            "date": ZoneInput.model_construct(text="01/01/2024\ud800"),
        },
    )
    report = validate_design(product(NAME_ZONE, DATE_ZONE), design, fonts())
    assert {(i.zone_id, i.code) for i in report.issues} == {
        ("name", "bidi_control"),
        ("date", "invalid_unicode"),
    }


def test_defaults_are_resolved():
    report = validate({"name": {"text": "Zoe\u0301 et Martin"}})
    assert report.valid, report.issues
    zone = report.zones["name"]
    assert (zone.text, zone.font_id, zone.color, zone.effect) == (
        "Zoé et Martin",
        "roboto",
        "#000000",
        "engraved",
    )
    assert zone.alignment == "center" and zone.line_spacing == 1.2
    assert zone.width_mm <= 100 and zone.height_mm <= 25 and 3 <= zone.size_mm <= 20
    date = report.zones["date"]
    assert date.text == "" and date.lines == [] and date.size_mm == 6  # empty optional zone


def test_given_choices_are_kept():
    report = validate(
        {
            "name": {
                "text": "Zoé",
                "fontId": "lato",
                "color": "#8b5a2b",
                "sizeMm": 7.5,
                "effect": "embossed",
                "alignment": "left",
            },
            "date": {"text": "14/07/2024"},
        }
    )
    assert report.valid, report.issues
    zone = report.zones["name"]
    assert (zone.font_id, zone.color, zone.size_mm, zone.effect, zone.alignment) == (
        "lato",
        "#8b5a2b",
        7.5,
        "embossed",
        "left",
    )
    assert report.zones["date"].size_mm == 6, "the default size fits: kept"


def test_default_size_shrinks_when_it_does_not_fit():
    report = validate(
        {"name": {"text": "Zoé"}, "date": {"text": "14/07/2024"}},
        NAME_ZONE,
        {
            **DATE_ZONE,
            "geometry": {"xMm": 0, "yMm": 0, "widthMm": 15, "heightMm": 10},
        },
    )
    assert report.valid, report.issues
    assert report.zones["date"].size_mm < 6


def test_a_given_size_that_does_not_fit_is_reported_not_shrunk():
    report = validate({"name": {"text": "Zoé et Martin Dupont", "sizeMm": 20}})
    [issue] = report.issues
    assert (issue.field, issue.code) == ("sizeMm", "does_not_fit")
    assert report.zones["name"].size_mm == 20


def test_text_too_long_for_the_zone_does_not_fit():
    report = validate({"name": {"text": "W" * 60}}, {**NAME_ZONE, "rules": {"maxLength": 100}})
    assert [(i.field, i.code) for i in report.issues] == [("text", "does_not_fit")]


def test_too_many_lines_is_one_issue():
    report = validate({"name": {"text": "a\nb\nc"}})
    assert [i.code for i in report.issues] == ["too_many_lines"]


def test_case_transform_applies_and_rechecks_length():
    zone = {**NAME_ZONE, "rules": {"maxLength": 6, "caseTransform": "upper"}}
    report = validate({"name": {"text": "straße"}}, zone)
    assert report.zones["name"].text == "STRASSE"
    [issue] = report.issues
    assert issue.code == "too_long" and issue.extra["length"] == 7


def test_required_zone_left_empty():
    report = validate({}, NAME_ZONE)
    assert [(i.zone_id, i.code) for i in report.issues] == [("name", "required")]


def test_rtl_names_validate():
    zone = {**NAME_ZONE, "text": {**NAME_ZONE["text"], "fontIds": ["dejavu"]}}
    design = DesignInput.model_validate({"productId": "p", "zones": {"name": {"text": "שלום"}}})
    report = validate_design(product(zone), design, {"dejavu": real_font("dejavusans")})
    assert report.valid, report.issues


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80), st.text(max_size=30))
def test_validation_never_raises(name: str, date: str):
    report = validate({"name": {"text": name}, "date": {"text": date}})
    assert report.valid == (not report.issues)
    for issue in report.issues:
        assert issue.as_dict()["code"]
