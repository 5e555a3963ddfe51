"""DELETE /api/v1/products/{productId}/zones/{zoneId}"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Remove a zone", tags=["catalog"])
def delete_zone(productId: str, zoneId: str) -> Response[None]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        admin.delete_zone(session, principal.brand_id, productId, zoneId)
    return Response(status_code=204)


handler = endpoint.handler
