"""POST /api/v1/orders — a pending order for a Stripe checkout, priced server-side."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.commerce import orders
from atelier.commerce.stripe_payments import OrderIn, create_order
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Create a pending order from snapshots", tags=["orders"])
def create(body: OrderIn) -> Response[orders.OrderView]:
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        out = orders.view(session, create_order(session, principal.brand_id, body))
    return endpoint.json(out, status=201, headers={"Location": f"/api/v1/orders/{out.id}"})


handler = endpoint.handler
