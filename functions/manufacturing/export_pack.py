"""POST /api/v1/manufacturing/export-pack — enqueue a production bundle (idempotent)."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.manufacturing.service import ExportRequest, export_view, request_export
from atelier.rendering.jobs import RenderView, enqueue

endpoint = Endpoint(__name__)


@endpoint.handles(
    summary="Build the production bundle of a work order or snapshot", tags=["manufacturing"]
)
def export_pack(body: ExportRequest) -> Response[RenderView]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        ticket = request_export(session, principal, body)
        view = export_view(ticket)
    enqueue(bootstrap.queue(), ticket)
    return endpoint.json(
        view,
        status=200 if view.status == "success" else 202,
        headers={"Location": f"/api/v1/renders/{view.render_id}/status"},
    )


handler = endpoint.handler
