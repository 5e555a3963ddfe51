"""CORS preflight for the widget's routes.

A preflight carries no key (browsers send no custom headers with it), so it can only ask
"is this origin allowed by any brand?"; the real request then goes through the widget
authorizer, which checks the origin against the key's own brand, and only then do the
responses carry `Access-Control-Allow-Origin`. An unknown origin gets no CORS headers at
all, so the browser stops before sending anything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from atelier import routes
from atelier.db.session import unit_of_work
from atelier.errors import Forbidden
from atelier.http.app import EXPOSED_HEADERS, _header, correlation_id
from atelier.http.problems import proxy_problem

ALLOWED_HEADERS = "Content-Type, X-Atelier-Key, Idempotency-Key, X-Request-Id, If-None-Match"
MAX_AGE_S = 600


def origin_allowed(origin: str) -> bool:
    with unit_of_work() as session:
        return bool(
            session.execute(text("SELECT atelier_origin_allowed(:o)"), {"o": origin}).scalar()
        )


def preflight(event: dict[str, Any]) -> dict[str, Any]:
    origin = (_header(event, "origin") or "").rstrip("/")
    request_id = correlation_id(event)
    if not origin or not origin_allowed(origin):
        return proxy_problem(Forbidden("This origin may not call the API."), request_id)
    methods = [m for m in routes.allowed_methods(str(event.get("path"))) if m != "OPTIONS"]
    return {
        "statusCode": 204,
        "headers": {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": ", ".join(methods),
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Expose-Headers": EXPOSED_HEADERS,
            "Access-Control-Max-Age": str(MAX_AGE_S),
            "Vary": "Origin",
            "X-Request-Id": request_id,
        },
        "body": "",
        "isBase64Encoded": False,
    }
