"""Widget analytics: events batched by the widget, and the brand's funnel over a period.

The widget sends what happened (loaded, validation failed, preview asked and shown,
snapshot created, add to cart clicked); the funnel counts distinct sessions reaching each
step, in order, so a brand sees where shoppers drop off.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from atelier.db.models import AnalyticsEvent
from atelier.errors import FieldError, ValidationFailed
from atelier.personalization.inputs import ApiModel

MAX_CLOCK_SKEW = timedelta(days=1)


class WidgetEvent(StrEnum):
    WIDGET_LOADED = "widget_loaded"
    VALIDATION_FAILED = "validation_failed"
    PREVIEW_REQUESTED = "preview_requested"
    PREVIEW_READY = "preview_ready"
    SNAPSHOT_CREATED = "snapshot_created"
    ADD_TO_CART_CLICKED = "add_to_cart_clicked"


FUNNEL = (
    WidgetEvent.WIDGET_LOADED,
    WidgetEvent.PREVIEW_REQUESTED,
    WidgetEvent.PREVIEW_READY,
    WidgetEvent.SNAPSHOT_CREATED,
    WidgetEvent.ADD_TO_CART_CLICKED,
)


class EventIn(ApiModel):
    event: WidgetEvent
    session_id: Annotated[str, Field(min_length=1, max_length=100)]
    product_id: Annotated[str, Field(max_length=64)] | None = None
    occurred_at: datetime
    properties: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, max_length=20
    )


class EventBatch(ApiModel):
    events: Annotated[list[EventIn], Field(min_length=1, max_length=100)]


class Accepted(ApiModel):
    accepted: int


class FunnelStep(ApiModel):
    event: WidgetEvent
    sessions: int
    rate_from_start: float = Field(description="Share of the sessions that loaded the widget")


class Funnel(ApiModel):
    start: datetime
    end: datetime
    steps: list[FunnelStep]


def ingest(session: Session, brand_id: str, batch: EventBatch) -> Accepted:
    now = datetime.now(UTC)
    errors = [
        FieldError(f"events.{i}.occurredAt", "out_of_range", "More than a day away from now.")
        for i, e in enumerate(batch.events)
        if abs(e.occurred_at.astimezone(UTC) - now) > MAX_CLOCK_SKEW
    ]
    if errors:
        raise ValidationFailed("Some events are not plausible.", errors=errors)
    session.add_all(
        AnalyticsEvent(
            brand_id=brand_id,
            event=e.event.value,
            session_id=e.session_id,
            product_id=None,  # a free-text product id from the widget is not a reference
            properties={**e.properties, **({"productId": e.product_id} if e.product_id else {})},
            occurred_at=e.occurred_at,
        )
        for e in batch.events
    )
    session.flush()
    return Accepted(accepted=len(batch.events))


def funnel(session: Session, brand_id: str, start: datetime, end: datetime) -> Funnel:
    if end <= start:
        raise ValidationFailed(
            errors=[FieldError("to", "out_of_range", "`to` must follow `from`.")]
        )
    rows: dict[str, Any] = dict(
        session.execute(
            select(AnalyticsEvent.event, func.count(func.distinct(AnalyticsEvent.session_id)))
            .where(
                AnalyticsEvent.brand_id == brand_id,
                AnalyticsEvent.occurred_at >= start,
                AnalyticsEvent.occurred_at < end,
            )
            .group_by(AnalyticsEvent.event)
        ).all()
    )
    loaded = rows.get(WidgetEvent.WIDGET_LOADED.value, 0)
    return Funnel(
        start=start,
        end=end,
        steps=[
            FunnelStep(
                event=step,
                sessions=int(rows.get(step.value, 0)),
                rate_from_start=round(rows.get(step.value, 0) / loaded, 4) if loaded else 0.0,
            )
            for step in FUNNEL
        ],
    )
