"""The route table: the single source of truth for every API function and queue worker.

The CDK stack builds one Lambda and one API Gateway method per `Route`, and one SQS queue
(with its DLQ) plus one SQS-triggered Lambda per `Worker`. The local gateway dispatches
from the same table. Nothing here imports a handler: entries name modules as strings so
the table stays cheap to import from anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Auth(StrEnum):
    """How API Gateway authenticates a route before the handler runs."""

    PUBLIC = "public"
    """No credentials (health, documentation, public schemas)."""
    WIDGET = "widget"
    """Publishable key (`pk_…`) from an allowed origin, checked by the widget authorizer."""
    BRAND = "brand"
    """A brand user's JWT (Cognito in AWS, the local issuer locally) or a secret key (`sk_…`)."""
    WEBHOOK = "webhook"
    """Signed by a third party (Stripe, Shopify); the handler verifies the raw body."""


class Layer(StrEnum):
    """Dependency layers a function needs beyond the `atelier` domain layer."""

    API = "api"
    MEDIA = "media"


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: str
    auth: Auth
    memory_mb: int = 256
    timeout_s: int = 10
    layers: tuple[Layer, ...] = (Layer.API,)

    @property
    def function_name(self) -> str:
        """A stable, human-readable name derived from the handler module."""
        return self.handler.removeprefix("functions.").replace(".", "-").replace("_", "-")

    @property
    def path_pattern(self) -> re.Pattern[str]:
        """The path template as a regex with one named group per `{param}`."""
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{pattern}$")


@dataclass(frozen=True, slots=True)
class Worker:
    queue: str
    handler: str
    memory_mb: int = 1024
    timeout_s: int = 60
    batch_size: int = 5
    max_concurrency: int = 10
    max_receive_count: int = 5
    layers: tuple[Layer, ...] = (Layer.API, Layer.MEDIA)

    @property
    def function_name(self) -> str:
        return self.handler.removeprefix("functions.").replace(".", "-").replace("_", "-")

    @property
    def visibility_timeout_s(self) -> int:
        # AWS recommends at least six times the function timeout for SQS event sources.
        return self.timeout_s * 6


API_PREFIX = "/api/v1"

ROUTES: tuple[Route, ...] = (
    Route("GET", f"{API_PREFIX}/health", "functions.system.health", Auth.PUBLIC),
    Route("GET", f"{API_PREFIX}/openapi.json", "functions.system.openapi", Auth.PUBLIC, 512),
)

WORKERS: tuple[Worker, ...] = ()


def match_route(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """Find the route for a request; path parameters are returned by name."""
    for route in ROUTES:
        if route.method != method:
            continue
        found = route.path_pattern.match(path)
        if found:
            return route, found.groupdict()
    return None


def route_for_handler(module: str) -> Route:
    """The route a handler module serves (each API function module serves exactly one)."""
    for route in ROUTES:
        if route.handler == module:
            return route
    raise LookupError(f"{module} is not in the route table")


def allowed_methods(path: str) -> list[str]:
    """Methods that exist for a path (for 405 answers and CORS preflights)."""
    return sorted({r.method for r in ROUTES if r.path_pattern.match(path)})


# The Lambda REQUEST authorizer module for each authenticated kind of route.
AUTHORIZERS: dict[Auth, str] = {
    Auth.WIDGET: "functions.auth.widget_authorizer",
    Auth.BRAND: "functions.auth.brand_authorizer",
}
