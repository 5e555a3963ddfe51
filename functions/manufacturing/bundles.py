"""GET /api/v1/manufacturing/bundles/{orderId} — expiring links to an order's bundles."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.manufacturing.service import OrderBundles, order_bundles

endpoint = Endpoint(__name__)


@endpoint.handles(summary="An order's production bundles", tags=["manufacturing"])
def bundles(orderId: str) -> Response[OrderBundles]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal) as session:
        out = order_bundles(session, bootstrap.storage(), principal, orderId)
    return endpoint.json(out, headers={"Cache-Control": "no-store"})


handler = endpoint.handler
