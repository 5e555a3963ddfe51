"""POST /api/v1/webhooks/stripe — `stripe.Webhook.construct_event` on the raw body."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from atelier.commerce.dispatch import dispatch
from atelier.commerce.stripe_payments import apply_event, verify_event
from atelier.http.app import Endpoint

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Stripe webhook", tags=["webhooks"])
def receive() -> Response[dict[str, Any]]:
    event = verify_event(endpoint.raw_body(), endpoint.header("Stripe-Signature"))
    outcome = apply_event(event)
    dispatch(outcome.jobs, outcome.emails, outcome.webhooks)
    return Response(
        status_code=200,
        content_type="application/json",
        body={"received": True, "duplicate": outcome.duplicate, "applied": outcome.applied},
    )


handler = endpoint.handler
