"""From a shopper's inputs to a stored DesignSpec: validate against the product, build the
canonical spec, store it once per hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.catalog.fonts import load_fonts
from atelier.catalog.repository import Catalogue, load_catalogue
from atelier.db.models import DesignSpec as DesignSpecRow
from atelier.errors import FieldError, NotFound, ValidationFailed
from atelier.personalization.api import Issue
from atelier.personalization.engine import ValidationReport, validate_design
from atelier.personalization.inputs import DesignInput, ZoneInput
from atelier.personalization.rules import ZoneIssue
from atelier.specs.api import SpecValidationOut
from atelier.specs.builder import build_spec
from atelier.specs.canonical import parse_spec, spec_hash
from atelier.specs.model import DesignSpec


@dataclass(frozen=True)
class BuiltDesign:
    spec: DesignSpec
    spec_hash: str
    report: ValidationReport
    catalogue: Catalogue


def issue_errors(issues: list[ZoneIssue]) -> list[FieldError]:
    return [
        FieldError(
            field=f"zones.{i.zone_id}.{i.field}",
            code=i.code,
            message=i.message,
            extra={"zoneId": i.zone_id, **i.extra},
        )
        for i in issues
    ]


def check_design(
    session: Session, storage: ObjectStorage, brand_id: str, design: DesignInput
) -> tuple[Catalogue, ValidationReport]:
    catalogue = load_catalogue(session, brand_id, design.product_id)
    fonts = load_fonts(storage, catalogue.fonts.values())
    return catalogue, validate_design(catalogue.product, design, fonts)


def build_design(
    session: Session, storage: ObjectStorage, brand_id: str, design: DesignInput
) -> BuiltDesign:
    """The canonical spec of a valid design; `ValidationFailed` lists every issue."""
    catalogue, report = check_design(session, storage, brand_id, design)
    if not report.valid:
        raise ValidationFailed(
            "The design breaks the product's rules.", errors=issue_errors(report.issues)
        )
    spec = build_spec(catalogue.product, report.zones, catalogue.font_refs())
    return BuiltDesign(spec=spec, spec_hash=spec_hash(spec), report=report, catalogue=catalogue)


def save_spec(
    session: Session,
    *,
    brand_id: str,
    built: BuiltDesign,
    zone_inputs: dict[str, Any],
    metadata: dict[str, Any] | None,
) -> tuple[DesignSpecRow, bool]:
    """Store the spec once per hash; concurrent identical requests make one row."""
    inserted = session.execute(
        insert(DesignSpecRow)
        .values(
            brand_id=brand_id,
            spec_version=built.spec.spec_version,
            spec_hash=built.spec_hash,
            spec=built.spec.model_dump(mode="json", by_alias=True),
            product_id=built.spec.product_id,
            zone_inputs=zone_inputs,
            meta=metadata,
        )
        .on_conflict_do_nothing(index_elements=["spec_hash"])
        .returning(DesignSpecRow.id)
    ).scalar()
    row = get_spec(session, brand_id, built.spec_hash)
    return row, inserted is not None


def get_spec(session: Session, brand_id: str, spec_hash: str) -> DesignSpecRow:
    row = session.scalars(
        select(DesignSpecRow).where(
            DesignSpecRow.spec_hash == spec_hash, DesignSpecRow.brand_id == brand_id
        )
    ).first()
    if row is None:
        raise NotFound(f"No spec {spec_hash}.")
    return row


def spec_to_design(spec: DesignSpec) -> DesignInput:
    """The inputs that would produce this spec (to re-check it against today's rules)."""
    return DesignInput(
        product_id=spec.product_id,
        zones={
            z.zone_id: ZoneInput(
                text=z.text,
                font_id=z.font.id,
                color=z.color,
                size_mm=z.size_mm,
                effect=z.effect,
                alignment=z.alignment,
            )
            for z in spec.zones
        },
    )


def revalidate_spec(
    session: Session, storage: ObjectStorage, brand_id: str, document: Any
) -> SpecValidationOut:
    """Structure first (422 when malformed), then the product's current rules; a spec is
    valid when rebuilding it from its own values gives the very same hash."""
    spec = parse_spec(document)
    digest = spec_hash(spec)
    design = spec_to_design(spec)
    catalogue, report = check_design(session, storage, brand_id, design)
    issues = [
        Issue(zone_id=i.zone_id, field=i.field, code=i.code, message=i.message, details=i.extra)
        for i in report.issues
    ]
    if report.valid:
        rebuilt = build_spec(catalogue.product, report.zones, catalogue.font_refs())
        if spec_hash(rebuilt) != digest:
            issues.append(
                Issue(
                    zone_id="",
                    field="spec",
                    code="spec_mismatch",
                    message="The spec does not match what this product produces for these values.",
                )
            )
    return SpecValidationOut(
        valid=not issues,
        spec_hash=digest,
        spec=spec.model_dump(mode="json", by_alias=True),
        issues=issues,
    )
