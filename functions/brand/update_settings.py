"""PATCH /api/v1/brand/settings"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.tenancy import keys

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Change widget origins or blocked words", tags=["brand"])
def update_settings(body: keys.SettingsPatch) -> Response[keys.SettingsOut]:
    principal = endpoint.principal()
    with brand_session(principal, Role.ADMIN) as session:
        out = keys.update_settings(session, principal.brand_id, body)
    return endpoint.json(out)


handler = endpoint.handler
