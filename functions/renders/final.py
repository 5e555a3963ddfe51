"""POST /api/v1/renders/final — print resolution (300 DPI by default)."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.rendering.jobs import RenderKind, RenderRequest, RenderView, enqueue, request_render

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Render a snapshot at print resolution", tags=["renders"])
def final(body: RenderRequest) -> Response[RenderView]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        ticket = request_render(
            session, brand_id=principal.brand_id, kind=RenderKind.FINAL, request=body
        )
        view = RenderView.of(ticket.row)
    enqueue(bootstrap.queue(), ticket)
    done = view.status == "success"
    return endpoint.json(
        view,
        status=200 if done else 202,
        headers={"Location": f"/api/v1/renders/{view.render_id}/status"},
    )


handler = endpoint.handler
