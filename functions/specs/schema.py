"""GET /api/v1/schemas/design-spec/1.0.0.json — the DesignSpec JSON Schema."""

import json

from aws_lambda_powertools.event_handler import Response

from atelier.http.app import Endpoint
from atelier.specs.schema import design_spec_json_schema

endpoint = Endpoint(__name__)


@endpoint.handles(summary="DesignSpec JSON Schema", tags=["specs"])
def get_schema() -> Response[str]:
    return Response(
        status_code=200,
        content_type="application/schema+json",
        body=json.dumps(design_spec_json_schema()),
        headers={"Cache-Control": "public, max-age=86400", "Access-Control-Allow-Origin": "*"},
    )


handler = endpoint.handler
