"""A brand's API keys and widget settings, managed by its admins."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from atelier.auth.keys import KeyKind
from atelier.db.models import ApiKey, ClientSettings
from atelier.errors import NotFound
from atelier.http.origins import normalize_origin
from atelier.personalization.inputs import ApiModel
from atelier.tenancy.admin import add_api_key

_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(?::\d{1,5})?$")


def _origin(value: str) -> str:
    origin = normalize_origin(value)
    if not _ORIGIN.match(origin):
        raise ValueError("an origin is scheme://host[:port], e.g. https://shop.example")
    return origin


Origin = Annotated[str, AfterValidator(_origin)]
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class KeyIn(ApiModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    kind: KeyKind = KeyKind.PUBLISHABLE
    expires_at: datetime | None = None


class KeyOut(ApiModel):
    id: str
    name: str
    kind: KeyKind
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ApiKey) -> KeyOut:
        return cls(
            id=row.id,
            name=row.name,
            kind=KeyKind(row.kind.value),
            prefix=row.prefix,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )


class KeyCreated(KeyOut):
    secret: str = Field(description="The key itself: shown this once, stored only hashed")


class SettingsOut(ApiModel):
    allowed_origins: list[str]
    blocked_words: list[str]
    plan: str
    status: str


class SettingsPatch(ApiModel):
    allowed_origins: Annotated[list[Origin], Field(max_length=50)] | None = None
    blocked_words: Annotated[list[Word], Field(max_length=1000)] | None = None


def list_keys(session: Session, brand_id: str) -> list[KeyOut]:
    rows = session.scalars(
        select(ApiKey).where(ApiKey.brand_id == brand_id).order_by(ApiKey.created_at.desc())
    )
    return [KeyOut.of(r) for r in rows]


def create_key(session: Session, brand_id: str, data: KeyIn) -> KeyCreated:
    created = add_api_key(session, brand_id=brand_id, kind=data.kind, name=data.name)
    row = session.get_one(ApiKey, created.id)
    row.expires_at = data.expires_at
    session.flush()
    session.refresh(row)
    return KeyCreated(**KeyOut.of(row).model_dump(), secret=created.secret)


def revoke_key(session: Session, brand_id: str, key_id: str) -> None:
    row = session.scalars(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.brand_id == brand_id)
    ).first()
    if row is None:
        raise NotFound(f"No key {key_id}.")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.flush()


def _settings(session: Session, brand_id: str) -> ClientSettings:
    row = session.scalars(select(ClientSettings).where(ClientSettings.brand_id == brand_id)).first()
    if row is None:
        row = ClientSettings(brand_id=brand_id)
        session.add(row)
        session.flush()
        session.refresh(row)
    return row


def settings_out(row: ClientSettings) -> SettingsOut:
    return SettingsOut(
        allowed_origins=list(row.allowed_origins),
        blocked_words=list(row.blocked_words),
        plan=row.plan.value,
        status=row.status.value,
    )


def get_settings(session: Session, brand_id: str) -> SettingsOut:
    return settings_out(_settings(session, brand_id))


def update_settings(session: Session, brand_id: str, data: SettingsPatch) -> SettingsOut:
    row = _settings(session, brand_id)
    if data.allowed_origins is not None:
        row.allowed_origins = list(dict.fromkeys(data.allowed_origins))
    if data.blocked_words is not None:
        row.blocked_words = list(dict.fromkeys(data.blocked_words))
    session.flush()
    return settings_out(row)
