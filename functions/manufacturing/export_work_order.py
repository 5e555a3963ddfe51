"""POST /api/v1/manufacturing/work-orders/{workOrderId}/export — brand staff or the
work order's own artisan."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.manufacturing.service import ExportRequest, export_view, request_export
from atelier.rendering.jobs import RenderView, enqueue

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Build a work order's production bundle", tags=["manufacturing"])
def export_work_order(workOrderId: str) -> Response[RenderView]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal) as session:
        ticket = request_export(session, principal, ExportRequest(work_order_id=workOrderId))
        view = export_view(ticket)
    enqueue(bootstrap.queue(), ticket)
    return endpoint.json(view, status=200 if view.status == "success" else 202)


handler = endpoint.handler
