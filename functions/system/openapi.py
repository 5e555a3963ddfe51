"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of the whole API."""

from typing import Any

from atelier.http.app import Endpoint
from atelier.http.openapi import openapi_document

endpoint = Endpoint(__name__)


@endpoint.handles(summary="OpenAPI document", tags=["system"], include_in_schema=False)
def get_openapi() -> dict[str, Any]:
    return openapi_document()


handler = endpoint.handler
