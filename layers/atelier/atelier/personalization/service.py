"""The personalization use cases behind the widget's live checks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.catalog.config import ZoneKind
from atelier.catalog.fonts import load_fonts
from atelier.catalog.repository import load_catalogue
from atelier.errors import FieldError, NotFound, ValidationFailed
from atelier.personalization.api import AutoFitIn, AutoFitOut, Issue, NormalizeIn, NormalizeOut
from atelier.personalization.autofit import auto_fit
from atelier.personalization.normalize import normalize_text
from atelier.personalization.rules import apply_case


def normalize(body: NormalizeIn) -> NormalizeOut:
    result = normalize_text(body.text, multiline=body.multiline)
    return NormalizeOut(
        text=result.text,
        removed=result.removed,
        issues=[
            Issue(zone_id="", field="text", code=c, message=m, details=d)
            for c, m, d in result.issues
        ],
    )


def fit_zone(
    session: Session, storage: ObjectStorage, brand_id: str, body: AutoFitIn
) -> AutoFitOut:
    catalogue = load_catalogue(session, brand_id, body.product_id)
    zone = next((z for z in catalogue.product.zones if z.id == body.zone_id), None)
    if zone is None:
        raise NotFound(f"No zone {body.zone_id} on product {body.product_id}.")
    if zone.kind is not ZoneKind.TEXT or zone.text is None:
        raise ValidationFailed(
            errors=[FieldError("zoneId", "zone_not_text", "This zone does not take text.")]
        )
    font_id = body.font_id or zone.text.font_ids[0]
    if font_id not in zone.text.font_ids or font_id not in catalogue.fonts:
        raise ValidationFailed(
            errors=[FieldError("fontId", "font_not_allowed", "This font is not offered here.")]
        )
    font = load_fonts(storage, [catalogue.fonts[font_id]])[font_id]
    text = apply_case(
        normalize_text(body.text, multiline=zone.rules.max_lines > 1).text,
        zone.rules.case_transform,
    )
    fit = auto_fit(
        font,
        text,
        box_width_mm=zone.geometry.width_mm,
        box_height_mm=zone.geometry.height_mm,
        max_lines=zone.rules.max_lines,
        min_size_mm=zone.text.min_size_mm,
        max_size_mm=zone.text.max_size_mm,
        line_spacing=zone.text.line_spacing,
    )
    return AutoFitOut(
        size_mm=fit.size_mm,
        lines=fit.lines,
        width_mm=round(fit.width_mm, 3),
        height_mm=round(fit.height_mm, 3),
        fits=fit.fits,
    )
