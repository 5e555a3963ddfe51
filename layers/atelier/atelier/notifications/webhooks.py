"""Outbound webhooks to brands, signed per the Standard Webhooks scheme.

Each delivery carries `webhook-id`, `webhook-timestamp` and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 of "id.timestamp.body" with the endpoint's secret). A queue
worker sends them; a failure is retried with backoff, every attempt is logged in
`webhook_logs`, and after `MAX_CONSECUTIVE_FAILURES` the endpoint is disabled and the
brand told by email.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AnyHttpUrl, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from atelier import sealing
from atelier.db.ids import new_id
from atelier.db.models import Webhook, WebhookEvent, WebhookLog
from atelier.db.session import unit_of_work
from atelier.errors import NotFound
from atelier.notifications.service import brand_email
from atelier.personalization.inputs import ApiModel

WEBHOOK_QUEUE = "webhooks"
MAX_CONSECUTIVE_FAILURES = 5
TIMEOUT_S = 10
EVENT_TYPES = {
    WebhookEvent.ORDER_PAID: "order.paid",
    WebhookEvent.SNAPSHOT_CREATED: "snapshot.created",
    WebhookEvent.BUNDLE_READY: "bundle.ready",
    WebhookEvent.GENERATION_STARTED: "generation.started",
    WebhookEvent.GENERATION_COMPLETED: "generation.completed",
    WebhookEvent.GENERATION_FAILED: "generation.failed",
    WebhookEvent.AR_VIEW: "ar.view",
}


class EndpointIn(ApiModel):
    name: Annotated[str, Field(min_length=1, max_length=100)] = "Default"
    url: AnyHttpUrl
    events: Annotated[list[WebhookEvent], Field(min_length=1, max_length=20)]


class EndpointOut(ApiModel):
    id: str
    name: str
    url: str
    events: list[WebhookEvent]
    is_active: bool
    failure_count: int
    disabled_at: datetime | None

    @classmethod
    def of(cls, row: Webhook) -> EndpointOut:
        return cls(
            id=row.id,
            name=row.name,
            url=row.url,
            events=list(row.events),
            is_active=row.is_active,
            failure_count=row.failure_count,
            disabled_at=row.disabled_at,
        )


class EndpointCreated(EndpointOut):
    secret: str = Field(description="The signing secret (whsec_…): shown once")


class EndpointList(ApiModel):
    items: list[EndpointOut]


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def create_endpoint(session: Session, brand_id: str, data: EndpointIn) -> EndpointCreated:
    secret = new_secret()
    row = Webhook(
        brand_id=brand_id,
        name=data.name,
        url=str(data.url),
        secret=sealing.seal(secret, context=sealing.webhook_context(brand_id)),
        events=data.events,
    )
    session.add(row)
    session.flush()
    session.refresh(row)
    # The only time the secret is shown; the row keeps it sealed.
    return EndpointCreated(**EndpointOut.of(row).model_dump(), secret=secret)


def list_endpoints(session: Session, brand_id: str) -> EndpointList:
    rows = session.scalars(select(Webhook).where(Webhook.brand_id == brand_id).order_by(Webhook.id))
    return EndpointList(items=[EndpointOut.of(r) for r in rows])


def delete_endpoint(session: Session, brand_id: str, webhook_id: str) -> None:
    row = session.scalars(
        select(Webhook).where(Webhook.id == webhook_id, Webhook.brand_id == brand_id)
    ).first()
    if row is None:
        raise NotFound(f"No webhook endpoint {webhook_id}.")
    session.delete(row)
    session.flush()


def announce(
    session: Session, brand_id: str, event: WebhookEvent, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """Queue messages for every active endpoint subscribed to `event` (sent after commit)."""
    endpoints = session.scalars(
        select(Webhook).where(
            Webhook.brand_id == brand_id,
            Webhook.is_active.is_(True),
            # webhook_event[] containment; spelled out: the base ARRAY type lacks @>.
            text("webhooks.events @> ARRAY[CAST(:event AS webhook_event)]").bindparams(
                event=event.value
            ),
        )
    )
    timestamp = int(time.time())
    return [
        {
            "webhookId": endpoint.id,
            "brandId": brand_id,
            "messageId": "msg_" + new_id(),
            "timestamp": timestamp,
            "payload": {
                "type": EVENT_TYPES[event],
                "timestamp": datetime.fromtimestamp(timestamp, UTC).isoformat(),
                "data": data,
            },
        }
        for endpoint in endpoints
    ]


def order_event(order: Any) -> dict[str, Any]:
    return {
        "orderId": order.id,
        "orderNumber": order.order_number,
        "status": order.status,
        "totalCents": order.total_cents,
        "currency": order.currency,
    }


class DeliveryFailed(Exception):
    """The endpoint did not accept the delivery; the queue retries it later."""


def deliver(message: dict[str, Any], *, attempt: int) -> dict[str, Any] | None:
    """Send one delivery; returns an email to queue when the endpoint gets disabled."""
    brand_id, webhook_id = message["brandId"], message["webhookId"]
    with unit_of_work(brand_id) as session:
        endpoint = session.get(Webhook, webhook_id)
        if endpoint is None or not endpoint.is_active:
            return None  # deleted or disabled since: nothing to send
        url = endpoint.url
        secret = sealing.unseal(endpoint.secret, context=sealing.webhook_context(brand_id))
    body = json.dumps(message["payload"], separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "webhook-id": message["messageId"],
        "webhook-timestamp": str(message["timestamp"]),
        "webhook-signature": sign(secret, message["messageId"], int(message["timestamp"]), body),
        "User-Agent": "Atelier-Webhooks/1",
    }
    status, error = None, None
    try:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:500]
    success = status is not None and 200 <= status < 300
    email = None
    with unit_of_work(brand_id) as session:
        endpoint = session.get(Webhook, webhook_id)
        session.add(
            WebhookLog(
                brand_id=brand_id,
                webhook_id=webhook_id,
                event=message["payload"]["type"],
                payload=message["payload"],
                status_code=status,
                success=success,
                attempt=attempt,
                error=error,
            )
        )
        if endpoint is not None:
            if success:
                endpoint.failure_count = 0
            else:
                endpoint.failure_count += 1
                if endpoint.failure_count >= MAX_CONSECUTIVE_FAILURES and endpoint.is_active:
                    endpoint.is_active = False
                    endpoint.disabled_at = datetime.now(UTC)
                    email = brand_email(
                        session,
                        brand_id,
                        "webhook_disabled",
                        endpoint.id,
                        {
                            "webhook_name": endpoint.name,
                            "url": endpoint.url,
                            "failures": endpoint.failure_count,
                        },
                    )
    if not success and email is None:
        raise DeliveryFailed(error or f"HTTP {status}")
    return email
