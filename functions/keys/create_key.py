"""POST /api/v1/keys — the secret is in this response only."""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.tenancy import keys

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Create a publishable or secret key", tags=["keys"])
def create_key(body: keys.KeyIn) -> Response[keys.KeyCreated]:
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        created = keys.create_key(session, principal.brand_id, body)
    return endpoint.json(created, status=201, headers={"Cache-Control": "no-store"})


handler = endpoint.handler
