"""GET /api/v1/manufacturing/work-orders — all of the brand's, or an artisan's own."""

from aws_lambda_powertools.event_handler import Response

from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.manufacturing.service import WorkOrderList, list_work_orders

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Work orders (artisans see only theirs)", tags=["manufacturing"])
def work_orders() -> Response[WorkOrderList]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        out = list_work_orders(session, principal)
    return endpoint.json(out)


handler = endpoint.handler
