"""What a shopper submits for a design: one `ZoneInput` per zone, keyed by zone id.

The public JSON is camelCase (`fontId`, `sizeMm`); Python code uses snake_case. Unknown
fields are rejected so a client cannot smuggle a price, a brand or a preview URL in.
Everything optional here has a default in the zone's `TextOptions`; the spec builder makes
those defaults explicit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from atelier.catalog.config import Alignment, Effect

MAX_TEXT_CHARS = 2000
"""Hard ceiling on raw input size, far above any zone's max_length (counted in graphemes)."""


class ApiModel(BaseModel):
    """Base for public request/response models: camelCase on the wire, unknown fields refused."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True
    )


class ZoneInput(ApiModel):
    text: str = Field(default="", max_length=MAX_TEXT_CHARS)
    font_id: str | None = None
    color: str | None = Field(default=None, description="#rgb or #rrggbb")
    size_mm: float | None = Field(default=None, gt=0, le=1000)
    effect: Effect | None = None
    alignment: Alignment | None = None


class DesignInput(ApiModel):
    product_id: str = Field(min_length=1, max_length=64)
    zones: dict[str, ZoneInput] = Field(default_factory=dict, max_length=100)
