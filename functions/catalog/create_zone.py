"""POST /api/v1/products/{productId}/zones"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Add a personalization zone", tags=["catalog"])
def create_zone(productId: str, body: admin.ZoneIn) -> Response[admin.ZoneOut]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        out = admin.zone_out(admin.create_zone(session, principal.brand_id, productId, body))
    return endpoint.json(out, status=201)


handler = endpoint.handler
