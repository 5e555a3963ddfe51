"""The one shape of every Shopify webhook function: verify, apply once, queue follow-ups."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.commerce import shopify
from atelier.commerce.dispatch import dispatch
from atelier.http.app import Endpoint


def shopify_endpoint(module: str, topic: str) -> Endpoint:
    endpoint = Endpoint(module)

    @endpoint.handles(summary=f"Shopify {topic} webhook", tags=["webhooks"])
    def receive() -> Response[dict[str, Any]]:
        delivery = shopify.verify(endpoint.event.headers, endpoint.raw_body(), topic)
        outcome = shopify.receive(delivery, bootstrap.storage())
        dispatch(outcome.jobs, outcome.emails, outcome.webhooks)  # after the commit
        body = {"received": True, "duplicate": outcome.duplicate, "orderId": outcome.order_id}
        return Response(status_code=200, content_type="application/json", body=body)

    return endpoint
