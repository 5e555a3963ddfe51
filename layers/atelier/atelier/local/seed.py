"""The demo tenant the local runtime starts with: a brand, an engraved plate with two text
zones, three real fonts and a publishable key for the demo storefront's origin.

Idempotent: each piece is looked up before it is created, so `atelier seed` and every
`atelier serve` can run it. The publishable key is only ever stored hashed; its one
plain copy is kept in `var/demo-key.txt` so the runtime can print it again.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from atelier.adapters.storage import ObjectStorage
from atelier.auth.keys import KeyKind, hash_key
from atelier.catalog.fonts import register_font
from atelier.db.models import (
    ApiKey,
    Brand,
    ClientSettings,
    CustomizationZone,
    Product,
    ProductStatus,
)
from atelier.local.runtime import home, local_storage
from atelier.tenancy.admin import add_api_key, add_brand

DEMO_SLUG = "demo"
DEMO_ORIGINS = ["http://127.0.0.1:8000", "http://localhost:8000"]
DEMO_BLOCKED_WORDS = ["merde", "putain", "fuck", "shit"]


def _package_font(package: str, filename: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "files" / filename
    return path if path.is_file() else None


def demo_font_files() -> list[Path]:
    """Roboto and Lato from PyPI; DejaVu Sans (Arabic, Hebrew) from Debian when present."""
    candidates = [
        _package_font("font_roboto", "Roboto-Regular.ttf"),
        _package_font("font_lato", "Lato-Regular.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ]
    return [p for p in candidates if p is not None and p.is_file()]


@dataclass(frozen=True)
class DemoSeed:
    brand_id: str
    product_id: str
    zone_ids: list[str]
    font_ids: list[str]
    publishable_key: str
    origins: list[str]

    def describe(self) -> str:
        return "\n".join(
            [
                f"Demo brand     {self.brand_id} (slug {DEMO_SLUG!r})",
                f"Demo product   {self.product_id}",
                f"Publishable key {self.publishable_key}",
                f"  for the widget on {', '.join(self.origins)}",
            ]
        )


def _zones(font_ids: list[str]) -> list[dict[str, object]]:
    return [
        {
            "name": "Name",
            "sort_order": 0,
            "geometry": {"x_mm": 10, "y_mm": 8, "width_mm": 100, "height_mm": 28},
            "rules": {"required": True, "max_length": 24, "max_lines": 2},
            "text_options": {
                "font_ids": font_ids,
                "colors": ["#1a1a1a", "#8b5a2b", "#c0a060"],
                "effects": ["engraved", "none"],
                "min_size_mm": 4,
                "max_size_mm": 20,
                "alignment": "center",
            },
        },
        {
            "name": "Date",
            "sort_order": 1,
            "geometry": {"x_mm": 20, "y_mm": 40, "width_mm": 80, "height_mm": 12},
            "rules": {"max_length": 20, "allowed_chars": "0123456789./- "},
            "text_options": {
                "font_ids": font_ids[:1],
                "colors": ["#1a1a1a"],
                "min_size_mm": 3,
                "max_size_mm": 8,
                "alignment": "center",
            },
        },
    ]


def _publishable_key(session: Session, brand_id: str) -> str:
    path = home() / "demo-key.txt"
    if path.exists():
        secret = path.read_text().strip()
        live = session.scalars(
            select(ApiKey).where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None))
        ).first()
        if live is not None and live.brand_id == brand_id:
            return secret
    key = add_api_key(session, brand_id=brand_id, kind=KeyKind.PUBLISHABLE, name="demo storefront")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key.secret + "\n")
    path.chmod(0o600)
    return key.secret


def seed_into(
    session: Session, storage: ObjectStorage, extra_origins: list[str] | None = None
) -> DemoSeed:
    brand = session.scalars(select(Brand).where(Brand.slug == DEMO_SLUG)).first()
    if brand is None:
        brand = add_brand(session, name="Atelier Demo", origins=DEMO_ORIGINS, slug=DEMO_SLUG)
    settings = session.scalars(
        select(ClientSettings).where(ClientSettings.brand_id == brand.id)
    ).one()
    if not settings.blocked_words:
        settings.blocked_words = DEMO_BLOCKED_WORDS
    wanted = [o for o in extra_origins or [] if o not in settings.allowed_origins]
    if wanted:
        settings.allowed_origins = [*settings.allowed_origins, *wanted]

    font_ids = []
    for path in demo_font_files():
        font, _ = register_font(session, storage, brand_id=brand.id, data=path.read_bytes())
        font_ids.append(font.id)

    product = session.scalars(
        select(Product).where(Product.brand_id == brand.id, Product.slug == "oak-plate")
    ).first()
    if product is None:
        product = Product(
            brand_id=brand.id,
            name="Engraved oak plate",
            slug="oak-plate",
            description="A solid oak plate, laser-engraved with your text.",
            price=Decimal("29.90"),
            currency="EUR",
            width_mm=120,
            height_mm=60,
            template_3d="plate",
            status=ProductStatus.ACTIVE,
            is_public=True,
        )
        session.add(product)
        session.flush()
        for zone in _zones(font_ids):
            session.add(CustomizationZone(brand_id=brand.id, product_id=product.id, **zone))
        session.flush()
    zone_ids = list(
        session.scalars(
            select(CustomizationZone.id)
            .where(CustomizationZone.product_id == product.id)
            .order_by(CustomizationZone.sort_order)
        )
    )
    return DemoSeed(
        brand_id=brand.id,
        product_id=product.id,
        zone_ids=zone_ids,
        font_ids=font_ids,
        publishable_key=_publishable_key(session, brand.id),
        origins=list(settings.allowed_origins),
    )


def seed_demo(
    admin_url: str, storage: ObjectStorage | None = None, extra_origins: list[str] | None = None
) -> DemoSeed:
    engine = create_engine(admin_url)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            return seed_into(session, storage or local_storage(), extra_origins)
    finally:
        engine.dispose()
