"""Brand fonts: checked on upload, stored by content hash, loaded for shaping on demand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.db.models import Font
from atelier.errors import FieldError, ValidationFailed
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
