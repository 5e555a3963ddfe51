"""POST /api/v1/specs/validate — is this spec document well-formed and still valid?"""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from atelier import bootstrap
from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.specs.api import SpecValidationOut
from atelier.specs.service import revalidate_spec

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Validate a DesignSpec document", tags=["specs"])
def validate_spec(body: dict[str, Any]) -> Response[SpecValidationOut]:
    principal = endpoint.principal()
    with brand_session(principal) as session:
        out = revalidate_spec(session, bootstrap.storage(), principal.brand_id, body)
    return endpoint.json(out)


handler = endpoint.handler
