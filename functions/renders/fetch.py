"""GET /api/v1/renders/{renderId}/preview?format=webp|png|thumbnail|glb|usdz — a redirect to the
immutable image (never a URL the client supplied)."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from atelier import bootstrap
from atelier.errors import Conflict, NotFound
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.rendering.jobs import RenderView, get_render

endpoint = Endpoint(__name__)
URL_TTL_S = 3600


@endpoint.handles(summary="Redirect to the rendered image", tags=["renders"])
def fetch(
    renderId: str,  # noqa: N803 - path parameter
    format: Annotated[Literal["webp", "png", "thumbnail", "glb", "usdz"], Query()] = "webp",
) -> Response[None]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        view = RenderView.of(get_render(session, principal.brand_id, renderId))
    if view.status != "success":
        raise Conflict(f"The render is {view.status}.", headers={"Retry-After": "1"})
    if format not in view.formats:
        raise NotFound(f"This render has no {format} output.")
    url = bootstrap.storage().signed_url(view.formats[format], URL_TTL_S)
    return Response(
        status_code=302, headers={"Location": url, "Cache-Control": "private, max-age=300"}
    )


handler = endpoint.handler
