"""POST /api/v1/billing/payment-intents — the amount comes from the order's items, never
from the client; one Stripe idempotency key per order."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.commerce.stripe_payments import (
    PaymentIntentIn,
    PaymentIntentOut,
    create_payment_intent,
)
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Create the Stripe PaymentIntent of an order", tags=["billing"])
def payment_intent(body: PaymentIntentIn) -> Response[PaymentIntentOut]:
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        out = create_payment_intent(session, principal.brand_id, body.order_id)
    return endpoint.json(out, status=201, headers={"Cache-Control": "no-store"})


handler = endpoint.handler
