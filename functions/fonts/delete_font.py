"""DELETE /api/v1/fonts/{fontId}"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.catalog import fonts
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Delete an unused font", tags=["fonts"])
def delete_font(fontId: str) -> Response[None]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        fonts.delete_font(session, principal.brand_id, fontId)
    return Response(status_code=204)


handler = endpoint.handler
