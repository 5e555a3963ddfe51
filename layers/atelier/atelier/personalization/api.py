"""Request and response models of the personalization endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from atelier.catalog.config import Alignment, Effect
from atelier.personalization.engine import ResolvedZone, ValidationReport
from atelier.personalization.inputs import MAX_TEXT_CHARS, ApiModel


class Issue(ApiModel):
    zone_id: str
    field: str
    code: str = Field(description="Stable: required, too_long, char_not_allowed, glyph_missing, …")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ZoneResult(ApiModel):
    text: str
    lines: list[str]
    font_id: str
    color: str
    size_mm: float
    effect: Effect
    alignment: Alignment
    width_mm: float
    height_mm: float

    @classmethod
    def of(cls, zone: ResolvedZone) -> ZoneResult:
        return cls(
            text=zone.text,
            lines=zone.lines,
            font_id=zone.font_id,
            color=zone.color,
            size_mm=zone.size_mm,
            effect=zone.effect,
            alignment=zone.alignment,
            width_mm=round(zone.width_mm, 3),
            height_mm=round(zone.height_mm, 3),
        )


class ValidationOut(ApiModel):
    valid: bool
    zones: dict[str, ZoneResult]
    issues: list[Issue]

    @classmethod
    def of(cls, report: ValidationReport) -> ValidationOut:
        return cls(
            valid=report.valid,
            zones={k: ZoneResult.of(v) for k, v in report.zones.items()},
            issues=[
                Issue(
                    zone_id=i.zone_id,
                    field=i.field,
                    code=i.code,
                    message=i.message,
                    details=i.extra,
                )
                for i in report.issues
            ],
        )


class NormalizeIn(ApiModel):
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
    multiline: bool = False


class NormalizeOut(ApiModel):
    text: str
    removed: list[str] = Field(description="Names of the invisible characters taken out")
    issues: list[Issue]


class AutoFitIn(ApiModel):
    product_id: Annotated[str, Field(min_length=1, max_length=64)]
    zone_id: Annotated[str, Field(min_length=1, max_length=64)]
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
    font_id: str | None = None


class AutoFitOut(ApiModel):
    size_mm: float
    lines: list[str]
    width_mm: float
    height_mm: float
    fits: bool
