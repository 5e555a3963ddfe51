"""Validate a whole design against its product: every issue of every zone at once, and
the resolved values (defaults filled, text normalized and cased, size fitted).

Resolution never stops at an issue: a choice that is not allowed (font, colour, effect,
size) is reported and the zone's default is used instead, so the remaining checks (glyph
coverage, fit) still run and the shopper sees everything wrong in one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from atelier.catalog.config import (
    Alignment,
    Effect,
    ProductConfig,
    TextOptions,
    ZoneConfig,
    ZoneKind,
)
from atelier.personalization.autofit import FitResult, auto_fit
from atelier.personalization.inputs import DesignInput, ZoneInput
from atelier.personalization.normalize import grapheme_count, normalize_color, normalize_text
from atelier.personalization.rules import ZoneIssue, apply_case, blocked_words_in, check_text
from atelier.typography.fonts import LoadedFont

FALLBACK_COLOR = "#000000"


@dataclass(frozen=True)
class ResolvedZone:
    """A text zone as it will be produced: final text and lines, explicit choices, size."""

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
    """`valid` iff there are no issues; `zones` holds every text zone that could be
    resolved (also when invalid, for previews)."""

    valid: bool
    zones: dict[str, ResolvedZone]
    issues: list[ZoneIssue]


T = TypeVar("T")


class _Issues:
    def __init__(self, zone_id: str) -> None:
        self.zone_id = zone_id
        self.items: list[ZoneIssue] = []

    def add(self, field: str, code: str, message: str, **extra: Any) -> None:
        self.items.append(ZoneIssue(self.zone_id, field, code, message, dict(extra)))

    def has(self, code: str) -> bool:
        return any(i.code == code for i in self.items)

    def choose(self, field: str, given: T | None, offered: list[T], code: str, message: str) -> T:
        """The shopper's choice when it is offered, else the zone's first offer (and, for a
        choice that is not offered, an issue listing what is)."""
        if given is None or given == offered[0]:
            return offered[0]
        if given in offered:
            return given
        self.add(field, code, message, allowed=[getattr(o, "value", o) for o in offered])
        return offered[0]


def _allowed_colors(options: TextOptions) -> list[str]:
    colors = [c for c in (normalize_color(x) for x in options.colors) if c]
    return colors or [FALLBACK_COLOR]  # a misconfigured palette must not crash checks


def _check_text(zone: ZoneConfig, value: ZoneInput, issues: _Issues, blocked: list[str]) -> str:
    """Normalize, check the rules on the typed characters, then case; returns final text."""
    rules = zone.rules
    normalized = normalize_text(value.text, multiline=rules.max_lines > 1)
    for code, message, extra in normalized.issues:
        issues.add("text", code, message, **extra)
    raw = normalized.text
    issues.items.extend(check_text(zone.id, raw, rules))
    text = apply_case(raw, rules.case_transform)
    if text != raw and not issues.has("too_long"):
        # Casing can lengthen text (ß → SS): the limit applies to what gets engraved.
        length = grapheme_count(text.replace("\n", ""))
        if length > rules.max_length:
            issues.add(
                "text",
                "too_long",
                f"At most {rules.max_length} characters.",
                maxLength=rules.max_length,
                length=length,
            )
    found = blocked_words_in(text, blocked)
    if found:
        issues.add(
            "text", "blocked_word", "This text contains words that are not allowed.", words=found
        )
    return text


def _resolve_zone(
    zone: ZoneConfig,
    value: ZoneInput,
    fonts: Mapping[str, LoadedFont],
    blocked: list[str],
) -> tuple[ResolvedZone | None, list[ZoneIssue]]:
    options = zone.text
    assert options is not None  # the caller only passes text zones with options
    issues = _Issues(zone.id)
    rules = zone.rules
    text = _check_text(zone, value, issues, blocked)

    font_id = issues.choose(
        "fontId",
        value.font_id,
        list(options.font_ids),
        "font_not_allowed",
        "This font is not offered for this zone.",
    )
    font = fonts.get(font_id)
    if font is None:
        issues.add("fontId", "font_not_allowed", "This font is not available.")

    allowed_colors = _allowed_colors(options)
    color = allowed_colors[0]
    if value.color is not None:
        given = normalize_color(value.color)
        if given is None:
            issues.add("color", "invalid_color", "Colours are #rgb or #rrggbb.")
        elif given not in allowed_colors:
            issues.add(
                "color", "color_not_allowed", "This colour is not offered.", allowed=allowed_colors
            )
        else:
            color = given

    effect = issues.choose(
        "effect",
        value.effect,
        list(options.effects),
        "effect_not_allowed",
        "This effect is not offered.",
    )
    alignment = value.alignment or options.alignment

    wanted = value.size_mm
    in_range = wanted is not None and options.min_size_mm <= wanted <= options.max_size_mm
    if wanted is not None and not in_range:
        issues.add(
            "sizeMm",
            "size_out_of_range",
            f"Sizes go from {options.min_size_mm:g} to {options.max_size_mm:g} mm.",
            minSizeMm=options.min_size_mm,
            maxSizeMm=options.max_size_mm,
        )
    if font is None:
        return None, issues.items

    missing = font.missing_chars(text)
    if missing:
        issues.add(
            "text",
            "glyph_missing",
            "The chosen font cannot draw some characters.",
            characters=missing,
        )

    if not text:  # an empty optional zone: valid, resolved, nothing to fit
        size = wanted if wanted is not None and in_range else None
        resolved = ResolvedZone(
            zone_id=zone.id,
            text="",
            lines=[],
            font_id=font_id,
            color=color,
            size_mm=size or options.default_size_mm or options.max_size_mm,
            effect=effect,
            alignment=alignment,
            line_spacing=options.line_spacing,
            width_mm=0.0,
            height_mm=0.0,
        )
        return resolved, issues.items

    g = zone.geometry

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

    if wanted is not None and in_range:
        # The shopper's size is kept exactly; if it does not fit, say so (no silent shrink).
        result = fit(wanted, wanted)
    elif wanted is None and options.default_size_mm is not None:
        result = fit(options.default_size_mm, options.default_size_mm)
        if not result.fits:  # fits nowhere above the default either: search below it
            result = fit(options.min_size_mm, options.default_size_mm)
    else:
        result = fit(options.min_size_mm, options.max_size_mm)
    if not result.fits and not issues.has("too_many_lines"):
        if wanted is not None and in_range:
            issues.add("sizeMm", "does_not_fit", "The text does not fit the zone at this size.")
        else:
            issues.add("text", "does_not_fit", "The text is too long to fit the zone.")
    resolved = ResolvedZone(
        zone_id=zone.id,
        text=text,
        lines=result.lines,
        font_id=font_id,
        color=color,
        size_mm=result.size_mm,
        effect=effect,
        alignment=alignment,
        line_spacing=options.line_spacing,
        width_mm=result.width_mm,
        height_mm=result.height_mm,
    )
    return resolved, issues.items


def validate_design(
    product: ProductConfig, design: DesignInput, fonts: Mapping[str, LoadedFont]
) -> ValidationReport:
    """Check every zone of `design` against `product` and resolve its values.

    `fonts` maps font id → loaded font for (at least) the fonts the zones offer. Returns
    all issues of all zones, in product zone order (unknown zones first); never raises
    on shopper input.
    """
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
            zone, value or ZoneInput(), fonts, list(product.blocked_words)
        )
        issues.extend(zone_issues)
        if resolved is not None:
            zones[zone.id] = resolved
    return ValidationReport(valid=not issues, zones=zones, issues=issues)
