"""Validate a whole design against its product: every issue of every zone at once, and
the resolved values (defaults filled, text normalized and cased, size fitted)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from atelier.catalog.config import Alignment, Effect, ProductConfig, ZoneConfig, ZoneKind
from atelier.personalization.autofit import FitResult, auto_fit
from atelier.personalization.inputs import DesignInput, ZoneInput
from atelier.personalization.normalize import normalize_color, normalize_text
from atelier.personalization.rules import ZoneIssue, apply_case, blocked_words_in, check_text
from atelier.typography.fonts import LoadedFont


@dataclass(frozen=True)
class ResolvedZone:
    zone_id: str
    text: str
    lines: list[str]
    font_id: str
    color: str
    size_mm: float
    effect: Effect
    alignment: Alignment
    line_spacing: float
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class ValidationReport:
    valid: bool
    zones: dict[str, ResolvedZone]
    issues: list[ZoneIssue]


def _resolve_zone(
    zone: ZoneConfig,
    value: ZoneInput,
    fonts: Mapping[str, LoadedFont],
    blocked: list[str],
) -> tuple[ResolvedZone | None, list[ZoneIssue]]:
    options = zone.text
    assert options is not None  # text zones always have options (checked on write)
    issues: list[ZoneIssue] = []

    def issue(field: str, code: str, message: str, **extra: object) -> None:
        issues.append(ZoneIssue(zone.id, field, code, message, dict(extra)))

    rules = zone.rules
    normalized = normalize_text(value.text, multiline=rules.max_lines > 1)
    for code, message, extra in normalized.issues:
        issue("text", code, message, **extra)
    raw = normalized.text
    issues.extend(check_text(zone.id, raw, rules))
    text = apply_case(raw, rules.case_transform)
    if text != raw:
        # Casing can lengthen text (ß → SS): the limits apply to what gets engraved.
        issues.extend(
            i
            for i in check_text(zone.id, text, rules)
            if i.code == "too_long" and not any(j.code == "too_long" for j in issues)
        )
    found = blocked_words_in(text, blocked)
    if found:
        issue("text", "blocked_word", "This text contains words that are not allowed.", words=found)

    font_id = value.font_id or options.font_ids[0]
    if font_id not in options.font_ids:
        issue(
            "fontId",
            "font_not_allowed",
            "This font is not offered for this zone.",
            allowed=options.font_ids,
        )
    font = fonts.get(font_id)
    if font is None and font_id in options.font_ids:
        issue("fontId", "font_not_allowed", "This font is not available.")
    allowed_colors = [c for c in (normalize_color(x) for x in options.colors) if c]
    color = allowed_colors[0]
    if value.color is not None:
        given = normalize_color(value.color)
        if given is None:
            issue("color", "invalid_color", "Colours are #rgb or #rrggbb.")
        elif given not in allowed_colors:
            issue(
                "color", "color_not_allowed", "This colour is not offered.", allowed=allowed_colors
            )
        else:
            color = given
    effect = value.effect or options.effects[0]
    if effect not in options.effects:
        issue(
            "effect",
            "effect_not_allowed",
            "This effect is not offered.",
            allowed=[e.value for e in options.effects],
        )
    alignment = value.alignment or options.alignment
    if value.size_mm is not None and not (
        options.min_size_mm <= value.size_mm <= options.max_size_mm
    ):
        issue(
            "sizeMm",
            "size_out_of_range",
            f"Sizes go from {options.min_size_mm} to {options.max_size_mm} mm.",
            minSizeMm=options.min_size_mm,
            maxSizeMm=options.max_size_mm,
        )
    if font is None:
        return None, issues
    missing = font.missing_chars(text)
    if missing:
        issue(
            "text",
            "glyph_missing",
            "The chosen font cannot draw some characters.",
            characters=missing,
        )

    g = zone.geometry
    if not text:
        size = value.size_mm or options.default_size_mm or options.max_size_mm
        return ResolvedZone(
            zone.id, "", [], font_id, color, size, effect, alignment, options.line_spacing, 0.0, 0.0
        ), issues
    wanted = value.size_mm or options.default_size_mm

    def fit(low: float, high: float) -> FitResult:
        return auto_fit(
            font,
            text,
            box_width_mm=g.width_mm,
            box_height_mm=g.height_mm,
            max_lines=rules.max_lines,
            min_size_mm=low,
            max_size_mm=high,
            line_spacing=options.line_spacing,
        )

    if wanted is not None and options.min_size_mm <= wanted <= options.max_size_mm:
        result = fit(wanted, wanted)
        if not result.fits and value.size_mm is None:
            result = fit(options.min_size_mm, wanted)
    else:
        result = fit(options.min_size_mm, options.max_size_mm)
    if not result.fits:
        issue(
            "sizeMm" if value.size_mm is not None else "text",
            "does_not_fit",
            "The text does not fit the zone at this size."
            if value.size_mm is not None
            else "The text is too long to fit the zone.",
        )
    resolved = ResolvedZone(
        zone.id,
        text,
        result.lines,
        font_id,
        color,
        result.size_mm,
        effect,
        alignment,
        options.line_spacing,
        result.width_mm,
        result.height_mm,
    )
    return resolved, issues


def validate_design(
    product: ProductConfig, design: DesignInput, fonts: Mapping[str, LoadedFont]
) -> ValidationReport:
    issues: list[ZoneIssue] = []
    zones: dict[str, ResolvedZone] = {}
    by_id = {z.id: z for z in product.zones}
    for zone_id in design.zones:
        if zone_id not in by_id:
            issues.append(
                ZoneIssue(zone_id, "zone", "unknown_zone", "This product has no such zone.")
            )
    for zone in product.zones:
        value = design.zones.get(zone.id)
        if zone.kind is not ZoneKind.TEXT or zone.text is None:
            if value is not None:
                issues.append(
                    ZoneIssue(zone.id, "zone", "zone_not_text", "This zone does not take text.")
                )
            continue
        resolved, zone_issues = _resolve_zone(
            zone, value or ZoneInput(), fonts, product.blocked_words
        )
        issues.extend(zone_issues)
        if resolved is not None:
            zones[zone.id] = resolved
    return ValidationReport(valid=not issues, zones=zones, issues=issues)
