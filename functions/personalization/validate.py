"""POST /api/v1/personalization/validate — every issue of every zone, with stable codes."""

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.personalization.api import ValidationOut
from atelier.personalization.inputs import DesignInput
from atelier.specs.service import check_design

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Check a design against the product's rules", tags=["personalization"])
def validate(body: DesignInput) -> Response[ValidationOut]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        _, report = check_design(session, bootstrap.storage(), principal.brand_id, body)
    return endpoint.json(ValidationOut.of(report))


handler = endpoint.handler
