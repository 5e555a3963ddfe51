"""POST /api/v1/renders/preview — 202 while rendering, 200 at once when already rendered."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.rendering.jobs import RenderKind, RenderRequest, RenderView, enqueue, request_render

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Render a 2D preview of a snapshot", tags=["renders"])
def preview(body: RenderRequest) -> Response[RenderView]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        ticket = request_render(
            session, brand_id=principal.brand_id, kind=RenderKind.PREVIEW, request=body
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
