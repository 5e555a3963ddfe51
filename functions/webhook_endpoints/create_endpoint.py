"""POST /api/v1/webhook-endpoints — the signing secret is in this response only."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.notifications.webhooks import EndpointCreated, EndpointIn, create_endpoint

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Subscribe an endpoint to events", tags=["webhooks"])
def create(body: EndpointIn) -> Response[EndpointCreated]:
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        out = create_endpoint(session, principal.brand_id, body)
    return endpoint.json(out, status=201, headers={"Cache-Control": "no-store"})


handler = endpoint.handler
