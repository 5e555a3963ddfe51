"""POST /api/v1/orders/{orderId}/status — a transition the state machine allows
(shipped needs its tracking number)."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.commerce import orders
from atelier.commerce.dispatch import dispatch
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.notifications.service import order_email

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Move an order to its next status", tags=["orders"])
def change_status(orderId: str, body: orders.StatusChange) -> Response[orders.OrderView]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        order = orders.change_status(session, principal.brand_id, orderId, body)
        out = orders.view(session, order)
        shipped = order_email(session, order, "order_shipped") if body.status == "shipped" else None
    dispatch(emails=(shipped,))
    return endpoint.json(out)


handler = endpoint.handler
