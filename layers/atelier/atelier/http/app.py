"""The API function shape: one route from the route table, one resolver, one Lambda handler.

A function module declares `endpoint = Endpoint(__name__)`, decorates one function with
`@endpoint.handles()`, and exports `handler = endpoint.handler`. The method and path come from
`atelier.routes` (no route is written twice); request and response models give validation
and the OpenAPI document; every error becomes a problem response in `_install_error_handlers`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from pydantic import BaseModel

from atelier import routes
from atelier.auth.principal import Principal
from atelier.db.ids import new_id
from atelier.errors import (
    AtelierError,
    MalformedRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from atelier.http.origins import normalize_origin, origin_set
from atelier.http.problems import (
    PROBLEM_CONTENT_TYPE,
    field_errors,
    problem_from_error,
    proxy_problem,
)
from atelier.observability import logger
from atelier.settings import get_settings

MAX_BODY_BYTES = 1024 * 1024
CORRELATION_HEADERS = ("x-request-id", "x-correlation-id")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

F = TypeVar("F", bound=Callable[..., Any])


def powertools_path(path: str) -> str:
    """`/specs/{specHash}` (API Gateway) → `/specs/<specHash>` (powertools)."""
    return re.sub(r"\{(\w+)\}", r"<\1>", path)


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value) if value is not None else None
    return None


def correlation_id(event: dict[str, Any]) -> str:
    """The caller's request id when it is a sane token, else API Gateway's, else a new one."""
    for name in CORRELATION_HEADERS:
        value = _header(event, name)
        if value and _SAFE_ID.match(value):
            return value
    return str((event.get("requestContext") or {}).get("requestId") or new_id())


def raw_body(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except ValueError as exc:
            raise MalformedRequest("The body is not valid base64.") from exc
    return body.encode("utf-8", "surrogatepass")


def check_body(event: dict[str, Any], *, parse: bool = True) -> None:
    """Reject what the resolver should never see: huge, non-UTF-8 or non-JSON bodies.

    Signed webhooks (`parse=False`) are only size-checked here: their signature must be
    verified on the raw bytes before anything reads them."""
    data = raw_body(event)
    if len(data) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body is {len(data)} bytes; the limit is {MAX_BODY_BYTES}.")
    if not data or not parse:
        return
    content_type = (_header(event, "content-type") or "application/json").split(";")[0].strip()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(f"Send application/json, not {content_type}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequest(f"The body is not valid UTF-8 (byte {exc.start}).") from exc
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRequest(
            f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}."
        ) from exc
    if event.get("isBase64Encoded"):
        # Hand the resolver plain text so its JSON parsing sees what we checked.
        event["body"], event["isBase64Encoded"] = text, False


def _problem(exc: AtelierError) -> Response:
    return Response(
        status_code=exc.status,
        content_type=PROBLEM_CONTENT_TYPE,
        body=json.dumps(problem_from_error(exc, logger.get_correlation_id()), ensure_ascii=False),
        headers=dict(exc.headers),
    )


class NotModified(Exception):
    """Raised by a conditional GET that matched: answered 304 with these headers."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("not modified")
        self.headers = headers


def _install_error_handlers(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(NotModified)
    def _not_modified(exc: NotModified) -> Response[None]:
        return Response(status_code=304, headers=exc.headers)

    @app.exception_handler(AtelierError)
    def _domain_error(exc: AtelierError) -> Response:
        if exc.status >= 500:
            logger.warning("dependency failure", extra={"problem": exc.slug, "detail": exc.detail})
        return _problem(exc)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return _problem(MalformedRequest("The body is not valid JSON."))
        return _problem(
            ValidationFailed(
                "Some fields are not valid.", errors=field_errors(errors, strip=("body",))
            )
        )

    @app.exception_handler(ResponseValidationError)
    def _invalid_response(exc: ResponseValidationError) -> Response:
        logger.error("response failed its own schema", extra={"errors": str(exc.errors())[:2000]})
        return _problem(AtelierError("The server produced an invalid response."))

    @app.not_found
    def _not_found(exc: NotFoundError) -> Response:
        event = app.current_event
        allowed = routes.allowed_methods(event.path)
        if allowed:
            return _problem(
                MethodNotAllowed(
                    f"{event.http_method} is not allowed here.",
                    headers={"Allow": ", ".join(allowed)},
                )
            )
        return _problem(NotFound(f"No route for {event.http_method} {event.path}."))

    @app.exception_handler(Exception)
    def _unexpected(exc: Exception) -> Response:
        logger.exception("unhandled error")
        return _problem(AtelierError("An unexpected error occurred; it has been logged."))


def create_resolver(*routers: Router) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)
    _install_error_handlers(app)
    for router in routers:
        app.include_router(router)
    return app


