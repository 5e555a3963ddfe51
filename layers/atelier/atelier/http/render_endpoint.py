"""The shape of the render-request functions: 202 while queued, 200 when already rendered."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.rendering.jobs import RenderKind, RenderRequest, RenderView, enqueue, request_render


def render_endpoint(module: str, kind: RenderKind, summary: str) -> Endpoint:
    endpoint = Endpoint(module)

    @endpoint.handles(summary=summary, tags=["renders"])
    def render(body: RenderRequest) -> Response[RenderView]:
        principal = endpoint.principal()
        with brand_session(principal) as session:
            ticket = request_render(session, brand_id=principal.brand_id, kind=kind, request=body)
            view = RenderView.of(ticket.row)
        enqueue(bootstrap.queue(), ticket)  # after the commit: the worker finds its row
        return endpoint.json(
            view,
            status=200 if view.status == "success" else 202,
            headers={"Location": f"/api/v1/renders/{view.render_id}/status"},
        )

    return endpoint
