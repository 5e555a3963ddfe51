"""POST /api/v1/personalization/auto-fit — the largest size at which the text fits."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.personalization.api import AutoFitIn, AutoFitOut
from atelier.personalization.service import fit_zone

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Fit a text into a zone", tags=["personalization"])
def auto_fit(body: AutoFitIn) -> Response[AutoFitOut]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        out = fit_zone(session, bootstrap.storage(), principal.brand_id, body)
    return endpoint.json(out)


handler = endpoint.handler
