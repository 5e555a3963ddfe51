"""GET /api/v1/webhook-endpoints"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.notifications.webhooks import EndpointList, list_endpoints

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Webhook endpoints (never their secrets)", tags=["webhooks"])
def endpoints() -> Response[EndpointList]:
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        out = list_endpoints(session, principal.brand_id)
    return endpoint.json(out)


handler = endpoint.handler
