"""DELETE /api/v1/products/{productId} (archives: orders and snapshots keep it)"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Archive a product", tags=["catalog"])
def archive_product(productId: str) -> Response[None]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        admin.archive_product(session, principal.brand_id, productId)
    return Response(status_code=204)


handler = endpoint.handler
