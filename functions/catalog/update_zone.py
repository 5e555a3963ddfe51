"""PATCH /api/v1/products/{productId}/zones/{zoneId}"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.catalog import admin
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Change a zone", tags=["catalog"])
def update_zone(productId: str, zoneId: str, body: admin.ZonePatch) -> Response[admin.ZoneOut]:  # noqa: N803
    principal = endpoint.principal()
    with brand_session(principal, Role.EDITOR) as session:
        zone = admin.update_zone(session, principal.brand_id, productId, zoneId, body)
        out = admin.zone_out(zone)
    return endpoint.json(out)


handler = endpoint.handler
