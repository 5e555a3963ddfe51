"""Product and zone configuration as the domain sees it (plain pydantic, no ORM).

The database stores zone rules and options as JSONB validated by these models; the widget
config endpoint publishes them; the personalization engine enforces them; the spec builder
reads geometry and defaults from them. One shape, used everywhere.

Units: lengths in millimetres, font sizes in millimetres of em height (the physical size a
workshop cares about), angles in degrees, colours as lower-case `#rrggbb`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel


class Strict(BaseModel):
    """camelCase on the wire (`widthMm`), snake_case in code and in stored JSON."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True
    )


class CaseTransform(StrEnum):
    NONE = "none"
    UPPER = "upper"
    LOWER = "lower"
    TITLE = "title"


class Alignment(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Effect(StrEnum):
    NONE = "none"
    ENGRAVED = "engraved"
    EMBOSSED = "embossed"
    OUTLINE = "outline"
    ARC = "arc"


class ZoneKind(StrEnum):
    """Mirrors the CustomizationType enum of the data model (seeds 001)."""

    TEXT = "TEXT"
    IMAGE = "IMAGE"
    COLOR = "COLOR"
    PATTERN = "PATTERN"
    FONT = "FONT"
    SIZE = "SIZE"
    POSITION = "POSITION"


class Geometry(Strict):
    """The zone's box on the product, origin at the product's top-left corner."""

    x_mm: float = Field(ge=0)
    y_mm: float = Field(ge=0)
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    rotation_deg: float = Field(default=0, ge=-360, le=360)


class ZoneRules(Strict):
    """What a shopper may type into a text zone. Lengths count grapheme clusters."""

    required: bool = False
    min_length: int = Field(default=0, ge=0)
    max_length: int = Field(default=50, ge=1, le=1000)
    max_lines: int = Field(default=1, ge=1, le=20)
    allowed_chars: str | None = Field(
        default=None, description="Whitelist of characters; None means any (subject to scripts)."
    )
    allowed_scripts: list[str] | None = Field(
        default=None,
        description="Unicode script names (e.g. Latin, Arabic, Hebrew, Common); None means any.",
    )
    pattern: str | None = Field(default=None, description="A regex the whole text must match.")
    case_transform: CaseTransform = CaseTransform.NONE

    @model_validator(mode="after")
    def _lengths_ordered(self) -> ZoneRules:
        if self.min_length > self.max_length:
            raise ValueError("minLength must not exceed maxLength")
        if self.pattern is not None:
            import regex

            try:
                regex.compile(self.pattern)
            except regex.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from exc
        return self


class TextOptions(Strict):
    """Choices offered in a text zone and the defaults applied when the shopper picks none."""

    font_ids: list[str] = Field(min_length=1, description="Allowed font ids; first is default.")
    colors: list[str] = Field(
        default_factory=lambda: ["#000000"], min_length=1, description="Allowed colours."
    )
    effects: list[Effect] = Field(default_factory=lambda: [Effect.NONE], min_length=1)
    min_size_mm: float = Field(default=2.0, gt=0)
    max_size_mm: float = Field(default=20.0, gt=0)
    default_size_mm: float | None = Field(default=None, gt=0)
    alignment: Alignment = Alignment.CENTER
    line_spacing: float = Field(default=1.2, gt=0, le=5)

    @model_validator(mode="after")
    def _sizes_ordered(self) -> TextOptions:
        if self.min_size_mm > self.max_size_mm:
            raise ValueError("minSizeMm must not exceed maxSizeMm")
        if self.default_size_mm is not None and not (
            self.min_size_mm <= self.default_size_mm <= self.max_size_mm
        ):
            raise ValueError("defaultSizeMm must lie between minSizeMm and maxSizeMm")
        return self


class ZoneConfig(Strict):
    id: str
    name: str
    kind: ZoneKind = ZoneKind.TEXT
    geometry: Geometry
    rules: ZoneRules = Field(default_factory=ZoneRules)
    text: TextOptions | None = None
    sort_order: int = 0


class FontRef(Strict):
    """A brand font as the domain needs it: where its bytes are and what they hash to."""

    id: str
    family: str
    style: str = "Regular"
    storage_key: str
    sha256: str


class ProductConfig(Strict):
    id: str
    brand_id: str
    name: str
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    price_cents: int = Field(ge=0)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    template_3d: str | None = Field(default=None, description="plate, cylinder or disc.")
    print_dpi: int = Field(default=300, ge=72, le=2400)
    zones: list[ZoneConfig] = Field(default_factory=list)
    blocked_words: list[str] = Field(
        default_factory=list, description="The brand's blocked words (brand-wide setting)."
    )
