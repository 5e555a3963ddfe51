"""GET /api/v1/renders/{renderId}/status"""

from aws_lambda_powertools.event_handler import Response

from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.rendering.jobs import RenderView, get_render

endpoint = Endpoint(__name__)


@endpoint.handles(
    summary="Where a render is (pending, processing, success, failed)", tags=["renders"]
)
def status(renderId: str) -> Response[RenderView]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal) as session:
        view = RenderView.of(get_render(session, principal.brand_id, renderId))
    cache = "private, max-age=31536000, immutable" if view.status == "success" else "no-store"
    return endpoint.json(view, headers={"Cache-Control": cache})


handler = endpoint.handler
