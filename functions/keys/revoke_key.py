"""DELETE /api/v1/keys/{keyId} (revokes; idempotent)"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.tenancy import keys

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Revoke a key", tags=["keys"])
def revoke_key(keyId: str) -> Response[None]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        keys.revoke_key(session, principal.brand_id, keyId)
    return Response(status_code=204)


handler = endpoint.handler
