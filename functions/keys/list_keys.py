"""GET /api/v1/keys"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.personalization.inputs import ApiModel
from atelier.tenancy import keys

endpoint = Endpoint(__name__)


class KeyList(ApiModel):
    items: list[keys.KeyOut]


@endpoint.handles(summary="The brand's API keys (never the secrets)", tags=["keys"])
def list_keys() -> Response[KeyList]:
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        items = keys.list_keys(session, principal.brand_id)
    return endpoint.json(KeyList(items=items))


handler = endpoint.handler
