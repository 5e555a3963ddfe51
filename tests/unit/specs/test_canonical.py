"""The same design expressed differently has one hash; different designs have different ones."""

from __future__ import annotations

import json
import random
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.errors import ValidationFailed
from atelier.specs.canonical import canonical_bytes, canonicalize, parse_spec, spec_hash
from atelier.specs.schema import SCHEMA_ID, design_spec_json_schema

SHA = "0" * 63 + "1"

texts = st.text(
    alphabet=st.characters(
        categories=("Lu", "Ll", "Lo", "Nd", "Mn", "Zs"), exclude_characters="\x00"
    ),
    min_size=1,
    max_size=30,
)
lengths = st.floats(min_value=0.5, max_value=500, allow_nan=False).map(lambda v: round(v, 3))
hex_digits = st.text(alphabet="0123456789abcdef", min_size=3, max_size=3)


def zone(zone_id: str, text: str, color: str, size: float, **extra: Any) -> dict[str, Any]:
    doc = {
        "zoneId": zone_id,
        "geometry": {"xMm": 10, "yMm": 5, "widthMm": 80, "heightMm": 20},
        "text": text,
        "lines": [text],
        "font": {"id": "font1", "family": "Roboto", "sha256": SHA},
        "color": color,
        "sizeMm": size,
    }
    doc.update(extra)
    return doc


def document(zones: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "specVersion": "1.0.0",
        "productId": "prod1",
        "canvas": {"widthMm": 120, "heightMm": 60},
        "zones": zones,
    }


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON with every object's keys in another order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def h(doc: dict[str, Any]) -> str:
    return canonicalize(doc)[2]


@settings(max_examples=60, deadline=None)
@given(text=texts, digits=hex_digits, size=lengths, seed=st.integers(0, 2**32))
def test_equivalent_expressions_hash_alike(text: str, digits: str, size: float, seed: int):
    rng = random.Random(seed)
    short = "#" + digits
    long = "#" + "".join(c * 2 for c in digits)
    base = document(
        [zone("a", unicodedata.normalize("NFC", text), long, size), zone("b", "x", "#000000", 5)]
    )
    variants = [
        # keys in any order, zones in any order
        shuffled(document([zone("b", "x", "#000000", 5), zone("a", text, long, size)]), rng),
        # NFD instead of NFC, #RGB and upper case instead of #rrggbb
        document(
            [
                zone("a", unicodedata.normalize("NFD", text), short.upper(), size),
                zone("b", "x", "#000", 5),
            ]
        ),
        # defaults written out instead of omitted
        document(
            [
                zone(
                    "a",
                    text,
                    long,
                    size,
                    effect="none",
                    alignment="center",
                    lineSpacing=1.2,
                    kind="TEXT",
                ),
                zone("b", "x", "#000000", 5.0),
            ]
        )
        | {"units": "mm"},
        # float noise far below the micrometre
        document([zone("a", text, long, size + 1e-7), zone("b", "x", "#000000", 5.0000000001)]),
    ]
    expected = h(base)
    for variant in variants:
        assert h(variant) == expected


@settings(max_examples=40, deadline=None)
@given(a=texts, b=texts)
def test_different_text_gives_a_different_hash(a: str, b: str):
    na, nb = unicodedata.normalize("NFC", a), unicodedata.normalize("NFC", b)
    same = na == nb
    assert (
        h(document([zone("z", a, "#111", 5)])) == h(document([zone("z", b, "#111", 5)]))
    ) == same


@pytest.mark.parametrize(
    "change",
    [
        {"color": "#111112"},
        {"sizeMm": 5.001},
        {"font": {"id": "font1", "family": "Roboto", "sha256": "0" * 63 + "2"}},
        {"effect": "engraved"},
        {"alignment": "left"},
    ],
)
def test_any_meaningful_change_changes_the_hash(change: dict[str, Any]):
    base = document([zone("z", "Zoé", "#111111", 5)])
    assert h(document([zone("z", "Zoé", "#111111", 5) | change])) != h(base)


def test_canonical_bytes_are_rfc8785():
    spec = parse_spec(document([zone("z", "Zoé", "#ABC", 5.0)]))
    data = canonical_bytes(spec)
    text = data.decode("utf-8")
    assert " " not in text.replace("Zoé", "") and "\n" not in text
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert '"sizeMm":5,' in text, "integral floats are written as integers"
    assert spec_hash(spec) == canonicalize(json.loads(text))[2], "canonical form is a fixed point"


@pytest.mark.parametrize(
    ("doc", "field", "code"),
    [
        ({"specVersion": "2.0.0"}, "specVersion", "unsupported_spec_version"),
        ({"specVersion": "1.9.0"}, "specVersion", "unsupported_spec_version"),
        ({"specVersion": "one"}, "specVersion", "invalid_spec_version"),
        ({}, "specVersion", "required"),
    ],
)
def test_version_errors(doc: dict[str, Any], field: str, code: str):
    with pytest.raises(ValidationFailed) as raised:
        parse_spec(document([]) | doc if doc else {"productId": "p"})
    assert (raised.value.errors[0].field, raised.value.errors[0].code) == (field, code)


def test_unknown_fields_and_bad_values_are_named():
    bad = document([zone("z", "A", "red", -1, previewUrl="https://evil.example/x.png")])
    bad["price"] = 0
    with pytest.raises(ValidationFailed) as raised:
        parse_spec(bad)
    found = {(e.field, e.code) for e in raised.value.errors}
    assert ("price", "unknown_field") in found
    assert ("zones.0.previewUrl", "unknown_field") in found
    assert ("zones.0.color", "invalid_color") in found
    assert ("zones.0.sizeMm", "out_of_range") in found


def test_patch_versions_are_accepted_as_the_current_version():
    assert parse_spec(document([]) | {"specVersion": "1.0.7"}).spec_version == "1.0.0"


def test_json_schema_is_published_with_a_stable_id():
    schema = design_spec_json_schema()
    assert schema["$id"] == SCHEMA_ID and schema["$schema"].endswith("2020-12/schema")
    assert {"specVersion", "productId", "canvas", "zones"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
