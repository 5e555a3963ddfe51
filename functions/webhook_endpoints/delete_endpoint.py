"""DELETE /api/v1/webhook-endpoints/{webhookId}"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.notifications.webhooks import delete_endpoint

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Remove a webhook endpoint", tags=["webhooks"])
def delete(webhookId: str) -> Response[None]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        delete_endpoint(session, principal.brand_id, webhookId)
    return Response(status_code=204)


handler = endpoint.handler
