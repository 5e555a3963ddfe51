"""POST /api/v1/personalization/normalize — what the text becomes (NFC, no invisibles)."""

from aws_lambda_powertools.event_handler import Response

from atelier.http.app import Endpoint
from atelier.personalization.api import NormalizeIn, NormalizeOut
from atelier.personalization.service import normalize as normalize_body

endpoint = Endpoint(__name__)


@endpoint.handles(summary="Normalize a text", tags=["personalization"])
def normalize(body: NormalizeIn) -> Response[NormalizeOut]:
    endpoint.principal()  # authenticated like every widget call, though tenant-free
    return endpoint.json(normalize_body(body))


handler = endpoint.handler
