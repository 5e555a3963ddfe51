"""Brand fonts: checked on upload, stored by content hash, loaded for shaping on demand."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.db.models import CustomizationZone, Font
from atelier.errors import Conflict, FieldError, NotFound, ValidationFailed
from atelier.personalization.inputs import ApiModel
from atelier.typography.fonts import FontError, LoadedFont, cached_font, inspect_font, load_font

CONTENT_TYPES = {"ttf": "font/ttf", "otf": "font/otf"}


def font_key(brand_id: str, sha256: str, fmt: str) -> str:
    return f"fonts/{brand_id}/{sha256}.{fmt}"


def register_font(
    session: Session,
    storage: ObjectStorage,
    *,
    brand_id: str,
    data: bytes,
    family: str | None = None,
) -> tuple[Font, bool]:
    """Store a font for a brand; the same file twice is the same font (returns created=False)."""
    try:
        info = inspect_font(data)
    except FontError as exc:
        raise ValidationFailed(
            "The font file cannot be used.",
            errors=[FieldError("data", "invalid_font", reason) for reason in exc.reasons],
        ) from exc
    existing = session.scalars(
        select(Font).where(Font.brand_id == brand_id, Font.sha256 == info.sha256)
    ).first()
    if existing is not None:
        return existing, False
    key = font_key(brand_id, info.sha256, info.format)
    storage.put(key, data, CONTENT_TYPES[info.format])
    font = Font(
        brand_id=brand_id,
        family=(family or info.family)[:200],
        style=info.style[:100],
        format=info.format,
        storage_key=key,
        sha256=info.sha256,
        size_bytes=info.size_bytes,
        units_per_em=info.units_per_em,
        glyph_count=info.glyph_count,
    )
    session.add(font)
    session.flush()
    return font, True


def load_fonts(storage: ObjectStorage, fonts: Iterable[Font]) -> Mapping[str, LoadedFont]:
    """The shaping fonts for these rows, by font id (process cache first, then storage)."""
    loaded: dict[str, LoadedFont] = {}
    for font in fonts:
        hit = cached_font(font.sha256)
        loaded[font.id] = (
            hit if hit is not None else load_font(storage.get(font.storage_key), font.sha256)
        )
    return loaded


class FontUpload(ApiModel):
    data: Annotated[str, StringConstraints(min_length=16, max_length=1_000_000)] = Field(
        description="The TTF or OTF file, base64-encoded (up to ~700 kB per request)"
    )
    family: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None


class FontOut(ApiModel):
    id: str
    family: str
    style: str
    format: str
    sha256: str
    size_bytes: int
    glyph_count: int
    created_at: datetime

    @classmethod
    def of(cls, row: Font) -> FontOut:
        return cls(
            id=row.id,
            family=row.family,
            style=row.style,
            format=row.format,
            sha256=row.sha256,
            size_bytes=row.size_bytes,
            glyph_count=row.glyph_count,
            created_at=row.created_at,
        )


def decode_upload(upload: FontUpload) -> bytes:
    try:
        return base64.b64decode(upload.data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed(
            "The font data is not valid base64.",
            errors=[FieldError("data", "invalid_base64", "Send the file base64-encoded.")],
        ) from exc


def list_fonts(session: Session, brand_id: str) -> list[FontOut]:
    rows = session.scalars(
        select(Font).where(Font.brand_id == brand_id).order_by(Font.family, Font.id)
    )
    return [FontOut.of(r) for r in rows]


def delete_font(session: Session, brand_id: str, font_id: str) -> None:
    """Refused while a zone offers the font; the file itself stays, since stored specs pin it."""
    font = session.scalars(
        select(Font).where(Font.id == font_id, Font.brand_id == brand_id)
    ).first()
    if font is None:
        raise NotFound(f"No font {font_id}.")
    used = session.scalars(
        select(CustomizationZone.id).where(
            CustomizationZone.brand_id == brand_id,
            CustomizationZone.is_active.is_(True),
            CustomizationZone.text_options["font_ids"].contains([font_id]),
        )
    ).first()
    if used is not None:
        raise Conflict("Zones still offer this font; remove it from them first.")
    session.delete(font)
    session.flush()
