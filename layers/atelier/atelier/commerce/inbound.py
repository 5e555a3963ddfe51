"""Inbound third-party events: signatures checked on the raw body, each event applied once.

The de-duplication row is written in the same transaction as the event's effect, so a
delivery that is retried, duplicated or sent twenty times at once changes things once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from atelier import sealing
from atelier.db.models import InboundEvent
from atelier.db.session import unit_of_work
from atelier.errors import Unauthorized


@dataclass(frozen=True)
class Integration:
    id: str
    brand_id: str
    secret: str


def resolve_integration(provider: str, account: str) -> Integration | None:
    """Find the brand behind a shop before any tenant is known (a SECURITY DEFINER function)."""
    with unit_of_work() as session:
        row = session.execute(
            text("SELECT * FROM atelier_resolve_integration(:p, :a)"), {"p": provider, "a": account}
        ).first()
    if row is None or not row.webhook_secret:
        return None
    secret = sealing.unseal(row.webhook_secret, context=sealing.integration_context(row.brand_id))
    return Integration(id=row.integration_id, brand_id=row.brand_id, secret=secret)


def verify_shopify_hmac(raw: bytes, secret: str, signature: str | None) -> None:
    """HMAC-SHA256 of the raw body, base64, compared in constant time."""
    expected = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
    if not signature or not hmac.compare_digest(expected, signature.strip()):
        raise Unauthorized("The webhook signature does not match.")


def first_time(
    session: Session,
    *,
    provider: str,
    topic: str,
    event_id: str,
    delivery_id: str | None,
    brand_id: str | None,
) -> bool:
    """Record the event; False when it was already recorded (a duplicate delivery)."""
    inserted = session.execute(
        insert(InboundEvent)
        .values(
            provider=provider,
            topic=topic,
            event_id=event_id,
            delivery_id=delivery_id,
            brand_id=brand_id,
        )
        .on_conflict_do_nothing(index_elements=["provider", "topic", "event_id"])
        .returning(InboundEvent.id)
    ).scalar()
    return inserted is not None
