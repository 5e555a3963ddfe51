"""DesignSpecs are built server-side from the product's configuration and the validated,
normalized zone values; every default is written out so the spec stands alone."""

from __future__ import annotations

from collections.abc import Mapping

from atelier.catalog.config import FontRef, ProductConfig, ZoneKind
from atelier.personalization.engine import ResolvedZone
from atelier.specs.model import Canvas, DesignSpec, SpecFont, SpecGeometry, TextZone


def build_spec(
    product: ProductConfig, zones: Mapping[str, ResolvedZone], fonts: Mapping[str, FontRef]
) -> DesignSpec:
    spec_zones = []
    for zone in product.zones:
        if zone.kind is not ZoneKind.TEXT or zone.id not in zones:
            continue
        value = zones[zone.id]
        if not value.text:
            continue  # an empty optional zone carries no ink: it is not part of the design
        font = fonts[value.font_id]
        g = zone.geometry
        spec_zones.append(
            TextZone(
                zone_id=zone.id,
                geometry=SpecGeometry(
                    x_mm=g.x_mm,
                    y_mm=g.y_mm,
                    width_mm=g.width_mm,
                    height_mm=g.height_mm,
                    rotation_deg=g.rotation_deg,
                ),
                text=value.text,
                lines=list(value.lines),
                font=SpecFont(id=font.id, family=font.family, style=font.style, sha256=font.sha256),
                color=value.color,
                size_mm=value.size_mm,
                effect=value.effect,
                alignment=value.alignment,
                line_spacing=value.line_spacing,
            )
        )
    return DesignSpec(
        product_id=product.id,
        canvas=Canvas(width_mm=product.width_mm, height_mm=product.height_mm),
        zones=spec_zones,
    )
