"""POST /api/v1/webhooks/shopify/products/update — HMAC-verified on the raw body, applied once."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from atelier.commerce import shopify
from atelier.commerce.dispatch import dispatch
from atelier.http.app import Endpoint

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Shopify products/update webhook", tags=["webhooks"])
def receive() -> Response[dict[str, Any]]:
    delivery = shopify.verify(endpoint.event.headers, endpoint.raw_body(), "products/update")
    outcome = shopify.products_update(delivery)
    dispatch(
        outcome.jobs, outcome.emails, outcome.webhooks
    )  # after the commit: workers build and send
    return Response(
        status_code=200,
        content_type="application/json",
        body={"received": True, "duplicate": outcome.duplicate, "orderId": outcome.order_id},
    )


handler = endpoint.handler
