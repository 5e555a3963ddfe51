"""DesignSpec v1.0.0: everything a renderer or a workshop needs to reproduce a design,
nothing a client could forge (no prices, no URLs, no hashes).

Values are canonical by construction: strings NFC, colours lower-case `#rrggbb`, lengths
in millimetres rounded to a micrometre, zones sorted by id, every default explicit. Two
documents that mean the same design therefore serialize to the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from atelier.catalog.config import Alignment, Effect
from atelier.personalization.inputs import ApiModel

SPEC_VERSION = "1.0.0"
LENGTH_QUANTUM_DECIMALS = 3  # 0.001 mm: far below any machine's precision, far above float noise
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def canonical_color(value: object) -> str:
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        raise PydanticCustomError("invalid_color", "Colours are #rgb or #rrggbb hexadecimal.")
    digits = value.strip()[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _mm(value: float) -> float:
    rounded = round(float(value), LENGTH_QUANTUM_DECIMALS)
    return rounded + 0.0  # folds -0.0 into 0.0 so both serialize alike


Text = Annotated[str, AfterValidator(_nfc)]
Color = Annotated[str, BeforeValidator(canonical_color)]
Mm = Annotated[float, AfterValidator(_mm)]
PositiveMm = Annotated[float, Field(gt=0), AfterValidator(_mm)]


class Canvas(ApiModel):
    width_mm: PositiveMm
    height_mm: PositiveMm


class SpecGeometry(ApiModel):
    x_mm: Mm
    y_mm: Mm
    width_mm: PositiveMm
    height_mm: PositiveMm
    rotation_deg: Mm = 0.0


class SpecFont(ApiModel):
    """Pins the exact font file (its SHA-256), so a spec renders the same forever."""

    id: Text
    family: Text
    style: Text = "Regular"
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class TextZone(ApiModel):
    zone_id: Text
    kind: Literal["TEXT"] = "TEXT"
    geometry: SpecGeometry
    text: Text
    lines: list[Text]
    font: SpecFont
    color: Color
    size_mm: PositiveMm
    effect: Effect = Effect.NONE
    alignment: Alignment = Alignment.CENTER
    line_spacing: Annotated[float, Field(gt=0, le=5), AfterValidator(_mm)] = 1.2


class DesignSpec(ApiModel):
    spec_version: Literal["1.0.0"] = "1.0.0"
    product_id: Text
    units: Literal["mm"] = "mm"
    canvas: Canvas
    zones: list[TextZone] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _zones_in_canonical_order(self) -> DesignSpec:
        ids = [z.zone_id for z in self.zones]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("duplicate_zone", "Each zone appears once.")
        if ids != sorted(ids):
            # Frozen model: rebuild the list in order rather than mutate in place.
            object.__setattr__(self, "zones", sorted(self.zones, key=lambda z: z.zone_id))
        return self
