"""GET /api/v1/orders/{orderId} — with its items."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.commerce import orders
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="An order with its items", tags=["orders"])
def get_order(orderId: str) -> Response[orders.OrderView]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        out = orders.view(session, orders.get_order(session, principal.brand_id, orderId))
    return endpoint.json(out)


handler = endpoint.handler
