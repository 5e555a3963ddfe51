"""GET /api/v1/brand/settings"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.tenancy import keys

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Widget origins, blocked words and plan", tags=["brand"])
def get_settings() -> Response[keys.SettingsOut]:
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        out = keys.get_settings(session, principal.brand_id)
    return endpoint.json(out)


handler = endpoint.handler