class Endpoint:
    """One API function: its route from the table, its router, its Lambda handler."""

    def __init__(self, module: str) -> None:
        self.route = routes.route_for_handler(module)
        self.router = Router()
        self._resolver: APIGatewayRestResolver | None = None

    def handles(self, **openapi: Any) -> Callable[[F], F]:
        """Register the endpoint function; keyword arguments go to the OpenAPI operation."""

        def register(fn: F) -> F:
            self.router.route(
                powertools_path(self.route.path), method=self.route.method, **openapi
            )(fn)
            return fn

        return register

    # What a handler may ask about the request it serves.
    @property
    def event(self) -> Any:
        return self.router.current_event

    def principal(self) -> Principal:
        return Principal.from_event(self.event.raw_event)

    def header(self, name: str) -> str | None:
        return _header(self.event.raw_event, name.lower())

    def source_ip(self) -> str | None:
        identity = (self.event.raw_event.get("requestContext") or {}).get("identity") or {}
        return identity.get("sourceIp")

    def json(
        self, model: BaseModel, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response[Any]:
        """A JSON response from a response model (camelCase, as documented)."""
        # The model itself, not its JSON: powertools validates it against the declared
        # response model and serializes it by alias.
        return Response(
            status_code=status, content_type="application/json", body=model, headers=headers or {}
        )

    @property
    def resolver(self) -> APIGatewayRestResolver:
        if self._resolver is None:
            self._resolver = create_resolver(self.router)
        return self._resolver

    def handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        return handle(
            self.resolver, event, context, parse_body=self.route.auth is not routes.Auth.WEBHOOK
        )

    def raw_body(self) -> bytes:
        return raw_body(self.event.raw_event)


MUTATIONS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    key = _header(event, "idempotency-key")
    if key is None or event.get("httpMethod") not in MUTATIONS:
        return app.resolve(event, context)
    from atelier.idempotency import run_idempotently  # only mutations with a key pay for it

    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    scope = f"{authorizer.get('brandId', '-')}:{event.get('httpMethod')}:{event.get('path')}"
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return run_idempotently(
        scope=scope,
        key=key,
        body=event.get("body"),
        run=lambda: app.resolve(event, context),
        remaining_ms=remaining,
    )


def handle(
    app: APIGatewayRestResolver, event: dict[str, Any], context: Any, *, parse_body: bool = True
) -> dict[str, Any]:
    """Run one request through the resolver with the correlation id set and the body checked."""
    request_id = correlation_id(event)
    logger.set_correlation_id(request_id)
    logger.append_keys(route=f"{event.get('httpMethod')} {event.get('resource')}")
    try:
        check_body(event, parse=parse_body)
        response = _resolve(app, event, context)
    except AtelierError as exc:
        response = proxy_problem(exc, request_id)
    headers = response.setdefault("headers", {}) or {}
    headers["X-Request-Id"] = request_id
    headers.update(cors_headers(event))
    response["headers"] = headers
    return response


EXPOSED_HEADERS = "ETag, X-Request-Id, Location, Retry-After"


def console_origin(event: dict[str, Any]) -> str | None:
    """The request's `Origin` when it is one of the deployment's brand-console origins."""
    configured = get_settings().console_origins
    origin = _header(event, "origin")
    if not configured or not origin:
        return None
    origin = normalize_origin(origin)
    return origin if origin in origin_set(configured) else None


def cors_headers(event: dict[str, Any]) -> dict[str, str]:
    """CORS headers for the origin the widget authorizer approved for this key, or for a
    brand-console origin; none for anyone else."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    origin = authorizer.get("origin") or console_origin(event)
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": str(origin),
        "Access-Control-Expose-Headers": EXPOSED_HEADERS,
        "Vary": "Origin",
    }
