"""GET /api/v1/specs/{specHash} — immutable, so cacheable forever."""

from aws_lambda_powertools.event_handler import Response

from atelier.http.app import Endpoint
from atelier.http.scope import brand_session
from atelier.specs.api import SpecOut
from atelier.specs.service import get_spec as find_spec

endpoint = Endpoint(__name__)


@endpoint.handles(summary="A DesignSpec by its hash", tags=["specs"])
def get_spec(specHash: str) -> Response[SpecOut]:  # noqa: N803 - path parameter
    principal = endpoint.principal()
    with brand_session(principal) as session:
        row = find_spec(session, principal.brand_id, specHash)
        out = SpecOut(spec_hash=row.spec_hash, spec_version=row.spec_version, spec=row.spec)
    return endpoint.json(out, headers={"Cache-Control": "private, max-age=31536000, immutable"})


handler = endpoint.handler
