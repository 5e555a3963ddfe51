"""A local API Gateway: HTTP requests → REST API proxy events → the route's handler module.

It does what API Gateway does in AWS, in the same order: find the route in the table
(unknown path 404, wrong method 405), run the route's REQUEST authorizer and pass its
context on, build the proxy event exactly as a REST API Lambda integration receives it, and
call `handler(event, context)` of the route's module. Modules stay imported between
requests, like a warm Lambda.
"""

from __future__ import annotations

import base64
import importlib
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from atelier import routes
from atelier.errors import AtelierError, Forbidden, MethodNotAllowed, NotFound, Unauthorized
from atelier.http.problems import proxy_problem
from atelier.observability import logger
from atelier.routes import Auth, Route

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class GatewayResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


def lambda_context(function_name: str, timeout_s: int = 10, memory_mb: int = 256) -> Any:
    """The attributes powertools reads from a Lambda context object."""
    deadline = time.monotonic() + timeout_s
    return SimpleNamespace(
        function_name=function_name,
        function_version="$LATEST",
        memory_limit_in_mb=memory_mb,
        invoked_function_arn=f"arn:aws:lambda:local:000000000000:function:{function_name}",
        aws_request_id=str(uuid.uuid4()),
        log_group_name=f"/aws/lambda/{function_name}",
        log_stream_name="local",
        get_remaining_time_in_millis=lambda: max(0, int((deadline - time.monotonic()) * 1000)),
    )


def _multi(
    values: Mapping[str, list[str]],
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not values:
        return None, None
    return {k: v[-1] for k, v in values.items()}, {k: list(v) for k, v in values.items()}


def build_proxy_event(
    *,
    route: Route,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    path_params: Mapping[str, str],
    source_ip: str,
    authorizer: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The REST API (v1) Lambda proxy integration event for one request."""
    single_q, multi_q = _multi(parse_qs(query, keep_blank_values=True))
    try:
        text, is_b64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        # API Gateway hands binary (or broken) bodies over base64-encoded.
        text, is_b64 = base64.b64encode(body).decode("ascii"), True
    request_id = str(uuid.uuid4())
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method,
        "headers": dict(headers) or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": single_q,
        "multiValueQueryStringParameters": multi_q,
        "pathParameters": dict(path_params) or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.path,
            "httpMethod": method,
            "path": f"/local{path}",
            "stage": "local",
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "protocol": "HTTP/1.1",
            "accountId": "000000000000",
            "apiId": "local",
            "identity": {
                "sourceIp": source_ip,
                "userAgent": _get(headers, "user-agent"),
            },
            "authorizer": dict(authorizer) if authorizer else None,
        },
        "body": text if body else None,
        "isBase64Encoded": is_b64,
    }


def _get(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def build_authorizer_event(route: Route, proxy_event: dict[str, Any]) -> dict[str, Any]:
    """The REQUEST authorizer event API Gateway sends before the integration."""
    ctx = proxy_event["requestContext"]
    return {
        "type": "REQUEST",
        "methodArn": (
            f"arn:aws:execute-api:local:000000000000:local/local/{route.method}{route.path}"
        ),
        "resource": route.path,
        "path": proxy_event["path"],
        "httpMethod": route.method,
        "headers": proxy_event["headers"] or {},
        "multiValueHeaders": proxy_event["multiValueHeaders"] or {},
        "queryStringParameters": proxy_event["queryStringParameters"] or {},
        "multiValueQueryStringParameters": proxy_event["multiValueQueryStringParameters"] or {},
        "pathParameters": proxy_event["pathParameters"] or {},
        "stageVariables": {},
        "requestContext": {k: v for k, v in ctx.items() if k != "authorizer"},
    }


def authorizer_verdict(result: Mapping[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Whether an IAM policy allows the call, and the context API Gateway passes on."""
    statements = (result.get("policyDocument") or {}).get("Statement") or []
    allowed = bool(statements) and all(s.get("Effect") == "Allow" for s in statements)
    context = dict(result.get("context") or {})
    context["principalId"] = result.get("principalId")
    return allowed, context


class LocalGateway:
    """Dispatches requests to handler modules the way API Gateway would."""

    def __init__(self, table: tuple[Route, ...] | None = None) -> None:
        self.table = table if table is not None else routes.ROUTES
        self._modules: dict[str, Handler] = {}

    def _handler(self, module: str) -> Handler:
        if module not in self._modules:
            self._modules[module] = importlib.import_module(module).handler
        return self._modules[module]

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed: set[str] = set()
        for route in self.table:
            found = route.path_pattern.match(path)
            if not found:
                continue
            if route.method == method:
                return route, found.groupdict()
            allowed.add(route.method)
        if allowed:
            raise MethodNotAllowed(
                f"{method} is not allowed here.", headers={"Allow": ", ".join(sorted(allowed))}
            )
        raise NotFound(f"No route for {method} {path}.")

    def _authorize(self, route: Route, event: dict[str, Any]) -> dict[str, Any] | None:
        if route.auth in (Auth.PUBLIC, Auth.WEBHOOK):
            return None
        module = routes.AUTHORIZERS[route.auth]
        auth_event = build_authorizer_event(route, event)
        try:
            result = self._handler(module)(auth_event, lambda_context(module))
        except Exception as exc:
            # Lambda authorizers signal "no or bad credentials" by raising "Unauthorized".
            if str(exc) == "Unauthorized":
                raise Unauthorized("Missing or invalid credentials.") from exc
            raise
        allowed, context = authorizer_verdict(result)
        if not allowed:
            raise Forbidden("These credentials may not call this endpoint.")
        return context

    def invoke(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
        source_ip: str = "127.0.0.1",
    ) -> GatewayResponse:
        parts = urlsplit(url)
        payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        hdrs = dict(headers or {})
        try:
            route, params = self._match(method.upper(), parts.path)
            event = build_proxy_event(
                route=route,
                method=method.upper(),
                path=parts.path,
                query=parts.query,
                headers=hdrs,
                body=payload,
                path_params=params,
                source_ip=source_ip,
            )
            event["requestContext"]["authorizer"] = self._authorize(route, event)
            handler = self._handler(route.handler)
            result = handler(event, lambda_context(route.function_name, route.timeout_s))
        except AtelierError as exc:
            result = proxy_problem(exc)
        except Exception:
            # What API Gateway answers when the integration itself fails (502 in AWS).
            logger.exception("handler failed outside its own error handling", extra={"url": url})
            result = proxy_problem(AtelierError("The function failed; see the logs."))
        return to_gateway_response(result)


def to_gateway_response(result: Mapping[str, Any]) -> GatewayResponse:
    headers: dict[str, str] = {}
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers[key] = ", ".join(str(v) for v in values)
    for key, value in (result.get("headers") or {}).items():
        headers[key] = str(value)
    raw = result.get("body") or ""
    data = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode("utf-8")
    return GatewayResponse(status=int(result.get("statusCode", 502)), headers=headers, body=data)
