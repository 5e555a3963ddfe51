"""The whole API's OpenAPI 3.1 document, assembled from every endpoint's router.

Each function module owns one route; importing them all (only here, for the docs) and
including their routers in one resolver lets powertools describe the complete API from
the same request and response models that validate traffic.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from atelier import __version__, routes
from atelier.http.app import create_resolver

DESCRIPTION = (
    "Product personalization: widget configuration, personalization rules, canonical "
    "DesignSpecs, immutable snapshots, renders and manufacturing files. Errors are RFC 9457 "
    "problem details (`application/problem+json`) with a stable `type`."
)


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    routers = []
    for route in routes.ROUTES:
        if route.handler == routes.PREFLIGHT_HANDLER:
            continue  # CORS plumbing, not part of the API's contract
        module = importlib.import_module(route.handler)
        routers.append(module.endpoint.router)
    app = create_resolver(*routers)
    schema = app.get_openapi_schema(
        title="Atelier API", version=__version__, description=DESCRIPTION
    )
    return schema.model_dump(mode="json", by_alias=True, exclude_none=True)
