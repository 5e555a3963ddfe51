"""CORS: preflights, and which origins get CORS headers.

Two kinds of browser callers:
- the widget, on brands' storefronts. A preflight carries no key (browsers send no
  custom headers with it), so it can only ask "is this origin allowed by any brand?";
  the real request then goes through the widget authorizer, which checks the origin
  against the key's own brand, and only then do responses carry
  `Access-Control-Allow-Origin`. Storefronts are offered the widget's methods only.
- the brand console, at the origins the deployment names (`ATELIER_CONSOLE_ORIGINS`,
  the stack's `ConsoleOrigins` parameter): offered every method, `Authorization`
  included; its requests carry a bearer token, never cookies.
An unknown origin gets no CORS headers at all, so the browser stops before sending anything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from atelier import routes
from atelier.db.session import unit_of_work
from atelier.errors import Forbidden
from atelier.http.app import EXPOSED_HEADERS, _header, console_origin, correlation_id
from atelier.http.problems import proxy_problem

ALLOWED_HEADERS = "Content-Type, X-Atelier-Key, Idempotency-Key, X-Request-Id, If-None-Match"
CONSOLE_HEADERS = f"{ALLOWED_HEADERS}, Authorization"
WIDGET_AUTHS = frozenset({routes.Auth.WIDGET})
MAX_AGE_S = 600


def origin_allowed(origin: str) -> bool:
    with unit_of_work() as session:
        return bool(
            session.execute(text("SELECT atelier_origin_allowed(:o)"), {"o": origin}).scalar()
        )


def preflight(event: dict[str, Any]) -> dict[str, Any]:
    request_id = correlation_id(event)
    path = str(event.get("path"))
    console = console_origin(event)
    if console is not None:
        origin, headers = console, CONSOLE_HEADERS
        methods = routes.allowed_methods(path)
    else:
        origin, headers = (_header(event, "origin") or "").rstrip("/"), ALLOWED_HEADERS
        methods = routes.allowed_methods(path, WIDGET_AUTHS)
        if not origin or not methods or not origin_allowed(origin):
            return proxy_problem(Forbidden("This origin may not call the API."), request_id)
    return {
        "statusCode": 204,
        "headers": {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": ", ".join(m for m in methods if m != "OPTIONS"),
            "Access-Control-Allow-Headers": headers,
            "Access-Control-Expose-Headers": EXPOSED_HEADERS,
            "Access-Control-Max-Age": str(MAX_AGE_S),
            "Vary": "Origin",
            "X-Request-Id": request_id,
        },
        "body": "",
        "isBase64Encoded": False,
    }
