"""GET /api/v1/fonts"""

from aws_lambda_powertools.event_handler import Response

from atelier.auth.principal import Role
from atelier.catalog import fonts
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.personalization.inputs import ApiModel

endpoint = Endpoint(__name__)


class FontList(ApiModel):
    items: list[fonts.FontOut]


@endpoint.handles(summary="The brand's fonts", tags=["fonts"])
def list_fonts() -> Response[FontList]:
    principal = endpoint.principal()
    with brand_session(principal, Role.VIEWER) as session:
        items = fonts.list_fonts(session, principal.brand_id)
    return endpoint.json(FontList(items=items))


handler = endpoint.handler
