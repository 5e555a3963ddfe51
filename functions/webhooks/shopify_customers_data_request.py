"""POST /api/v1/webhooks/shopify/customers/data_request — HMAC-verified, applied once."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.commerce import shopify
from atelier.commerce.dispatch import dispatch
from atelier.http.app import Endpoint

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Shopify customers/data_request webhook", tags=["webhooks"])
def receive() -> Response[dict[str, Any]]:
    delivery = shopify.verify(endpoint.event.headers, endpoint.raw_body(), "customers/data_request")
    outcome = shopify.customers_data_request(delivery, bootstrap.storage())
    dispatch(
        outcome.jobs, outcome.emails, outcome.webhooks
    )  # after the commit: workers build and send
    return Response(
        status_code=200,
        content_type="application/json",
        body={"received": True, "duplicate": outcome.duplicate, "orderId": outcome.order_id},
    )


handler = endpoint.handler
